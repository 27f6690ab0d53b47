"""Factories for live coverage; the demo's live stories are built from these."""

from datetime import timedelta

import factory
from django.utils import timezone

from broadsheet.news.demo_text import StoryWriter
from broadsheet.news.factories import ArticlePageFactory

from .models import CoverageStatus, LivePost, LiveStoryPage, PostStatus


class LiveStoryPageFactory(ArticlePageFactory):
    """A published live story (coverage live). `parent` is a section."""

    class Meta:
        model = LiveStoryPage
        skip_postgeneration_save = True

    title = factory.LazyAttribute(lambda o: f"Live: {StoryWriter(o.seed).headline('news')}")
    body = factory.LazyAttribute(
        lambda o: [("paragraph", f"<p>{StoryWriter(o.seed + 2).paragraph(3)}</p>")]
    )
    coverage_status = CoverageStatus.LIVE
    coverage_start = factory.LazyAttribute(lambda o: o.published_at)
    key_points = factory.LazyAttribute(
        lambda o: [("point", StoryWriter(o.seed + 3 + n).sentence()) for n in range(3)]
    )


class LivePostFactory(factory.django.DjangoModelFactory):
    """A published post; `status=PostStatus.DRAFT, published_at=None` for a draft."""

    class Meta:
        model = LivePost
        skip_postgeneration_save = True

    class Params:
        seed = factory.Sequence(lambda n: n)

    story = None
    title = ""
    body = factory.LazyAttribute(lambda o: f"<p>{StoryWriter(o.seed).paragraph(2)}</p>")
    status = PostStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)
