from django.core.management.base import BaseCommand
from tqdm import tqdm

from broadsheet.news.demo import demo_build


class Command(BaseCommand):
    help = "Build the demo newsroom (idempotent: a second run adds only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=96)
        parser.add_argument("--photos", type=int, default=40)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        def progress(iterable, total, label):
            return tqdm(
                iterable,
                total=total,
                desc=label,
                unit=" items",
                disable=options["no_progress"],
                file=self.stderr._out,
            )

        summary = demo_build(
            articles=options["articles"], photos=options["photos"], progress=progress
        )
        made = ", ".join(f"{n} {what}" for what, n in summary.created.items() if n) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Demo newsroom ready (created: {made})."))
