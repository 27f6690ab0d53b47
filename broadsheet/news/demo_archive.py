"""A large story archive for benchmarks: 100,000 stories in minutes, not hours.

The demo newsroom (demo.py) builds each story through the factories and
publishes a revision, about 50 ms a story: right for a hundred, far too slow
for an archive. This module writes the same rows in bulk instead:

* ``wagtailcore_page`` rows with treebeard's materialised path, depth and
  numchild kept exact (children appended after a section's last child, the
  section's ``numchild`` raised in the same transaction), ``url_path``,
  content type, locale, ``live=True`` and first/last publication times;
* ``news_articlepage`` rows with ``published_at`` one story every ~25 minutes
  going back from 30 days ago (100,000 stories reach back about five years),
  ``section_id``, kind, standfirst, dateline, a lead photo from the demo's
  photos and a StreamField body with the same blocks the demo stories use
  (paragraphs, quote, subheading, key figures, fact box, inline photo,
  related story);
* bylines and tags.

Each batch is one transaction, so an interrupted run leaves a valid tree and
the next run carries on. Story ``n`` always gets the same slug, so running it
again adds only the stories that are missing.

What is deliberately skipped, because an archive loaded for benchmarks does
not need it: revisions (Wagtail creates the first one when an editor saves the
page), the search index (``manage.py update_index``) and the reference index
(``manage.py rebuild_references_index``). ``manage.py fixtree`` reports no
problems afterwards.
"""

import random
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page

from broadsheet.mediabank.models import Photo

from .demo_text import SUBHEADS, StoryWriter
from .models import ArticleAuthor, ArticlePage, ArticlePageTag, AuthorPage, SectionPage

# Archive story n is published 30 days + n × STEP (plus up to 20 minutes) ago.
ARCHIVE_START = timedelta(days=30)
ARCHIVE_STEP = timedelta(minutes=25)
ARCHIVE_SEED = 1_000_000
BATCH = 2000


def _slug(n: int, title: str) -> str:
    return f"{slugify(title)[:60].strip('-')}-a{n}"


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _body(writer: StoryWriter, rng: random.Random, *, related: int | None, photo: int | None):
    """Raw StreamField data, shaped exactly as factories.story_body stores it."""
    body = [_block("paragraph", f"<p>{writer.paragraph(3)}</p>") for _ in range(2)]
    body.append(_block("quote", writer.quote()))
    body.append(_block("paragraph", f"<p>{writer.paragraph(4)}</p>"))
    if related is not None:
        body.append(_block("related_story", {"page": related, "label": ""}))
    body.append(_block("subheading", rng.choice(SUBHEADS)))
    body.append(_block("paragraph", f"<p>{writer.paragraph(3)}</p>"))
    if rng.random() < 0.6:
        figures = [
            {"number": f"{rng.randint(2, 99)}%", "label": "say the plan goes too far"},
            {"number": f"{rng.randint(1, 9)}.{rng.randint(0, 9)} bn", "label": "cost"},
            {"number": str(rng.randint(3, 40)), "label": "regions affected"},
        ]
        body.append(
            _block(
                "key_figures",
                {"title": "In numbers", "figures": [_block("item", f) for f in figures]},
            )
        )
    if rng.random() < 0.5:
        facts = "".join(f"<li>{writer.sentence()}</li>" for _ in range(3))
        body.append(_block("fact_box", {"title": "Key facts", "body": f"<ul>{facts}</ul>"}))
    if photo is not None:
        body.append(_block("image", {"image": photo, "caption": ""}))
    body.append(_block("paragraph", f"<p>{writer.paragraph(2)}</p>"))
    return body


def _insert_rows(model, objs, using: str) -> None:
    """INSERT rows of one concrete table of a multi-table model.

    ``bulk_create`` refuses multi-table inheritance, so the child table
    (news_articlepage) is written through the queryset's own insert, in
    batches the backend accepts.
    """
    fields = model._meta.local_concrete_fields
    size = max(connections[using].ops.bulk_batch_size(fields, objs), 1)
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, using=using)


