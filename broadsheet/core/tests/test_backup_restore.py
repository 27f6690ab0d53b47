"""The backup and restore drill (issue 14): load a site, back it up, wipe it,
restore it, and find identical row counts per table, identical media
checksums and the stories served again.

SQLite runs as processes on a database file (the test database is in
memory), the way an operator runs it: `migrate`, a small newsroom,
`manage.py backup`, the database file and media directories deleted,
`manage.py restore`. PostgreSQL runs in this process on the test database:
backup, `DROP SCHEMA public CASCADE`, restore. Counts and checksums are
taken here, independently of the commands' own manifest.
"""

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from broadsheet.news.tests.browser_fixtures import REPO, _run, _work_dir, site_env

STORY_TITLES = ("Harbour reopens after storm", "Council votes on budget", "Late goal wins derby")


def drill_site() -> list[str]:
    """A small newsroom: a front page, a section, three stories with their
    lead photos and two renditions each. Returns the stories' URL paths."""
    from broadsheet.mediabank.factories import PhotoFactory
    from broadsheet.news.factories import (
        ArticlePageFactory,
        SectionPageFactory,
        front_page_install,
    )

    home = front_page_install()
    section = SectionPageFactory(parent=home, title="News", slug="news")
    paths = []
    for n, title in enumerate(STORY_TITLES):
        photo = PhotoFactory(seed=900 + n, size=(320, 200))
        for spec in ("fill-160x100", "width-120"):
            photo.get_rendition(spec)
        story = ArticlePageFactory(parent=section, title=title, seed=900 + n, lead_photo=photo)
        paths.append("/" + story.url_path.removeprefix(home.url_path))
    return paths


