from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.seo import SeoMixin

from .querysets import FewPagesManager


class TagIndexPage(ViewRestrictionShortcutMixin, SeoMixin, RoutablePageMixin, Page):
    """Lists topics at its own URL and each topic's stories at /<tag-slug>/."""

    objects = FewPagesManager()

    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    # One per edition: each edition's front page has its own topics page.
    max_count_per_parent = 1
    page_description = _("Topics (tags) and the stories filed under each.")
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("tag index")

    @path("")
    def tag_list(self, request):
        from broadsheet.news.selectors import tags_popular

        return self.render(
            request, context_overrides={"tags": tags_popular(limit=80, locale_id=self.locale_id)}
        )

    @path("<slug:tag_slug>/")
    def tag_stories(self, request, tag_slug):
        from broadsheet.core.surrogate import surrogate_keys_add
        from broadsheet.news.edge_keys import newsfeed_key, tag_name_key, topic_key
        from broadsheet.news.selectors import feed_page_from_request, tag_public

        # A tag only non-public stories carry answers exactly like an unknown
        # one, by the same path: its existence would reveal those stories.
        tag = tag_public(slug=tag_slug, locale_id=self.locale_id)
        if tag is None:
            # The first story published with it makes this address answer.
            surrogate_keys_add(newsfeed_key(self.locale_id))
            raise Http404
        surrogate_keys_add(topic_key(tag.pk), tag_name_key(tag.pk))
        feed = feed_page_from_request(request, tag=tag, locale_id=self.locale_id)
        return self.render(
            request,
            context_overrides={
                "tag": tag,
                "feed": feed,
                "og_title": tag.name,
                "meta_description": _("Stories about %(topic)s, newest first.")
                % {"topic": tag.name},
            },
            template="news/tag_page.html",
        )
