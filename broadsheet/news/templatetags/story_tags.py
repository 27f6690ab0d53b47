import json

from django import template
from django.utils.safestring import mark_safe

from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.mediabank.renditions import SOCIAL_SPEC
from broadsheet.mediabank.templatetags.photos import picture_file
from broadsheet.news.selectors import tag_index
from broadsheet.news.structured_data import front_page_url, publisher

register = template.Library()

# Characters that could end a <script> element or open an HTML comment are
# escaped, as in django.utils.html.json_script.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _tag_index_url(context) -> str | None:
    request = context.get("request")
    cache = getattr(request, "_broadsheet_tag_index_url", False) if request else False
    if cache is not False:
        return cache
    index = tag_index()
    url = index.get_url(request) if index else None
    if request is not None:
        request._broadsheet_tag_index_url = url
    return url


@register.simple_tag(takes_context=True)
def tag_url(context, tag):
    base = _tag_index_url(context)
    return f"{base}{tag.slug}/" if base else ""


def ld_json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    # Safe: the JSON above has every character that could close the element escaped.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def article_jsonld(context, story):
    """schema.org NewsArticle for search engines.
    https://developers.google.com/search/docs/appearance/structured-data/article"""
    return ld_json(article_data(context, story))


def article_data(context, story) -> dict:
    """The NewsArticle object, without empty fields; other story types
    (a live story's LiveBlogPosting) start from it."""
    request = context["request"]
    identity = SiteIdentity.for_request(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],
        "description": story.standfirst,
        "mainEntityOfPage": absolute_url(story.get_url(request)),
        "datePublished": story.published_at.isoformat() if story.published_at else None,
        "dateModified": (story.updated_at or story.published_at).isoformat()
        if story.published_at
        else None,
        "author": [
            {
                "@type": "Person",
                "name": author.title,
                "url": absolute_url(author.get_url(request)),
            }
            for author in story.authors
        ]
        or [{"@type": "Organization", "name": identity.publisher_name, "url": front_page_url()}],
        "publisher": publisher(identity),
        "articleSection": story.section.title if story.section else None,
        "keywords": [tag.name for tag in story.tags.all()],
    }
    if story.lead_photo and story.lead_photo.is_usable:
        social = picture_file(story.lead_photo, SOCIAL_SPEC)
        data["image"] = [absolute_url(social.url)]
    return {k: v for k, v in data.items() if v not in (None, [], "")}


@register.simple_tag(takes_context=True)
def gallery_jsonld(context, gallery):
    """schema.org ImageGallery for a photo gallery.
    https://schema.org/ImageGallery"""
    request = context["request"]
    images = [
        absolute_url(picture_file(item.photo, SOCIAL_SPEC).url)
        for item in gallery.photos
        if item.photo.is_usable
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": gallery.title,
        "description": gallery.intro,
        "url": absolute_url(gallery.get_url(request)),
        "datePublished": gallery.published_at.isoformat() if gallery.published_at else None,
        "image": images,
    }
    return ld_json({k: v for k, v in data.items() if v not in (None, [], "")})
