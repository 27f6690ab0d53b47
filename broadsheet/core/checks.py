"""System checks for the public origin (SITE_URL, core/origin.py)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.http.request import validate_host

from .origin import site_url_parts


@register(Tags.urls)
def site_url_check(app_configs=None, **kwargs):
    site_url = getattr(settings, "SITE_URL", "")
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return [
            Error(
                f"SITE_URL must be an origin such as https://news.example.com, not {site_url!r}.",
                hint="Scheme and host (and a port if needed), no path and no trailing slash.",
                id="core.E001",
            )
        ]
    problems = []
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        problems.append(
            Warning(
                f"SITE_URL's host {parts.hostname!r} is not in ALLOWED_HOSTS.",
                id="core.W002",
            )
        )
    problems.extend(_site_row_problems())
    return problems


def _site_row_problems():
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        # Not migrated yet (or no database at hand): nothing to compare.
        return []
    if site is None or (site.hostname, site.port) == site_url_parts():
        return []
    hostname, port = site_url_parts()
    return [
        Warning(
            f"The default Wagtail Site is {site.hostname}:{site.port}, but SITE_URL is "
            f"{settings.SITE_URL}.",
            hint=f"Set the Site's hostname to {hostname} and port to {port} in "
            "Settings → Sites (`manage.py load_demo` does it for the demo).",
            id="core.W001",
        )
    ]


@register(Tags.security, deploy=True)
def site_url_https_check(app_configs=None, **kwargs):
    if urlsplit(getattr(settings, "SITE_URL", "")).scheme == "https":
        return []
    return [
        Warning(
            "SITE_URL is not https: canonical links, feeds and e-mails will send "
            "readers to plain http.",
            id="core.W003",
        )
    ]
