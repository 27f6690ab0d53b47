from contextlib import nullcontext

from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from broadsheet.accounts.models import User
from broadsheet.chats.demo import chats_demo_build
from broadsheet.core.services import database_statistics_refresh
from broadsheet.demo.indexes import indexes_deferred, indexes_rebuild
from broadsheet.editions.demo import editions_demo_build
from broadsheet.editions.newsroom.demo import newsroom_demo_build
from broadsheet.live.demo import live_demo_build
from broadsheet.live.models import LiveStoryPage
from broadsheet.mailings.demo import mailings_demo_build
from broadsheet.mediabank.demo_bank import bank_archive_build
from broadsheet.news.demo import DEMO_READERS, demo_build
from broadsheet.news.demo_archive import archive_build
from broadsheet.news.demo_identity import demo_identity_build
from broadsheet.news.models import SectionPage
from broadsheet.subscriptions.demo import subscriptions_demo_build

# Above this many stories the rest are written in bulk (demo_archive.py).
ARCHIVE_THRESHOLD = 1000
# How many stories the full demo path (factories, revisions, publishing) makes then.
DEMO_STORIES = 96


def _chat_rooms_build() -> int:
    """The demo rooms: world news, politics, and the one beside the live story."""
    readers = list(User.objects.filter(username__in=[name for name, _ in DEMO_READERS]))
    politics = SectionPage.objects.filter(slug="politics").first()
    live_story = LiveStoryPage.objects.filter(coverage="live").order_by("pk").first()
    return chats_demo_build(readers=readers, section=politics, story=live_story)


class Command(BaseCommand):
    help = (
        "Build the demo newsroom (idempotent: a second run adds only what is missing). "
        f"Up to {ARCHIVE_THRESHOLD} stories are made one by one through the factories and "
        "published with a revision (~50 ms each). With --articles above that, or --archive, "
        f"the newest {DEMO_STORIES} are made that way and the rest are bulk-loaded as an "
        "archive going back years (demo_archive.py; 100,000 stories in a few minutes), "
        "for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=96,
            help=f"Total number of stories (default 96; above {ARCHIVE_THRESHOLD} uses the "
            "bulk archive loader).",
        )
        parser.add_argument("--photos", type=int, default=40)
        parser.add_argument(
            "--archive",
            action="store_true",
            help=f"Bulk-load the stories beyond the first {DEMO_STORIES} whatever their number.",
        )
        parser.add_argument(
            "--renditions",
            choices=["background", "now"],
            default="background",
            help="'background' (default): the task worker makes the photos' renditions "
            "while the site already serves (make run); 'now': make them before returning "
            "(~3 s per photo; benchmarks).",
        )
        parser.add_argument(
            "--bank-photos",
            type=int,
            default=0,
            help="Bulk-add archive photos to the media bank up to this many (benchmarks; "
            "mediabank/demo_bank.py).",
        )
        parser.add_argument(
            "--no-editions",
            action="store_true",
            help="Only the English newsroom: no ru/es/ar editions (editions/demo.py, ~70 s).",
        )
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

        articles = options["articles"]
        bulk = options["archive"] or articles > ARCHIVE_THRESHOLD
        # A bulk archive is indexed on demand (demo_archive.py), not here.
        with nullcontext() if bulk else indexes_deferred():
            summary = demo_build(
                articles=min(articles, DEMO_STORIES) if bulk else articles,
                photos=options["photos"],
                progress=progress,
            )
            demo_identity_build()
            for what, count in live_demo_build().items():
                summary.add(what, count)
            summary.add("chat room", _chat_rooms_build())
            # After the English tree, live story and rooms it translates;
            # before the lists and digests.
            if not options["no_editions"]:
                for what, count in editions_demo_build(progress=progress).items():
                    summary.add(what, count)
            for what, count in subscriptions_demo_build().items():
                summary.add(what, count)
            for what, count in mailings_demo_build().items():
                summary.add(what, count)
            # After every edition's front page exists: its groups and editor.
            for what, count in newsroom_demo_build().items():
                summary.add(what, count)
            if bulk and articles > DEMO_STORIES:
                summary.add(
                    "archive story",
                    archive_build(stories=articles - DEMO_STORIES, progress=progress),
                )
            if options["bank_photos"]:
                summary.add(
                    "bank photo",
                    bank_archive_build(photos=options["bank_photos"], progress=progress),
                )
            if options["renditions"] == "now":
                call_command(
                    "make_renditions", no_progress=options["no_progress"], stdout=self.stderr
                )
        if not bulk and any(summary.created.values()):
            indexes_rebuild()
        # A bulk-loaded archive is served at once: plan its queries on statistics.
        database_statistics_refresh(force=True)
        made = ", ".join(f"{n} {what}" for what, n in summary.created.items() if n) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Demo newsroom ready (created: {made})."))
