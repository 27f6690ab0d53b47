from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.models import Embed


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

    def clean(self, value):
        # The provider is asked once, when the editor saves; Wagtail keeps the
        # answer (the Embed model) and readers' pages only read it.
        value = super().clean(value)
        try:
            embeds.get_embed(value["url"])
        except EmbedException as exc:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("We couldn't load anything to embed from this address.")
                    )
                }
            ) from exc
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        try:
            context["embed"] = stored_embed(value["url"])
        except EmbedException:
            context["embed"] = None
        return context


def stored_embed(url: str):
    """The embed fetched when the story was saved: never a network call while a
    reader waits. None if there is none (the block then renders a plain link)."""
    return Embed.objects.filter(url=url).order_by("-last_updated").first()
