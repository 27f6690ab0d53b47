"""What a translation (wagtail-localize) shares with its source.

wagtail-localize derives this from the fields (text: translated; the rest:
copied on every sync). These declarations correct it where an edition must
own the value. A field named in `not_copied` is neither translated nor
copied on sync, and is also left out when the translation is first made
(`exclude_fields_in_copy`, read by Wagtail's copy_for_translation): the
translation gets its own value.
https://wagtail-localize.org/stable/concept/translatable-fields/
"""

from wagtail_localize.fields import BaseTranslatableField


def not_copied(*names: str) -> list[BaseTranslatableField]:
    # The base class is neither translated nor synchronised.
    return [BaseTranslatableField(name) for name in names]
