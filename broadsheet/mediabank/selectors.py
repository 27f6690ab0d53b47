"""Reads for the public media bank (`/mediabank/`).

Browsing is keyset-paginated on `(created_at, id)` with the same cursor as the
story listings (`news/cursors.py`), so page 1 and page 1,000 cost the same.
Words are looked up in Wagtail's search index (`_found`), a filter like the
others: results stay newest first and page with the same cursor.
A photo used by a story or gallery not yet public (a draft, or one under
embargo: lead photo, body, gallery) and by no public page is left out
everywhere here: its caption would reveal the story early.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Phrase, PlainText

from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.news.cursors import Cursor
from broadsheet.news.models import ArticlePage, GalleryPage

from .models import Photo
from .renditions import bank_photo_renditions, grid_photos

PAGE_SIZE = 24
RELATED_LIMIT = 6
PUBLISHED_IN_LIMIT = 10


@dataclass(frozen=True)
class BankFilters:
    words: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    photographer: str = ""
    keyword: str = ""
    # Search text with no letters or digits in it ("%", "--"): it matches nothing.
    wordless: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.words
            or self.wordless
            or self.date_from
            or self.date_to
            or self.photographer
            or self.keyword
        )


@dataclass
class BankPage:
    items: list[Photo] = field(default_factory=list)
    next_cursor: str | None = None


def public_photos(photos=None):
    """Photos a reader may see: not held back by a page that isn't public yet.

    A photo used by a story or gallery not yet public (a draft, scheduled,
    under embargo: its lead photo, a body block, a gallery photo or cover)
    and by no public page is withheld: its caption, keywords or photographer
    would reveal the story early. Uses come from the lead-photo key (kept at
    once) and from Wagtail's reference index (every other use).

    Written as correlated EXISTS per photo, each a probe of an index (the
    lead-photo key, the reference index's target): a listing walks photos
    newest first and stops at a page full, so its cost follows the page size,
    not the archive (a NOT IN over every unpublished story's photo took
    300 ms at 100,000 stories).
    """
    now = timezone.now()
    leads = ArticlePage.objects.filter(lead_photo=OuterRef("pk"))
    public_lead = leads.filter(live=True, published_at__lte=now)
    pending_lead = leads.filter(
        Q(live=False) | Q(published_at__isnull=True) | Q(published_at__gt=now)
    )
    # A page is pending while unpublished or before its public time (the two
    # embargo locks of ArticlePage and GalleryPage).
    pending = Q(live=False) | Q(articlepage__published_at__gt=now)
    pending |= Q(gallerypage__published_at__gt=now)
    # `+ 0` keeps SQLite on the index of the photo's own references, rather
    # than the one on the source type, which walks every page's references.
    uses = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Photo),
            to_object_id=Cast(OuterRef("pk"), CharField()),
        )
        .alias(source=F("base_content_type_id") + 0)
        .filter(source=ContentType.objects.get_for_model(Page).pk)
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )
    using = Page.objects.filter(pk=OuterRef("page_id"))
    public_use = uses.filter(Exists(using.exclude(pending)))
    pending_use = uses.filter(Exists(using.filter(pending)))
    photos = Photo.objects.all() if photos is None else photos
    # The publisher's logo (site identity) is the site's own mark, not a news
    # photo for the archive.
    logos = SiteIdentity.objects.filter(logo=OuterRef("pk"))
    return photos.filter(
        Exists(public_lead) | Exists(public_use) | ~(Exists(pending_lead) | Exists(pending_use)),
        ~Exists(logos),
    )


def _tagged(name: str):
    return Photo.objects.filter(tags__name__iexact=name).values("pk")


SHORTEST_PREFIX = 3


def _found(words: tuple[str, ...]):
    """The photos whose title, caption, place, photographer or keywords hold
    every word, ignoring case (and accents on SQLite): a subquery of their ids.
    A word of SHORTEST_PREFIX letters or more also finds the words it begins
    ("Norv" finds "Norvik"); a shorter one only itself (a prefix of one or two
    letters would match most of the archive).

    Wagtail's database search backend answers it from its index
    (Photo.search_fields): SQLite FTS5, or a GIN-indexed tsvector on PostgreSQL
    ("simple" configuration, so no stemming and no stop words). It is asked as
    an autocomplete without relevance, and its query is used as a subquery, so
    the visibility rules, filters, order and cursor stay ours and a page is
    still one query. Words must be plain letters and digits
    (views.bank_words): the backend pastes them into its MATCH/tsquery text.
    """
    terms = [PlainText(w) if len(w) >= SHORTEST_PREFIX else Phrase(w) for w in words]
    query = terms[0] if len(terms) == 1 else And(terms)
    found = get_search_backend().autocomplete(query, Photo, order_by_relevance=False)
    if connection.vendor == "sqlite":
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

        if isinstance(found.backend, SQLiteSearchBackend):
            return _sqlite_found(found.query_compiler)
    return found.get_queryset().order_by().values("pk")


def _sqlite_found(compiler):
    """Wagtail's own SQLite query joins the FTS table to the index entries and
    filters on the content type, which SQLite answers by walking every photo's
    entry and running the MATCH once for each: 160 ms for one word at 10,000
    photos, 750 ms for two. The same MATCH, built by Wagtail's compiler, with
    the content type compared as `content_type_id + 0` (no index can serve
    it) makes SQLite start from the full-text index and look up only the
    entries it finds: under 1 ms."""
    from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
    from wagtail.search.models import SQLiteFTSIndexEntry

    match = MatchExpression(
        compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalize(compiler.query))
    )
    return (
        SQLiteFTSIndexEntry.objects.filter(match)
        .alias(kind=F("index_entry__content_type_id") + 0)
        .filter(kind=ContentType.objects.get_for_model(Photo).pk)
        .values("index_entry__object_id")
    )


def _matching(photos, filters: BankFilters):
    if filters.words:
        photos = photos.filter(pk__in=_found(filters.words))
    if filters.date_from:
        photos = photos.filter(date_taken__gte=filters.date_from)
    if filters.date_to:
        photos = photos.filter(date_taken__lte=filters.date_to)
    if filters.photographer:
        photos = photos.filter(photographer__iexact=filters.photographer)
    if filters.keyword:
        photos = photos.filter(pk__in=_tagged(filters.keyword))
    return photos


def bank_page(*, filters: BankFilters, before: Cursor | None = None) -> BankPage:
    """One page of the bank, newest first. A cursor past the end is a 404."""
    if filters.wordless:
        if before is not None:
            raise Http404("No photos before this point.")
        return BankPage()
    photos = _matching(public_photos(grid_photos()), filters)
    if before is not None:
        photos = photos.filter(created_at__lte=before.published_at).exclude(
            created_at=before.published_at, pk__gte=before.pk
        )
    rows = list(photos.order_by("-created_at", "-pk")[: PAGE_SIZE + 1])
    if before is not None and not rows:
        raise Http404("No photos before this point.")
    items = rows[:PAGE_SIZE]
    next_cursor = (
        Cursor(items[-1].created_at, items[-1].pk).encode() if len(rows) > PAGE_SIZE else None
    )
    return BankPage(items=items, next_cursor=next_cursor)


def bank_photo(*, pk: int) -> Photo:
    """A photo for its page, with its renditions and keywords; 404 if withheld."""
    photo = public_photos(bank_photo_renditions()).filter(pk=pk).prefetch_related("tags").first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


def _public_pages_using(
    *, photo_id: int, limit: int | None, locale_id: int | None = None
) -> list[ArticlePage | GalleryPage]:
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Photo), to_object_id=str(photo_id)
        )
        .filter(base_content_type=page_type)
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )
    # GalleryPage.is_public is the same two locks as ArticlePage.objects.published().
    galleries = GalleryPage.objects.live().filter(pk__in=page_ids, published_at__lte=timezone.now())
    stories = ArticlePage.objects.published().filter(pk__in=page_ids).defer_streamfields()
    if locale_id is not None:
        # One edition's pages (the media bank page in that edition).
        galleries = galleries.filter(locale_id=locale_id)
        stories = stories.in_edition(locale_id)
    if limit is not None:
        stories = stories.newest_first()[:limit]
        galleries = galleries.order_by("-published_at", "-pk")[:limit]
    pages = sorted([*stories, *galleries], key=lambda p: (p.published_at, p.pk), reverse=True)
    return pages if limit is None else pages[:limit]


def _edition_active() -> int | None:
    # news.selectors imports this app's renditions: imported when called.
    from broadsheet.news.selectors import edition_locale_id

    return edition_locale_id()


def photo_published_in(
    *, photo: Photo, locale_id: int | None = None
) -> list[ArticlePage | GalleryPage]:
    """The edition's public stories and galleries using this photo anywhere
    (lead photo, body, gallery photos), newest first; never embargoed ones.
    Two queries, however many pages use it: the reference index is a
    subquery of each."""
    edition = locale_id if locale_id is not None else _edition_active()
    return _public_pages_using(photo_id=photo.pk, limit=PUBLISHED_IN_LIMIT, locale_id=edition)


def photo_public_pages(*, photo_id: int) -> list[ArticlePage | GalleryPage]:
    """Every public story and gallery using the photo, in every edition (for
    CDN purges)."""
    return _public_pages_using(photo_id=photo_id, limit=None)


def photo_related(*, photo: Photo) -> list[Photo]:
    """A few other photos sharing a keyword or the place, newest first."""
    names = [tag.name for tag in photo.tags.all()]
    same = Q(pk__in=Photo.objects.filter(tags__name__in=names).values("pk")) if names else Q()
    if photo.place:
        same = same | Q(place__iexact=photo.place) if names else Q(place__iexact=photo.place)
    if not same:
        return []
    return list(
        public_photos(grid_photos())
        .filter(same)
        .exclude(pk=photo.pk)
        .order_by("-created_at", "-pk")[:RELATED_LIMIT]
    )


def photo_bank_urls(*, photo_id: int) -> list[str]:
    """The photo's media bank page in every language (for CDN purges)."""
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(absolute_url(reverse("mediabank:photo_detail", args=[photo_id])))
    return urls
