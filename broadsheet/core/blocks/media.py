from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Photo"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        max_length=400,
        required=False,
        help_text=_("Leave empty to use the photo's caption from the media bank."),
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Photo")
        description = _("A photo with its caption and credit line.")
