from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the SITE_URL checks)
        from .origin import site_row_adopt

        post_migrate.connect(site_row_adopt, sender=self)
