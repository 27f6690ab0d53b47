"""Django-side half of the benchmark, run by bench/run.py in a subprocess.

    python bench/probe.py urls             -> JSON {name: path} of the pages to load-test
    python bench/probe.py queries PATH...  -> JSON {path: {status, queries, median_ms, ...}}
    python bench/probe.py profile PATH     -> cProfile of 200 renders, top functions by own time
    python bench/probe.py counts           -> JSON {stories, photos}
    python bench/probe.py analyze          -> refresh SQLite's planner statistics, as the
                                              scheduler does hourly (JSON {analyzed})
    python bench/probe.py bank N           -> add media bank archive photos up to N (idempotent)
    python bench/probe.py index-stories    -> add live stories missing from the search index
                                              (idempotent; JSON {live, indexed, added, seconds})
    python bench/probe.py renditions N     -> JSON: time the standard renditions of N new photos
    python bench/probe.py discussions N P  -> JSON: a thread of N comments (thread page queries
                                              and server time) and P comment_post calls

Database and settings come from the environment (DATABASE_URL, DJANGO_SETTINGS_MODULE),
exactly as for the server. Requests go through Django's test Client, in process, so
`median_ms` is pure server time: no network, no ASGI server, no queueing, and
`cpu_ms` the CPU time it took (steadier than wall time on a busy machine).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "127.0.0.1"


def urls() -> dict[str, str]:
    from broadsheet.news.cursors import Cursor
    from broadsheet.news.models import ArticlePage, AuthorPage, SectionPage, TagIndexPage

    stories = ArticlePage.objects.published().newest_first()
    newest = stories.first()
    total = stories.count()
    # A story 90% of the way down the archive: the cursor a reader reaches
    # after scrolling through nearly everything.
    deep = stories.values("pk", "published_at")[int(total * 0.9)]
    oldest = stories.last()
    section = SectionPage.objects.live().get(slug="world")
    author = AuthorPage.objects.live().order_by("pk").first()
    topics = TagIndexPage.objects.live().first()
    return {
        "front": "/",
        "article": newest.url,
        "article (oldest)": oldest.url,
        "section": section.url,
        "tag": f"{topics.url}climate/",
        "author": author.url,
        "newsfeed": "/newsfeed/",
        "newsfeed (90% deep)": "/newsfeed/?before="
        + Cursor(deep["published_at"], deep["pk"]).encode(),
        **feed_urls(),
        **bank_urls(),
        **search_urls(),
        # The floor: middleware, URL resolving and a tiny template, no page tree.
        "floor: robots.txt": "/robots.txt",
    }


# Feed rows are named "feed: …"; run.py reports them again in a section of their own.
FEED_PREFIX = "feed: "


def feed_urls() -> dict[str, str]:
    """The feeds readers poll most: the site's RSS, a section's Atom, JSON Feed."""
    return {
        f"{FEED_PREFIX}site RSS": "/feeds/latest.xml",
        f"{FEED_PREFIX}section Atom": "/feeds/world.atom",
        f"{FEED_PREFIX}site JSON Feed": "/feeds/latest.json",
    }


def bank_urls() -> dict[str, str]:
    """The media bank's pages, when the archive has photos."""
    from datetime import timedelta
    from urllib.parse import urlencode

    from broadsheet.mediabank.selectors import public_photos
    from broadsheet.news.cursors import Cursor

    photos = public_photos().order_by("-created_at", "-pk")
    total = photos.count()
    if not total:
        return {}
    rows = photos.values("pk", "created_at", "place", "photographer", "date_taken")
    # A place is one of 40 in the bulk archive (~2.5% of it), one of 6 among the demo photos.
    sample = rows[total // 10]
    deep = rows[int(total * 0.9)]
    taken = sample["date_taken"]
    filtered = {"photographer": sample["photographer"]}
    if taken:
        start = taken - timedelta(days=5 * 365)
        filtered |= {"from": start.isoformat(), "to": taken.isoformat()}
    return {
        "media bank": "/mediabank/",
        "media bank search": "/mediabank/?" + urlencode({"q": sample["place"]}),
        "media bank filtered": "/mediabank/?" + urlencode(filtered),
        "media bank (90% deep)": "/mediabank/?before="
        + Cursor(deep["created_at"], deep["pk"]).encode(),
        "photo page": f"/mediabank/{sample['pk']}/",
    }


# The story search (search/selectors.stories_search). The demo archive's words
# are all common (news/demo_text.py): at 100,000 stories the rarest word of a
# story still matches ~3,500 of them ("tortoise", "harbour": an off-beat
# headline's). "harbour" is the common word (3,592 stories at 100,000, 2 at
# 100); "glenroy" the rare one: a place only media bank photos have, so the
# index has 200 entries for it at 100,000 and no story; "port workers" two
# words (both needed: ~32,000 stories); "a" the worst case (every story).
SEARCH_COMMON = "harbour"
SEARCH_RARE = "glenroy"
SEARCH_TWO_WORDS = "port workers"
SEARCH_WORST = "a"


def search_urls() -> dict[str, str]:
    """The story search pages; page 5 of the common word when it has one."""
    from urllib.parse import urlencode

    from broadsheet.search.selectors import stories_search
    from broadsheet.search.views import MAX_PAGES, PAGE_SIZE

    def path(query: str, **extra) -> str:
        return "/search/?" + urlencode({"q": query, **extra})

    urls = {f"search: {SEARCH_COMMON}": path(SEARCH_COMMON)}
    found = stories_search(query=SEARCH_COMMON, limit=PAGE_SIZE * MAX_PAGES)
    if len(found.ids) > 4 * PAGE_SIZE:
        urls[f"search: {SEARCH_COMMON}, page 5"] = path(SEARCH_COMMON, page=5)
    return {
        **urls,
        f"search: {SEARCH_RARE} (rare)": path(SEARCH_RARE),
        f"search: {SEARCH_TWO_WORDS}": path(SEARCH_TWO_WORDS),
        f"search: {SEARCH_WORST} (worst)": path(SEARCH_WORST),
    }


def queries(paths: list[str], repeat: int = 30) -> dict:
    from broadsheet.core.cache import memo_clear

    client = Client(HTTP_HOST=HOST)
    out = {}
    for path in paths:
        client.get("/robots.txt")
        cold_times = []
        for _ in range(5):
            # The first reader after a publish meets an empty memo: what does he wait?
            memo_clear()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as cold:
                client.get(path)
            cold_times.append((time.perf_counter() - start) * 1000)
        times, cpu = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as warm:
                response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        out[path] = {
            "status": response.status_code,
            "bytes": len(response.content),
            "queries_first": len(cold),
            "queries": len(warm),
            "sql": [q["sql"][:300] for q in warm.captured_queries],
            "median_ms": round(statistics.median(times), 2),
            "cpu_ms": round(statistics.median(cpu), 2),
            "cold_ms": round(statistics.median(cold_times), 2),
        }
    return out


def counts() -> dict[str, int]:
    from broadsheet.mediabank.models import Photo
    from broadsheet.news.models import ArticlePage

    return {"stories": ArticlePage.objects.published().count(), "photos": Photo.objects.count()}


def bank(photos: int) -> None:
    from broadsheet.mediabank.demo_bank import bank_archive_build

    created = bank_archive_build(photos=photos)
    print(json.dumps({"created": created}))


def index_stories(batch_size: int = 1000) -> dict:
    """Add every live story the search index lacks, `batch_size` at a time.

    The archive is bulk-loaded (news/demo_archive.py): `bulk_create` sends no
    `post_save`, so only the demo's own stories are in Wagtail's index and the
    story search would not find the rest. As mediabank/demo_bank.py does for
    its photos, each batch goes to every search backend Wagtail keeps up to
    date, in its own transaction (~2 s per 1,000 stories). When the index
    already has as many story entries as there are live stories, this is two
    COUNT queries.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import router, transaction
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast
    from wagtail.search.backends import get_search_backends
    from wagtail.search.models import IndexEntry

    from broadsheet.core.cache import content_version_bump
    from broadsheet.news.models import ArticlePage

    start = time.perf_counter()
    entries = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage))
    live = ArticlePage.objects.live()
    total, indexed = live.count(), entries.count()
    added = 0
    if indexed < total:
        missing = list(
            live.exclude(
                Exists(entries.filter(object_id=Cast(OuterRef("pk"), output_field=CharField())))
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        backends = list(get_search_backends(with_auto_update=True))
        for i in range(0, len(missing), batch_size):
            pks = missing[i : i + batch_size]
            batch = list(ArticlePage.get_indexed_objects().filter(pk__in=pks))
            with transaction.atomic(using=router.db_for_write(IndexEntry)):
                for backend in backends:
                    backend.add_bulk(ArticlePage, batch)
            added += len(batch)
            print(
                f"[probe] indexed {added:,} of {len(missing):,} stories "
                f"({time.perf_counter() - start:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        if added:
            content_version_bump()  # memoised pages may have missed them
    return {
        "live": total,
        "indexed": entries.count(),
        "added": added,
        "seconds": round(time.perf_counter() - start, 1),
    }


def renditions(count: int) -> dict:
    """Time the standard renditions (renditions.ALL_SPECS) of `count` new photos.

    Each photo is a 1600×900 JPEG drawn by the photo factory (a different seed
    each). Pass 1 times `photo_renditions_generate`, as the task worker runs it.
    Pass 2 makes the same pictures again as new photos, one format's specs at a
    time, to split that time by format ("jpeg" is the 8 sizes, "social + web"
    the social card and the download copy, both JPEG). Wagtail encodes a
    photo's renditions on 3 threads, so wall time is below the CPU time, which
    counts every thread.
    """
    from django.conf import settings

    from broadsheet.mediabank.factories import PhotoFactory
    from broadsheet.mediabank.renditions import (
        FORMATS,
        GEOMETRIES,
        SOCIAL_SPEC,
        WEB_SPEC,
        filter_for,
        photo_renditions_generate,
        specs_for,
    )

    seeds = [1000 + n for n in range(count)]
    whole, whole_cpu, made = [], [], 0
    for seed in seeds:
        photo = PhotoFactory(seed=seed, size=(1600, 900))
        start, start_cpu = time.perf_counter(), time.process_time()
        made = photo_renditions_generate(photo=photo)
        whole.append((time.perf_counter() - start) * 1000)
        whole_cpu.append((time.process_time() - start_cpu) * 1000)

    sized = specs_for(*GEOMETRIES)
    groups = {fmt: [s for s in sized if s.endswith(f"|format-{fmt}")] for fmt in FORMATS}
    groups["social + web"] = [SOCIAL_SPEC, WEB_SPEC]
    timings = {name: [] for name in groups}
    cpu = {name: [] for name in groups}
    sizes = {name: [] for name in groups}
    for seed in seeds:
        photo = PhotoFactory(seed=seed, size=(1600, 900))
        for name, specs in groups.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            found = photo.get_renditions(*(filter_for(spec) for spec in specs))
            timings[name].append((time.perf_counter() - start) * 1000)
            cpu[name].append((time.process_time() - start_cpu) * 1000)
            sizes[name] += [r.file.size for r in found.values()]
    total = sum(whole) / 1000
    return {
        "photos": count,
        "image": "1600×900 JPEG (photo factory)",
        "renditions_per_photo": made,
        "seconds": round(total, 2),
        "photos_per_s": round(count / total, 3),
        "median_ms": round(statistics.median(whole), 1),
        "cpu_ms": round(statistics.median(whole_cpu), 1),
        "formats": {
            name: {
                "renditions": len(groups[name]),
                "median_ms": round(statistics.median(timings[name]), 1),
                "ms_per_rendition": round(statistics.median(timings[name]) / len(groups[name]), 1),
                "cpu_ms": round(statistics.median(cpu[name]), 1),
                "cpu_ms_per_rendition": round(statistics.median(cpu[name]) / len(groups[name]), 1),
                "kb_per_rendition": round(statistics.mean(sizes[name]) / 1024, 1),
            }
            for name in groups
        },
        "settings": {
            name: getattr(settings, name)
            for name in (
                "WAGTAILIMAGES_AVIF_QUALITY",
                "BROADSHEET_AVIF_SPEED",
                "WAGTAILIMAGES_WEBP_QUALITY",
                "WAGTAILIMAGES_JPEG_QUALITY",
            )
        },
    }


def _measure(client, path: str, headers: dict, repeat: int) -> dict:
    client.get(path, headers=headers)
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(warm),
        "sql": [q["sql"][:300] for q in warm.captured_queries],
        "median_ms": round(statistics.median(times), 2),
        "cpu_ms": round(statistics.median(cpu), 2),
    }


def discussions(total: int, posts: int, repeat: int = 30) -> dict:
    """A story with `total` comments (4/5 top-level, 1/5 replies), bulk-created
    from the discussions factory's model in the scratch database run.py made;
    the thread page measured on page 1 and on a cursor 90% down the thread,
    as a full page and as the htmx fragment, anonymous and signed in; then
    `posts` calls of `comment_post` by one verified reader.

    Rate limits: the probe process saves this scratch database's
    DiscussionSettings with no interval between posts, no per-period cap and
    no burst hold, so the posts measure the service's own work (checks,
    insert, version bump); nothing else uses this database and the site's
    defaults are unchanged.
    """
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Site

    from broadsheet.accounts.models import User
    from broadsheet.discussions.cache import discussions_changed
    from broadsheet.discussions.factories import CommentFactory
    from broadsheet.discussions.models import Comment, CommentStatus, DiscussionSettings
    from broadsheet.discussions.selectors import PAGE_SIZE, Sort, _cursor_encode
    from broadsheet.discussions.services import comment_post
    from broadsheet.news.models import ArticlePage

    story = ArticlePage.objects.published().newest_first().first()
    readers = list(User.objects.filter(email__endswith="@broadsheet.localhost", is_staff=False))
    readers = [u for u in readers if u.emailaddress_set.filter(verified=True).exists()]
    assert readers, "the demo's verified readers"
    Comment.objects.filter(page=story).delete()

    model = CommentFactory._meta.model
    now = timezone.now()
    top_n = total * 4 // 5
    start = time.perf_counter()
    top = [
        CommentFactory.build(
            page=story,
            author=readers[n % len(readers)],
            created_at=now - timedelta(minutes=5 * (n + 1)),
            like_count=n % 7,
        )
        for n in range(top_n)
    ]
    model.objects.bulk_create(top, batch_size=500)
    parents = top[::4]
    replies = [
        CommentFactory.build(
            page=story,
            author=readers[(n + 1) % len(readers)],
            parent=parents[n % len(parents)],
            created_at=parents[n % len(parents)].created_at
            + timedelta(minutes=1 + n // len(parents)),
        )
        for n in range(total - top_n)
    ]
    model.objects.bulk_create(replies, batch_size=500)
    discussions_changed(page=story)
    build_s = time.perf_counter() - start

    visible_top = story.comments.filter(parent__isnull=True, status=CommentStatus.VISIBLE)
    ordered = visible_top.order_by("-created_at", "-id")
    deep_row = ordered[int(top_n * 0.9)]
    thread = f"/discussions/{story.pk}/"
    deep = f"{thread}?sort={Sort.NEWEST}&after={_cursor_encode(deep_row, Sort.NEWEST)}"
    hx = {"HX-Request": "true"}
    pages = []
    reader = readers[0]
    for who in ("anonymous", "reader"):
        client = Client(HTTP_HOST=HOST)
        if who == "reader":
            client.force_login(reader)
        for name, path, headers in (
            ("page 1, full page", thread, {}),
            ("page 1, htmx fragment", thread, hx),
            ("90% deep, full page", deep, {}),
            ("90% deep, htmx fragment", deep, hx),
        ):
            pages.append(
                {"who": who, "name": name, "path": path, **_measure(client, path, headers, repeat)}
            )

    site = Site.objects.get(is_default_site=True)
    conf = DiscussionSettings.for_site(site)
    conf.post_interval_seconds = 0
    conf.window_max_posts = posts + 10
    conf.burst_max_posts = posts + 10
    conf.save()
    poster = readers[-1]
    times, per_post_queries = [], []
    start = time.perf_counter()
    for n in range(posts):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            # Each in its own transaction, as AtomicWritesMiddleware runs a POST.
            comment = comment_post(
                user=poster,
                page=story,
                body=f"Bench comment {n}: the river rose again.",
                ip="127.0.0.1",
            )
        times.append((time.perf_counter() - t0) * 1000)
        per_post_queries.append(len(captured))
        assert comment.status == CommentStatus.VISIBLE, comment.hold_reason
    wall = time.perf_counter() - start
    return {
        "comments": story.comments.count() - posts,
        "top_level": top_n,
        "page_size": PAGE_SIZE,
        "story": story.pk,
        "build_seconds": round(build_s, 2),
        "pages": pages,
        "posts": {
            "count": posts,
            "seconds": round(wall, 2),
            "per_s": round(posts / wall, 1),
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
            "queries": statistics.median(per_post_queries),
        },
    }


def profile(path: str, repeat: int = 200) -> None:
    import cProfile
    import pstats

    client = Client(HTTP_HOST=HOST)
    for _ in range(20):
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(60)


def main(argv: list[str]) -> None:
    command, args = argv[0], argv[1:]
    if command == "urls":
        print(json.dumps(urls()))
    elif command == "queries":
        print(json.dumps(queries(args)))
    elif command == "counts":
        print(json.dumps(counts()))
    elif command == "bank":
        bank(int(args[0]))
    elif command == "index-stories":
        print(json.dumps(index_stories()))
    elif command == "renditions":
        print(json.dumps(renditions(int(args[0]))))
    elif command == "discussions":
        print(json.dumps(discussions(int(args[0]), int(args[1]))))
    elif command == "profile":
        profile(args[0])
    elif command == "analyze":
        from broadsheet.core.services import database_statistics_refresh

        print(json.dumps({"analyzed": database_statistics_refresh(force=True)}))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
