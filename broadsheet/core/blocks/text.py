from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import RichText

# Rich text stays small on purpose: a story's structure comes from blocks, not markup.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=PARAGRAPH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        label = _("Paragraph")
        description = _("Body text with bold, italic, links and lists.")
        preview_value = RichText(
            "<p>The summit opened on Monday with a call for a ceasefire and "
            "new talks on grain exports.</p>"
        )


class SubheadingBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        super().__init__(max_length=120, **kwargs)

    class Meta:
        icon = "title"
        template = "blocks/subheading.html"
        label = _("Subheading")
        description = _("A short heading that breaks a long story into parts.")
        preview_value = "What happens next"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"), max_length=120, help_text=_("Who said it.")
    )
    role = blocks.CharBlock(
        label=_("Role"),
        max_length=160,
        required=False,
        help_text=_("Their title or why they matter, e.g. 'Foreign minister'."),
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Quote")
        description = _("A pull quote with the speaker's name and role.")
        preview_value = {
            "quote": "We will not leave the table until there is an agreement.",
            "attribution": "Maria Okafor",
            "role": "Chief negotiator",
        }


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    body = blocks.RichTextBlock(label=_("Facts"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "blocks/fact_box.html"
        label = _("Fact box")
        description = _("Background facts set apart from the story.")
        preview_value = {
            "title": "The treaty in brief",
            "body": RichText("<ul><li>Signed in 1994</li><li>31 member states</li></ul>"),
        }
