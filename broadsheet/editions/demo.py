"""The demo editions (load_demo, after the English newsroom): for every
language of settings.LANGUAGES after the default one that has demo copy
(demo_text/), its locale and Edition row, a tree translated from the English
one (front page, sections, author and topic indexes, some authors, a
gallery), wire stories translated from English, stories of its own, a live
story with posts in its language, comments, a chat room and newsletter lists.

Translations go through wagtail-localize as an editor's would: a
TranslationSource of the English page, a Translation to the edition's locale,
one StringTranslation per segment, then `create_or_update_translation`. So
every translated page is linked (translation_key) *and* managed by
wagtail-localize: its editor opens in the segment view, and an edit of the
English source shows as "source updated" on it.

Idempotent like the rest of the demo: pages are looked up (by translation or
slug) first, so a second run adds only what is missing.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from html import escape

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.models import Translation as LocalizeTranslation
from wagtail_localize.strings import StringValue

from broadsheet.accounts.models import User
from broadsheet.chats.demo import chats_edition_demo_build
from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import Comment
from broadsheet.live.demo import LIVE_SLUG, live_posts_build
from broadsheet.live.models import LiveStoryPage
from broadsheet.mediabank.models import Photo
from broadsheet.news.demo import DEMO_PASSWORDS, GALLERIES
from broadsheet.news.factories import ArticlePageFactory, AuthorPageFactory
from broadsheet.news.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    GalleryPage,
    HomePage,
    SectionPage,
    TagIndexPage,
)
from broadsheet.subscriptions.demo import subscriptions_edition_lists_build

from .demo_photos import photo_captions_build
from .demo_text import Block, EditionText, Story, ar, en, es, latin, ru
from .models import Edition

TEXTS = {text.language: text for text in (ru.EDITION, es.EDITION, ar.EDITION)}

Progress = Callable[[Iterable, int, str], Iterable]


def editions_demo_build(
    *,
    translated: int | None = None,
    originals: int | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build (or complete) every edition that has demo copy. `translated` and
    `originals` cap the stories per edition (tests); None: the whole corpus."""
    progress = progress or (lambda iterable, total, label: iterable)
    made: Counter = Counter()
    english = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if english is None:
        return {}
    wire = _wire_build(english=english, made=made)
    texts = [TEXTS[code] for code, _name in settings.LANGUAGES[1:] if code in TEXTS]
    for text in progress(texts, len(texts), "editions"):
        with transaction.atomic():
            _edition_build(
                text=text,
                english=english,
                wire=wire,
                made=made,
                translated=translated,
                originals=originals,
            )
    photo_captions_build(languages=[text.language for text in texts], made=made)
    return dict(made)


def _edition_build(*, text: EditionText, english, wire, made, translated, originals) -> None:
    locale, created = Locale.objects.get_or_create(language_code=text.language)
    made["edition"] += created
    # The signal made the row with the site's zone; an editor's choice stays.
    edition = Edition.objects.get(locale=locale)
    if edition.time_zone == settings.TIME_ZONE and not edition.tagline:
        edition.time_zone, edition.tagline = text.time_zone, text.tagline
        edition.save()

    home = _translated(english, locale, {"slug": text.home_slug}, made)
    sections = {}
    for slug, words in text.sections.items():
        section = SectionPage.objects.child_of(english).filter(slug=slug).first()
        if section is not None:
            fields = dict(zip(("title", "slug", "intro"), words, strict=True))
            sections[slug] = _translated(section, locale, fields, made)
    for model, words in ((AuthorIndexPage, text.authors_index), (TagIndexPage, text.topics_index)):
        index = model.objects.child_of(english).first()
        if index is not None:
            _translated(index, locale, dict(zip(("title", "slug"), words, strict=True)), made)
    authors = _authors(text=text, english=english, home=home, locale=locale, made=made)
    photos = list(Photo.objects.filter(title__startswith="Demo photo").order_by("pk"))
    gallery = GalleryPage.objects.filter(locale=english.locale, slug=GALLERIES[0][1]).first()
    if gallery is not None and "multimedia" in sections:
        words = dict(zip(("title", "slug", "intro"), text.gallery, strict=True))
        _translated(gallery, locale, words, made, when=gallery.published_at + timedelta(hours=1))

    keys = [key for key in text.translations if key != text.embargoed][:translated]
    for n, key in enumerate(keys):
        if key in wire:
            _story_translated(
                source=wire[key], story=text.translations[key], locale=locale, text=text,
                authors=authors, when=wire[key].published_at + timedelta(minutes=40 + 9 * n),
                made=made,
            )  # fmt: skip
    if text.embargoed in wire:
        tomorrow = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
        _story_translated(
            source=wire[text.embargoed], story=text.translations[text.embargoed], locale=locale,
            text=text, authors=authors, when=tomorrow, made=made, embargo=True,
        )  # fmt: skip
    now = timezone.now()
    for n, story in enumerate(text.originals[:originals]):
        section = sections.get(story.section)
        if section is not None:
            _story_original(
                story=story, section=section, text=text, authors=authors,
                photo=photos[(n * 5 + 3) % len(photos)] if photos else None,
                when=now - timedelta(hours=1 + 7 * n, minutes=13 * n), made=made,
            )  # fmt: skip
    live = _live(text=text, english=english, locale=locale, authors=authors, made=made)
    readers = _readers(text=text, made=made)
    _comments(text=text, locale=locale, readers=readers, made=made)
    made["chat room"] += chats_edition_demo_build(
        title=text.chat[0], slug=text.chat[1], topic=text.chat[2], lines=text.chat[3],
        readers=readers, section=sections.get("world"), story=live,
    )  # fmt: skip
    made["newsletter list"] += subscriptions_edition_lists_build(
        language=text.language, lists=[text.digest_list, text.breaking_list]
    )


