"""The site's one public origin, `SITE_URL` (scheme, host and port).

Every absolute address the site hands out — canonical links, og:url, JSON-LD,
sitemaps, robots.txt, feeds, e-mails, CDN purges — is built here from the
setting and never from the request's Host header: a forged Host must not end
up in a cached page or an e-mail, and a crawler must see one origin only.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(url: str) -> str:
    """`url` as readers reach it: a path gets SITE_URL in front; an address
    that is already absolute (media on a CDN or in a bucket) is kept."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{urlsplit(settings.SITE_URL).scheme}:{url}"
    return settings.SITE_URL + ("" if url.startswith("/") else "/") + url


def public_url(url: str) -> str:
    """An absolute address a library built from the request, moved onto SITE_URL."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


def page_full_url(page, request=None) -> str | None:
    """A Wagtail page's absolute address on SITE_URL, None if it has none.
    Wagtail's own `get_full_url` puts the Site row's hostname and port in
    front, which may be stale; any page object works here, specific or not."""
    parts = page.get_url_parts(request=request)
    if parts is None or parts[2] is None:
        return None
    return absolute_url(parts[2])


def site_url_parts(site_url: str | None = None) -> tuple[str, int]:
    """SITE_URL's host name and port, as Wagtail's Site row stores them."""
    parts = urlsplit(site_url or settings.SITE_URL)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def site_row_sync() -> bool:
    """Point the default Wagtail Site at SITE_URL's host and port (the admin's
    "view live" links and Wagtail's own lookups use it); True if it changed."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_url_parts()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


# The row Wagtail's own migration makes on a fresh install.
WAGTAIL_PLACEHOLDER_SITE = ("localhost", 80)


def site_row_adopt(**kwargs) -> bool:
    """After `migrate`: a default Site still on Wagtail's placeholder host is
    pointed at SITE_URL, so a fresh install agrees with itself from its first
    start. A row someone has set is theirs to change (check core.W001 says so)."""
    from wagtail.models import Site

    hostname, port = WAGTAIL_PLACEHOLDER_SITE
    if not Site.objects.filter(is_default_site=True, hostname=hostname, port=port).exists():
        return False
    return site_row_sync()
