import logging
import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from broadsheet.news.models import ArticlePage

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = _clean(self.request.GET.get("q", ""))
        results = None
        if query:
            found = ArticlePage.objects.published().search(query, operator="and")
            paginator = Paginator(found, PAGE_SIZE)
            try:
                number = int(self.request.GET.get("page", 1))
                if not 1 <= number <= MAX_PAGES:
                    raise EmptyPage
                results = paginator.page(number)
            except DatabaseError:
                # A query the search backend's syntax can't take: answer "no results",
                # never a 500. https://www.sqlite.org/fts5.html#full_text_query_syntax
                logger.info("Search backend refused query %r", query, exc_info=True)
                results = None
            except (ValueError, PageNotAnInteger, EmptyPage) as exc:
                if self.request.GET.get("page") in (None, "1"):
                    results = None
                else:
                    raise Http404(_("No such page of results.")) from exc
        context.update(
            query=query,
            results=results,
            og_title=_("Search: %(query)s") % {"query": query} if query else _("Search"),
            meta_description=_("Search every story we have published."),
        )
        return context
