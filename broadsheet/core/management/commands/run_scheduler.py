import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from broadsheet.alerts.tasks import push_alerts_resume_run
from broadsheet.core.fragments import stale_keys_prune
from broadsheet.core.services import database_statistics_refresh, scheduled_publishing_run
from broadsheet.discussions.tasks import moderation_digest_schedule
from broadsheet.edge.services import edge_purges_send
from broadsheet.mailings.services import mailings_schedule_run
from broadsheet.mediabank.rights import photo_expiries_run
from broadsheet.news.live_events import stories_announce_run
from broadsheet.realtime.services import event_prune_run
from broadsheet.subscriptions.services import pending_prune_run


class Command(BaseCommand):
    help = (
        "Publish and unpublish scheduled pages every BROADSHEET_SCHEDULER_INTERVAL seconds, "
        "so embargoed stories go live without a person, and withdraw the files of photos whose "
        "licence has expired (mediabank/rights.py), and queue the moderators' daily digest of the "
        "comment queue (discussions/tasks.py), tell open newsfeeds of stories whose embargo "
        "time has passed (news/live_events.py), compose and send "
        "newsletter digests and resume sends whose worker died (mailings/services.py), and "
        "send edge purges still due (broadsheet/edge, retried with backoff), "
        "prune the realtime event log, refresh SQLite's planner statistics hourly "
        "(REALTIME_RETENTION_DAYS), delete subscriptions never confirmed "
        "(SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS) and resume browser alerts. `make run` starts it; "
        "in production "
        "run it as its own service."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.BROADSHEET_SCHEDULER_INTERVAL)
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args, interval, once, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            run = scheduled_publishing_run()
            for title in photo_expiries_run():
                self.stdout.write(f"photo withdrawn or expired, renditions removed: {title}")
            for title in run.published:
                self.stdout.write(f"published: {title}")
            for title in run.unpublished:
                self.stdout.write(f"unpublished: {title}")
            for story in stories_announce_run():
                self.stdout.write(f"embargo lifted, announced: {story.title}")
            if moderation_digest_schedule():
                self.stdout.write("moderation digest queued")
            if queued := push_alerts_resume_run():
                self.stdout.write(f"browser alerts resumed: {queued} task(s) queued")
            for line in mailings_schedule_run():
                self.stdout.write(line)
            if pruned := event_prune_run():
                self.stdout.write(f"realtime events pruned: {pruned}")
            if purged := edge_purges_send():
                self.stdout.write(f"edge purges sent: {purged} key(s)")
            if unconfirmed := pending_prune_run():
                self.stdout.write(f"unconfirmed subscriptions deleted: {unconfirmed}")
            stale_keys_prune()
            database_statistics_refresh()
            if once:
                return
            for _ in range(interval * 10):
                if stopping:
                    return
                time.sleep(0.1)
