"""Which public URLs change when a story is published, updated or withdrawn.

With a CDN configured (`WAGTAILFRONTENDCACHE`, see docs/deploy.md) these are
purged through wagtail.contrib.frontend_cache's backends; without one this is a
no-op. The app itself is deliberately not installed: its own signal handlers
purge inside the publishing transaction, before commit, and only the page.
https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from broadsheet.core.origin import absolute_url


def story_purge_urls(story) -> list:
    """The story, the front page, its section, its authors' and tags' pages,
    the author and topic indexes, the newsfeed and every feed it is in."""
    from .models import AuthorIndexPage, HomePage, TagIndexPage

    targets = [story]
    if story.section_id:
        targets.append(story.section)
    targets.extend(HomePage.objects.live())
    authors = [byline.author for byline in story.bylines.select_related("author")]
    targets.extend(authors)
    # An author or topic is listed only while a public story carries it, so
    # the indexes change when one appears or goes.
    targets.extend(AuthorIndexPage.objects.live())
    tags = list(story.tags.all())
    tag_index = TagIndexPage.objects.live().first()
    if tag_index is not None:
        targets.append(tag_index)
        base = tag_index.get_full_url()
        if base:
            targets.extend(f"{base}{tag.slug}/" for tag in tags)
    targets.append(absolute_url(reverse("newsfeed")))
    targets.extend(_feed_urls(story, authors, tags))
    return targets


def _feed_urls(story, authors, tags) -> list[str]:
    """The site's feed and the story's section, author and topic feeds, in
    every format and language (news/feeds/: a CDN keeps them a minute)."""
    feeds = [("feed_site", {})]
    if story.section_id:
        feeds.append(("feed_section", {"slug": story.section.slug}))
    feeds += [("feed_author", {"slug": author.slug}) for author in authors]
    feeds += [("feed_topic", {"slug": tag.slug}) for tag in tags]
    urls = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, kwargs in feeds:
                for fmt in ("xml", "atom", "json"):
                    try:
                        urls.append(absolute_url(reverse(name, kwargs={"fmt": fmt, **kwargs})))
                    except NoReverseMatch:
                        # A tag slug with letters beyond ASCII has no topic
                        # page or feed (the URL's slug converter refuses it).
                        continue
    return urls


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
