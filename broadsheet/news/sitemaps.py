"""Sitemaps per edition, stories by month.

`/sitemap.xml` is one sitemap index of every published edition's files:

- `/sitemap-pages.xml` (`/sitemap-pages-<lang>.xml` for the other editions):
  the edition's pages that are not stories or galleries (front page,
  sections, authors, topics);
- `/sitemap-stories-<yyyy>-<mm>.xml` (`/sitemap-stories-<lang>-<yyyy>-<mm>.xml`):
  the stories and galleries whose public time falls in that month (UTC), in
  publishing order, 5,000 to a file (`?p=N`).

Why by month: a publish changes only its month's file, the index and the
months of its translations (their hreflang), so that is all the edge drops
(edge_keys.page_purge_keys). A past month's file stays cached, and its cost
is its month's, not the archive's. Cut by position instead, as Wagtail's
sitemap is, every publish shifted every file after its place.

Each page names its translations in the other editions with
`xhtml:link rel="alternate" hreflang` plus `x-default` (Google's format,
https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap),
found for a whole file in one query; a translation not public yet (embargo,
draft, private, an author page without a public story in its edition) is
never named, so the alternates stay reciprocal.

The Google News sitemap is one per edition, at `/sitemap-news.xml` and
`/<lang>/sitemap-news.xml` (inside i18n_patterns): the stories of the last
two days, at most 1,000, each with the publication's name, the edition's
`<news:language>`, its public time and headline. robots.txt lists the index
and every edition's news sitemap. Embargoed stories are never in them.
https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
"""

import re
from datetime import timedelta
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import views as django_sitemaps_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.generic import TemplateView
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from broadsheet.core.cache import memoized
from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.core.page_urls import url_path_address
from broadsheet.core.privacy import any_private_pages
from broadsheet.core.surrogate import surrogate_keys_add
from broadsheet.editions.selectors import home_for, languages_published, locale_id_for

from .edge_keys import sitemap_key, sitemap_month_key
from .models import ArticlePage, GalleryPage
from .selectors import edition_locale_id, stories_for_news_sitemap
from .sitemap_months import Month, dated_pages, edition_months
from .sitemap_rows import ROW_FIELDS, page_alternates, sitemap_rows, sitemapindex_xml, urlset_xml

NEWS_SITEMAP_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000
FILE_LIMIT = 5000

_SECTION = re.compile(
    r"^(?P<kind>pages|stories)(?:-(?P<language>[a-z]{2,3}(?:-[a-z0-9]+)?))?"
    r"(?:-(?P<year>\d{4})-(?P<month>\d{2}))?$"
)


def sitemap_section(language: str, month: Month | None = None) -> str:
    """The file's name between `sitemap-` and `.xml`."""
    kind = "pages" if month is None else "stories"
    suffix = "" if language == settings.LANGUAGE_CODE else f"-{language}"
    return kind + suffix + ("" if month is None else f"-{month.label}")


def section_parse(section: str) -> tuple[str, Month | None] | None:
    """(language, month) of a file's name; None for a name no file has."""
    found = _SECTION.match(section)
    if found is None or (found["kind"] == "stories") != (found["year"] is not None):
        return None
    language = found["language"] or settings.LANGUAGE_CODE
    if found["language"] == settings.LANGUAGE_CODE:
        return None  # the default edition's files carry no language
    if found["year"] is None:
        return language, None
    year, month = int(found["year"]), int(found["month"])
    if not 1 <= month <= 12 or year < 1970 or Month(year, month) > Month.of(timezone.now()):
        return None
    return language, Month(year, month)


def _undated_type_ids() -> list[int]:
    """Every page type not filed by month: all but stories and galleries
    (with their subclasses other apps add: live stories). By the list of
    types the pages file's query seeks the content type index; by "not
    these" it read every page of the edition (94 ms at 100,000)."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and not issubclass(model, (ArticlePage, GalleryPage))
    ]
    return sorted(ct.pk for ct in ContentType.objects.get_for_models(*models).values())


class RowsSitemap(Sitemap):
    """A file built from plain rows (news/sitemap_rows.py)."""

    limit = FILE_LIMIT

    def __init__(self, request=None, *, language: str = settings.LANGUAGE_CODE):
        super().__init__(request)
        self.language = language

    def _urls(self, page, protocol, domain):
        rows = list(self.paginator.page(page).object_list)
        alternates = page_alternates(rows=rows, request=self.request)
        urls = []
        for row, lastmod in sitemap_rows(rows=rows):
            location = url_path_address(row["url_path"], self.request)
            if location is None:
                continue
            url_info = {"location": location, "lastmod": lastmod}
            versions = alternates.get(row["translation_key"], [])
            # Only pages with a translation name alternates (and only while
            # the page itself is among them: it is public).
            if len(versions) > 1:
                url_info["alternates"] = [
                    *({"lang_code": code, "location": url} for code, url in versions),
                    {"lang_code": "x-default", "location": versions[0][1]},
                ]
            urls.append(url_info)
        lastmods = {info["lastmod"] for info in urls}
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _edition_pages(self):
        home = home_for(language=self.language)
        if home is None:
            return Page.objects.none()
        # The subtree as a range of paths (treebeard's alphabet is 0-9A-Z,
        # all below "["): an index range on SQLite, where get_descendants'
        # LIKE reads every page of the site (23 ms an edition at 100,000 stories).
        pages = Page.objects.live().filter(path__gte=home.path, path__lt=home.path + "[")
        if any_private_pages():
            pages = pages.public()
        return pages


class EditionPageSitemap(RowsSitemap):
    """An edition's pages that are not filed by month."""

    def _pages(self):
        return self._edition_pages().filter(content_type_id__in=_undated_type_ids())

    def items(self):
        # Sorted here: ordered by path, SQLite walks the path index through
        # every story of the edition instead of seeking the few page types.
        rows = list(self._pages().order_by().values(*ROW_FIELDS, "path"))
        return sorted(rows, key=lambda row: row["path"])

    def get_latest_lastmod(self):
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]


