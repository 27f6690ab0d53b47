from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class RelatedStoryBlock(blocks.StructBlock):
    """A card for another story.

    The chosen page is checked at render time, so a card never reveals a story
    that is embargoed, unpublished or deleted: it simply renders nothing.
    """

    page = blocks.PageChooserBlock(label=_("Story"), page_type="news.ArticlePage")
    label = blocks.CharBlock(
        label=_("Label"), max_length=40, required=False, help_text=_("Defaults to 'Read also'.")
    )

    class Meta:
        icon = "link"
        template = "blocks/related_story.html"
        label = _("Related story")
        description = _("A card linking to another story: headline, photo and time.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        story = page.specific if page else None
        context["story"] = story if story is not None and story.is_public else None
        return context


class GalleryCardBlock(blocks.StructBlock):
    """A card for a photo gallery ("… in pictures").

    Like RelatedStoryBlock, the gallery is checked at render time: an
    unpublished, embargoed or deleted gallery renders nothing.
    """

    page = blocks.PageChooserBlock(label=_("Gallery"), page_type="news.GalleryPage")

    class Meta:
        icon = "image"
        template = "blocks/gallery_card.html"
        label = _("Gallery card")
        description = _("A card linking to a photo gallery: cover photo, title and photo count.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        gallery = page.specific if page else None
        context["gallery"] = gallery if gallery is not None and gallery.is_public else None
        return context
