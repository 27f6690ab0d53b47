"""The public chat pages and the POST actions on them.

Room pages are per-request (they carry the form and its CSRF token, and
buttons for the reader's own messages and for moderators), so they are
`private, no-store` for signed-in readers. Every action works as a plain
form (a 303 back to the room) and, for chats.js, as JSON (`Accept:
application/json`): the message's HTML, or the refusal's sentence."""

import time
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from broadsheet.discussions.views.context import HttpResponseSeeOther, client_ip
from broadsheet.news.selectors import edition_language

from . import events, selectors, services
from .models import ChatMessage, ChatRoom, MessageStatus, RoomStatus
from .services import MUTE_MINUTES, SLOW_MODE_CHOICES, ChatRefused

BOX_MESSAGES = 20


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int_param(raw: str | None) -> int | None:
    """A positive id from the query string; a malformed one is a 400."""
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 15 or int(raw) < 1:
        raise ValueError(raw)
    return int(raw)


class RoomListView(TemplateView):
    template_name = "chats/chat_room_list.html"

    def get_context_data(self, **kwargs):
        current, archived = selectors.rooms_listed(language=edition_language())
        return super().get_context_data(rooms=current, archived=archived, **kwargs)


def room_context(request, room: ChatRoom, *, before=None, error=None, text="") -> dict:
    user = request.user
    moderator = services.user_can_moderate_chats(user)
    refusal = services.reader_refusal(user)
    mute = services.mute_active(room=room, user=user) if refusal is None else None
    reply_to = None
    try:
        reply_id = _int_param(request.GET.get("reply"))
    except ValueError:
        reply_id = None
    if reply_id:
        reply_to = ChatMessage.objects.filter(
            pk=reply_id, room=room, status=MessageStatus.VISIBLE
        ).first()
    unverified = (
        user.is_authenticated and not EmailAddress.objects.filter(user=user, verified=True).exists()
    )
    return {
        "room": room,
        "history": selectors.room_history(
            room=room, before=before, viewer=user, moderator=moderator
        ),
        "here": selectors.room_presence(room),
        "moderator": moderator,
        "refusal": refusal,
        "mute_notice": services.mute_message(mute) if mute else "",
        "can_post": refusal is None and mute is None,
        "reply_to": reply_to,
        "error": error,
        "text": text,
        "rendered_ms": int(time.time() * 1000),
        "refusal_unverified": unverified,
        "mute_choices": services.mute_choices(),
        # What chats.js copies onto a message that arrives live: this reader's
        # buttons for their own and for others' messages (id 0 replaced).
        "own_placeholder": SimpleNamespace(pk=0, author_id=user.pk, status="visible"),
        "other_placeholder": SimpleNamespace(pk=0, author_id=-1, status="visible"),
        "slow_choices": SLOW_MODE_CHOICES,
        "statuses": RoomStatus,
        "before": before,
    }


def _private(response, request):
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["HX-Request", "Cookie"])
    return response


class RoomView(View):
    """The room: the last messages (newest at the bottom), the form. With
    `?before=<id>` the page of messages before that one; htmx (and chats.js
    after a "reload" from the realtime layer) gets only the list fragment."""

    def get(self, request, slug):
        room = get_object_or_404(ChatRoom, slug=slug)
        if room.language != edition_language():
            # A room is read in its own edition (its language, its stories).
            query = request.META.get("QUERY_STRING", "")
            return HttpResponseRedirect(room.get_absolute_url() + (f"?{query}" if query else ""))
        try:
            before = _int_param(request.GET.get("before"))
        except ValueError:
            return HttpResponseBadRequest("Malformed ?before= (a message id).")
        if request.GET.get("box") == "1":
            # The read-only box beside a live story: the same for everyone.
            history = selectors.room_history(room=room, limit=BOX_MESSAGES)
            response = TemplateResponse(
                request, "chats/includes/box_messages.html", {"room": room, "history": history}
            )
            patch_cache_control(response, public=True, s_maxage=10)
            return response
        context = room_context(request, room, before=before)
        template = "chats/includes/history.html" if is_htmx(request) else "chats/chat_room.html"
        response = TemplateResponse(request, template, context)
        return _private(response, request)


def _room_redirect(room: ChatRoom, anchor: str = "") -> HttpResponseSeeOther:
    return HttpResponseSeeOther(room.get_absolute_url() + (f"#{anchor}" if anchor else ""))


