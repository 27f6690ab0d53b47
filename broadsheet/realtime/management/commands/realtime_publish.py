import json

from django.core.management.base import BaseCommand, CommandError

from broadsheet.realtime.services import event_publish


class Command(BaseCommand):
    help = (
        "Publish one realtime event, e.g. to check that open pages on every server process "
        "receive it: realtime_publish newsfeed ping '{\"id\": 0}'."
    )

    def add_arguments(self, parser):
        parser.add_argument("stream", help="newsfeed, live-<page id>, chat-<room id>")
        parser.add_argument("kind", help="what happened, e.g. ping")
        parser.add_argument("data", nargs="?", default="{}", help="a JSON object")

    def handle(self, *args, stream, kind, data, **options):
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as error:
            raise CommandError(f"data is not JSON: {error}") from None
        if not isinstance(payload, dict):
            raise CommandError("data must be a JSON object")
        try:
            event = event_publish(stream=stream, kind=kind, data=payload)
        except (ValueError, TypeError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(event.id))
