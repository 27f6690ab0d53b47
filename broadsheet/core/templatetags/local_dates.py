"""`{{ value|local_date:"DAY_TIME_FORMAT" }}`: a date in a format the site's own
format modules (broadsheet/formats/<lang>/formats.py) define beyond Django's
names. Django's `date` filter only looks up its own names (DATE_FORMAT…)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import get_format_modules

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, name: str) -> str:
    for module in get_format_modules():
        pattern = getattr(module, name, None)
        if pattern:
            return date_filter(value, pattern)
    # A name no module of this language defines: Django's own lookup (which
    # returns an unknown name as a format string, so a typo shows up at once).
    return date_filter(value, name)