class PostView(View):
    http_method_names = ["post"]

    def post(self, request, slug):
        room = get_object_or_404(ChatRoom, slug=slug)
        text = request.POST.get("text", "")
        try:
            reply_id = _int_param(request.POST.get("reply_to"))
        except ValueError:
            reply_id = 0
        try:
            reply_to = None
            if reply_id is not None:
                reply_to = ChatMessage.objects.filter(pk=reply_id, room=room).first()
                if reply_to is None:
                    raise ChatRefused(_("This message can no longer be replied to."))
            message = services.chat_message_post(
                user=request.user, room=room, text=text, reply_to=reply_to, ip=client_ip(request)
            )
        except ChatRefused as refused:
            if wants_json(request):
                return JsonResponse({"error": refused.message}, status=refused.status)
            context = room_context(request, room, error=refused.message, text=text)
            response = TemplateResponse(
                request, "chats/chat_room.html", context, status=refused.status
            )
            return _private(response, request)
        if wants_json(request):
            return JsonResponse(
                {
                    "id": message.pk,
                    "author": message.author_id,
                    "status": message.status,
                    "html": events.message_html(message),
                },
                status=201,
            )
        return _room_redirect(room, f"chat-msg-{message.pk}")


class MessageActionView(View):
    """delete (own message, or any for a moderator), and for moderators only:
    approve, reject (held messages), mute (its author in its room)."""

    http_method_names = ["post"]
    ACTIONS = ("delete", "approve", "reject", "mute")

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise Http404
        message = get_object_or_404(ChatMessage.objects.select_related("room", "author"), pk=pk)
        me = request.user
        moderator = services.user_can_moderate_chats(me)
        reason = (request.POST.get("reason") or "").strip()[:500]
        try:
            if action == "delete" and me.is_authenticated and message.author_id == me.pk:
                services.chat_message_delete(user=me, message=message)
            elif not moderator:
                if action == "delete" and me.is_authenticated:
                    raise ChatRefused(_("You can only delete your own messages."), status=403)
                raise PermissionDenied
            elif action == "delete":
                services.chat_message_remove(moderator=me, message=message, reason=reason)
            elif action == "approve":
                services.chat_message_approve(moderator=me, message=message)
            elif action == "reject":
                services.chat_message_reject(moderator=me, message=message, reason=reason)
            elif action == "mute":
                if message.author is None:
                    raise ChatRefused(_("This message's author has deleted their account."))
                try:
                    minutes = int(request.POST.get("minutes", ""))
                except ValueError:
                    minutes = -1
                if minutes not in (0, *MUTE_MINUTES):
                    raise ChatRefused(_("Choose how long to mute for."))
                services.chat_mute_set(
                    moderator=me,
                    room=message.room,
                    user=message.author,
                    minutes=minutes,
                    reason=reason,
                )
        except ChatRefused as refused:
            if wants_json(request):
                return JsonResponse({"error": refused.message}, status=refused.status)
            context = room_context(request, message.room, error=refused.message)
            response = TemplateResponse(
                request, "chats/chat_room.html", context, status=refused.status
            )
            return _private(response, request)
        if wants_json(request):
            return JsonResponse({"id": message.pk, "status": message.status})
        if request.POST.get("next") == "admin":
            return HttpResponseSeeOther(reverse("chats_admin:held"))
        return _room_redirect(room=message.room, anchor="chat-log")


class RoomModerateView(View):
    """Slow mode and open/close/archive, from the room page (moderators)."""

    http_method_names = ["post"]

    def post(self, request, slug):
        room = get_object_or_404(ChatRoom, slug=slug)
        if not services.user_can_moderate_chats(request.user):
            raise PermissionDenied
        try:
            if "slow_mode_seconds" in request.POST:
                try:
                    seconds = int(request.POST["slow_mode_seconds"])
                except ValueError:
                    seconds = -1
                services.chat_room_slow_mode_set(moderator=request.user, room=room, seconds=seconds)
            if "status" in request.POST:
                services.chat_room_status_set(
                    moderator=request.user,
                    room=room,
                    status=request.POST["status"],
                    reason=(request.POST.get("reason") or "")[:500],
                )
        except ChatRefused as refused:
            if wants_json(request):
                return JsonResponse({"error": refused.message}, status=refused.status)
            return HttpResponseBadRequest(refused.message)
        if wants_json(request):
            return JsonResponse(
                {"id": room.pk, "status": room.status, "slow_mode_seconds": room.slow_mode_seconds}
            )
        return _room_redirect(room)
