"""The publishing side of the fan-out benchmark: a separate Python process
with Django set up on the server's database, publishing live posts through
the live app's services as the posting desk's save does (bench/fanout.py runs it).

Commands on stdin, one JSON answer per line on stdout:
  info             the live story's page id and URL, and an ordinary story's URL
  presence         presence_counts() of the live story's stream
  one              publish one post; t0 = time.time() just before the call
  burst S MAX      publish posts back to back for S seconds (at most MAX)
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402


def live_story():
    """The demo's live story; one is made (a LiveStoryPage under World) if the
    demo database has none."""
    from broadsheet.live.factories import LiveStoryPageFactory
    from broadsheet.live.models import CoverageStatus, LiveStoryPage
    from broadsheet.mediabank.models import Photo
    from broadsheet.news.models import SectionPage

    story = (
        LiveStoryPage.objects.live()
        .filter(coverage_status=CoverageStatus.LIVE)
        .order_by("pk")
        .first()
    )
    if story is None:
        world = SectionPage.objects.live().get(slug="world")
        story = LiveStoryPageFactory(parent=world, lead_photo=Photo.objects.first())
    return story


def editor():
    from broadsheet.accounts.models import User

    return User.objects.filter(is_superuser=True).order_by("pk").first()


def publish(story, user, number: int) -> int:
    """One post as the posting desk's "Publish" saves it (live/admin_views.py:
    live_post_create with publish=True), in one transaction as a POST runs."""
    from broadsheet.live.services import live_post_create

    with transaction.atomic():
        post = live_post_create(
            user=user,
            story=story,
            title=f"Bench update {number}",
            body=f"<p>Update number {number} from the fan-out benchmark: the "
            "delegations met again this morning and agreed on a joint statement.</p>",
            publish=True,
        )
    return post.pk


def main() -> None:
    from broadsheet.news.models import ArticlePage

    story = live_story()
    user = editor()
    number = 0

    def say(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        command = line.split()
        if not command:
            break
        if command[0] == "info":
            article = ArticlePage.objects.published().newest_first().first()
            say({"page_id": story.pk, "live_url": story.url, "story_url": article.url})
        elif command[0] == "presence":
            from broadsheet.realtime.selectors import presence_counts

            stream = f"live-{story.pk}"
            say({"presence": presence_counts(streams=[stream]).get(stream, 0)})
        elif command[0] == "one":
            number += 1
            t0 = time.time()
            pk = publish(story, user, number)
            say({"t0": t0, "post": pk, "ms": (time.time() - t0) * 1000})
        elif command[0] == "burst":
            seconds, most = float(command[1]), int(command[2])
            start = time.time()
            count = 0
            while count < most and time.time() - start < seconds:
                number += 1
                publish(story, user, number)
                count += 1
            say({"t_start": start, "t_end": time.time(), "count": count})


if __name__ == "__main__":
    main()
