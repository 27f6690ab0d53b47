from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "broadsheet.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from . import signals  # noqa: F401
