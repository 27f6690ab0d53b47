import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Copy the live SQLite database to DEST with SQLite's online backup API: "
        "consistent while the site keeps serving and writing. Never copy the file itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        if connection.vendor != "sqlite":
            raise CommandError("This database is not SQLite; use pg_dump -Fc (docs/deploy.md).")
        if destination.exists():
            raise CommandError(f"{destination} exists; choose a new file name.")
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            with target:
                # One step under one read snapshot: in WAL mode writers carry on meanwhile.
                connection.connection.backup(target)
            (result,) = target.execute("PRAGMA integrity_check").fetchone()
        finally:
            target.close()
        if result != "ok":
            raise CommandError(f"Backup failed its integrity check: {result}")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {destination} (integrity ok)."))
