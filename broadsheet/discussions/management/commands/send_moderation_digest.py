from django.core.management.base import BaseCommand

from broadsheet.discussions.tasks import moderation_digest_task


class Command(BaseCommand):
    help = (
        "Queue the moderators' daily summary of the comment queue (sent by the task worker). "
        "`run_scheduler` queues it once a day; this command is for cron or a manual run."
    )

    def handle(self, *args, **options):
        moderation_digest_task.enqueue()
        self.stdout.write("moderation digest queued")
