"""The demo newsroom: sections, authors, photos, tags, stories and staff accounts.

Built from the same factories the tests use. Every step looks up what exists
first, so running it again adds only what is missing.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, ReferenceIndex, Site

from broadsheet.accounts.factories import UserFactory
from broadsheet.accounts.models import User
from broadsheet.core.models import SiteIdentity
from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import Comment
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import Photo

from .demo_text import FIRST, LAST, StoryWriter
from .factories import (
    ArticlePageFactory,
    AuthorIndexPageFactory,
    AuthorPageFactory,
    GalleryPageFactory,
    HomePageFactory,
    SectionPageFactory,
    TagIndexPageFactory,
    story_body,
)
from .models import (
    ArticleKind,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    GalleryPage,
    HomePage,
    SectionPage,
    TagIndexPage,
)

SECTIONS = [
    ("World", "world", "News from every continent, as it happens."),
    ("Politics", "politics", "Governments, elections and the people in power."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Science & Tech", "science-tech", "Discoveries, technology and the planet."),
    ("Sport", "sport", "Results, transfers and the stories behind the scores."),
    ("Opinion", "opinion", "Columns and commentary from our writers."),
    ("Off-beat", "off-beat", "The strange, the funny and the unexpected."),
    ("Multimedia", "multimedia", "The news in pictures and video."),
]
KIND_BY_SECTION = {"opinion": ArticleKind.OPINION, "off-beat": ArticleKind.OFFBEAT}
OTHER_KINDS = [ArticleKind.NEWS] * 5 + [ArticleKind.FEATURE, ArticleKind.ANALYSIS]
TAGS = [
    "Elections",
    "Climate",
    "Trade",
    "Energy",
    "Health",
    "Migration",
    "Football",
    "Space",
    "Artificial intelligence",
    "Diplomacy",
    "Food security",
    "Culture",
]
ROLES = [
    "World editor",
    "Politics correspondent",
    "Business reporter",
    "Science editor",
    "Sport reporter",
    "Columnist",
    "Photographer",
    "Foreign correspondent",
    "Data reporter",
]

DEMO_PASSWORDS = {
    "editor": "broadsheet-editor",
    "reporter": "broadsheet-reporter",
    "admin": "broadsheet-admin",
    "reader@broadsheet.localhost": "broadsheet-reader",
}

# Readers who have joined the discussions under the newest stories.
DEMO_READERS = [
    ("reader", "Mara Lindqvist"),
    ("tomas", "Tomás Ibarra"),
    ("keiko", "Keiko Moreau"),
]
DEMO_COMMENTS = [
    "The figures in the fact box do not match last year's report. Which one is right?",
    "Good to see this covered properly. The harbour works have been delayed for two years.",
    "I live nearby: the queues were there before dawn, exactly as described.",
    "Is there a link to the full text of the decision? https://example.org/decision",
    "Thank you for the clear explanation of what changes for tenants.",
]


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


def _home(summary: DemoSummary) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's install leaves a placeholder page at the site root; the front page replaces it.
        for placeholder in root.get_children().not_type(HomePage):
            if placeholder.slug == "home":
                placeholder.delete()
        home = HomePageFactory(parent=root, title="Broadsheet", slug="home")
        summary.add("front page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Broadsheet",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Broadsheet"
        site.save()
    SiteIdentity.for_site(site)
    return home


def _child(model, factory, parent, slug, **kwargs):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    return (page, False) if page else (factory(parent=parent, slug=slug, **kwargs), True)


def _staff(summary: DemoSummary) -> None:
    people = [
        ("editor", "Elena", "Editor", ["Moderators"]),
        ("reporter", "Rafael", "Reporter", ["Editors"]),
    ]
    for username, first, last, groups in people:
        if not User.objects.filter(username=username).exists():
            UserFactory(
                username=username,
                first_name=first,
                last_name=last,
                password=DEMO_PASSWORDS[username],
                is_staff=True,
                groups=groups,
            )
            summary.add("staff account")
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@broadsheet.localhost", DEMO_PASSWORDS["admin"]
        )
        summary.add("staff account")
    # Wagtail's default "Editors" group may create and edit but not publish; its
    # "Moderators" group publishes. Both exist after Wagtail's own migrations.
    Group.objects.get(name="Editors")


def _photos(count: int, summary: DemoSummary, progress) -> list[Photo]:
    photos = list(Photo.objects.filter(title__startswith="Demo photo").order_by("pk"))
    writer = StoryWriter(99)
    missing = range(len(photos), count)
    for n in progress(missing, len(missing), "photos"):
        place = writer.pick(["Valdoria", "Port Meren", "Norvik", "Almara", "Brisa", "Tessin Bay"])
        photo = PhotoFactory(
            seed=n,
            title=f"Demo photo {n + 1}: {place}",
            caption=f"{writer.sentence()} Pictured: {place}.",
            alt_text=f"Landscape near {place} with hills and a low sun",
            place=place,
            photographer=f"{writer.pick(FIRST)} {writer.pick(LAST)}",
        )
        photo.tags.add(place)
        photos.append(photo)
        summary.add("photo")
    return photos


GALLERIES = [
    (
        "The week in pictures",
        "the-week-in-pictures",
        "Seven days of news, from the hills above Valdoria to the harbour at Port Meren.",
        0,
        8,
    ),
    (
        "Landscapes of the north, in pictures",
        "landscapes-of-the-north-in-pictures",
        "Our photographers on the light and land of Norvik and Tessin Bay.",
        8,
        6,
    ),
]


def _galleries(section: SectionPage, photo_pool: list[Photo], summary: DemoSummary) -> list:
    """The Multimedia section's galleries, each with 6–8 of the demo photos."""
    galleries = []
    now = timezone.now()
    for n, (title, slug, intro, start, count) in enumerate(GALLERIES):
        gallery = GalleryPage.objects.child_of(section).filter(slug=slug).first()
        if gallery is None and photo_pool:
            photos = [photo_pool[(start + i) % len(photo_pool)] for i in range(count)]
            photos = list(dict.fromkeys(photos))  # a small pool would repeat photos
            with transaction.atomic():
                gallery = GalleryPageFactory(
                    parent=section,
                    title=title,
                    slug=slug,
                    intro=intro,
                    published_at=now - timedelta(hours=3 + 24 * n),
                    photos=photos,
                )
                gallery.save_revision().publish()
            summary.add("gallery")
        if gallery is not None:
            galleries.append(gallery)
    return galleries


