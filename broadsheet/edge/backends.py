"""Where purges go: one interface, one class per kind of edge.

Each backend takes surrogate keys and raises PurgeFailed when the edge did not
confirm; the queue (services.py) retries with backoff. CloudFront has no keys:
it is purged by address through wagtail.contrib.frontend_cache
(`WAGTAILFRONTENDCACHE`, news/purge.py), see docs/deploy.md.
"""

from collections.abc import Iterator

import requests
from django.conf import settings

TIMEOUT = 5


class PurgeFailed(Exception):
    pass


def _chunks(keys: list[str], *, count: int, size: int = 100_000) -> Iterator[list[str]]:
    chunk, length = [], 0
    for key in keys:
        if chunk and (len(chunk) >= count or length + len(key) + 1 > size):
            yield chunk
            chunk, length = [], 0
        chunk.append(key)
        length += len(key) + 1
    if chunk:
        yield chunk


def _post(method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = requests.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise PurgeFailed(f"{url}: {error}") from error
    if response.status_code >= 300:
        raise PurgeFailed(f"{url}: HTTP {response.status_code} {response.text[:200]}")
    return response


class VarnishBackend:
    """deploy/varnish/default.vcl: PURGE with the keys in `xkey-purge` (or
    `xkey-softpurge`) and the shared token, to every Varnish instance."""

    def __init__(self, *, urls: list[str], token: str):
        if not urls:
            raise ValueError("BROADSHEET_EDGE_URLS names no Varnish instance")
        self.urls = [url.rstrip("/") for url in urls]
        self.token = token

    def purge(self, keys: list[str], *, soft: bool) -> None:
        header = "xkey-softpurge" if soft else "xkey-purge"
        for url in self.urls:
            for chunk in _chunks(keys, count=500, size=6000):
                _post(
                    "PURGE",
                    url + "/",
                    headers={header: " ".join(chunk), "X-Purge-Token": self.token},
                )


class FastlyBackend:
    """https://www.fastly.com/documentation/reference/api/purging/ (bulk purge by
    surrogate key, 256 keys per request)."""

    def __init__(self, *, token: str, service_id: str, api: str = "https://api.fastly.com"):
        if not (token and service_id):
            raise ValueError("FASTLY_API_TOKEN and FASTLY_SERVICE_ID are required")
        self.token, self.service_id, self.api = token, service_id, api.rstrip("/")

    def purge(self, keys: list[str], *, soft: bool) -> None:
        headers = {"Fastly-Key": self.token, "Accept": "application/json"}
        if soft:
            headers["Fastly-Soft-Purge"] = "1"
        for chunk in _chunks(keys, count=256):
            _post(
                "POST",
                f"{self.api}/service/{self.service_id}/purge",
                headers={**headers, "Surrogate-Key": " ".join(chunk)},
            )


class CloudflareBackend:
    """https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/
    (`Cache-Tag`, 30 tags per request)."""

    def __init__(self, *, token: str, zone_id: str, api: str = "https://api.cloudflare.com"):
        if not (token and zone_id):
            raise ValueError("CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID are required")
        self.token, self.zone_id, self.api = token, zone_id, api.rstrip("/")

    def purge(self, keys: list[str], *, soft: bool) -> None:
        for chunk in _chunks(keys, count=30):
            response = _post(
                "POST",
                f"{self.api}/client/v4/zones/{self.zone_id}/purge_cache",
                headers={"Authorization": f"Bearer {self.token}"},
                json={"tags": chunk},
            )
            if not response.json().get("success", False):
                raise PurgeFailed(f"Cloudflare refused the purge: {response.text[:200]}")


def backend_get():
    """The configured backend, or None: with no edge there is nothing to purge
    (the embedded cache follows the content version by itself)."""
    kind = settings.BROADSHEET_EDGE_BACKEND
    api = getattr(settings, "BROADSHEET_EDGE_API_URL", "")
    if kind == "varnish":
        return VarnishBackend(
            urls=settings.BROADSHEET_EDGE_URLS, token=settings.BROADSHEET_EDGE_PURGE_TOKEN
        )
    if kind == "fastly":
        extra = {"api": api} if api else {}
        return FastlyBackend(
            token=settings.FASTLY_API_TOKEN, service_id=settings.FASTLY_SERVICE_ID, **extra
        )
    if kind == "cloudflare":
        extra = {"api": api} if api else {}
        return CloudflareBackend(
            token=settings.CLOUDFLARE_API_TOKEN, zone_id=settings.CLOUDFLARE_ZONE_ID, **extra
        )
    if kind:
        raise ValueError(f"BROADSHEET_EDGE_BACKEND must be varnish, fastly or cloudflare: {kind!r}")
    return None
