"""Sitemap files from plain rows, not pages (news/sitemaps.py).

Building each page (`.specific()`, modelcluster's __init__) and asking it for
its URL cost ~0.2 ms a page: 212 ms for a 1,000-page file. Here each page
type's `get_sitemap_urls` rule is applied to `.values()` rows, addresses come
from the url_path (core/page_urls.url_path_address), and the urlset is written
as text with the bytes of Django's sitemap.xml template (bench/NOTES.md).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Locale, Page

from broadsheet.core.page_urls import url_path_address
from broadsheet.core.privacy import any_private_pages

from .models import ArticleAuthor, ArticlePage, AuthorPage, GalleryPage

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
    other page as Wagtail does. Rows that carry their own `published_at`
    (and `updated_at`) are stories or galleries already; the others take up
    to three queries for the lot."""
    now = timezone.now()
    timed = {
        row["id"]: (row["published_at"], row.get("updated_at"))
        for row in rows
        if "published_at" in row
    }
    ids = [row["id"] for row in rows if row["id"] not in timed]
    if ids:
        timed.update(
            (r["id"], (r["published_at"], r["updated_at"]))
            for r in ArticlePage.objects.filter(pk__in=ids).values(
                "id", "published_at", "updated_at"
            )
        )
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
    one query however many editions the author has. Each byline's story is
    probed by key: `page__in=<published stories>` made SQLite list every
    public story first (70 ms at 100,000)."""
    if not author_ids:
        return set()
    public_story = ArticlePage.objects.published().filter(
        pk=OuterRef("page_id"), edition_locale_id=OuterRef(OuterRef("locale_id"))
    )
    bylined = ArticleAuthor.objects.filter(
        author__translation_key=OuterRef("translation_key")
    ).filter(Exists(public_story))
    shown = AuthorPage.objects.filter(pk__in=author_ids).filter(Exists(bylined))
    return set(author_ids) - set(shown.values_list("pk", flat=True))


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


def sitemapindex_xml(items) -> str:
    """The bytes of Django's sitemap_index.xml for `items` (SitemapIndexItem:
    location, last_mod), written as text: the template took 20 ms for an
    index of 240 files."""
    parts = []
    for item in items:
        parts.append(f"<sitemap><loc>{escape(item.location)}</loc>")
        if item.last_mod:
            parts.append(f"<lastmod>{_iso(item.last_mod)}</lastmod>")
        parts.append("</sitemap>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(parts)
        + "\n</sitemapindex>\n"
    )


def _iso(moment: datetime) -> str:
    """Django's `date:"c"`: ISO 8601 in the site's time zone."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.isoformat()
