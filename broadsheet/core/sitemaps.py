from dataclasses import replace

from wagtail.contrib.sitemaps import views as sitemaps_views

from .origin import public_url

# The page sitemaps themselves are per edition: news/sitemaps.py.


def sitemap_index(request, **kwargs):
    """Django's sitemap index, its entries moved onto SITE_URL (Django builds
    them from the request's host). The page entries themselves come from
    `SeoMixin.get_full_url`."""
    response = sitemaps_views.index(request, **kwargs)
    response.context_data["sitemaps"] = [
        replace(item, location=public_url(item.location))
        for item in response.context_data["sitemaps"]
    ]
    return response
