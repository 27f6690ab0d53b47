"""The demo's live coverage (load_demo): a summit covered live right now,
about thirty posts by the demo authors over the last hours (photos, quotes,
a related story, one pinned, one edited), and an election night coming up.
Built from the factories; running it again adds nothing."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from broadsheet.accounts.models import User
from broadsheet.mediabank.models import Photo
from broadsheet.news.demo_text import StoryWriter
from broadsheet.news.models import ArticlePage, AuthorPage, SectionPage

from .factories import LivePostFactory, LiveStoryPageFactory
from .models import CoverageStatus, LiveStoryPage

# As the admin would address these headlines.
LIVE_SLUG = "live-harbour-summit-in-port-meren"
UPCOMING_SLUG = "live-election-night-in-valdoria"
POSTS = 30
HOURS = 5

QUOTES = [
    ("We did not come here to leave with nothing.", "Ines Sørensen, trade minister"),
    ("The harbour is the city's lungs. Close it and we stop breathing.", "A dock worker"),
    ("Talks are difficult but they are moving.", "A spokesperson for the delegations"),
    ("Nobody told us the bridge would close.", "A commuter at the ferry terminal"),
]
TITLES = [
    "Delegations arrive at the harbour",
    "Protesters gather outside the conference hall",
    "Ferry services suspended until the evening",
    "First session ends without a statement",
    "What is on the table",
    "Police widen the security perimeter",
    "Ministers break for lunch",
    "Draft text circulates among delegations",
]


def live_demo_build() -> dict[str, int]:
    """Returns what it made: {"live story": n, "live post": n}."""
    made = {"live story": 0, "live post": 0}
    world = SectionPage.objects.filter(slug="world").first()
    if world is None:
        return made
    authors = list(AuthorPage.objects.live().order_by("pk")[:9])
    photos = list(Photo.objects.filter(title__startswith="Demo photo").order_by("pk")[:12])
    editor = User.objects.filter(username="editor").first()
    now = timezone.now()
    with transaction.atomic():
        if not LiveStoryPage.objects.child_of(world).filter(slug=LIVE_SLUG).exists():
            story = LiveStoryPageFactory(
                parent=world,
                slug=LIVE_SLUG,
                seed=7001,
                title="Live: harbour summit in Port Meren",
                standfirst="Ministers from eleven countries meet over the future of the harbour "
                "and its trade routes, with protests outside. Follow the day as it happens.",
                dateline="Port Meren",
                published_at=now - timedelta(hours=HOURS),
                coverage_start=now - timedelta(hours=HOURS),
                lead_photo=photos[0] if photos else None,
                authors=authors[:2],
                tag_names=["Trade", "Diplomacy"],
            )
            story.save_revision().publish()
            made["live story"] += 1
            made["live post"] += _posts(story, authors, photos, editor, now)
        if not LiveStoryPage.objects.child_of(world).filter(slug=UPCOMING_SLUG).exists():
            upcoming = LiveStoryPageFactory(
                parent=world,
                slug=UPCOMING_SLUG,
                seed=7002,
                title="Live: election night in Valdoria",
                standfirst="Polls close at 20:00 tomorrow. Results, reactions and analysis "
                "from every region, live, as the count comes in.",
                coverage_status=CoverageStatus.UPCOMING,
                published_at=now - timedelta(minutes=30),
                coverage_start=now + timedelta(days=1),
                key_points=[],
                lead_photo=photos[1] if len(photos) > 1 else None,
                authors=authors[2:3],
                tag_names=["Elections"],
            )
            upcoming.save_revision().publish()
            made["live story"] += 1
    return made


def _posts(story, authors, photos, editor, now) -> int:
    rng = random.Random(2026)
    writer = StoryWriter(4242)
    related = list(
        ArticlePage.objects.published().exclude(pk=story.pk).newest_first().defer_streamfields()[:5]
    )
    start = now - timedelta(hours=HOURS) + timedelta(minutes=3)
    step = (timedelta(hours=HOURS) - timedelta(minutes=10)) / POSTS
    for n in range(POSTS):
        fields = {
            "story": story,
            "seed": 9000 + n,
            "published_at": start + step * n + timedelta(seconds=rng.randint(0, 90)),
            "created_by": editor,
            "authors": [authors[n % len(authors)]] if authors else [],
        }
        if n % 4 == 0:
            fields["title"] = TITLES[(n // 4) % len(TITLES)]
        if n % 5 == 2:
            fields["quote"], fields["quote_attribution"] = QUOTES[n % len(QUOTES)]
        if n % 7 == 3 and photos:
            fields["photo"] = photos[n % len(photos)]
        if n % 11 == 5 and related:
            fields["related_story"] = related[n % len(related)]
        if n == 1:
            fields["pinned"] = True
            fields["title"] = "Where things stand"
            fields["body"] = f"<p>{writer.paragraph(3)}</p>"
        if n == POSTS - 6:
            fields["updated_at"] = fields["published_at"] + timedelta(minutes=12)
        LivePostFactory(**fields)
    return POSTS


def live_posts_build(*, story, posts: list[tuple[str, str]], authors, editor) -> int:
    """Posts written for `story` (an edition's translation of a live story:
    posts are rows, not translated with the page), spread over the hours since
    it started, oldest first. Returns how many it made (none if it has posts)."""
    if story.posts.exists() or not posts:
        return 0
    now = timezone.now()
    start = story.coverage_start or story.published_at or now - timedelta(hours=HOURS)
    step = (now - start - timedelta(minutes=5)) / len(posts)
    for n, (title, text) in enumerate(posts):
        LivePostFactory(
            story=story,
            title=title,
            body=f"<p>{escape(text)}</p>",
            published_at=start + step * (n + 1),
            created_by=editor,
            authors=[authors[n % len(authors)]] if authors else [],
            pinned=n == 0,
        )
    return len(posts)
