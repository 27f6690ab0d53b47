from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .cursors import Cursor
from .models import SectionPage
from .selectors import feed_page_from_request, sections_in_menu


class NewsfeedView(TemplateView):
    """Everything published, newest first, optionally for one section.

    htmx asks for the next items with `HX-Request`; it gets only the list
    items and the next "More" link, which it swaps in place. Without
    JavaScript the same "More" link loads the next page in full.
    """

    template_name = "news/newsfeed.html"
    partial_template_name = "news/includes/newsfeed_items.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = None
        section_slug = self.request.GET.get("section")
        if section_slug:
            section = get_object_or_404(SectionPage.objects.live(), slug=section_slug)
        feed = feed_page_from_request(self.request, section=section)
        title = (
            _("Newsfeed: %(section)s") % {"section": section.title} if section else _("Newsfeed")
        )
        context.update(
            feed=feed,
            rows=_with_day_headings(feed.items, self.request.GET.get("before")),
            section=section,
            sections=sections_in_menu(),
            og_title=title,
            meta_description=_("Every story we publish, newest first.")
            if section is None
            else _("Every %(section)s story we publish, newest first.")
            % {"section": section.title},
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _with_day_headings(stories, raw_cursor: str | None) -> list[tuple]:
    """(story, opens_a_new_day) pairs. A continuation page starts from the
    cursor's day, so a day already headed on the page above isn't headed again."""
    previous = timezone.localdate(Cursor.decode(raw_cursor).published_at) if raw_cursor else None
    rows = []
    for story in stories:
        day = timezone.localdate(story.published_at)
        rows.append((story, day != previous))
        previous = day
    return rows
