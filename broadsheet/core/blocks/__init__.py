"""StreamField blocks shared by every page type.

One module per block family; `STORY_BODY_BLOCKS` is the registry page types
build their bodies from. Every block has a template in templates/blocks/,
an icon, a description and a preview value for the admin's block picker.
https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from .embeds import PrivacyEmbedBlock
from .figures import KeyFiguresBlock
from .media import CaptionedImageBlock
from .stories import GalleryCardBlock, RelatedStoryBlock
from .text import FactBoxBlock, ParagraphBlock, QuoteBlock, SubheadingBlock

STORY_BODY_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("subheading", SubheadingBlock()),
    ("quote", QuoteBlock()),
    ("image", CaptionedImageBlock()),
    ("related_story", RelatedStoryBlock()),
    ("gallery", GalleryCardBlock()),
    ("fact_box", FactBoxBlock()),
    ("key_figures", KeyFiguresBlock()),
    ("embed", PrivacyEmbedBlock()),
]

__all__ = [
    "STORY_BODY_BLOCKS",
    "CaptionedImageBlock",
    "FactBoxBlock",
    "GalleryCardBlock",
    "KeyFiguresBlock",
    "ParagraphBlock",
    "PrivacyEmbedBlock",
    "QuoteBlock",
    "RelatedStoryBlock",
    "SubheadingBlock",
]
