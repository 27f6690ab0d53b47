from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "broadsheet.realtime"
    label = "realtime"
    verbose_name = "Realtime"
