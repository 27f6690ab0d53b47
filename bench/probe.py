"""Django-side half of the benchmark, run by bench/run.py in a subprocess.

    python bench/probe.py urls             -> JSON {name: path} of the pages to load-test
    python bench/probe.py queries PATH...  -> JSON {path: {status, queries, median_ms, ...}}
    python bench/probe.py profile PATH     -> cProfile of 200 renders, top functions by own time
    python bench/probe.py counts           -> JSON {stories, photos}
    python bench/probe.py bank N           -> add media bank archive photos up to N (idempotent)
    python bench/probe.py renditions N     -> JSON: time the standard renditions of N new photos

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
        **bank_urls(),
        # The floor: middleware, URL resolving and a tiny template, no page tree.
        "floor: robots.txt": "/robots.txt",
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
    elif command == "renditions":
        print(json.dumps(renditions(int(args[0]))))
    elif command == "profile":
        profile(args[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
