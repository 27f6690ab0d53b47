"""Cache invalidation on publishing. Signals are used only for this kind of
decoupled side effect: the content version moves inside the publishing
transaction, and CDN purges run after it commits, so a publish that fails
halfway changes and purges nothing.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

from broadsheet.core.cache import content_version_bump
from broadsheet.core.models import SiteIdentity

from .models import ArticlePage, AuthorPage, HomePage, SectionPage, TagIndexPage
from .purge import story_purge_urls, urls_purge

_WATCHED = (ArticlePage, SectionPage, HomePage, AuthorPage, TagIndexPage)


def _on_change(instance):
    # The version moves inside the transaction: it commits (or rolls back)
    # with the change itself. CDN purges wait for the commit.
    content_version_bump()
    urls = story_purge_urls(instance) if isinstance(instance, ArticlePage) else [instance]
    transaction.on_commit(lambda: urls_purge(urls))


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)


@receiver(post_save, sender=SiteIdentity)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_settings_changed(sender, **kwargs):
    content_version_bump()


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)
