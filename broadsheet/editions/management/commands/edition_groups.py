from django.core.management.base import BaseCommand

from broadsheet.editions.permissions import edition_groups_ensure_all


class Command(BaseCommand):
    help = (
        "Create or complete each edition's groups (Editors · <edition> publish in it, "
        "Reporters · <edition> write in it). Idempotent. Editions without a front page "
        "are skipped: run again once they have one (saving a front page also does it)."
    )

    def handle(self, *args, **options):
        found = edition_groups_ensure_all()
        for code, groups in found.items():
            self.stdout.write(f"{code}: " + ", ".join(g.name for g in groups.values()))
        if not found:
            self.stdout.write("No edition has a front page yet.")
