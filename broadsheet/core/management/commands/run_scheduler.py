import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Publish and unpublish scheduled pages every BROADSHEET_SCHEDULER_INTERVAL seconds, "
        "so embargoed stories go live without a person. `make run` starts it; in production "
        "run it as its own service (or call `publish_scheduled` from cron)."
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
            call_command("publish_scheduled", verbosity=options["verbosity"] > 1 and 1 or 0)
            if once:
                return
            for _ in range(interval * 10):
                if stopping:
                    return
                time.sleep(0.1)
