from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import PhotoMultipleAddView, user_can_change_photos


class PhotoRightsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_change_photos(request.user)


@hooks.register("register_admin_urls")
def register_mediabank_admin_urls():
    return [
        path("mediabank/", include(admin_urls, namespace="mediabank_admin")),
        # Ahead of wagtail.images' own URLs (this app comes first in
        # INSTALLED_APPS, so its hooks do): the same address, keywords kept.
        path("images/multiple/add/", PhotoMultipleAddView.as_view()),
    ]


@hooks.register("register_reports_menu_item")
def register_expiring_photos_menu_item():
    return PhotoRightsMenuItem(
        _("Expiring photos"),
        reverse("mediabank_admin:expiring_photos"),
        name="expiring-photos",
        icon_name="image",
        order=650,
    )


@hooks.register("register_admin_viewset")
def register_photo_caption_viewset():
    from .captions_admin import PhotoCaptionViewSet

    return PhotoCaptionViewSet("photo_captions")
