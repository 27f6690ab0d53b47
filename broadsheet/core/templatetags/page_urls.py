"""`{% page_url page %}`: Wagtail's `{% pageurl %}` from the per-process memo
(core/page_urls.py), for pages that print an address on every request."""

from django import template

from broadsheet.core.page_urls import page_url as page_url_memoized

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, page) -> str:
    return page_url_memoized(page, context.get("request"))
