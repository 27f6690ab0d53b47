from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from broadsheet.core.surrogate import surrogate_keys_add

from .cursors import Cursor
from .edge_keys import newsfeed_key
from .models import SectionPage
from .selectors import edition_locale_id, feed_newer, feed_page_from_request, sections_in_menu


class NewsfeedView(TemplateView):
    """Everything published, newest first, optionally for one section.

    htmx asks for the next items with `HX-Request`; it gets only the list
    items and the next "More" link, which it swaps in place. Without
    JavaScript the same "More" link loads the next page in full.

    `?newer_than=<cursor>` answers a live newsfeed (static/js/newsfeed_live.js)
    with only the items published after the reader's newest one: in the
    box's style with `compact=1`, at most `limit` of them.
    """

    template_name = "news/newsfeed.html"
    partial_template_name = "news/includes/newsfeed_items.html"
    fresh_template_name = "news/includes/newsfeed_fresh.html"

    def get_template_names(self):
        if "newer_than" in self.request.GET:
            return [self.fresh_template_name]
        if self.request.headers.get("HX-Request"):
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Any story published in the edition changes it (and its cursor pages).
        surrogate_keys_add(newsfeed_key(edition_locale_id()))
        section = None
        section_slug = self.request.GET.get("section")
        if section_slug:
            # The edition's own section: a translated one shares the slug.
            section = get_object_or_404(
                SectionPage.objects.live(), slug=section_slug, locale_id=edition_locale_id()
            )
        if "newer_than" in self.request.GET:
            return self._fresh_context(context, section)
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

    def _fresh_context(self, context, section):
        after = Cursor.decode(self.request.GET["newer_than"])
        limit = _limit(self.request.GET.get("limit"))
        feed = feed_newer(after=after, limit=limit, section=section)
        context.update(
            feed=feed,
            # Day headings as the page shows them; the script merges the first
            # one with the heading already at the top when it is the same day.
            rows=_with_day_headings(feed.items, None),
            section=section,
            compact=self.request.GET.get("compact") == "1",
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        if "newer_than" in self.request.GET:
            # The same for every reader with the same newest story. A CDN may
            # keep it briefly: the script adds the newest event's story id to
            # the address, so an answer cached before that story is never
            # reused for it.
            patch_cache_control(response, public=True, max_age=0, s_maxage=10)
        return response


def _limit(raw: str | None) -> int:
    most = settings.BROADSHEET_FEED_PAGE_SIZE
    if raw is None:
        return most
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not 1 <= int(raw) <= most:
        raise BadRequest(f"limit must be a whole number from 1 to {most}.")
    return int(raw)


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
