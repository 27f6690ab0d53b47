"""What the project's own Wagtail admin pages (reports, the moderation desk)
share."""

from wagtail.admin.views.generic.permissions import PermissionCheckedMixin


class AdminToolMixin(PermissionCheckedMixin):
    """Wagtail's permission check (`permission_policy` and
    `permission_required`), and the page title in the admin header, which
    Wagtail builds from the breadcrumbs rather than from `page_title`."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]