def demo_build(
    *,
    articles: int = 96,
    photos: int = 40,
    seed: int = 2026,
    progress: Callable[[Iterable, int, str], Iterable] | None = None,
) -> DemoSummary:
    """Build (or complete) the demo newsroom. `progress(iterable, total, label)` wraps loops."""
    progress = progress or (lambda iterable, total, label: iterable)
    summary = DemoSummary()
    rng = random.Random(seed)
    with transaction.atomic():
        home = _home(summary)
        _staff(summary)
        sections = []
        for title, slug, intro in SECTIONS:
            section, created = _child(
                SectionPage, SectionPageFactory, home, slug, title=title, intro=intro
            )
            sections.append(section)
            summary.add("section", created)
        author_index, _ = _child(AuthorIndexPage, AuthorIndexPageFactory, home, "authors")
        _child(TagIndexPage, TagIndexPageFactory, home, "topics", title="Topics")

    photo_pool = _photos(photos, summary, progress)
    multimedia = next(section for section in sections if section.slug == "multimedia")
    galleries = _galleries(multimedia, photo_pool, summary)

    authors = list(AuthorPage.objects.child_of(author_index).order_by("pk"))
    for n in range(len(authors), 9):
        name = f"{FIRST[n]} {LAST[(n * 3) % len(LAST)]}"
        authors.append(
            AuthorPageFactory(
                parent=author_index,
                title=name,
                role=ROLES[n],
                photo=photo_pool[n % len(photo_pool)],
            )
        )
        summary.add("author")

    now = timezone.now()
    held = _slugs_held(sections)
    claimed: set[tuple[int, str]] = set()
    plan = []
    for n in range(articles):
        section = sections[n % (len(sections) - 1)]
        kind = KIND_BY_SECTION.get(section.slug) or rng.choice(OTHER_KINDS)
        age = timedelta(minutes=int((n / max(articles, 1)) * 30 * 24 * 60) + rng.randint(0, 50))
        if (section.pk, f"demo-{n}") in held:
            continue  # made by a demo from before stories were named after their headlines
        writer = StoryWriter(seed + n)
        title = writer.headline(kind)
        slug, exists = _story_slug(title=title, section=section, held=held, claimed=claimed)
        if not exists:
            plan.append((n, section, kind, now - age, writer, title, slug))
    # The editions' stories (editions/demo.py) are not this tree's to link.
    english = ArticlePage.objects.filter(locale_id=home.locale_id)
    made: list[ArticlePage] = list(english.order_by("-published_at")[:20])
    for n, section, kind, when, writer, title, slug in progress(plan, len(plan), "stories"):
        with transaction.atomic():
            related = made[rng.randrange(len(made))] if made and rng.random() < 0.7 else None
            body = story_body(
                seed=seed + n,
                related=related,
                photo=photo_pool[(n + 7) % len(photo_pool)] if rng.random() < 0.3 else None,
            )
            if n == 0 and galleries:
                body.insert(3, ("gallery", {"page": galleries[0]}))
            story = ArticlePageFactory(
                parent=section,
                seed=seed + n,
                slug=slug,
                title=title,
                kind=kind,
                dateline=writer.pick(["VALDORIA", "PORT MEREN", "NORVIK", "ALMARA", ""]).title(),
                lead_photo=photo_pool[n % len(photo_pool)],
                published_at=when,
                body=body,
                authors=rng.sample(authors, k=1 if rng.random() < 0.8 else 2),
                tag_names=rng.sample(TAGS, k=rng.randint(1, 3)),
                updated_at=min(when + timedelta(hours=2), now) if rng.random() < 0.15 else None,
            )
            story.save_revision().publish()
            made.append(story)
            summary.add("story")
    _references_index()
    newest = list(ArticlePage.objects.published().in_edition(home.locale_id).newest_first()[:3])
    _discussions(newest, summary)
    return summary


