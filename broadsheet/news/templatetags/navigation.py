from django import template

from broadsheet.news.selectors import sections_in_menu

register = template.Library()


@register.inclusion_tag("includes/site_header.html", takes_context=True)
def site_header(context):
    page = context.get("page")
    current_section_id = None
    if page is not None:
        current_section_id = getattr(page, "section_id", None) or page.pk
    return {
        "request": context.get("request"),
        "settings": context.get("settings"),
        "sections": sections_in_menu(),
        "current_section_id": current_section_id,
        "is_home": page is not None and page.depth == 2,
    }


@register.inclusion_tag("includes/site_footer.html", takes_context=True)
def site_footer(context):
    return {"settings": context.get("settings"), "request": context.get("request")}
