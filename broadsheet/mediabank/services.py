"""Writes for the media bank: swapping a photo for another on every page."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from .models import Photo
from .usage import photo_draft_pages, photo_pages


class SwapRefused(Exception):
    """The replacement can't be used; the message says why, for the editor."""


@dataclass
class SwapResult:
    """What `photo_swap` did, page by page (specific pages, by the user's rights)."""

    # Live pages republished with the new photo.
    published: list[Page] = field(default_factory=list)
    # Latest revisions saved with the new photo, not published: the pending
    # drafts of the pages above, draft-only pages, and the `needs_publishing` ones.
    drafts: list[Page] = field(default_factory=list)
    # Live pages the user may edit but not publish whose live content has the
    # old photo: it stays there until an editor publishes the (swapped) draft.
    needs_publishing: list[Page] = field(default_factory=list)
    # Pages using the photo that the user may not edit: not changed at all.
    skipped: list[Page] = field(default_factory=list)

    @property
    def pages(self) -> list[Page]:
        """The pages changed (published or given a swapped draft)."""
        seen = {}
        for page in [*self.published, *self.drafts]:
            seen.setdefault(page.pk, page)
        return list(seen.values())

    @property
    def count(self) -> int:
        return len(self.pages)


@dataclass
class SwapPlan:
    """What `photo_swap` would do for this user, for the confirmation page."""

    # Live pages the user may publish: republished with the new photo.
    publish: list[Page] = field(default_factory=list)
    # Draft-only pages, and live pages the user may edit but not publish: the
    # new photo goes into a draft (see `needs_publishing`).
    draft: list[Page] = field(default_factory=list)
    # Pages the user may not edit: left as they are.
    skip: list[Page] = field(default_factory=list)

    @property
    def needs_publishing(self) -> list[Page]:
        return [page for page in self.draft if page.live]

    @property
    def count(self) -> int:
        return len(self.publish) + len(self.draft) + len(self.skip)


def _block_swap(block, value, old: Photo, new: Photo):
    """(value, changed) with every chooser of `old` in the block value set to `new`,
    at any depth of structs, lists and streams."""
    if isinstance(block, ImageChooserBlock):
        if value is not None and getattr(value, "pk", value) == old.pk:
            return new, True
        return value, False
    if isinstance(block, blocks.StreamBlock):
        changed = False
        for position, child in enumerate(value):
            swapped, child_changed = _block_swap(child.block, child.value, old, new)
            if child_changed:
                value[position] = (child.block_type, swapped, child.id)
                changed = True
        return value, changed
    if isinstance(block, blocks.ListBlock):
        changed = False
        for position, item in enumerate(list(value)):
            swapped, item_changed = _block_swap(block.child_block, item, old, new)
            if item_changed:
                value[position] = swapped
                changed = True
        return value, changed
    if isinstance(block, blocks.StructBlock):
        changed = False
        for name, child_block in block.child_blocks.items():
            if name not in value:
                continue
            swapped, child_changed = _block_swap(child_block, value[name], old, new)
            if child_changed:
                value[name] = swapped
                changed = True
        return value, changed
    return value, False


def _object_swap(obj, old: Photo, new: Photo) -> bool:
    """Swap `old` for `new` in the object's photo foreign keys, StreamFields and
    inline children (e.g. gallery photos), in memory. True if anything changed."""
    changed = False
    for model_field in obj._meta.concrete_fields:
        if model_field.many_to_one and issubclass(model_field.related_model, Photo):
            if getattr(obj, model_field.attname) == old.pk:
                setattr(obj, model_field.name, new)
                changed = True
        elif isinstance(model_field, StreamField):
            stream = getattr(obj, model_field.attname)
            if stream is not None:
                _, stream_changed = _block_swap(model_field.stream_block, stream, old, new)
                changed |= stream_changed
    if isinstance(obj, ClusterableModel):
        for relation in get_all_child_relations(obj):
            manager = getattr(obj, relation.get_accessor_name())
            children = list(manager.all())
            swapped = [_object_swap(child, old, new) for child in children]
            if any(swapped):
                # modelcluster keeps the edited children in memory; the revision
                # serialises them and publishing writes them to their table.
                manager.set(children)
                changed = True
    return changed


def photo_swap_refusal(*, old: Photo, new: Photo | None) -> str | None:
    """Why `new` can't replace `old`, or None if it can."""
    if new is None:
        return _("Choose the replacement photo.")
    if new.pk == old.pk:
        return _("The replacement must be a different photo.")
    if not new.is_usable:
        return _("The replacement photo is withdrawn or its licence has expired.")
    return None


PUBLISH, DRAFT, SKIP = "publish", "draft", "skip"


