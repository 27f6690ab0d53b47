from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.backup import BackupError, check_compatible, read_manifest, restore, summary_of


class Command(BaseCommand):
    help = (
        "Replace the database and all media with those of an archive made by "
        "`manage.py backup`, then check them against its manifest. "
        "docs/deploy.md, 'Backup and restore'."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive: Path, interactive: bool, **options):
        try:
            manifest = read_manifest(archive)
            check_compatible(manifest)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{archive}: {manifest['engine']} backup of {manifest['created']}, "
            f"{summary_of(manifest)}."
        )
        if interactive:
            answer = input(
                "This REPLACES the database and deletes media files not in the archive. "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            problems = restore(archive, manifest, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Restored, but {len(problems)} differences from the manifest.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {summary_of(manifest)} identical to the manifest."
            )
        )
