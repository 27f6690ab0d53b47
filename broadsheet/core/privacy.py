from wagtail.models import PageViewRestriction

from .cache import memoized


def any_private_pages() -> bool:
    """Whether any page has a view restriction; known once per content
    version, which moves when one is added or removed."""
    return memoized("any_view_restrictions", PageViewRestriction.objects.exists)


class ViewRestrictionShortcutMixin:
    """Skip Wagtail's per-request privacy lookups on a site with no private pages.

    Wagtail checks every served page's own and its ancestors' view
    restrictions (two queries). While no restriction exists anywhere — known
    once per content version, which moves when one is added or removed — the
    answer is an empty queryset, without touching the database.
    """

    def get_view_restrictions(self):
        if not any_private_pages():
            return _no_restrictions()
        return super().get_view_restrictions()


def _no_restrictions():
    # Wagtail's on_serve_page hook iterates the answer on every page served;
    # iterating even `.none()` compiles a query (~0.1 ms a request). Filled
    # in advance, it iterates, tests and answers `.exists()` as an empty
    # list would, and still chains (`.order_by()` in the admin) as a queryset.
    restrictions = PageViewRestriction.objects.none()
    restrictions._result_cache = []
    return restrictions
