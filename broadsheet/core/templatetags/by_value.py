"""`{% include_by_value "template" name=value … %}`: an include rendered from
the given plain values alone, once per process per distinct values
(core/rendered.py). For the parts every page repeats for every reader: the
head's styles and scripts, the subscription offer, the discussion link.

The template sees only those values: no request, no page, no `settings`.
"""

from django import template

from broadsheet.core.rendered import template_by_value

register = template.Library()


@register.simple_tag
def include_by_value(template_name: str, **values) -> str:
    return template_by_value(template_name, values)
