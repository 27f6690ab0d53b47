from django.apps import apps
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

    def get_preview_value(self):
        """The newest photo the site may show, from the media bank."""
        photo_model = apps.get_model("mediabank", "Photo")
        usable = [p for p in photo_model.objects.order_by("-created_at", "-pk")[:20] if p.is_usable]
        return self.normalize({"image": usable[0] if usable else None, "caption": ""})