# Translation through wagtail-localize


def _translated(page, locale, words: dict[str, str], made, *, body=(), when=None, publish=True):
    """`page`'s translation into `locale` (made once): segments whose path is in
    `words` get that text, segments under body./key_points. take `body`'s strings
    in order, any other keeps the source's (fallback). Published (at `when` for
    a page with a public time) unless `publish` is False: then a draft."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    source, _ = TranslationSource.get_or_create_from_instance(page)
    LocalizeTranslation.objects.get_or_create(source=source, target_locale=locale)
    sequence = iter(body)
    segments = StringSegment.objects.filter(source=source).select_related("context", "string")
    for segment in segments.order_by("order"):
        path = segment.context.path
        data = words.get(path)
        if data is None and path.split(".")[0] in ("body", "key_points"):
            data = next(sequence, None)
        if data:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": StringValue.from_plaintext(data).data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    translation, _ = source.create_or_update_translation(locale, publish=False, fallback=True)
    # A fresh copy: the instance wagtail-localize saved keeps its copied tags
    # in modelcluster's memory, and changing them there would not be saved.
    translation = type(translation.specific).objects.get(pk=translation.pk)
    if isinstance(translation, HomePage) and translation.lead_story_id:
        translation.lead_story = None  # the English pick is not this edition's
        translation.save()
        translation.save_revision()
    if when is not None:
        translation.published_at = when
        translation.save(update_fields=["published_at"])
    if publish:
        translation.get_latest_revision().publish()
    made["translated page"] += 1
    return translation


def _flat(body: tuple[Block, ...]) -> list[str]:
    """A body's strings in segment order (a quote is its text, who, role)."""
    return [part for block in body for part in ((block,) if isinstance(block, str) else block[1:])]


def _blocks(body: tuple[Block, ...]) -> list:
    blocks = []
    for block in body:
        if isinstance(block, str):
            blocks.append(("paragraph", RichText(f"<p>{escape(block)}</p>")))
        elif block[0] == "h":
            blocks.append(("subheading", block[1]))
        else:
            quote, attribution, role = block[1:]
            blocks.append(("quote", {"quote": quote, "attribution": attribution, "role": role}))
    return blocks


def _slug(text: EditionText, story: Story) -> str:
    return story.slug or slugify(latin(story.title))[:80].strip("-")


def _tags(text: EditionText, names: tuple[str, ...]) -> list[Tag]:
    """The edition's own tags (topics are per language); slugs in Latin letters
    because topic URLs take ASCII slugs."""
    tags = []
    for english_name in names:
        if english_name not in text.tags:
            continue
        name, slug = text.tags[english_name]
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            taken = Tag.objects.filter(slug=slug).exists()
            tag = Tag.objects.create(name=name, slug=f"{slug}-{text.language}" if taken else slug)
        tags.append(tag)
    return tags


def _bylines(page, authors: list[AuthorPage]) -> None:
    page.bylines = [ArticleAuthor(author=author, sort_order=n) for n, author in enumerate(authors)]


# The English wire


def _wire_build(*, english, made) -> dict[str, ArticlePage]:
    """The English stories the editions translate, plus one left untranslated."""
    now = timezone.now()
    photos = list(Photo.objects.filter(title__startswith="Demo photo").order_by("pk"))
    index = AuthorIndexPage.objects.child_of(english).first()
    writers = list(AuthorPage.objects.child_of(index).order_by("pk")[:3]) if index else []
    stories = {}
    for n, story in enumerate((*en.WIRE, en.LOCAL)):
        section = SectionPage.objects.child_of(english).filter(slug=story.section).first()
        if section is None:
            continue
        slug = slugify(story.title)[:80].strip("-")
        page = ArticlePage.objects.child_of(section).filter(slug=slug).first()
        if page is None:
            with transaction.atomic():
                page = ArticlePageFactory(
                    parent=section, slug=slug, title=story.title, standfirst=story.standfirst,
                    body=_blocks(story.body), kind=story.kind, dateline=story.dateline,
                    lead_photo=photos[(n * 3 + 1) % len(photos)] if photos else None,
                    published_at=now - timedelta(hours=3 + 6 * n),
                    authors=writers[n % len(writers) :][:1] if writers else [],
                    tag_names=list(story.tags),
                )  # fmt: skip
                page.save_revision().publish()
            made["wire story"] += 1
        stories[story.key] = page.specific
    return stories


