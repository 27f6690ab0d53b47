"""`{% surrogate_page page %}`: a card or link printing another page's title
names it, so publishing that page again purges this answer at the edge
(core/surrogate.py). Prints nothing."""

from django import template

from broadsheet.core.surrogate import page_key, surrogate_keys_add

register = template.Library()


@register.simple_tag
def surrogate_page(page) -> str:
    if page is not None and page.pk:
        surrogate_keys_add(page_key(page.pk))
    return ""