def tree_checksums(*roots: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under the roots."""
    result = {}
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                result[f"{Path(root).name}/{path.relative_to(root)}"] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return result


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def media_roots() -> tuple[Path, Path]:
    return Path(settings.MEDIA_ROOT), Path(settings.BROADSHEET_PRIVATE_MEDIA_ROOT)


# ----------------------------------------------------------- SQLite drill


def manage(args, env, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.sqlite
def test_drill_sqlite_file_database(tmp_path_factory):
    root = _work_dir(tmp_path_factory)
    try:
        env = site_env(root, "http://127.0.0.1:8000")
        # Test settings: the test client's host, and static files without a manifest.
        env.update(
            DJANGO_SETTINGS_MODULE="broadsheet.settings.test", DJANGO_ALLOWED_HOSTS="testserver"
        )
        database = root / "site.sqlite3"
        media, private = root / "media", root / "private-media"
        timings = {}
        started = time.monotonic()
        _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "drill.log")
        loader = (
            "import json; from broadsheet.core.tests.test_backup_restore import drill_site; "
            "print(json.dumps(drill_site()))"
        )
        loaded = manage(["shell", "-c", loader], env)
        assert loaded.returncode == 0, loaded.stderr
        story_paths = json.loads(loaded.stdout.strip().splitlines()[-1])
        timings["load"] = time.monotonic() - started

        counts, checksums = sqlite_counts(database), tree_checksums(media, private)
        with sqlite3.connect(database) as db:
            versions = dict(db.execute("SELECT id, version FROM core_contentversion"))
        assert counts["news_articlepage"] == 3 and counts["mediabank_photo"] == 3
        assert counts["mediabank_photorendition"] >= 6
        assert sum(1 for name in checksums if name.startswith("private-media/")) == 3

        started = time.monotonic()
        made = manage(["backup", "--output", str(root / "backups")], env)
        timings["backup"] = time.monotonic() - started
        assert made.returncode == 0, made.stderr
        archive = Path(made.stdout.splitlines()[0])
        assert archive.is_file() and archive.parent == root / "backups"

        # The disaster: the database file and every media file gone; a stray
        # file appears that the restore must remove.
        for path in root.glob("site.sqlite3*"):
            path.unlink()
        shutil.rmtree(media)
        shutil.rmtree(private)
        (media / "images").mkdir(parents=True)
        (media / "images" / "stray.jpg").write_bytes(b"not in the backup")

        started = time.monotonic()
        restored = manage(["restore", str(archive), "--noinput"], env)
        timings["restore"] = time.monotonic() - started
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "Restored and verified" in restored.stdout

        assert sqlite_counts(database) == counts
        assert tree_checksums(media, private) == checksums
        with sqlite3.connect(database) as db:
            moved = dict(db.execute("SELECT id, version FROM core_contentversion"))
        # Past any number a running process may have memoised (core/cache.py).
        assert moved.keys() == versions.keys()
        assert all(moved[row] > versions[row] for row in versions)
        fetch = (
            "import json; from django.test import Client; "
            f"pages = [Client().get(path) for path in {story_paths!r}]; "
            "print(json.dumps([[p.status_code, p.content.decode()] for p in pages]))"
        )
        served = manage(["shell", "-c", fetch], env)
        assert served.returncode == 0, served.stderr
        pages = json.loads(served.stdout.strip().splitlines()[-1])
        for (status, html), title in zip(pages, STORY_TITLES, strict=True):
            assert status == 200
            assert title in html
        print(f"SQLite drill timings (s): { ({k: round(v, 1) for k, v in timings.items()}) }")  # noqa: T201
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ------------------------------------------------------- PostgreSQL drill


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drill_postgresql(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not name a PostgreSQL database")
    from broadsheet.core.cache import content_version, memoized

    story_paths = drill_site()
    counts, checksums = live_counts(), tree_checksums(*media_roots())
    assert counts["news_articlepage"] == 3 and counts["mediabank_photorendition"] >= 6
    version = content_version()
    memoized("drill", lambda: "before the restore")

    started = time.monotonic()
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path), stdout=out)
    backup_seconds = time.monotonic() - started
    archive = Path(out.getvalue().splitlines()[0])

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    try:
        for root in media_roots():
            shutil.rmtree(root)
            root.mkdir()
        (media_roots()[0] / "stray.txt").write_text("not in the backup")

        started = time.monotonic()
        out = io.StringIO()
        call_command("restore", str(archive), interactive=False, stdout=out)
        restore_seconds = time.monotonic() - started
    except BaseException:
        # The rest of this process's tests share the database: give them its tables back.
        if "django_migrations" not in connection.introspection.table_names():
            call_command("migrate", verbosity=0)
        raise
    assert "Restored and verified" in out.getvalue()

    after = live_counts()
    assert after == counts
    assert tree_checksums(*media_roots()) == checksums
    assert content_version() > version
    assert memoized("drill", lambda: "after the restore") == "after the restore"
    client = Client()
    for path, title in zip(story_paths, STORY_TITLES, strict=True):
        response = client.get(path)
        assert response.status_code == 200
        assert title in response.content.decode()
    print(f"PostgreSQL drill: backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s")  # noqa: T201


# ------------------------------------------------------------- refusals


def _archive(path: Path, manifest: dict | None, database: bytes = b"junk") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        members = {"database/db.sqlite3": database}
        if manifest is not None:
            members["manifest.json"] = json.dumps(manifest).encode()
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(engine: str) -> dict:
    return {
        "format": 1,
        "created": "2026-12-07T12:00:00+00:00",
        "engine": engine,
        "database": "database/db.sqlite3",
        "migrations": {},
        "row_counts": {"news_articlepage": 0},
        "media": {"default": {}, "originals": {}},
    }


def assert_media_untouched(checksums: dict[str, str]) -> None:
    """Every file still there, unchanged. Files other test workers add to the
    shared test media folder meanwhile are not this test's business."""
    after = tree_checksums(*media_roots())
    assert {name: after.get(name) for name in checksums} == checksums


@pytest.fixture
def loaded_site(db):
    drill_site()
    sentinel = media_roots()[0] / "sentinel.txt"
    sentinel.write_text("still here")
    yield live_counts(), tree_checksums(*media_roots())
    sentinel.unlink(missing_ok=True)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(b"not an archive") or p, "Cannot read"),
        (lambda p: p, "Cannot read"),  # no file at all
        (lambda p: _archive(p, None), "no manifest.json"),
        (lambda p: _archive(p, {"format": 99}), "unknown manifest format"),
        (
            lambda p: _archive(
                p, _manifest("postgresql" if connection.vendor == "sqlite" else "sqlite")
            ),
            "Nothing was changed",
        ),
        (lambda p: _archive(p, _manifest(connection.vendor)), "does not match|unreadable|failed"),
    ],
    ids=["not-gzip", "missing", "no-manifest", "bad-format", "wrong-engine", "bad-database"],
)
def test_refusals_change_nothing(loaded_site, tmp_path, make, message):
    counts, checksums = loaded_site
    archive = make(tmp_path / "broadsheet-x.tar.gz")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), interactive=False, stdout=io.StringIO())
    assert live_counts() == counts
    assert_media_untouched(checksums)


def test_declined_confirmation_changes_nothing(loaded_site, tmp_path, monkeypatch):
    counts, checksums = loaded_site
    archive = _archive(tmp_path / "broadsheet-x.tar.gz", _manifest(connection.vendor))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert live_counts() == counts
    assert_media_untouched(checksums)


def test_make_targets_are_documented():
    makefile = (REPO / "Makefile").read_text()
    assert "\n.PHONY: backup restore\n" in makefile
    for target in ("backup", "restore"):
        assert f"\n{target}: " in makefile
