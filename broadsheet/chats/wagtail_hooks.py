from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import ChatRoomViewSet
from .services import user_can_moderate_chats


class ChatModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_moderate_chats(request.user)


@hooks.register("register_admin_viewset")
def register_chat_room_viewset():
    return ChatRoomViewSet("chat_rooms")


@hooks.register("register_admin_urls")
def register_chats_admin_urls():
    return [path("chats/", include(admin_urls, namespace="chats_admin"))]


@hooks.register("register_admin_menu_item")
def register_chat_desk_menu_item():
    return ChatModeratorMenuItem(
        _("Chat moderation"),
        reverse("chats_admin:held"),
        name="chat-moderation",
        icon_name="comment",
        order=355,
    )
