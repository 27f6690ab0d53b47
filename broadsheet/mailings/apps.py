from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "broadsheet.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self):
        from . import signals  # noqa: F401 — connects the breaking-news receiver