def _slugs_held(sections: list[SectionPage]) -> dict[tuple[int, str], str]:
    """(section id, slug) → title of every page already in the demo's sections."""
    held = {}
    for section in sections:
        for slug, title in section.get_children().values_list("slug", "title"):
            held[(section.pk, slug)] = title
    return held


def _story_slug(
    *,
    title: str,
    section: SectionPage,
    held: dict[tuple[int, str], str],
    claimed: set[tuple[int, str]],
) -> tuple[str, bool]:
    """The address the admin would give this headline in its section, and whether
    the story is there already.

    Like Wagtail's own title→slug (same slugify, same `-2`, `-3` suffixes), but
    worked out over the demo's whole plan in order, so story n gets the same slug
    on every run: a slug counts as this story's when no earlier story of the plan
    claimed it and it is free or already holds this headline (a page an editor
    made with that slug pushes the story to the next suffix, on every run alike).
    """
    base = slugify(title, allow_unicode=settings.WAGTAIL_ALLOW_UNICODE_SLUGS)[:200].strip("-")
    base = base or "story"
    suffix = 1
    while True:
        slug = base if suffix == 1 else f"{base}-{suffix}"
        key = (section.pk, slug)
        if key not in claimed and held.get(key, title) == title:
            claimed.add(key)
            return slug, key in held
        suffix += 1


def _discussions(stories: list[ArticlePage], summary: DemoSummary) -> None:
    """A few verified readers and threads under the newest stories (once)."""
    if Comment.objects.exists() or not stories:
        return
    readers = []
    for username, name in DEMO_READERS:
        email = f"{username}@broadsheet.localhost"
        reader = User.objects.filter(username=username).first() or reader_verified(
            username=username,
            email=email,
            display_name=name,
            password=DEMO_PASSWORDS["reader@broadsheet.localhost"],
        )
        readers.append(reader)
        summary.add("reader account")
    for n, story in enumerate(stories):
        top = CommentFactory(
            page=story, author=readers[n % 3], body=DEMO_COMMENTS[n % len(DEMO_COMMENTS)]
        )
        CommentFactory(
            page=story,
            author=readers[(n + 1) % 3],
            parent=top,
            body=DEMO_COMMENTS[(n + 1) % len(DEMO_COMMENTS)],
        )
        CommentFactory(
            page=story,
            author=readers[(n + 2) % 3],
            body=DEMO_COMMENTS[(n + 2) % len(DEMO_COMMENTS)],
        )
        summary.add("comment", 3)


def _references_index() -> None:
    """Index which pages use which photos now rather than through the task
    worker, so "Published in", the expiring-photos report and the photo swap
    know every use as soon as the demo is loaded."""
    for model in (ArticlePage, GalleryPage):
        for page in model.objects.all():
            ReferenceIndex.create_or_update_for_object(page)
