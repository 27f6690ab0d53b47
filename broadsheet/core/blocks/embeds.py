from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
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

    url = blocks.URLBlock(label=_("Address"), help_text=_("A YouTube or Vimeo address."))
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
            embed = embeds.get_embed(value["url"])
        except EmbedException as exc:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("We couldn't load anything to embed from this address.")
                    )
                }
            ) from exc
        refused = refused_sources(embed.html or "")
        if refused:
            # Saved anyway, the reader's browser would refuse it under the
            # Content-Security-Policy: say so now, while the editor can act.
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "This site's security policy does not allow content from %(origins)s. "
                            "Embeds may show frames from: %(allowed)s."
                        )
                        % {
                            "origins": ", ".join(refused),
                            "allowed": ", ".join(settings.BROADSHEET_CSP_FRAME_SRC) or "-",
                        }
                    )
                }
            )
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


class _Sources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "iframe":
            self.frames.append(src)
        elif tag == "script":
            self.scripts.append(src or "inline script")


def refused_sources(html: str) -> list[str]:
    """What in a provider's HTML the public pages' CSP would block: frames
    from origins outside BROADSHEET_CSP_FRAME_SRC, and any script (scripts run
    from this site only). X, Instagram or TikTok posts, for instance, are a
    quote plus the provider's script."""
    parser = _Sources()
    parser.feed(html)
    allowed = {origin.rstrip("/") for origin in settings.BROADSHEET_CSP_FRAME_SRC}
    frames = [_origin(src) for src in parser.frames]
    refused = [origin for origin in frames if origin not in allowed]
    refused += [_origin(src) for src in parser.scripts]
    return list(dict.fromkeys(refused))


def _origin(src: str) -> str:
    parts = urlsplit(src)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else src
