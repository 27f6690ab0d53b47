from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from broadsheet.core.surrogate import page_key, surrogate_keys_add


class PublicPageCardBlock(blocks.StructBlock):
    """A card for another page, checked at render time: a page that is
    embargoed, unpublished or deleted is never revealed, the card renders
    nothing. Subclasses name the template variable with `context_name`."""

    context_name = "page"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        page = page.specific if page else None
        if page is not None:
            # Named even while hidden, so its publish or embargo lift reaches
            # the pages that would show it (core/surrogate.py).
            surrogate_keys_add(page_key(page.pk))
        context[self.context_name] = page if page is not None and page.is_public else None
        return context


class RelatedStoryBlock(PublicPageCardBlock):
    """A card for another story."""

    context_name = "story"

    page = blocks.PageChooserBlock(label=_("Story"), page_type="news.ArticlePage")
    label = blocks.CharBlock(
        label=_("Label"), max_length=40, required=False, help_text=_("Defaults to 'Read also'.")
    )

    class Meta:
        icon = "link"
        template = "blocks/related_story.html"
        label = _("Related story")
        description = _("A card linking to another story: headline, photo and time.")

    def get_preview_value(self):
        """The newest story readers can see."""
        story = apps.get_model("news", "ArticlePage").objects.published().newest_first().first()
        return self.normalize({"page": story, "label": ""})


class GalleryCardBlock(PublicPageCardBlock):
    """A card for a photo gallery ("… in pictures")."""

    context_name = "gallery"

    page = blocks.PageChooserBlock(label=_("Gallery"), page_type="news.GalleryPage")

    class Meta:
        icon = "image"
        template = "blocks/gallery_card.html"
        preview_template = "blocks/gallery_card_preview.html"
        label = _("Gallery card")
        description = _("A card linking to a photo gallery: cover photo, title and photo count.")

    def get_preview_value(self):
        """The newest gallery readers can see; with none, an empty card."""
        gallery_page = apps.get_model("news", "GalleryPage")
        gallery = (
            gallery_page.objects.live()
            .filter(published_at__lte=timezone.now())
            .order_by("-published_at", "-pk")
            .first()
        )
        return self.normalize({"page": gallery})
