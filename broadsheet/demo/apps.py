from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo newsroom's conductor: the top of the import graph, so each domain
    app builds its own demo content from its own factories and none imports another
    app above it just to be part of `load_demo`."""

    name = "broadsheet.demo"
    label = "demo"
