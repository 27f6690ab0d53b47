from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "broadsheet.editions"
    label = "editions"
    verbose_name = _("Editions")

    def ready(self):
        from . import site_root_paths

        site_root_paths.install()
        from . import signals  # noqa: F401
        from .newsroom import signals as newsroom_signals  # noqa: F401
        from .newsroom import wagtail_hooks  # noqa: F401
