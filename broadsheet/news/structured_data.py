"""schema.org objects for the JSON-LD that search engines read, built from the
site identity and pages, every address on the public origin (core/origin.py).

What Google requires and recommends for each type:
https://developers.google.com/search/docs/appearance/structured-data/article
https://developers.google.com/search/docs/appearance/structured-data/organization
https://developers.google.com/search/docs/appearance/structured-data/breadcrumb
"""

from django.templatetags.static import static
from django.urls import reverse

from broadsheet.core.cache import memoized
from broadsheet.core.origin import absolute_url
from broadsheet.mediabank.templatetags.photos import picture_file

# A logo is shown as uploaded (no crop), PNG to keep a transparent background.
LOGO_SPEC = "max-600x600|format-png"
# Shipped with the site for an identity without a logo; Google asks for at
# least 112×112 pixels.
FALLBACK_LOGO = ("img/logo.png", 512, 512)


def front_page_url() -> str:
    """The front page in the active language ("/" or "/ru/")."""
    return absolute_url(reverse("wagtail_serve", args=("",)))


def logo_object(identity) -> dict:
    # Read on every story page: the rendition lookup is kept per content
    # version (saving the identity or the photo moves it). Usability is part of
    # the key, as it is decided at render time.
    logo = identity.logo if identity.logo is not None and identity.logo.is_usable else None
    return memoized(("jsonld-logo", logo.pk if logo else None), lambda: _logo_object(logo))


def _logo_object(logo) -> dict:
    if logo is not None:
        picture = picture_file(logo, LOGO_SPEC)
        url, width, height = picture.url, picture.width, picture.height
    else:
        path, width, height = FALLBACK_LOGO
        url = static(path)
    return {"@type": "ImageObject", "url": absolute_url(url), "width": width, "height": height}


def publisher(identity) -> dict:
    return {
        "@type": "Organization",
        "name": identity.publisher_name,
        "url": front_page_url(),
        "logo": logo_object(identity),
    }


def organization(identity) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsMediaOrganization",
        "@id": front_page_url() + "#organization",
        "name": identity.publisher_name,
        "url": front_page_url(),
        "logo": logo_object(identity),
    }
    if identity.same_as_urls:
        data["sameAs"] = identity.same_as_urls
    return data


def website(identity) -> dict:
    search = absolute_url(reverse("search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": identity.name,
        "url": front_page_url(),
        "publisher": {"@id": front_page_url() + "#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList of (name, absolute URL), first to last."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def collection_page(*, name: str, url: str, story_urls: list[str]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(story_urls),
            "itemListElement": [
                {"@type": "ListItem", "position": n, "url": story_url}
                for n, story_url in enumerate(story_urls, start=1)
            ],
        },
    }
