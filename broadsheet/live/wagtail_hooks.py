from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import admin_urls
from .models import LiveStoryPage


class DeskButton(PageMenuItem):
    label = _("Live desk")
    icon_name = "radio-full"
    url_name = "live_admin:desk"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


def _is_live_story(page) -> bool:
    # The listing hands plain Pages; the content type tells, without a query.
    return issubclass(page.specific_class or type(page), LiveStoryPage)


@hooks.register("register_admin_urls")
def register_live_admin_urls():
    return [path("live/", include(admin_urls, namespace="live_admin"))]


@hooks.register("register_admin_menu_item")
def register_live_desk_menu_item():
    return MenuItem(
        _("Live desk"),
        reverse("live_admin:index"),
        name="live-desk",
        icon_name="radio-full",
        order=340,
    )


@hooks.register("register_page_header_buttons")
def live_desk_header_button(page, user, view_name, next_url=None):
    if _is_live_story(page):
        yield DeskButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def live_desk_listing_button(page, user, next_url=None):
    if _is_live_story(page):
        yield DeskButton(page=page, priority=12)
