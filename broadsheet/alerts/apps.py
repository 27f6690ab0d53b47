from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "broadsheet.alerts"
    label = "alerts"
    verbose_name = _("Breaking-news alerts")

    def ready(self):
        from . import checks, signals  # noqa: F401 — registers the system checks

        signals.connect()
