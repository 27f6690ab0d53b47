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
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
