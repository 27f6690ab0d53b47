"""Template tags for the Wagtail admin's photo pages."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from broadsheet.mediabank.admin_views import user_can_swap_photo

register = template.Library()


@register.simple_tag(takes_context=True)
def photo_swap_url(context, photo) -> str:
    """The "Swap on all pages" URL for the photo, coming back to the current
    page afterwards, or "" if the user may not use it."""
    request = context["request"]
    if not user_can_swap_photo(request.user, photo):
        return ""
    url = reverse("mediabank_admin:photo_swap", args=[photo.pk])
    return f"{url}?{urlencode({'next': request.get_full_path()})}"
