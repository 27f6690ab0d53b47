from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the SITE_URL checks)
