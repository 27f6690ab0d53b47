"""Django-side half of the benchmark, run by bench/run.py in a subprocess.

    python bench/probe.py urls             -> JSON {name: path} of the pages to load-test
    python bench/probe.py queries PATH...  -> JSON {path: {status, queries, median_ms, ...}}
    python bench/probe.py profile PATH     -> cProfile of 200 renders, top functions by own time

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
        # The floor: middleware, URL resolving and a tiny template, no page tree.
        "floor: robots.txt": "/robots.txt",
    }


def queries(paths: list[str], repeat: int = 30) -> dict:
    client = Client(HTTP_HOST=HOST)
    out = {}
    for path in paths:
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
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
        }
    return out


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
    elif command == "profile":
        profile(args[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