def archive_build(
    *,
    stories: int,
    seed: int = 2026,
    progress: Callable[[Iterable, int, str], Iterable] | None = None,
) -> int:
    """Make sure archive stories 0…stories-1 exist; returns how many were created.

    Needs the demo newsroom (sections, authors, photos) from demo.demo_build.
    """
    progress = progress or (lambda iterable, total, label: iterable)
    using = router.db_for_write(Page)
    sections = [s for s in SectionPage.objects.live().order_by("path") if s.slug != "multimedia"]
    authors = list(AuthorPage.objects.live().order_by("pk"))
    photos = list(
        Photo.objects.filter(title__startswith="Demo photo")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sections or not authors or not photos:
        raise RuntimeError("The archive needs the demo newsroom first (demo.demo_build).")
    from .demo import KIND_BY_SECTION, OTHER_KINDS, TAGS

    tags = [
        Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in TAGS
    ]
    content_type_id = ContentType.objects.get_for_model(ArticlePage).pk
    existing = set(ArticlePage.objects.values_list("slug", flat=True))
    related_pool = list(
        ArticlePage.objects.order_by("-published_at").values_list("pk", flat=True)[:500]
    )
    now = timezone.now()

    todo = []
    for n in range(stories):
        rng = random.Random(seed * 7919 + n)
        section = sections[n % len(sections)]
        kind = KIND_BY_SECTION.get(section.slug) or rng.choice(OTHER_KINDS)
        title = StoryWriter(ARCHIVE_SEED + n).headline(kind)
        slug = _slug(n, title)
        if slug not in existing:
            todo.append((n, rng, section, kind, title, slug))

    created = 0
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    for batch in progress(batches, len(batches), f"archive ({BATCH} stories a batch)"):
        with transaction.atomic(using=using):
            created += _batch_create(
                batch,
                using=using,
                now=now,
                content_type_id=content_type_id,
                authors=authors,
                photos=photos,
                tags=tags,
                related_pool=related_pool,
            )
    return created


def _next_child_steps(sections, using) -> dict[int, int]:
    """The treebeard step after each section's current last child."""
    steps = {}
    for section in sections:
        last = (
            Page.objects.using(using)
            .filter(path__startswith=section.path, depth=section.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        steps[section.pk] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    return steps


def _batch_create(
    batch, *, using, now, content_type_id, authors, photos, tags, related_pool
) -> int:
    sections = {section.pk: section for _, _, section, *_ in batch}
    steps = _next_child_steps(sections.values(), using)
    added = dict.fromkeys(sections, 0)

    pages, articles = [], []
    for n, rng, section, kind, title, slug in batch:
        writer = StoryWriter(ARCHIVE_SEED + n)
        when = now - ARCHIVE_START - n * ARCHIVE_STEP - timedelta(minutes=rng.randint(0, 20))
        path = Page._get_path(section.path, section.depth + 1, steps[section.pk])
        steps[section.pk] += 1
        added[section.pk] += 1
        pages.append(
            Page(
                path=path,
                depth=section.depth + 1,
                numchild=0,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{section.url_path}{slug}/",
                content_type_id=content_type_id,
                locale_id=section.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=when,
                last_published_at=when,
                show_in_menus=False,
            )
        )
        related = rng.choice(related_pool) if related_pool and rng.random() < 0.7 else None
        photo = photos[(n + 7) % len(photos)] if rng.random() < 0.3 else None
        articles.append(
            ArticlePage(
                kind=kind,
                standfirst=StoryWriter(ARCHIVE_SEED + n + 1).standfirst(),
                dateline=writer.pick(["VALDORIA", "PORT MEREN", "NORVIK", "ALMARA", ""]).title(),
                lead_photo_id=photos[n % len(photos)],
                body=_body(writer, rng, related=related, photo=photo),
                updated_at=when + timedelta(hours=2) if rng.random() < 0.15 else None,
                published_at=when,
                section_id=section.pk,
                edition_locale_id=section.locale_id,
            )
        )

    Page.objects.using(using).bulk_create(pages)
    bylines, tagged = [], []
    for (_n, rng, *_), page, article in zip(batch, pages, articles, strict=True):
        article.page_ptr_id = article.id = page.pk
        for order, author in enumerate(rng.sample(authors, k=1 if rng.random() < 0.8 else 2)):
            bylines.append(ArticleAuthor(page_id=page.pk, author_id=author.pk, sort_order=order))
        for tag in rng.sample(tags, k=rng.randint(1, 3)):
            tagged.append(ArticlePageTag(content_object_id=page.pk, tag_id=tag.pk))
    _insert_rows(ArticlePage, articles, using)
    ArticleAuthor.objects.using(using).bulk_create(bylines)
    ArticlePageTag.objects.using(using).bulk_create(tagged)
    for section_pk, count in added.items():
        Page.objects.using(using).filter(pk=section_pk).update(numchild=F("numchild") + count)
    # Newer archive stories may be cited by older ones' related-story blocks.
    related_pool.extend(page.pk for page in pages[:50])
    return len(pages)
