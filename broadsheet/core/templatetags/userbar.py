"""`{% staff_userbar %}`: Wagtail's userbar, asked only when a reader could be
signed in.

`{% wagtailuserbar %}` loads the session and asks every authentication
backend for a permission on every page served. A request without a session
cookie has no signed-in user (edge/policy.request_is_anonymous decides the
same way), so it gets nothing without that work.
"""

from django import template
from django.conf import settings
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_userbar(context, position: str = "bottom-right") -> str:
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    return wagtailuserbar(context, position)
