"""Wagtail's list of site root paths, kept per content version.

Wagtail keeps the root paths of every site (one per edition's front page) in
the Django cache for an hour and clears them only when a Site is saved. With
the embedded default (a cache per process), a front page published in one
server process left the others with no root path for it: its pages had no
URL, which broke every page linking them. A new edition's front page is
published, which bumps the content version; reading the paths once per
process per version follows it in every process.
"""

from wagtail.models import Site

from broadsheet.core.cache import memoized

_wagtail_get_site_root_paths = Site.get_site_root_paths


def _read_fresh():
    Site.clear_site_root_paths_cache()
    return _wagtail_get_site_root_paths()


def get_site_root_paths():
    return memoized("site_root_paths", _read_fresh)


def install() -> None:
    Site.get_site_root_paths = staticmethod(get_site_root_paths)
