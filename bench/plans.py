"""`make bench-plans`: the query plans of every listing's costliest queries,
with its memo empty (the first reader after a publish), on the database the
environment names (DATABASE_URL): PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)`,
SQLite's `EXPLAIN QUERY PLAN`.

For each page (bench/probe.py's pages plus the sitemaps) it requests the page
through Django's test client three times after clearing the memo, keeps the
fastest, and explains its --top slowest queries. It prints markdown and, with
--report, writes the section "## Query plans, <engine> (issue 14)" of
docs/benchmarks.md (replaced if there, else appended).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pg \\
        .venv/bin/python bench/plans.py --report
"""

import argparse
import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from run import benchmarks_section_write  # noqa: E402

from broadsheet.core.cache import memo_clear  # noqa: E402

LISTINGS = (
    "front",
    "article",
    "section",
    "tag",
    "author",
    "newsfeed",
    "newsfeed (90% deep)",
    "feed: site RSS",
    "feed: section Atom",
    "search: harbour",
)


def pages() -> dict[str, str]:
    from probe import urls

    found = urls()
    chosen = {name: found[name] for name in LISTINGS if name in found}
    chosen["sitemap index"] = "/sitemap.xml"
    chosen["sitemap (pages)"] = "/sitemap-pages.xml"
    chosen["sitemap (this month)"] = f"/sitemap-stories-{_month(0)}.xml"
    chosen["sitemap (last month, full)"] = f"/sitemap-stories-{_month(1)}.xml"
    chosen["news sitemap"] = "/sitemap-news.xml"
    return chosen


def _month(back: int) -> str:
    """This UTC month (0), or the one before it (1): story sitemap names."""
    today = dt.datetime.now(dt.UTC).date()
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return f"{year:04d}-{month + 1:02d}"


def measure(client: Client, path: str) -> tuple[float, list[tuple[float, str, tuple]]]:
    best = None
    for _ in range(3):
        memo_clear()
        log = []

        def timed(execute, sql, params, many, context, log=log):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append(((time.perf_counter() - started) * 1000, sql, params))

        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        if best is None or elapsed < best[0]:
            best = (elapsed, log)
    return best


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def _short(sql: str) -> str:
    sql = re.sub(r'"[a-z_]+"\."([a-z_]+)"', r"\1", sql)
    sql = re.sub(r"SELECT .*? FROM", "SELECT … FROM", sql, count=1, flags=re.S)
    sql = re.sub(r"(%s, ){3,}%s", "…", sql)
    return sql[:400] + ("…" if len(sql) > 400 else "")


def report(top: int) -> str:
    from django.db.models import Count

    from broadsheet.news.models import ArticlePage

    stories = ArticlePage.objects.aggregate(n=Count("pk"))["n"]
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    version = connection.cursor().connection.info.server_version if engine == "PostgreSQL" else ""
    client = Client(HTTP_HOST="127.0.0.1")  # as bench/probe.py: a host ALLOWED_HOSTS takes
    lines = [
        f"## Query plans, {engine} (issue 14)",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} (UTC); {stories:,} stories; "
        f"{engine} {version}".rstrip(),
        "- Command: `make bench-plans` (`bench/plans.py --report`, DATABASE_URL naming the "
        "archive)",
        "- Each page with its memo empty (the first reader after a publish): server time, "
        f"queries, time in SQL, and the plans of its {top} slowest queries.",
        "",
        "| Page | Path | server ms | queries | SQL ms | slowest query ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    details = []
    for name, path in pages().items():
        client.get(path)
        elapsed, log = measure(client, path)
        slowest = sorted(log, key=lambda row: -row[0])[:top]
        lines.append(
            f"| {name} | `{path[:48]}` | {elapsed:.1f} | {len(log)} "
            f"| {sum(row[0] for row in log):.1f} | {slowest[0][0] if slowest else 0:.1f} |"
        )
        for ms, sql, params in slowest:
            details += [
                f"**{name}**, {ms:.1f} ms: `{_short(sql)}`",
                "",
                "```",
                explain(sql, params),
                "```",
                "",
            ]
    return "\n".join([*lines, "", *details])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=2, help="plans per page (default 2)")
    parser.add_argument("--report", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    section = report(args.top)
    print(section)
    if args.report:
        benchmarks_section_write(section)


if __name__ == "__main__":
    main()
