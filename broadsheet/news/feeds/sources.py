"""What a feed holds: which stories (the site's, a section's, a topic's or an
author's) and each story's entry, in a form every format writes from.

The entries are built once per process per content version (`memoized`),
from one page of `feed_page` (the same keyset selector as the listings, so
the embargo and privacy rules are the listings' own) plus one query each for
bylines and tags: a feed costs the same at 100 or 100,000 stories. Photo
rights are decided when the feed is written (`FeedEntry.image_now`), so an
expiry takes effect at once even for entries held in the memo.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from broadsheet.core.cache import memoized
from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.mediabank.renditions import GEOMETRIES, MIME_TYPES, spec_for
from broadsheet.mediabank.templatetags.photos import picture_file

from ..models import ArticleAuthor, ArticlePage, ArticlePageTag, AuthorPage, SectionPage
from ..selectors import edition_locale_id, feed_page, tag_index, tag_public
from ..structured_data import front_page_url, logo_object

# How many stories a feed carries: a day or two of news for a reader that
# polls, and a fixed cost whatever the archive's size.
FEED_ITEMS = 50
# Minutes a reader may wait before asking again (RSS <ttl>).
FEED_TTL_MINUTES = 15
# The widest JPEG of the lead set: it is among the renditions listings
# prefetch (renditions.teaser_photos), so naming it costs no query.
IMAGE_FORMAT = "jpeg"
IMAGE_SPEC = spec_for(max(GEOMETRIES["lead"])[1], IMAGE_FORMAT)
# The date in entry ids (tag URIs, RFC 4151): any day the site's domain was
# ours. It never changes, so an id stays the same when a story's slug or
# section does and a reader never sees a story twice.
ID_DATE = "2026"

KINDS = ("site", "section", "topic", "author")


@dataclass(frozen=True)
class FeedPerson:
    name: str
    url: str


@dataclass(frozen=True)
class FeedImage:
    photo: object
    url: str
    width: int
    height: int
    mime_type: str
    credit: str
    caption: str


@dataclass(frozen=True)
class FeedEntry:
    id: str
    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime | None
    authors: tuple[FeedPerson, ...]
    categories: tuple[str, ...]
    image: FeedImage | None

    @property
    def image_now(self) -> FeedImage | None:
        """The lead photo if the site may show it at this moment."""
        return self.image if self.image is not None and self.image.photo.is_usable else None

    @property
    def last_change(self) -> datetime:
        return max(self.published, self.updated or self.published)


@dataclass(frozen=True)
class FeedSource:
    kind: str
    # The section, tag or author page; None for the whole site.
    subject: object
    # The edition (Locale pk) whose stories the feed carries.
    locale_id: int | None
    title: str
    description: str
    home_url: str
    language: str
    site_name: str
    site_url: str
    icon_url: str
    logo_url: str

    @property
    def memo_key(self) -> tuple:
        return (self.kind, getattr(self.subject, "pk", None), self.language, self.locale_id)


# XML 1.0 cannot carry these at all (Django's writer refuses them with an
# error); text typed or imported with one would otherwise break the feed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def _authority() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _in_edition(pages, slug: str, locale_id: int | None):
    """The page of this edition with the slug (a translated section or author
    keeps its slug; each edition's feed is of its own page). One query,
    found or not."""
    return pages.filter(slug=slug, locale_id=locale_id).order_by("pk").first()


def _author_public(slug: str, locale_id: int | None):
    """The edition's author while a public story of the edition carries their
    byline (under any version of their page), else None — in one query either
    way, so an author whose stories are all embargoed answers exactly like
    one that never existed (selectors.author_is_public)."""
    versions = AuthorPage.objects.filter(translation_key=OuterRef(OuterRef("translation_key")))
    bylined = ArticleAuthor.objects.filter(
        author__in=versions.values("pk"),
        page__in=ArticlePage.objects.published().in_edition(locale_id),
    )
    return _public_page(
        _in_edition(AuthorPage.objects.live().filter(Exists(bylined)), slug, locale_id)
    )


def _public_page(page):
    """The page if readers may see it: live and under no view restriction (a
    feed reader cannot sign in, and the title alone would leak)."""
    if page is None or not page.live or page.get_view_restrictions().exists():
        return None
    return page


def feed_source(*, kind: str, slug: str | None, request) -> FeedSource:
    """What the feed URL names, or Http404 exactly when the matching page is one."""
    language = translation.get_language()
    edition = edition_locale_id()
    identity = SiteIdentity.for_request(request)
    name = identity.name
    if kind == "site":
        subject = None
        title = f"{name}: {_('Newsfeed')}"
        description = identity.tagline
        home = reverse("newsfeed")
    elif kind == "section":
        subject = memoized(
            ("feed_section", slug, edition),
            lambda: _public_page(_in_edition(SectionPage.objects.live(), slug, edition)),
            keep_none=False,
        )
        if subject is None:
            raise Http404
        title = f"{name}: {subject.title}"
        description = subject.intro or identity.tagline
        home = subject.get_url(request)
    elif kind == "topic":
        index = tag_index(locale_id=edition)
        subject = tag_public(slug=slug, locale_id=edition)
        if subject is None or _public_page(index) is None:
            raise Http404
        title = f"{name}: {subject.name}"
        description = _("Stories about %(topic)s, newest first.") % {"topic": subject.name}
        home = f"{index.get_url(request)}{subject.slug}/"
    elif kind == "author":
        subject = memoized(
            ("feed_author", slug, edition), lambda: _author_public(slug, edition), keep_none=False
        )
        if subject is None:
            raise Http404
        title = f"{name}: {subject.title}"
        description = subject.role or _("Stories by %(author)s, newest first.") % {
            "author": subject.title
        }
        home = subject.get_url(request)
    else:
        raise Http404
    return FeedSource(
        kind=kind,
        subject=subject,
        locale_id=edition,
        title=_text(title),
        description=_text(description),
        home_url=absolute_url(home),
        language=language,
        site_name=_text(name),
        site_url=front_page_url(),
        icon_url=absolute_url(static("img/favicon.svg")),
        logo_url=logo_object(identity)["url"],
    )


def feed_entries(*, source: FeedSource, request) -> list[FeedEntry]:
    return memoized(("feed_entries", *source.memo_key), lambda: _entries(source, request))


def _entries(source: FeedSource, request) -> list[FeedEntry]:
    filters = {}
    if source.kind in ("section", "topic", "author"):
        filters[{"section": "section", "topic": "tag", "author": "author"}[source.kind]] = (
            source.subject
        )
    stories = feed_page(limit=FEED_ITEMS, locale_id=source.locale_id, **filters).items
    prefetch_related_objects(
        stories,
        Prefetch(
            "bylines",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            to_attr="feed_bylines",
        ),
        Prefetch(
            "tagged_items",
            queryset=ArticlePageTag.objects.select_related("tag").order_by("tag__name"),
            to_attr="feed_tags",
        ),
    )
    index = tag_index(locale_id=source.locale_id)
    topics_url = index.get_url(request) if index is not None else None
    return [_entry(story, request, topics_url) for story in stories]


def _entry(story, request, topics_url) -> FeedEntry:
    authors = tuple(
        FeedPerson(
            name=_text(byline.author.title),
            url=absolute_url(byline.author.get_url(request)) if byline.author.live else "",
        )
        for byline in story.feed_bylines
    )
    categories = ([_text(story.section.title)] if story.section_id else []) + [
        _text(item.tag.name) for item in story.feed_tags
    ]
    return FeedEntry(
        id=f"tag:{_authority()},{ID_DATE}:story-{story.pk}",
        url=absolute_url(story.get_url(request)),
        title=_text(story.title),
        summary=_text(story.standfirst),
        published=story.published_at,
        updated=story.updated_at,
        authors=authors,
        categories=tuple(dict.fromkeys(categories)),
        image=_image(story),
    )


def _image(story) -> FeedImage | None:
    photo = story.lead_photo
    if photo is None:
        return None
    # An existing rendition (prefetched with the listing), else the signed
    # address of the image view, which makes it when a reader's app asks and
    # reminds the background task: a feed never waits on image processing.
    picture = picture_file(photo, IMAGE_SPEC)
    return FeedImage(
        photo=photo,
        url=absolute_url(picture.url),
        width=picture.width,
        height=picture.height,
        mime_type=MIME_TYPES[IMAGE_FORMAT],
        credit=_text(photo.credit_line),
        caption=_text(story.caption),
    )


def feed_updated(entries: list[FeedEntry]) -> datetime | None:
    return max((entry.last_change for entry in entries), default=None)
