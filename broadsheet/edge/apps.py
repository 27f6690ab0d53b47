from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """Caching at the edge: cache headers and surrogate keys on every public
    answer, purges by key after each change, and the embedded response cache
    used when no edge runs in front of the site (docs/architecture.md, "Edge")."""

    name = "broadsheet.edge"
    label = "edge"
