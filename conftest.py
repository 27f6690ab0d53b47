"""Suite-wide test setup.

Under CI=true nothing may be skipped: a test that cannot run (no Chromium,
no PostgreSQL, no Redis) fails instead, so a green CI never hides a missing
install step.
"""

import os
import tempfile

import pytest

IN_CI = os.environ.get("CI") == "true"

pytest_plugins = ["broadsheet.news.tests.fixtures", "broadsheet.editions.tests.fixtures"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Rewritten here, where the report is made, so the terminal summary and
    # the exit status both see a failure (a logreport hook runs too late).
    report = (yield).get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI, which must run everything: {report.longrepr}"


def pytest_configure(config):
    # Uploaded and generated images go to a throwaway folder per test process.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="broadsheet-test-media-"))
    os.environ.setdefault(
        "BROADSHEET_PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="broadsheet-test-originals-")
    )


@pytest.fixture(autouse=True)
def _clean_process_state():
    """Each test starts with an empty per-process memo, default cache and
    rendition cache (test databases roll back, so content version numbers
    and row ids repeat between tests) and in the default language (a request to /ru/
    leaves Russian active in its thread)."""
    from django.core.cache import caches
    from django.utils import translation

    from broadsheet.core.cache import memo_clear

    memo_clear()
    caches["default"].clear()
    caches["renditions"].clear()
    translation.activate("en")
    yield
    memo_clear()
    translation.deactivate()


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd) that Django's SMTP backend sends to."""
    from broadsheet.core.smtp_sink import SmtpSink

    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = sink.host
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield sink
