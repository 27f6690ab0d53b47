"""Sitemaps per edition.

`/sitemap.xml` is one sitemap index listing every published edition's page
sitemap: `/sitemap-pages.xml` for the default language (the address older
crawlers know), `/sitemap-pages-<lang>.xml` for the others, 5,000 pages to a
file (`?p=N`). Each page names its translations in the other editions with
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

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Max, OuterRef
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.generic import TemplateView
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as sitemaps_views
from wagtail.models import Locale, Page

from broadsheet.core.models import SiteIdentity
from broadsheet.core.page_urls import url_path_address
from broadsheet.core.privacy import any_private_pages
from broadsheet.core.sitemaps import sitemap_index as core_sitemap_index
from broadsheet.core.surrogate import surrogate_keys_add
from broadsheet.editions.selectors import home_for, languages_published

from .edge_keys import sitemap_key
from .models import ArticleAuthor, ArticlePage, AuthorPage, GalleryPage
from .selectors import edition_locale_id, stories_for_news_sitemap

NEWS_SITEMAP_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000


def sitemap_section(language: str) -> str:
    return "pages" if language == settings.LANGUAGE_CODE else f"pages-{language}"


class EditionPageSitemap(Sitemap):
    """Every public page of one edition's tree, with its translations."""

    limit = 5000
    language = settings.LANGUAGE_CODE

    def _pages(self):
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

    def items(self):
        # Plain rows: building each page (`.specific()`, modelcluster's
        # __init__) and asking it for its URL cost ~0.2 ms a page, 212 ms for
        # a 1,000-page file (bench/NOTES.md).
        return self._pages().order_by("path").values(*ROW_FIELDS)

    def get_latest_lastmod(self):
        """The index's date for this file: the edition's latest publish, in
        one aggregate. Django's default builds every page and asks each its
        lastmod (7.6 s at 100,000 stories)."""
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]

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


ROW_FIELDS = (
    "id",
    "url_path",
    "translation_key",
    "content_type_id",
    "last_published_at",
    "latest_revision_created_at",
)


def sitemap_rows(*, rows: list[dict]):
    """(row, lastmod) of each public page among `rows`, by the rules of the
    page types' own `get_sitemap_urls`: a story or gallery once its public
    time has come (PublicTimeMixin: lastmod its update, else that time), an
    author page while a public story carries the byline (AuthorPage), any
    other page as Wagtail does. Three queries for the lot."""
    ids = [row["id"] for row in rows]
    now = timezone.now()
    timed = {
        r["id"]: (r["published_at"], r["updated_at"])
        for r in ArticlePage.objects.filter(pk__in=ids).values("id", "published_at", "updated_at")
    }
    timed.update(
        (r["id"], (r["published_at"], None))
        for r in GalleryPage.objects.filter(pk__in=ids).values("id", "published_at")
    )
    author_type = ContentType.objects.get_for_model(AuthorPage).pk
    hidden = _authors_hidden([row["id"] for row in rows if row["content_type_id"] == author_type])
    for row in rows:
        if row["id"] in timed:
            published_at, updated_at = timed[row["id"]]
            if published_at is None or published_at > now:
                continue
            yield row, updated_at or published_at
        elif row["id"] in hidden:
            continue
        else:
            yield row, row["last_published_at"] or row["latest_revision_created_at"]


def page_alternates(*, rows: list[dict], request) -> dict:
    """translation_key → [(language, absolute URL)] of the public versions of
    `rows` in every edition, in the settings' language order; one query for
    the lot, and one for which author pages among them are public."""
    keys = {row["translation_key"] for row in rows}
    if not keys:
        return {}
    now = timezone.now()
    versions = (
        Page.objects.live()
        .filter(translation_key__in=keys)
        # The embargo's second lock, for the two page types that carry one.
        .exclude(articlepage__published_at__gt=now)
        .exclude(gallerypage__published_at__gt=now)
        .order_by()
    )
    if any_private_pages():
        versions = versions.public()
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    author_type = ContentType.objects.get_for_model(AuthorPage).pk
    versions = list(
        versions.values("id", "url_path", "translation_key", "content_type_id", "locale_id")
    )
    languages = dict(Locale.objects.values_list("id", "language_code"))
    hidden_authors = _authors_hidden(
        [v["id"] for v in versions if v["content_type_id"] == author_type]
    )
    found: dict = {}
    for version in versions:
        code = languages.get(version["locale_id"])
        if code not in order or version["id"] in hidden_authors:
            continue
        url = url_path_address(version["url_path"], request)
        if url:
            found.setdefault(version["translation_key"], []).append((code, url))
    for listed in found.values():
        listed.sort(key=lambda pair: order[pair[0]])
    return found


def _authors_hidden(author_ids: list[int]) -> set[int]:
    """Of these author pages, those with no public story of their own
    edition bylined to any version of them (selectors.author_is_public), in
    one query however many editions the author has."""
    if not author_ids:
        return set()
    bylined = ArticleAuthor.objects.filter(
        author__translation_key=OuterRef("translation_key"),
        page__in=ArticlePage.objects.published(),
        page__edition_locale_id=OuterRef("locale_id"),
    )
    shown = AuthorPage.objects.filter(pk__in=author_ids).filter(Exists(bylined))
    return set(author_ids) - set(shown.values_list("pk", flat=True))


SITEMAPS = {
    sitemap_section(code): type(
        f"PageSitemap_{code.replace('-', '_')}", (EditionPageSitemap,), {"language": code}
    )
    for code, _name in settings.LANGUAGES
}


def sitemap_index(request, **kwargs):
    """The index of the editions readers can open (a language whose front
    page is not live yet has no sitemap in it)."""
    surrogate_keys_add(sitemap_key())
    published = {sitemap_section(code) for code, _name in languages_published()}
    sitemaps = {name: cls for name, cls in SITEMAPS.items() if name in published}
    return core_sitemap_index(request, sitemaps=sitemaps, sitemap_url_name="sitemap")


def sitemap(request, section: str):
    # Any page published anywhere may change any edition's file (hreflang).
    surrogate_keys_add(sitemap_key())
    # Django's view pages, answers 404 past the last file and sets
    # Last-Modified and X-Robots-Tag; only its template is replaced.
    response = sitemaps_views.sitemap(request, sitemaps=SITEMAPS, section=section)
    written = HttpResponse(
        urlset_xml(response.context_data["urlset"]), content_type=response["Content-Type"]
    )
    for header in ("Last-Modified", "X-Robots-Tag"):
        if response.has_header(header):
            written[header] = response[header]
    return written


def urlset_xml(urls: list[dict]) -> str:
    """The bytes of Django's sitemap.xml for `urls`, written as text: the
    template's loop cost 60 ms for a 1,000-page file."""
    parts = []
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        lastmod = url.get("lastmod")
        if lastmod:
            if isinstance(lastmod, datetime) and timezone.is_aware(lastmod):
                lastmod = timezone.localtime(lastmod)
            parts.append(f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>")
        parts.extend(
            f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
            f' href="{escape(alternate["location"])}"/>'
            for alternate in url.get("alternates", ())
        )
        parts.append("</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "".join(parts) + "\n</urlset>\n"
    )


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
