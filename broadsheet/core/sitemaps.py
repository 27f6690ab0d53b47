from wagtail.contrib.sitemaps import Sitemap


class PageSitemap(Sitemap):
    """Every public page, 5,000 to a file behind a sitemap index: the protocol
    allows 50,000 per file, and smaller files keep each response quick on a
    large archive. https://www.sitemaps.org/protocol.html#index"""

    limit = 5000


SITEMAPS = {"pages": PageSitemap}
