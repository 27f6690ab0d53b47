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
