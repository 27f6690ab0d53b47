from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and every media file (public media, renditions, photo "
        "originals) into one timestamped .tar.gz with a manifest of row counts and "
        "checksums. Safe while the site runs. docs/deploy.md, 'Backup and restore'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Directory for the archive (default: var/backups/).",
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            path, summary = backup(output or Path(settings.BASE_DIR) / "var" / "backups")
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"Backed up {summary}."))
