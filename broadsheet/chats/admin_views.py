"""The chats in the Wagtail admin: rooms (a ModelViewSet: list, search,
create, edit) and the moderators' desk (held messages and the rooms with
their activity). A room's status or slow mode changed in the edit form goes
through the same path as from the room page: an event to open pages and a
row in the moderation audit log."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from broadsheet.core.admin_views import AdminToolMixin

from .models import ChatRoom, MessageStatus
from .selectors import held_messages
from .services import chat_room_admin_saved, user_can_moderate_chats


class RoomCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class RoomEditView(generic.EditView):
    def save_instance(self):
        before = ChatRoom.objects.filter(pk=self.object.pk).values("status", "slow_mode_seconds")[0]
        room = super().save_instance()
        chat_room_admin_saved(editor=self.request.user, room=room, before=before)
        return room


class ChatRoomViewSet(ModelViewSet):
    model = ChatRoom
    icon = "comment"
    menu_label = gettext_lazy("Chat rooms")
    menu_order = 360
    add_to_admin_menu = True
    add_view_class = RoomCreateView
    edit_view_class = RoomEditView
    form_fields = [
        "title",
        "slug",
        "language",
        "topic",
        "section",
        "story",
        "status",
        "slow_mode_seconds",
    ]
    list_display = ["title", "language", "status", "slow_mode_seconds", "last_activity_at"]
    list_filter = ["status"]
    search_fields = ["title", "topic", "slug"]
    search_backend_name = None


class ChatDeskView(AdminToolMixin, WagtailAdminTemplateMixin, TemplateView):
    """Held messages to approve or reject, and every room with its numbers."""

    # "chats.moderate_chat" (not the model policy's "moderate_chatroom").
    permission_required = "moderate_chat"
    template_name = "chats/admin/desk.html"
    page_title = gettext_lazy("Chat moderation")
    header_icon = "comment"

    def user_has_permission(self, permission):
        return user_can_moderate_chats(self.request.user)

    def get(self, request, *args, **kwargs):
        rooms = ChatRoom.objects.annotate(
            visible=Count("messages", filter=Q(messages__status=MessageStatus.VISIBLE)),
            held=Count("messages", filter=Q(messages__status=MessageStatus.HELD)),
        ).order_by("status", "-last_activity_at", "-pk")
        context = self.get_context_data(held=held_messages()[:200], rooms=rooms)
        return self.render_to_response(context)
