"""The live story's JSON-LD: a LiveBlogPosting with its latest updates.
https://developers.google.com/search/docs/appearance/structured-data/article
https://schema.org/LiveBlogPosting"""

import re
from html import unescape

from django import template

from broadsheet.core.origin import absolute_url
from broadsheet.news.templatetags.story_tags import article_data, ld_json

from ..selectors import posts_latest

register = template.Library()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html or ""))).strip()


@register.simple_tag(takes_context=True)
def live_blog_jsonld(context, story):
    request = context["request"]
    data = article_data(context, story)
    data["@type"] = "LiveBlogPosting"
    if story.coverage_start:
        data["coverageStartTime"] = story.coverage_start.isoformat()
    elif story.published_at:
        data["coverageStartTime"] = story.published_at.isoformat()
    if story.coverage_end:
        data["coverageEndTime"] = story.coverage_end.isoformat()
    updates = []
    for post in posts_latest(story=story):
        text = _text(post.body)
        headline = post.title or text[:110] or story.title[:110]
        update = {
            "@type": "BlogPosting",
            "headline": headline[:110],
            "url": absolute_url(story.post_url(post.pk, request)),
            "datePublished": post.published_at.isoformat(),
        }
        if post.updated_at:
            update["dateModified"] = post.updated_at.isoformat()
        if text:
            update["articleBody"] = text
        updates.append(update)
    if updates:
        data["liveBlogUpdate"] = updates
        times = [u.get("dateModified", u["datePublished"]) for u in updates]
        data["dateModified"] = max([data.get("dateModified", ""), *times])
    return ld_json(data)
