import logging
import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from broadsheet.core.surrogate import surrogate_keys_add
from broadsheet.news.edge_keys import newsfeed_key
from broadsheet.news.models import ArticlePage
from broadsheet.news.selectors import edition_locale_id

from .selectors import stories_search

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"]')
PAGE_SIZE = 20
# Relevance-ranked results are paged by number; readers never go deep, and
# the cap keeps a crawler from walking thousands of ranked pages.
MAX_PAGES = 25


def _clean(raw: str) -> str:
    """Drop control characters and double quotes (an unmatched one breaks the
    full-text syntax), fold white space and bound the length."""
    return " ".join(_UNSAFE.sub(" ", raw).split())[:MAX_QUERY_LENGTH]


class SearchView(TemplateView):
    """Full-text search over published stories (Wagtail search).

    Built on `ArticlePage.objects.published()`, so embargoed and unpublished
    stories are never found.
    https://docs.wagtail.org/en/stable/topics/search/searching.html
    """

    template_name = "search/search.html"

    def _page_number(self) -> int:
        raw = self.request.GET.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGES:
            raise EmptyPage
        return int(raw)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Results are the edition's stories: any publish in it may change them.
        surrogate_keys_add(newsfeed_key(edition_locale_id()))
        query = _clean(self.request.GET.get("q", ""))
        results = None
        capped = False
        if query:
            try:
                found = stories_search(query=query, limit=PAGE_SIZE * MAX_PAGES)
                results = Paginator(found.ids, PAGE_SIZE).page(self._page_number())
            except DatabaseError:
                # A query the search backend's syntax can't take: answer "no results",
                # never a 500. https://www.sqlite.org/fts5.html#full_text_query_syntax
                logger.info("Search backend refused query %r", query, exc_info=True)
                results = None
            except (PageNotAnInteger, EmptyPage) as exc:
                if self.request.GET.get("page") in (None, "1"):
                    results = None
                else:
                    raise Http404(_("No such page of results.")) from exc
            else:
                stories = ArticlePage.objects.filter(pk__in=results.object_list).for_listing()
                by_pk = {story.pk: story for story in stories}
                results.object_list = [by_pk[pk] for pk in results.object_list if pk in by_pk]
                capped = found.capped
        context.update(
            query=query,
            results=results,
            capped=capped,
            og_title=_("Search: %(query)s") % {"query": query} if query else _("Search"),
            meta_description=_("Search every story we have published."),
        )
        return context
