"""Test helpers several apps' tests use: the sitemaps (a story is in one
month's file, and tests ask "is it in the edition's sitemaps"), and counting
how often kept parts are rendered."""

from collections import Counter
from urllib.parse import urlsplit

from defusedxml import ElementTree as ET
from django.conf import settings

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_files(client, language: str | None = None) -> list[str]:
    """The paths (with `?p=`) the sitemap index lists, of one edition or all."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200, response.status_code
    paths = []
    for node in ET.fromstring(response.content).findall("sm:sitemap/sm:loc", SITEMAP_NS):
        parts = urlsplit(node.text)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        name = parts.path.removeprefix("/sitemap-").removesuffix(".xml")
        if language is None or _language_of(name) == language:
            paths.append(path)
    return paths


def _language_of(name: str) -> str:
    words = name.split("-")[1:]
    if not words or words[0].isdigit():
        return settings.LANGUAGE_CODE
    return words[0]


def sitemaps_text(client, language: str | None = None) -> str:
    """Every file of the edition's (or every) sitemap, one after another."""
    texts = []
    for path in sitemap_files(client, language):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        texts.append(response.content.decode())
    return "\n".join(texts)


def renders_counted(monkeypatch, module) -> Counter:
    """How often `module.render_to_string` rendered each template, by file
    name: a kept part (story_parts.py, front.py) rendered again or not."""
    counted = Counter()
    real = module.render_to_string

    def counting(template_name, *args, **kwargs):
        counted[template_name.rsplit("/", 1)[-1]] += 1
        return real(template_name, *args, **kwargs)

    monkeypatch.setattr(module, "render_to_string", counting)
    return counted
