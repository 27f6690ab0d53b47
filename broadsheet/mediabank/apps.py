from django.apps import AppConfig


class MediabankConfig(AppConfig):
    name = "broadsheet.mediabank"
    label = "mediabank"
    verbose_name = "Media bank"

    def ready(self):
        from . import signals  # noqa: F401
        from .avif import avif_speed_install

        avif_speed_install()
