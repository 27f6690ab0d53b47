from django.conf import settings
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from broadsheet.core.cache import DISCUSSIONS_ROW, version_bump

from .cache import discussions_changed
from .models import Comment, CommentStatus, DiscussionSettings


@receiver(post_save, sender=DiscussionSettings)
@receiver(post_delete, sender=DiscussionSettings)
def settings_changed(sender, **kwargs):
    # The settings are memoised per discussions version (selectors.discussion_settings).
    version_bump(DISCUSSIONS_ROW)


# What the thread shows of a comment's author.
_SHOWN_AUTHOR_FIELDS = frozenset({"display_name", "avatar", "first_name", "last_name", "username"})


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def author_renamed(sender, instance, created, update_fields=None, **kwargs):
    """A new display name or avatar shows under every comment of theirs at
    once: the memoised anonymous threads are rendered again (a sign-in, which
    saves only `last_login`, changes nothing shown)."""
    if created or (update_fields is not None and not _SHOWN_AUTHOR_FIELDS & set(update_fields)):
        return
    if Comment.objects.filter(author=instance, status=CommentStatus.VISIBLE).exists():
        version_bump(DISCUSSIONS_ROW)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def author_deleted(sender, instance, **kwargs):
    """A deleted account's comments stay, signed "deleted user", so the pages
    showing them are purged (counts do not change); its likes go with it, so
    the counters they added go too."""
    from wagtail.models import Page

    Comment.objects.filter(likes__user=instance, like_count__gt=0).update(
        like_count=F("like_count") - 1
    )
    page_ids = (
        Comment.objects.filter(author=instance, status=CommentStatus.VISIBLE)
        .values_list("page_id", flat=True)
        .distinct()
    )
    for page in Page.objects.filter(pk__in=list(page_ids)):
        discussions_changed(page=page)
