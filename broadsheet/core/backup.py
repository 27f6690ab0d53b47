"""Whole-site backup and restore: the database and every media file in one
archive, with a manifest to check a restore against (docs/deploy.md,
"Backup and restore").

An archive (`broadsheet-YYYYmmdd-HHMMSS.tar.gz`) holds:

- `database/db.sqlite3` (SQLite's online backup API: a consistent snapshot
  taken while the site keeps serving) or `database/db.pgdump`
  (`pg_dump --format=custom`, under the same exported snapshot the row
  counts are read in);
- `media/<storage>/<name>` for every file of the media storages
  (`default`: public media and renditions; `originals`: the private photo
  originals), walked through the storage API so S3 buckets work too;
- `manifest.json`: engine, last migration per app, row counts per table,
  sha256 and size of every media file, creation time.

A restore reads and checks the whole archive in a staging directory before
it changes anything, then replaces the database and the media, checks the
result against the manifest, and moves the content version past any number
a running process may have memoised (core/cache.py).
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_STORAGES = ("default", "originals")
DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
PG_DUMP = os.environ.get("PG_DUMP", shutil.which("pg_dump") or "/usr/bin/pg_dump")
PG_RESTORE = os.environ.get("PG_RESTORE", shutil.which("pg_restore") or "/usr/bin/pg_restore")
CHUNK = 1 << 20


class BackupError(Exception):
    pass


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int

    def __str__(self):
        return f"{self.tables} tables, {self.rows} rows, {self.files} files, {self.bytes} bytes"


def summary_of(manifest: dict) -> Summary:
    files = [entry for entries in manifest["media"].values() for entry in entries.values()]
    return Summary(
        tables=len(manifest["row_counts"]),
        rows=sum(manifest["row_counts"].values()),
        files=len(files),
        bytes=sum(entry["size"] for entry in files),
    )


# ---------------------------------------------------------------- media


def media_aliases() -> list[str]:
    return [alias for alias in MEDIA_STORAGES if alias in settings.STORAGES]


def storage_walk(storage, path: str = "") -> Iterator[str]:
    """Every file name in `storage` under `path`, through listdir (works on S3)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:  # a FileSystemStorage whose directory is not there yet
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for name in sorted(directories):
        yield from storage_walk(storage, posixpath.join(path, name) if path else name)


def _hash_stream(stream, sink=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def media_checksums() -> dict[str, dict[str, dict]]:
    """{storage alias: {file name: {"sha256", "size"}}} of the live media."""
    result = {}
    for alias in media_aliases():
        storage = storages[alias]
        entries = {}
        for name in storage_walk(storage):
            with storage.open(name, "rb") as stream:
                sha, size = _hash_stream(stream)
            entries[name] = {"sha256": sha, "size": size}
        result[alias] = entries
    return result


# ------------------------------------------------------------- database


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_state(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, str]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {}
    for table in tables:
        counts[table] = db.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608
    migrations = {}
    if "django_migrations" in counts:
        migrations = dict(db.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app"))
    return counts, migrations


def _db_state_via_django() -> tuple[dict[str, int], dict[str, str]]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        migrations = {}
        if "django_migrations" in counts:
            cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
            migrations = dict(cursor.fetchall())
    return counts, migrations


def live_db_state() -> tuple[dict[str, int], dict[str, str]]:
    """(row counts per table, last migration per app) of the configured database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return _sqlite_state(connection.connection)
    return _db_state_via_django()


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = [program]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr}")


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with copy:
            # One step under one read snapshot: in WAL mode writers carry on meanwhile.
            connection.connection.backup(copy)
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"The database copy failed its integrity check: {check}")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_state(copy)
    finally:
        copy.close()


def _dump_postgres(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    # pg_dump reads the snapshot this transaction exports, so the row counts
    # in the manifest are those of the dump, whatever is written meanwhile.
    args, env = _pg_command(PG_DUMP)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                *args,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env,
        )
        return _db_state_via_django()


# --------------------------------------------------------------- backup


def backup(output_dir: Path) -> tuple[Path, Summary]:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"No backup for the {vendor} engine (SQLite and PostgreSQL only).")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    stem = f"broadsheet-{created:%Y%m%d-%H%M%S}"
    path, n = output_dir / f"{stem}.tar.gz", 1
    while path.exists():
        path, n = output_dir / f"{stem}-{n}.tar.gz", n + 1
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="broadsheet-backup-") as staging:
            dump = Path(staging) / DUMP_NAMES[vendor]
            counts, migrations = (_dump_sqlite if vendor == "sqlite" else _dump_postgres)(dump)
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(dump, arcname=f"database/{dump.name}")
                media = {}
                for alias in media_aliases():
                    media[alias] = _add_storage(tar, alias)
                manifest = {
                    "format": FORMAT,
                    "created": created.isoformat(),
                    "engine": vendor,
                    "database": f"database/{dump.name}",
                    "migrations": migrations,
                    "row_counts": counts,
                    "media": media,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, _BytesReader(data))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path, summary_of(manifest)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _add_storage(tar: tarfile.TarFile, alias: str) -> dict[str, dict]:
    storage, entries = storages[alias], {}
    for name in storage_walk(storage):
        with (
            storage.open(name, "rb") as stream,
            tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool,
        ):
            sha, size = _hash_stream(stream, spool)
            spool.seek(0)
            info = tarfile.TarInfo(f"media/{alias}/{name}")
            info.size, info.mtime = size, int(time.time())
            tar.addfile(info, spool)
        entries[name] = {"sha256": sha, "size": size}
    return entries


# -------------------------------------------------------------- restore


def read_manifest(archive: Path) -> dict:
    """The archive's manifest; BackupError if the archive cannot be read or has none."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                member = tar.getmember(MANIFEST)
            except KeyError:
                raise BackupError(f"{archive} has no {MANIFEST}: not a site backup.") from None
            manifest = json.load(tar.extractfile(member))
    except (OSError, tarfile.TarError, EOFError, ValueError) as error:
        raise BackupError(f"Cannot read {archive}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown manifest format.")
    return manifest


def check_compatible(manifest: dict) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest['engine']} database; this site is configured "
            f"for {connection.vendor}. Nothing was changed."
        )
    missing = set(manifest["media"]) - set(media_aliases())
    if missing:
        raise BackupError(f"The archive has media for storages not configured here: {missing}.")


