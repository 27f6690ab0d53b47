"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

Text is text: the standfirst goes in `content_text` and `summary`, never in
`content_html`. What the spec has no field for (the photo's credit and
caption) goes in the `_broadsheet` extension object, as the spec asks of
extensions (a key starting with an underscore).
"""

import json

from .sources import FeedEntry, FeedSource

VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"


def _item(entry: FeedEntry) -> dict:
    item = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "content_text": entry.summary,
        "summary": entry.summary,
        "date_published": entry.published.isoformat(),
    }
    if entry.updated is not None:
        item["date_modified"] = entry.updated.isoformat()
    if entry.authors:
        item["authors"] = [
            {"name": a.name, **({"url": a.url} if a.url else {})} for a in entry.authors
        ]
    if entry.categories:
        item["tags"] = list(entry.categories)
    image = entry.image_now
    if image is not None:
        item["image"] = image.url
        item["attachments"] = [{"url": image.url, "mime_type": image.mime_type}]
        item["_broadsheet"] = {
            "image_credit": image.credit,
            "image_caption": image.caption,
            "image_width": image.width,
            "image_height": image.height,
        }
    return item


def json_feed_write(*, source: FeedSource, entries: list[FeedEntry], self_url: str) -> str:
    feed = {
        "version": VERSION,
        "title": source.title,
        "home_page_url": source.home_url,
        "feed_url": self_url,
        "description": source.description,
        "icon": source.logo_url,
        "favicon": source.icon_url,
        "language": source.language,
        "authors": [{"name": source.site_name, "url": source.site_url}],
        "items": [_item(entry) for entry in entries],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)