def _page_action(page: Page, user) -> str:
    """What the swap may do to `page` for `user`, by Wagtail's page permissions:
    PUBLISH a live page, DRAFT (a draft-only page, or a live page the user may
    edit but not publish), or SKIP a page the user may not edit.

    Page locks and workflows are not consulted: the swap is a rights fix, and a
    page in moderation publishes its latest revision (the swapped one) when
    approved. A DRAFT is never submitted to moderation on the user's behalf.
    """
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        return SKIP
    if page.live and permissions.can_publish():
        return PUBLISH
    return DRAFT


def _uses(obj, photo: Photo) -> bool:
    """Whether the object (a page or a revision's page) uses the photo.

    Swaps the photo for itself, so every value stays the same and the walk is
    the swap's own. Only for objects that are not saved afterwards."""
    return _object_swap(obj, photo, photo)


def _candidate_ids(photo: Photo) -> list[int]:
    """Pages that may use the photo: the reference index (page rows) and
    drafts whose text mentions its id. Each is checked properly afterwards."""
    ids = {page.pk for page in photo_pages(photo=photo)}
    ids.update(page.pk for page in photo_draft_pages(photo=photo))
    return sorted(ids)


def _page_uses(page: Page, photo: Photo) -> bool:
    """Whether the page's live content (its row) or its pending draft uses the photo."""
    if _uses(page, photo):
        return True
    return page.has_unpublished_changes and _uses(page.get_latest_revision_as_object(), photo)


def photo_swap_plan(*, old: Photo, user) -> SwapPlan:
    """The pages using `old`, grouped by what `photo_swap` will do to them for
    `user`: published, saved as draft, or skipped. Reads only."""
    plan = SwapPlan()
    pages = Page.objects.filter(pk__in=_candidate_ids(old)).order_by("-pk").specific()
    for page in pages:
        if not _page_uses(page, old):
            continue  # the draft prefilter matched the id somewhere else
        action = _page_action(page, user)
        {PUBLISH: plan.publish, DRAFT: plan.draft, SKIP: plan.skip}[action].append(page)
    return plan


@transaction.atomic
def photo_swap(*, old: Photo, new: Photo, user) -> SwapResult:
    """Replace `old` with `new` on every page `user` may edit, in one transaction.

    By the user's page permissions (`_page_action`):

    - a live page they may publish, without unpublished changes: a swapped
      revision, published;
    - the same with a draft: the live content swapped and published, then the
      draft swapped and saved again as the latest revision, so the editor keeps
      their unpublished changes (without the old photo);
    - a live page they may edit but not publish (a reporter): the latest
      revision (the pending draft, or the live content) swapped and saved as a
      new draft, not published. The live page keeps the old photo until an
      editor publishes; an expired or withdrawn photo already shows as a
      placeholder there. Reported in `needs_publishing`;
    - a draft-only page: a swapped revision. Its row (which the reference
      index reads) is swapped too, so the page stops counting as a use;
    - a page they may not edit: left alone, reported in `skipped`.
    """
    refusal = photo_swap_refusal(old=old, new=new)
    if refusal:
        raise SwapRefused(refusal)
    result = SwapResult()
    for page_id in _candidate_ids(old):
        # Row locks keep a concurrent publish from slipping in between.
        page = Page.objects.select_for_update().get(pk=page_id).specific
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
        action = _page_action(page, user)
        if action == SKIP:
            if _page_uses(page, old):
                result.skipped.append(page)
            continue
        if page.live and action == PUBLISH:
            live_changed = _object_swap(page, old, new)
            if live_changed:
                revision = page.save_revision(user=user, log_action=True, clean=False)
                revision.publish(user=user, skip_permission_checks=True)
                result.published.append(page)
            # Publishing made the swapped live content the latest revision; the
            # editor's draft goes back on top, swapped or not.
            if draft is not None and (_object_swap(draft, old, new) or live_changed):
                draft.save_revision(user=user, log_action=True, clean=False)
                result.drafts.append(draft)
            continue
        if page.live:
            # May edit, may not publish: the row (live content, which the
            # reference index reads) stays as it is. The swap goes into the
            # latest content, saved as a revision; save_revision writes only
            # the revision bookkeeping to the row, never the content.
            latest = draft if draft is not None else type(page).objects.get(pk=page.pk)
            if _object_swap(latest, old, new):
                latest.save_revision(user=user, log_action=True, clean=False)
                result.drafts.append(latest)
            if _uses(page, old):
                result.needs_publishing.append(page)
            continue
        row_changed = _object_swap(page, old, new)
        if row_changed:
            page.save(clean=False)
        if draft is None:
            if row_changed:
                page.save_revision(user=user, log_action=True, clean=False)
                result.drafts.append(page)
        elif _object_swap(draft, old, new):
            draft.save_revision(user=user, log_action=True, clean=False)
            result.drafts.append(draft)
        elif row_changed:
            result.drafts.append(page)
    return result
