from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet

from . import admin_urls
from .admin_views import DigestViewSet, digest_preview_url
from .models import Digest, Send

digest_viewset = DigestViewSet()
register_snippet(digest_viewset)


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, model, action, **kwargs):
        self.policy = ModelPermissionPolicy(model)
        self.action = action
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, self.action)


@hooks.register("register_admin_urls")
def register_mailings_admin_urls():
    return [path("mailings/", include(admin_urls, namespace="mailings_admin"))]


@hooks.register("register_admin_menu_item")
def register_newsletters_menu():
    items = [
        PermittedMenuItem(
            _("Digests"),
            reverse(digest_viewset.get_url_name("list")),
            name="digests",
            icon_name="doc-full",
            order=100,
            model=Digest,
            action="change",
        ),
        PermittedMenuItem(
            _("Sends"),
            reverse("mailings_admin:sends"),
            name="sends",
            icon_name="mail",
            order=200,
            model=Send,
            action="view",
        ),
    ]
    return SubmenuMenuItem(
        _("Newsletters"), Menu(items=items), name="newsletters", icon_name="mail", order=370
    )


@hooks.register("construct_main_menu")
def merge_newsletters_menus(request, menu_items):
    """The subscriptions app registers its own "Newsletters" group (lists,
    subscribers): editors get one menu with both."""
    groups = [
        item
        for item in menu_items
        if isinstance(item, SubmenuMenuItem) and item.name == "newsletters"
    ]
    if len(groups) < 2:
        return
    first = groups[0]
    merged = [entry for group in groups for entry in group.menu.registered_menu_items]
    first.menu = Menu(items=merged)
    menu_items[:] = [item for item in menu_items if item is first or item not in groups]


@hooks.register("register_snippet_listing_buttons")
def digest_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Digest):
        yield ListingButton(_("Preview and send"), digest_preview_url(snippet), priority=5)


class PreviewAndSendItem(ActionMenuItem):
    label = _("Preview and send")
    name = "preview-and-send"
    icon_name = "mail"

    def is_shown(self, context):
        return context.get("view") == "edit" and isinstance(context.get("instance"), Digest)

    def get_url(self, context):
        return digest_preview_url(context["instance"])


@hooks.register("register_snippet_action_menu_item")
def register_preview_and_send(model):
    if model is Digest:
        return PreviewAndSendItem(order=50)
    return None
