from django.core.management.base import BaseCommand

from broadsheet.alerts.vapid import keys_generate


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for WEBPUSH_VAPID_PUBLIC_KEY / WEBPUSH_VAPID_PRIVATE_KEY. "
        "Generate it once: browsers subscribed with one public key receive nothing signed "
        "with another."
    )
    requires_system_checks = []

    def handle(self, *args, **options):
        public, private = keys_generate()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={private}")
