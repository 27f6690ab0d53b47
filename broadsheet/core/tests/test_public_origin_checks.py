"""System checks keep SITE_URL, ALLOWED_HOSTS and the Wagtail Site row in step."""

import pytest
from django.core.checks import run_checks
from wagtail.models import Site

from broadsheet.core.checks import site_url_check, site_url_https_check
from broadsheet.core.origin import site_row_adopt, site_row_sync


def _ids(messages) -> set[str]:
    return {message.id for message in messages}


@pytest.mark.django_db
def test_a_site_row_on_another_host_or_port_is_warned_about_until_synced(home, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    # The test front page serves testserver:80.
    assert "core.W001" in _ids(run_checks())
    assert site_row_sync() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert "core.W001" not in _ids(site_url_check())
    assert site_row_sync() is False


@pytest.mark.django_db
def test_https_default_port_is_443(home, settings):
    settings.SITE_URL = "https://news.example.com"
    settings.ALLOWED_HOSTS = ["news.example.com"]
    site_row_sync()
    assert (Site.objects.get(is_default_site=True).port) == 443
    assert site_url_check() == []


@pytest.mark.parametrize(
    "value", ["news.example.com", "https://news.example.com/", "https://x.example/news", "ftp://x"]
)
def test_a_site_url_that_is_not_an_origin_is_an_error(settings, value):
    settings.SITE_URL = value
    assert _ids(site_url_check()) == {"core.E001"}


@pytest.mark.django_db
def test_a_site_url_host_outside_allowed_hosts_is_warned_about(settings):
    settings.SITE_URL = "https://news.example.com"
    settings.ALLOWED_HOSTS = ["other.example.com"]
    assert "core.W002" in _ids(site_url_check())


def test_deploy_check_wants_https(settings):
    settings.SITE_URL = "http://news.example.com"
    assert _ids(site_url_https_check()) == {"core.W003"}
    settings.SITE_URL = "https://news.example.com"
    assert site_url_https_check() == []


@pytest.mark.django_db
def test_migrate_points_wagtails_placeholder_site_at_site_url_and_leaves_a_set_one(home, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    assert site_row_adopt() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)

    Site.objects.filter(pk=site.pk).update(hostname="news.example.com", port=443)
    assert site_row_adopt() is False
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("news.example.com", 443)