def stage(archive: Path, manifest: dict, staging: Path) -> Path:
    """Extract the archive into `staging` and check every byte of it against
    the manifest; return the database dump's path. Changes nothing live."""
    wanted = {manifest["database"]} | {
        f"media/{alias}/{name}" for alias, entries in manifest["media"].items() for name in entries
    }
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name not in wanted:
                    continue
                if not member.isfile():
                    raise BackupError(f"{member.name} is not a regular file.")
                target = staging / member.name
                if staging.resolve() not in target.resolve().parents:
                    raise BackupError(f"Unsafe name in the archive: {member.name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink, CHUNK)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"Cannot read {archive}: {error}") from None
    for alias, entries in manifest["media"].items():
        for name, expected in entries.items():
            path = staging / "media" / alias / name
            if not path.is_file():
                raise BackupError(f"media/{alias}/{name} is missing from the archive.")
            with path.open("rb") as stream:
                if _hash_stream(stream)[0] != expected["sha256"]:
                    raise BackupError(f"media/{alias}/{name} does not match its checksum.")
    dump = staging / manifest["database"]
    if not dump.is_file():
        raise BackupError(f"{manifest['database']} is missing from the archive.")
    if manifest["engine"] == "sqlite":
        db = sqlite3.connect(dump)
        try:
            (check,) = db.execute("PRAGMA integrity_check").fetchone()
            counts, _ = _sqlite_state(db)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database in the archive is unreadable: {error}") from None
        finally:
            db.close()
        if check != "ok" or counts != manifest["row_counts"]:
            raise BackupError("The database in the archive does not match its manifest.")
    else:
        args, env = _pg_command(PG_RESTORE)
        _run([*args, "--list", str(dump)], env)
    return dump


def _versions() -> dict[int, int]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, version FROM core_contentversion")
            return dict(cursor.fetchall())
    except Exception:  # noqa: BLE001 - no table yet (an empty database)
        return {}


def _restore_database(dump: Path, engine: str) -> None:
    if engine == "sqlite":
        # SQLite's backup API in reverse: the live database's pages are replaced
        # in one write transaction, so a process that has the file open (a web
        # worker with a persistent connection) sees the old data or the new,
        # never half of each, and never keeps writing into a replaced file.
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    args, env = _pg_command(PG_RESTORE)
    _run(
        [
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        env,
    )


def _restore_media(staging: Path, manifest: dict) -> None:
    for alias, entries in manifest["media"].items():
        storage = storages[alias]
        present = set(storage_walk(storage))
        for name in sorted(present - set(entries)):
            storage.delete(name)
        for name, expected in entries.items():
            if name in present:
                with storage.open(name, "rb") as stream:
                    if _hash_stream(stream)[0] == expected["sha256"]:
                        continue
                storage.delete(name)
            with (staging / "media" / alias / name).open("rb") as source:
                saved = storage.save(name, File(source, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"{alias} storage saved {name} as {saved}.")


def verify(manifest: dict) -> list[str]:
    """What differs between the live site and the manifest (empty if nothing)."""
    problems = []
    counts, _ = live_db_state()
    for table, expected in sorted(manifest["row_counts"].items()):
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, expected {expected}")
    live = media_checksums()
    for alias, entries in sorted(manifest["media"].items()):
        have = live.get(alias, {})
        for name in sorted(set(entries) | set(have)):
            if name not in have:
                problems.append(f"{alias}:{name} missing")
            elif name not in entries:
                problems.append(f"{alias}:{name} not in the archive")
            elif have[name]["sha256"] != entries[name]["sha256"]:
                problems.append(f"{alias}:{name} checksum differs")
    return problems


def _move_content_versions(before: dict[int, int]) -> None:
    """Set every content version past both the restored number and the one
    before the restore: versions only grow, so no process can have memoised
    the new numbers (a restore may set them back; core/cache.py)."""
    from .cache import CONTENT_ROW, memo_clear
    from .models import ContentVersion

    restored = _versions()
    for row in sorted(set(restored) | {CONTENT_ROW}):
        version = max(before.get(row, 0), restored.get(row, 0)) + 1
        ContentVersion.objects.update_or_create(pk=row, defaults={"version": version})
    memo_clear()
    if "renditions" in settings.CACHES:
        caches["renditions"].clear()


def restore(archive: Path, manifest: dict, *, log=lambda message: None) -> list[str]:
    """Replace the database and media with the archive's; return the problems
    the check against the manifest found (empty: identical)."""
    check_compatible(manifest)
    with tempfile.TemporaryDirectory(prefix="broadsheet-restore-") as name:
        staging = Path(name)
        dump = stage(Path(archive), manifest, staging)
        log("Archive read and checked; replacing the database.")
        before = _versions()
        _restore_database(dump, manifest["engine"])
        log("Replacing the media files.")
        _restore_media(staging, manifest)
    problems = verify(manifest)
    _move_content_versions(before)
    return problems
