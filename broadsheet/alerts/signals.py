"""Breaking stories alert browsers and open pages when they become public."""

from broadsheet.news.live_events import story_public

from .services import story_alert


def story_public_received(sender, story, **kwargs):
    story_alert(story=story)


def connect() -> None:
    story_public.connect(story_public_received, dispatch_uid="alerts.story_public")
