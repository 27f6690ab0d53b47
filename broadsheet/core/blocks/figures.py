from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(
        label=_("Number"), max_length=24, help_text=_("As printed, e.g. '4.2 bn' or '37%'.")
    )
    label = blocks.CharBlock(label=_("What it counts"), max_length=120)

    class Meta:
        icon = "order"


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, label=_("Figures"))

    class Meta:
        icon = "table"
        template = "blocks/key_figures.html"
        label = _("Key figures")
        description = _("Up to six numbers with what they count.")
        preview_value = {
            "title": "In numbers",
            "figures": [
                {"number": "1.3 m", "label": "people displaced"},
                {"number": "37%", "label": "rise in food prices"},
            ],
        }
