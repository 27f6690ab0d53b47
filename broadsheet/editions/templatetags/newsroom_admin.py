"""The translation editor's banner (templates/wagtail_localize/admin/edit_translation.html)."""

from django import template

from broadsheet.editions.machine import machine_translator_status
from broadsheet.editions.translation import translation_staleness

register = template.Library()


@register.inclusion_tag("editions/admin/translation_banner.html", takes_context=True)
def translation_banner(context, translation):
    configured, not_configured = machine_translator_status()
    return {
        "request": context.get("request"),
        "translation": translation,
        "staleness": translation_staleness(translation=translation),
        "machine_not_configured": "" if configured else not_configured,
    }