class EditionMonthSitemap(RowsSitemap):
    """An edition's stories and galleries made public in one month, oldest
    first: a new story goes at the end, so a file's earlier pages (`?p=`)
    keep their entries."""

    def __init__(self, request=None, *, language: str, month: Month):
        super().__init__(request, language=language)
        self.month = month

    @cached_property
    def _rows(self) -> list[dict]:
        locale_id = locale_id_for(language=self.language)
        if locale_id is None:
            return []
        stories, galleries = dated_pages(
            locale_id,
            home_for(language=self.language),
            since=self.month.start,
            until=self.month.end,
        )
        rows = [
            *stories.order_by().values(*ROW_FIELDS, "published_at", "updated_at"),
            *galleries.order_by().values(*ROW_FIELDS, "published_at"),
        ]
        rows.sort(key=lambda row: (row["published_at"], row["id"]))
        return rows

    def items(self):
        return self._rows


def sitemap_index_items() -> list[SitemapIndexItem]:
    """Every published edition's files: its pages, then its months, newest
    first, each month file's further pages (`?p=N`) after it. Kept per
    content version, as listings are (addresses are on SITE_URL, the same
    for every request)."""
    return memoized("sitemap_index_items", _index_items)


def _index_items() -> list[SitemapIndexItem]:
    # Reversed once: each file's address is the prefix and its name.
    prefix = reverse("sitemap", kwargs={"section": "pages"}).removesuffix("pages.xml")
    items = []
    for language, _name in languages_published():
        pages = EditionPageSitemap(language=language)
        url = absolute_url(f"{prefix}{sitemap_section(language)}.xml")
        items.append(SitemapIndexItem(url, pages.get_latest_lastmod()))
        for month, (count, latest) in sorted(edition_months(language).items(), reverse=True):
            url = absolute_url(f"{prefix}{sitemap_section(language, month)}.xml")
            items.append(SitemapIndexItem(url, latest))
            pages_more = (count - 1) // FILE_LIMIT
            items += [SitemapIndexItem(f"{url}?p={n}", latest) for n in range(2, pages_more + 2)]
    return items


@django_sitemaps_views.x_robots_tag
def sitemap_index(request):
    surrogate_keys_add(sitemap_key())
    items = sitemap_index_items()
    dates = [item.last_mod for item in items]
    headers = None
    if dates and None not in dates:
        headers = {"Last-Modified": http_date(max(dates).timestamp())}
    return HttpResponse(sitemapindex_xml(items), content_type="application/xml", headers=headers)


def sitemap(request, section: str):
    parsed = section_parse(section)
    published = {code for code, _name in languages_published()}
    if parsed is None or parsed[0] not in published:
        raise Http404("No such sitemap.")
    language, month = parsed
    if month is None:
        # Author pages come and go with the stories bylined to them, and
        # every page's translations are named: any publish may change it.
        surrogate_keys_add(sitemap_key())
        site = EditionPageSitemap(request, language=language)
    else:
        surrogate_keys_add(sitemap_month_key(locale_id_for(language=language), month.start))
        site = EditionMonthSitemap(request, language=language, month=month)
        if not site.items():
            raise Http404("No stories that month.")
    # Django's view pages, answers 404 past the last file and sets
    # Last-Modified and X-Robots-Tag; only its template is replaced.
    response = django_sitemaps_views.sitemap(request, sitemaps={section: site}, section=section)
    written = HttpResponse(
        urlset_xml(response.context_data["urlset"]), content_type=response["Content-Type"]
    )
    for header in ("Last-Modified", "X-Robots-Tag"):
        if response.has_header(header):
            written[header] = response[header]
    return written


class NewsSitemapView(TemplateView):
    """The Google News sitemap of the request's edition."""

    template_name = "news/news_sitemap.xml"
    content_type = "application/xml; charset=utf-8"

    def get_context_data(self, **kwargs):
        language = translation.get_language() or settings.LANGUAGE_CODE
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        stories = stories_for_news_sitemap(
            since=since, limit=NEWS_SITEMAP_LIMIT, locale_id=edition_locale_id()
        )
        return {
            "publication": SiteIdentity.for_request(self.request).name,
            "entries": [(story.get_full_url(self.request), story, language) for story in stories],
        }

    def get(self, request, *args, **kwargs):
        surrogate_keys_add(sitemap_key(edition_locale_id()))
        response = super().get(request, *args, **kwargs)
        # Stories leave it by age, not by a change that purges: kept briefly.
        patch_cache_control(response, public=True, max_age=0, s_maxage=120)
        return response
