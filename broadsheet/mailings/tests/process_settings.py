"""Settings of the worker processes the process tests and bench/mail.py start:
the demo site's, with e-mail links resolvable before the subscriptions views
are merged (stub_urls.py)."""

from broadsheet.settings.dev import *  # noqa: F403

ROOT_URLCONF = "broadsheet.mailings.tests.stub_urls"
