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
    published: list[Page] = field(default_factory=list)
    drafts: list[Page] = field(default_factory=list)

    @property
    def pages(self) -> list[Page]:
        seen = {}
        for page in [*self.published, *self.drafts]:
            seen.setdefault(page.pk, page)
        return list(seen.values())

    @property
    def count(self) -> int:
        return len(self.pages)


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


@transaction.atomic
def photo_swap(*, old: Photo, new: Photo, user) -> SwapResult:
    """Replace `old` with `new` on every page, in one transaction.

    - a live page without unpublished changes: a swapped revision, published;
    - a live page with a draft: the live content swapped and published, then
      the draft swapped and saved again as the latest revision, so the editor
      keeps their unpublished changes (without the old photo);
    - a draft-only page: a swapped revision. Its row (which the reference
      index reads) is swapped too, so the page stops counting as a use.

    Page permissions are the caller's to check: this acts for the rights desk.
    """
    refusal = photo_swap_refusal(old=old, new=new)
    if refusal:
        raise SwapRefused(refusal)
    result = SwapResult()
    candidates = {page.pk: page for page in photo_pages(photo=old)}
    for page in photo_draft_pages(photo=old):
        candidates.setdefault(page.pk, page)
    for page_id in sorted(candidates):
        # Row locks keep a concurrent publish from slipping in between.
        page = Page.objects.select_for_update().get(pk=page_id).specific
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
        if page.live:
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