# One edition's pages


def _authors(*, text, english, home, locale, made) -> list[AuthorPage]:
    """Translations of some English authors, then the edition's own writers."""
    index = AuthorIndexPage.objects.child_of(home).first()
    if index is None:
        return []
    authors = []
    for name, words in text.authors_translated.items():
        source = AuthorPage.objects.filter(locale=english.locale, title=name).first()
        if source is not None:
            fields = dict(zip(("title", "slug", "role", "bio"), words, strict=True))
            authors.append(_translated(source, locale, fields, made))
    photos = list(Photo.objects.filter(title__startswith="Demo photo").order_by("-pk")[:3])
    for n, (name, slug, role, bio) in enumerate(text.authors_local):
        author = AuthorPage.objects.child_of(index).filter(slug=slug).first()
        if author is None:
            author = AuthorPageFactory(
                parent=index, title=name, slug=slug, role=role, bio=f"<p>{escape(bio)}</p>",
                photo=photos[n % len(photos)] if photos else None,
            )  # fmt: skip
            made["edition author"] += 1
        authors.append(author)
    return authors


def _story_translated(*, source, story, locale, text, authors, when, made, embargo=False):
    if source.get_translation_or_none(locale) is not None:
        return
    words = {
        "title": story.title,
        "slug": _slug(text, story),
        "standfirst": story.standfirst,
        "dateline": story.dateline,
    }
    page = _translated(source, locale, words, made, body=_flat(story.body), publish=False)
    # Bylines, topics and time are the edition's: the translator's desk and
    # the source's writer if they write for this edition.
    writer = next((a for a in authors if a.translation_key == _first_author_key(source)), None)
    translator = authors[-1:] if authors else []
    _bylines(page, [writer, *translator] if writer else translator)
    page.tags.clear()
    page.tags.add(*_tags(text, tuple(source.tags.values_list("name", flat=True))))
    if embargo:
        # Scheduled as an editor schedules it: Wagtail keeps it unpublished
        # until go_live_at, and published_at is the embargo's second lock.
        page.go_live_at = page.published_at = when
    else:
        page.published_at = min(when, timezone.now())
    page.save()
    page.save_revision().publish()


def _first_author_key(page):
    byline = page.bylines.select_related("author").first()
    return byline.author.translation_key if byline else None


def _story_original(*, story, section, text, authors, photo, when, made) -> None:
    slug = _slug(text, story)
    if ArticlePage.objects.child_of(section).filter(slug=slug).exists():
        return
    page = ArticlePageFactory(
        parent=section, slug=slug, title=story.title, standfirst=story.standfirst,
        body=_blocks(story.body), kind=story.kind, dateline=story.dateline, lead_photo=photo,
        published_at=when, authors=[authors[len(story.title) % len(authors)]] if authors else [],
        tag_names=_tags(text, story.tags),
    )  # fmt: skip
    page.save_revision().publish()
    made["edition story"] += 1


def _live(*, text, english, locale, authors, made):
    """The English live story in the edition's language, with its own posts."""
    source = LiveStoryPage.objects.filter(locale=english.locale, slug=LIVE_SLUG).first()
    if source is None:
        return None
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    live = text.live
    words = {"title": live.title, "slug": live.slug, "standfirst": live.standfirst}
    words["dateline"] = live.dateline
    page = _translated(
        source, locale, words, made, body=[*live.body, *live.key_points], publish=False
    )
    _bylines(page, authors[:2])
    page.tags.clear()
    page.tags.add(*_tags(text, ("Trade", "Diplomacy")))
    page.published_at = source.published_at + timedelta(minutes=10)
    page.save()
    page.save_revision().publish()
    editor = User.objects.filter(username="editor").first()
    made["live post"] += live_posts_build(
        story=page, posts=list(live.posts), authors=authors, editor=editor
    )
    return page


def _readers(*, text, made) -> list[User]:
    readers = []
    for username, name in text.readers:
        reader = User.objects.filter(username=username).first()
        if reader is None:
            reader = reader_verified(
                username=username,
                email=f"{username}@broadsheet.localhost",
                display_name=name,
                password=DEMO_PASSWORDS["reader@broadsheet.localhost"],
            )
            made["reader account"] += 1
        readers.append(reader)
    return readers


def _comments(*, text, locale, readers, made) -> None:
    """A short thread under the edition's two newest stories (once)."""
    if not readers or Comment.objects.filter(page__locale=locale).exists():
        return
    stories = ArticlePage.objects.published().in_edition(locale.pk).newest_first()[:2]
    for n, story in enumerate(stories):
        top = CommentFactory(page=story, author=readers[n % len(readers)], body=text.comments[n])
        CommentFactory(
            page=story,
            author=readers[(n + 1) % len(readers)],
            parent=top,
            body=text.comments[n + 2],
        )
        made["comment"] += 2
