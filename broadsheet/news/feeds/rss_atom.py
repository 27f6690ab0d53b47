"""RSS 2.0 and Atom 1.0, written element by element.

Django's feed generators take one author per item, write the standfirst as
HTML in Atom and have no Media RSS; these writers follow the specs and the
W3C validator's rules instead:
https://www.rssboard.org/rss-specification, RFC 4287 (Atom),
https://www.rssboard.org/media-rss (Media RSS), https://validator.w3.org/feed/docs/

Plain text stays text: Atom says so (`type="text"`); an RSS description is
HTML by convention, so the standfirst is escaped once for HTML before the
XML writer escapes it again, and "<b>" in a standfirst is shown, never run.
"""

from io import StringIO

from django.utils.feedgenerator import rfc2822_date, rfc3339_date
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from .sources import FEED_TTL_MINUTES, FeedEntry, FeedImage, FeedSource, feed_updated

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


def _media(xml: SimplerXMLGenerator, image: FeedImage) -> None:
    xml.startElement(
        "media:content",
        {
            "url": image.url,
            "type": image.mime_type,
            "medium": "image",
            "width": str(image.width),
            "height": str(image.height),
        },
    )
    if image.credit:
        # As the site prints it under the photo: "© Agency / Photographer".
        xml.addQuickElement("media:credit", image.credit, {"role": "photographer"})
    if image.caption:
        xml.addQuickElement("media:description", image.caption, {"type": "plain"})
    xml.endElement("media:content")


def _document(write) -> str:
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    write(xml)
    xml.endDocument()
    return out.getvalue()


def rss_write(*, source: FeedSource, entries: list[FeedEntry], self_url: str) -> str:
    def write(xml):
        xml.startElement(
            "rss",
            {
                "version": "2.0",
                "xmlns:atom": ATOM_NS,
                "xmlns:dc": DC_NS,
                "xmlns:dcterms": DCTERMS_NS,
                "xmlns:media": MEDIA_NS,
            },
        )
        xml.startElement("channel", {})
        xml.addQuickElement("title", source.title)
        xml.addQuickElement("link", source.home_url)
        xml.addQuickElement("description", source.description)
        xml.addQuickElement("atom:link", None, {"rel": "self", "href": self_url, "type": RSS_TYPE})
        xml.addQuickElement("language", source.language)
        updated = feed_updated(entries)
        if updated is not None:
            xml.addQuickElement("lastBuildDate", rfc2822_date(updated))
        xml.addQuickElement("ttl", str(FEED_TTL_MINUTES))
        # The validator wants the image's title and link to be the channel's.
        xml.startElement("image", {})
        xml.addQuickElement("url", source.logo_url)
        xml.addQuickElement("title", source.title)
        xml.addQuickElement("link", source.home_url)
        xml.endElement("image")
        for entry in entries:
            _rss_item(xml, entry)
        xml.endElement("channel")
        xml.endElement("rss")

    return _document(write)


def _rss_item(xml: SimplerXMLGenerator, entry: FeedEntry) -> None:
    xml.startElement("item", {})
    xml.addQuickElement("title", entry.title)
    xml.addQuickElement("link", entry.url)
    xml.addQuickElement("description", escape(entry.summary))
    for author in entry.authors:
        xml.addQuickElement("dc:creator", author.name)
    xml.addQuickElement("pubDate", rfc2822_date(entry.published))
    if entry.updated is not None:
        xml.addQuickElement("dcterms:modified", rfc3339_date(entry.updated))
    xml.addQuickElement("guid", entry.id, {"isPermaLink": "false"})
    for category in entry.categories:
        xml.addQuickElement("category", category)
    image = entry.image_now
    if image is not None:
        # The length is unknown without reading the file; 0 is what the RSS
        # Best Practices Profile asks for then, and the validator accepts it.
        xml.addQuickElement(
            "enclosure", None, {"url": image.url, "length": "0", "type": image.mime_type}
        )
        _media(xml, image)
    xml.endElement("item")


def atom_write(*, source: FeedSource, entries: list[FeedEntry], self_url: str) -> str:
    def write(xml):
        xml.startElement(
            "feed", {"xmlns": ATOM_NS, "xmlns:media": MEDIA_NS, "xml:lang": source.language}
        )
        xml.addQuickElement("title", source.title, {"type": "text"})
        xml.addQuickElement("subtitle", source.description, {"type": "text"})
        xml.addQuickElement(
            "link", None, {"rel": "alternate", "type": "text/html", "href": source.home_url}
        )
        xml.addQuickElement("link", None, {"rel": "self", "type": ATOM_TYPE, "href": self_url})
        xml.addQuickElement("id", self_url)
        updated = feed_updated(entries)
        if updated is not None:
            xml.addQuickElement("updated", rfc3339_date(updated))
        else:
            # Atom requires one; an empty feed has not changed since the epoch.
            xml.addQuickElement("updated", "1970-01-01T00:00:00Z")
        # Entries without a byline fall back to the publication (RFC 4287 §4.1.1).
        xml.startElement("author", {})
        xml.addQuickElement("name", source.site_name)
        xml.addQuickElement("uri", source.site_url)
        xml.endElement("author")
        xml.addQuickElement("icon", source.icon_url)
        xml.addQuickElement("logo", source.logo_url)
        for entry in entries:
            _atom_entry(xml, entry)
        xml.endElement("feed")

    return _document(write)


def _atom_entry(xml: SimplerXMLGenerator, entry: FeedEntry) -> None:
    xml.startElement("entry", {})
    xml.addQuickElement("title", entry.title, {"type": "text"})
    xml.addQuickElement("link", None, {"rel": "alternate", "type": "text/html", "href": entry.url})
    xml.addQuickElement("id", entry.id)
    xml.addQuickElement("published", rfc3339_date(entry.published))
    xml.addQuickElement("updated", rfc3339_date(entry.last_change))
    for author in entry.authors:
        xml.startElement("author", {})
        xml.addQuickElement("name", author.name)
        if author.url:
            xml.addQuickElement("uri", author.url)
        xml.endElement("author")
    xml.addQuickElement("summary", entry.summary, {"type": "text"})
    for category in entry.categories:
        xml.addQuickElement("category", None, {"term": category})
    image = entry.image_now
    if image is not None:
        # Atom's length is optional and advisory: left out rather than guessed.
        xml.addQuickElement(
            "link", None, {"rel": "enclosure", "type": image.mime_type, "href": image.url}
        )
        _media(xml, image)
    xml.endElement("entry")
