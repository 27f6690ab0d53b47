from django.dispatch import receiver

from broadsheet.news.live_events import story_public
from broadsheet.news.models import ArticlePage

from .services import breaking_alert_create


@receiver(story_public, sender=ArticlePage, dispatch_uid="mailings_breaking_alert")
def breaking_alert_on_public(sender, story, **kwargs):
    breaking_alert_create(story=story)
