"""The translation workflow around wagtail-localize: what must hold before a
translation is published, and when a translation is out of date.

wagtail-localize publishes a translation from its own editor and from "Sync
translated pages" (`Translation.save_target(publish=True)`), which skip the
page's admin form; `translation_publish_problems` is that form's publishing
check (news/models/article_page.py) for the translated page, called by the
newsroom hooks before either publishes (editions/newsroom/).

Out of date: a translation records its source as it was when translated
(`TranslationSource.content_json`, `last_updated_at`); when the source page
is published again after that, the translation is stale until an editor
syncs it ("Sync translated pages" → `update_from_db`), which moves
`last_updated_at`. What changed is the source's text then against now,
segment by segment, with wagtail-localize's own extraction.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page, PageLogEntry
from wagtail_localize.models import Translation
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments


def translation_publish_problems(*, translation: Translation) -> list[str]:
    """The story checks (news/models/article_page.photos_refused) on the
    page this translation would publish."""
    from broadsheet.news.models import ArticlePage
    from broadsheet.news.models.article_page import photos_refused

    page = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    if not isinstance(page, ArticlePage):
        return []
    return photos_refused(
        lead_photo=page.lead_photo,
        body=page.body,
        language=translation.target_locale.language_code,
    )


def _source_page_subquery(field: str) -> Subquery:
    return Subquery(
        Page.objects.filter(
            translation_key=OuterRef("source__object_id"), locale_id=OuterRef("source__locale_id")
        ).values(field)[:1]
    )


def translations_stale(*, locale_id: int | None = None) -> QuerySet:
    """Enabled page translations whose source was published after they were
    last synced, newest change first; annotated with `source_page_id` and
    `stale_since` (the first publish of the source after the sync)."""
    first_publish_after = Subquery(
        PageLogEntry.objects.filter(
            page_id=OuterRef("source_page_id"),
            action="wagtail.publish",
            timestamp__gt=OuterRef("source__last_updated_at"),
        )
        .order_by("timestamp")
        .values("timestamp")[:1]
    )
    stale = (
        Translation.objects.filter(enabled=True)
        .annotate(
            source_page_id=_source_page_subquery("pk"),
            source_published_at=_source_page_subquery("last_published_at"),
        )
        .filter(source_published_at__gt=F("source__last_updated_at"))
        .annotate(stale_since=Coalesce(first_publish_after, F("source_published_at")))
        .select_related("source", "source__locale", "target_locale")
        .order_by("-source_published_at", "pk")
    )
    if locale_id is not None:
        stale = stale.filter(target_locale_id=locale_id)
    return stale


@dataclass(frozen=True)
class SegmentChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Staleness:
    translation: Translation
    source_page: Page
    since: datetime
    changes: list[SegmentChange]


def _texts_by_path(instance) -> dict[str, str]:
    texts = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            texts[segment.path].append(segment.render_text())
    return {path: " ".join(parts) for path, parts in texts.items()}


def source_changes(*, translation: Translation, source_page: Page) -> list[SegmentChange]:
    """The source's text as translated (the last sync) against its live text now."""
    before = _texts_by_path(translation.source.as_instance())
    after = _texts_by_path(source_page.specific)
    changes = []
    for path in dict.fromkeys([*before, *after]):
        old, new = before.get(path, ""), after.get(path, "")
        if old != new:
            changes.append(SegmentChange(field=path.split(".")[0], old=old, new=new))
    return changes


def translation_for_page(*, page: Page) -> Translation | None:
    """The enabled wagtail-localize translation whose target is `page`."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def translation_staleness(*, translation: Translation) -> Staleness | None:
    """None while the translation is up to date with its source."""
    row = translations_stale().filter(pk=translation.pk).first()
    if row is None:
        return None
    source_page = Page.objects.get(pk=row.source_page_id)
    return Staleness(
        translation=row,
        source_page=source_page,
        since=row.stale_since,
        changes=source_changes(translation=row, source_page=source_page),
    )
