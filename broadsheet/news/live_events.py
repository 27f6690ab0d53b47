"""The live newsfeed's events: open feeds hear when a story becomes public
and when it stops being public.

A story becomes public in three ways: the admin publishes it with its public
time already past; Wagtail's scheduler publishes a scheduled revision; or a
live story's embargo time (`published_at`, see models/public_time.py)
passes with nobody touching it. The first two arrive through `page_published`
(signals.py); the third only the scheduler's pass notices
(`stories_announce_run`). A `NewsfeedAnnouncement` row per announced story
makes each announcement happen once whichever way comes first, and lets a
withdrawal be announced only for a story readers have seen: nothing about a
story that was never public (embargoed, scheduled, draft, private) reaches
the event log, which every reader of the stream can replay.

Every event is written inside the transaction that makes the change, so a
rolled-back publish announces nothing (`event_publish` pushes after commit).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from broadsheet.core.cache import content_version_bump
from broadsheet.editions.selectors import locale_ids
from broadsheet.realtime.services import event_publish

from .models import ArticlePage, NewsfeedAnnouncement

STREAM = "newsfeed"

# Sent inside the publishing transaction, with `story=`, each time a story is
# published and public at that moment (every publish and republish of a
# public story) and once when the scheduler finds its embargo has passed.
# Receivers (breaking-news e-mail and browser alerts) keep their own
# once-per-story record: this signal may repeat for the same story.
story_public = Signal()

# How far back the scheduler's pass looks for stories whose embargo has
# passed. Wider than any pause of the scheduler worth catching up on; older
# stories would sit too deep in a feed to be "new" to anyone.
ANNOUNCE_WINDOW = timedelta(days=1)


def _is_public_now(page_id: int) -> bool:
    # `.public()` always, rather than `published()`'s memoised "any private
    # page?" shortcut: a view restriction saved in this same transaction may
    # not have moved the content version yet when this runs.
    return ArticlePage.objects.published().public().filter(pk=page_id).exists()


def _published_data(story: ArticlePage) -> dict:
    section = story.section if story.section_id else None
    # Each edition's newsfeeds count only their own stories (newsfeed_live.js).
    languages = {pk: code for code, pk in locale_ids().items()}
    return {
        "id": story.pk,
        "edition": languages.get(story.edition_locale_id),
        "section": section.slug if section is not None else None,
        "published_at": story.published_at.isoformat(),
    }


def _announce(story: ArticlePage) -> bool:
    """Record and push "story.published" unless it was already announced."""
    _, created = NewsfeedAnnouncement.objects.get_or_create(page_id=story.pk)
    if created:
        event_publish(stream=STREAM, kind="story.published", data=_published_data(story))
    return created


def _withdraw(page_id: int) -> bool:
    """Push "story.unpublished" for a story that had been announced."""
    deleted, _ = NewsfeedAnnouncement.objects.filter(page_id=page_id).delete()
    if deleted:
        event_publish(stream=STREAM, kind="story.unpublished", data={"id": page_id})
    return bool(deleted)


def story_newsfeed_published(*, page: Page) -> None:
    """After a publish of `page`: announce it if it has just become public,
    withdraw it if it no longer is (its embargo moved into the future). An
    edit of a story already public is not news: nothing is sent."""
    if not isinstance(page, ArticlePage):
        return
    if _is_public_now(page.pk):
        _announce(page)
        story_public.send(sender=ArticlePage, story=page)
    else:
        _withdraw(page.pk)


def story_newsfeed_withdraw(*, page_id: int) -> None:
    """A story unpublished or about to be deleted: withdraw it if readers
    were told of it. (Not by looking at the row: Wagtail unpublishes a page
    it is deleting without saving, so the row still says live.)"""
    _withdraw(page_id)


def stories_newsfeed_resync(*, under: Page) -> None:
    """A view restriction on `under` was added or removed: the stories below
    it may have stopped (or started) being public."""
    announced = NewsfeedAnnouncement.objects.values("page_id")
    for story in ArticlePage.objects.descendant_of(under, inclusive=True).filter(pk__in=announced):
        if not _is_public_now(story.pk):
            _withdraw(story.pk)


def stories_announce_run(*, now: datetime | None = None) -> list[ArticlePage]:
    """The scheduler's pass: announce stories whose embargo time has passed
    since they were published, each once (running it twice announces nothing
    more). It also moves the content version, so memoised listings show them
    now rather than when their memo expires."""
    now = now or timezone.now()
    announced = NewsfeedAnnouncement.objects.values("page_id")
    due = list(
        ArticlePage.objects.published(at_or_before=now)
        .public()
        .filter(published_at__gt=now - ANNOUNCE_WINDOW)
        .exclude(pk__in=announced)
        .select_related("section")
        .defer_streamfields()
        .order_by("published_at", "pk")
    )
    if not due:
        return []
    with transaction.atomic():
        made = [story for story in due if _announce(story)]
        for story in made:
            story_public.send(sender=ArticlePage, story=story)
        if made:
            content_version_bump()
    return made
