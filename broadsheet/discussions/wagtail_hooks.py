from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .services import user_can_moderate


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_moderate(request.user)


@hooks.register("register_admin_urls")
def register_discussions_admin_urls():
    return [path("discussions/", include(admin_urls, namespace="discussions_admin"))]


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return ModeratorMenuItem(
        _("Comments"),
        reverse("discussions_admin:queue"),
        name="comments",
        icon_name="comment",
        order=350,
    )


@hooks.register("register_reports_menu_item")
def register_moderation_audit_menu_item():
    return ModeratorMenuItem(
        _("Moderation audit log"),
        reverse("discussions_admin:audit"),
        name="moderation-audit",
        icon_name="list-ul",
        order=660,
    )
