from django.apps import AppConfig


class MediabankConfig(AppConfig):
    name = "broadsheet.mediabank"
    label = "mediabank"
    verbose_name = "Media bank"
