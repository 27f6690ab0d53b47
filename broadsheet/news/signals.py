"""Cache purges after publishing. Signals are used only for this kind of
decoupled side effect, and every purge runs after the transaction commits,
so a publish that fails halfway purges nothing and the live site is unchanged.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from broadsheet.core.cache import content_version_bump

from .models import ArticlePage, AuthorPage, HomePage, SectionPage, TagIndexPage
from .purge import story_purge_urls, urls_purge

_WATCHED = (ArticlePage, SectionPage, HomePage, AuthorPage, TagIndexPage)


def _on_change(instance):
    urls = story_purge_urls(instance) if isinstance(instance, ArticlePage) else [instance]

    def purge():
        content_version_bump()
        urls_purge(urls)

    transaction.on_commit(purge)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)
