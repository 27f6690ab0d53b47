"""Which public URLs change when a story is published, updated or withdrawn.

With a CDN configured (`WAGTAILFRONTENDCACHE`, see docs/deploy.md) these are
purged through wagtail.contrib.frontend_cache's backends; without one this is a
no-op. The app itself is deliberately not installed: its own signal handlers
purge inside the publishing transaction, before commit, and only the page.
https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
"""

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from broadsheet.core.origin import absolute_url


def story_purge_urls(story) -> list:
    """The story, the front page, its section, its authors' and tags' pages,
    the author and topic indexes and the newsfeed."""
    from .models import AuthorIndexPage, HomePage, TagIndexPage

    targets = [story]
    if story.section_id:
        targets.append(story.section)
    targets.extend(HomePage.objects.live())
    targets.extend(byline.author for byline in story.bylines.select_related("author"))
    # An author or topic is listed only while a public story carries it, so
    # the indexes change when one appears or goes.
    targets.extend(AuthorIndexPage.objects.live())
    tag_index = TagIndexPage.objects.live().first()
    if tag_index is not None:
        targets.append(tag_index)
        base = tag_index.get_full_url()
        if base:
            targets.extend(f"{base}{tag.slug}/" for tag in story.tags.all())
    targets.append(absolute_url(reverse("newsfeed")))
    return targets


def urls_purge(targets) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    for target in targets:
        if isinstance(target, str):
            batch.add_url(target)
        else:
            batch.add_page(target)
    batch.purge()
