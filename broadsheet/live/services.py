"""Writes of live coverage: posts created, edited, published, pinned, deleted.

Permissions follow the story's page permissions: whoever may edit the story
(reporters) may write drafts; only whoever may *publish* it (editors)
publishes, edits or pins published posts and deletes posts.

Every change readers see is stored, then announced on the story's stream
(`live-<page id>`) by `event_publish` inside the same transaction, with the
post rendered once, in the story's language, the same for every reader. A
story that is not public yet (embargo, draft) gets no events: its posts are
stored and appear when the story does.
"""

import re

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from broadsheet.core.cache import content_version_bump
from broadsheet.core.reader_text import text_has_hidden_controls
from broadsheet.core.rich_text import rich_text_clean
from broadsheet.editions.selectors import edition_for
from broadsheet.news.purge import urls_purge
from broadsheet.realtime.services import event_publish

from .models import LivePost, LiveStoryPage, PostStatus

LIMITS = {"title": 200, "quote": 600, "quote_attribution": 160, "body": 20000, "embed_url": 500}


class LivePostRefused(Exception):
    """The action was refused; `message` says why. `status` is the HTTP
    status a view answers with (403 permission, 422 invalid input)."""

    def __init__(self, message: str, *, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


def user_can_draft(*, user, story: LiveStoryPage) -> bool:
    return bool(user and user.is_authenticated and story.permissions_for_user(user).can_edit())


def user_can_publish(*, user, story: LiveStoryPage) -> bool:
    return bool(user and user.is_authenticated and story.permissions_for_user(user).can_publish())


def _require_publish(user, story):
    if not user_can_publish(user=user, story=story):
        raise LivePostRefused(_("Only editors who may publish this story can do that."), status=403)


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if name in LIMITS:
            value = (value or "").strip()
            if text_has_hidden_controls(value):
                raise LivePostRefused(_("The text contains characters that are not allowed."))
            if len(value) > LIMITS[name]:
                raise LivePostRefused(
                    _("%(field)s is too long (at most %(limit)d characters).")
                    % {"field": LivePost._meta.get_field(name).verbose_name, "limit": LIMITS[name]}
                )
        cleaned[name] = value
    if "body" in cleaned:
        cleaned["body"] = rich_text_clean(cleaned["body"])
    if cleaned.get("quote_attribution") and not cleaned.get("quote"):
        raise LivePostRefused(_("An attribution needs a quote."))
    if cleaned.get("embed_url"):
        _check_embed(cleaned["embed_url"])
    return cleaned


def _check_embed(url: str) -> None:
    # The same check as an embed block in a story: the provider is asked once
    # now, and a source the site's CSP would block is refused while the
    # editor can still act.
    from django.core.exceptions import ValidationError
    from wagtail.blocks.struct_block import StructBlockValidationError

    from broadsheet.core.blocks.embeds import PrivacyEmbedBlock

    try:
        PrivacyEmbedBlock().clean({"url": url, "title": ""})
    except StructBlockValidationError as exc:
        errors = [e for error in exc.block_errors.values() for e in _messages(error)]
        raise LivePostRefused(" ".join(errors) or _("This address cannot be embedded.")) from exc
    except ValidationError as exc:
        raise LivePostRefused(" ".join(exc.messages)) from exc


def _messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


def _has_content(post: LivePost) -> bool:
    text = re.sub(r"<[^>]+>", "", post.body or "").strip()
    return bool(post.title or text or post.photo_id or post.quote or post.embed_url)


def post_html(post: LivePost) -> str:
    """The post as every reader sees it, in the story's language and edition time zone."""
    language = post.story.locale.language_code
    # Times in the edition's zone, as the story page prints them.
    zone = edition_for(language=language).time_zone
    with translation.override(language), timezone.override(zone):
        return render_to_string("live/includes/post.html", {"post": post, "story": post.story})


def _announce(post: LivePost, kind: str) -> None:
    """Store-then-push the change for readers, refresh memos, purge the CDN."""
    story = post.story
    content_version_bump()
    if not story.is_public:
        return
    if kind == "post.deleted":
        data = {"id": post.pk}
    else:
        data = {
            "id": post.pk,
            "html": post_html(post),
            "pinned": post.pinned,
            "published_at": post.published_at.isoformat(),
        }
    event_publish(stream=f"live-{story.pk}", kind=kind, data=data)
    base = story.get_full_url()
    urls = [story] + ([f"{base}posts/{post.pk}/"] if base else [])
    transaction.on_commit(lambda: urls_purge(urls))


def _set_authors(post: LivePost, authors) -> None:
    if authors is not None:
        post.authors.set(list(authors))


def live_post_create(
    *,
    user,
    story: LiveStoryPage,
    title: str = "",
    body: str = "",
    photo=None,
    quote: str = "",
    quote_attribution: str = "",
    embed_url: str = "",
    related_story=None,
    authors=None,
    publish: bool = False,
) -> LivePost:
    """A new post: a draft, or published at once by an editor. Each post is
    its own row, so editors posting at the same moment never overwrite
    each other."""
    if not user_can_draft(user=user, story=story):
        raise LivePostRefused(_("You may not post to this story."), status=403)
    if publish:
        _require_publish(user, story)
    fields = _clean_fields(
        {
            "title": title,
            "body": body,
            "quote": quote,
            "quote_attribution": quote_attribution,
            "embed_url": embed_url,
        }
    )
    post = LivePost(
        story=story, photo=photo, related_story=related_story, created_by=user, **fields
    )
    if not _has_content(post):
        raise LivePostRefused(_("Write something, or add a photo, quote or embed."))
    if publish:
        post.status = PostStatus.PUBLISHED
        post.published_at = timezone.now()
    with transaction.atomic():
        post.save()
        _set_authors(post, authors)
        if publish:
            _announce(post, "post.published")
    return post


def live_post_update(*, user, post: LivePost, authors=None, **changes) -> LivePost:
    """Edit a post. A reporter may edit their own drafts; a published post
    only an editor, and readers then see "Updated HH:MM"."""
    story = post.story
    if post.deleted:
        raise LivePostRefused(_("This post has been deleted."), status=404)
    if post.status == PostStatus.PUBLISHED or post.created_by_id != getattr(user, "pk", None):
        _require_publish(user, story)
    elif not user_can_draft(user=user, story=story):
        raise LivePostRefused(_("You may not post to this story."), status=403)
    allowed = {"title", "body", "photo", "quote", "quote_attribution", "embed_url", "related_story"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown post fields: {', '.join(sorted(unknown))}")
    text = _clean_fields({k: v for k, v in changes.items() if k in LIMITS})
    for name, value in {**changes, **text}.items():
        setattr(post, name, value)
    if not _has_content(post):
        raise LivePostRefused(_("Write something, or add a photo, quote or embed."))
    with transaction.atomic():
        if post.status == PostStatus.PUBLISHED:
            post.updated_at = timezone.now()
        post.save()
        _set_authors(post, authors)
        if post.status == PostStatus.PUBLISHED:
            _announce(post, "post.updated")
    return post


def live_post_publish(*, user, post: LivePost) -> LivePost:
    _require_publish(user, post.story)
    if post.deleted:
        raise LivePostRefused(_("This post has been deleted."), status=404)
    if post.status == PostStatus.PUBLISHED:
        return post
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED
        post.published_at = timezone.now()
        post.save(update_fields=["status", "published_at"])
        _announce(post, "post.published")
    return post


def live_post_pin(*, user, post: LivePost, pinned: bool = True) -> LivePost:
    _require_publish(user, post.story)
    if post.deleted:
        raise LivePostRefused(_("This post has been deleted."), status=404)
    if post.pinned == pinned:
        return post
    with transaction.atomic():
        post.pinned = pinned
        post.save(update_fields=["pinned"])
        if post.status == PostStatus.PUBLISHED:
            _announce(post, "post.pinned")
    return post


def live_post_delete(*, user, post: LivePost) -> LivePost:
    """Soft delete: the row stays, so the stream can tell open pages to drop it."""
    own_draft = post.status == PostStatus.DRAFT and post.created_by_id == getattr(user, "pk", None)
    if not (own_draft and user_can_draft(user=user, story=post.story)):
        _require_publish(user, post.story)
    if post.deleted:
        return post
    with transaction.atomic():
        post.deleted = True
        post.save(update_fields=["deleted"])
        if post.status == PostStatus.PUBLISHED:
            _announce(post, "post.deleted")
    return post
