from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException


class PrivacyEmbedBlock(blocks.StructBlock):
    """An oEmbed (video, post, map) that loads only when the reader asks for it.

    The provider's HTML is kept in a <template> element, so no third-party
    request leaves the reader's browser until they click. Without JavaScript
    the reader gets a plain link to the original.
    """

    url = blocks.URLBlock(label=_("Address"), help_text=_("A YouTube, Vimeo, X… address."))
    title = blocks.CharBlock(
        label=_("Title"), max_length=160, required=False, help_text=_("What the reader will see.")
    )

    class Meta:
        icon = "media"
        template = "blocks/embed.html"
        label = _("Embed")
        description = _("A video or post from another site, loaded on click.")
        preview_value = {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Video"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        try:
            context["embed"] = embeds.get_embed(value["url"])
        except EmbedException:
            context["embed"] = None
        return context
