from django.core.cache import cache
from wagtail.models import Locale, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION


def test_a_new_front_page_has_a_url_in_every_process(home):
    """Another process's cache still holds the paths from before the edition
    existed: the content version bump of the publish makes them re-read."""
    assert [path.language_code for path in Site.get_site_root_paths()] == ["en"]
    stale = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    ru = home.copy_for_translation(Locale.objects.create(language_code="ru"))
    ru.save_revision().publish()
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, stale, version=SITE_ROOT_PATHS_CACHE_VERSION)
    assert sorted(path.language_code for path in Site.get_site_root_paths()) == ["en", "ru"]
    assert ru.get_url() == "/ru/"
