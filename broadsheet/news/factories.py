"""Factories for every page type; the demo newsroom (load_demo) is built from these."""

import random
from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from wagtail.rich_text import RichText

from broadsheet.mediabank.factories import PhotoFactory

from .demo_text import StoryWriter
from .models import (
    ArticleAuthor,
    ArticleKind,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    GalleryPage,
    GalleryPhoto,
    HomePage,
    SectionPage,
    TagIndexPage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Broadsheet"
    slug = "home"


def front_page_install() -> HomePage:
    """A front page at the site root in place of Wagtail's placeholder, serving
    the default site on `testserver` (the test client's host)."""
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    return home


class SectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    show_in_menus = True
    intro = factory.Faker("sentence")


class AuthorIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AuthorIndexPage

    title = "Authors"
    slug = "authors"


class TagIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TagIndexPage

    title = "Topics"
    slug = "topics"


class AuthorPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AuthorPage

    title = factory.Faker("name")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    role = "Correspondent"
    bio = factory.LazyAttribute(lambda o: f"<p>{o.title} reports for Broadsheet.</p>")


def story_body(*, seed: int, related: ArticlePage | None = None, photo=None) -> list:
    """A realistic story body: paragraphs, a subheading, a quote, facts and figures."""
    writer = StoryWriter(seed)
    rng = random.Random(seed)
    body = [("paragraph", RichText(f"<p>{writer.paragraph(3)}</p>")) for _ in range(2)]
    body.append(("quote", writer.quote()))
    body.append(("paragraph", RichText(f"<p>{writer.paragraph(4)}</p>")))
    if related is not None:
        body.append(("related_story", {"page": related, "label": ""}))
    body.append(("subheading", rng.choice(["What happens next", "Background", "Reaction"])))
    body.append(("paragraph", RichText(f"<p>{writer.paragraph(3)}</p>")))
    if rng.random() < 0.6:
        body.append(
            (
                "key_figures",
                {
                    "title": "In numbers",
                    "figures": [
                        {"number": f"{rng.randint(2, 99)}%", "label": "say the plan goes too far"},
                        {"number": f"{rng.randint(1, 9)}.{rng.randint(0, 9)} bn", "label": "cost"},
                        {"number": str(rng.randint(3, 40)), "label": "regions affected"},
                    ],
                },
            )
        )
    if rng.random() < 0.5:
        facts = "".join(f"<li>{writer.sentence()}</li>" for _ in range(3))
        body.append(("fact_box", {"title": "Key facts", "body": RichText(f"<ul>{facts}</ul>")}))
    if photo is not None:
        body.append(("image", {"image": photo, "caption": ""}))
    body.append(("paragraph", RichText(f"<p>{writer.paragraph(2)}</p>")))
    return body


class ArticlePageFactory(wagtail_factories.PageFactory):
    """A published story. Pass `published_at` to place it in time;
    `live=False` with a future `go_live_at` makes an embargoed draft."""

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    class Params:
        seed = factory.Sequence(lambda n: n)

    kind = ArticleKind.NEWS
    title = factory.LazyAttribute(lambda o: StoryWriter(o.seed).headline(o.kind))
    slug = factory.LazyAttribute(lambda o: f"{slugify(o.title)[:60]}-{o.seed}")
    standfirst = factory.LazyAttribute(lambda o: StoryWriter(o.seed + 1).standfirst())
    body = factory.LazyAttribute(lambda o: story_body(seed=o.seed))
    live = True
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    first_published_at = factory.LazyAttribute(lambda o: o.published_at)
    last_published_at = factory.LazyAttribute(lambda o: o.published_at)
    lead_photo = factory.SubFactory(PhotoFactory, seed=factory.SelfAttribute("..seed"))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for order, author in enumerate(extracted):
                ArticleAuthor.objects.create(page=self, author=author, sort_order=order)

    @factory.post_generation
    def tag_names(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()


class GalleryPageFactory(wagtail_factories.PageFactory):
    """A published photo gallery. `photos=[...]` sets its photos in order
    (three new ones by default)."""

    class Meta:
        model = GalleryPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"The week in pictures {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:60])
    intro = "The week's news, in photos from our photographers and agencies."
    live = True
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    first_published_at = factory.LazyAttribute(lambda o: o.published_at)
    last_published_at = factory.LazyAttribute(lambda o: o.published_at)
    cover_photo = None

    @factory.post_generation
    def photos(self, create, extracted, **kwargs):
        if not create:
            return
        photos = extracted if extracted is not None else [PhotoFactory() for _ in range(3)]
        for order, photo in enumerate(photos):
            GalleryPhoto.objects.create(page=self, photo=photo, sort_order=order)
        if photos and self.cover_photo is None:
            self.cover_photo = photos[0]
            self.save()


def story_schedule(*, parent, go_live_at, **fields) -> ArticlePage:
    """A story submitted for publication at `go_live_at`, as an editor does it:
    saved as a draft, then published with a go-live time, so Wagtail keeps it
    unpublished until the scheduler runs."""
    story = ArticlePageFactory.build(
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        go_live_at=go_live_at,
        lead_photo=fields.pop("lead_photo", None) or PhotoFactory(),
        **fields,
    )
    parent.add_child(instance=story)
    story.save_revision().publish()
    story.refresh_from_db()
    return story
