"""The push subscription API and the service worker.

`POST /alerts/push/subscribe/` and `/alerts/push/unsubscribe/` take the
browser's PushSubscription.toJSON() (plus "language"). They are csrf_exempt
because the pages the button sits on carry no CSRF token (anonymous pages
stay cacheable). Instead they demand what a cross-site page cannot forge:
`Content-Type: application/json` (a cross-site form cannot send it, and a
cross-site fetch with it needs a CORS preflight this site never answers) and
an `Origin` that is this site's (plus `Sec-Fetch-Site: same-origin` where the
browser sends it). Rate-limited per IP; bodies over 4 KB refused; every
refusal is a 4xx with the reason, in JSON.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from broadsheet.core.ratelimit import ip_over_limit

from .services import push_subscription_delete, push_subscription_save
from .validation import Invalid, endpoint_check, language_pick, subscription_parse
from .vapid import vapid_keys

BODY_MAX_BYTES = 4 * 1024


def _refuse(status: int, reason: str, **headers) -> JsonResponse:
    response = JsonResponse({"ok": False, "error": reason}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def _over_limit(request) -> bool:
    return ip_over_limit(
        request, scope="alerts-push", limit=settings.ALERTS_PUSH_SUBSCRIBES_PER_MINUTE
    )


def _same_origin(request) -> bool:
    origin = request.headers.get("Origin", "")
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    if not origin or origin == "null":
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin.rstrip("/") in (settings.SITE_URL, own)


@method_decorator(csrf_exempt, name="dispatch")
class PushApiView(View):
    http_method_names = ["post"]

    def post(self, request):
        if not request.content_type == "application/json":
            return _refuse(415, "Content-Type must be application/json.")
        if not _same_origin(request):
            return _refuse(403, "Only this site's pages may do this.")
        if _over_limit(request):
            return _refuse(429, "Too many requests; try again in a minute.", Retry_After="60")
        if vapid_keys() is None:
            return _refuse(503, "Browser alerts are switched off.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = request.read(BODY_MAX_BYTES + 1) if length <= BODY_MAX_BYTES else b""
        if length > BODY_MAX_BYTES or len(body) > BODY_MAX_BYTES:
            return _refuse(413, f"The body is larger than {BODY_MAX_BYTES} bytes.")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return _refuse(400, "The body is not JSON.")
        try:
            return self.handle(data)
        except Invalid as exc:
            return _refuse(400, str(exc))

    def handle(self, data) -> JsonResponse:
        raise NotImplementedError


class SubscribeView(PushApiView):
    def handle(self, data):
        info = subscription_parse(data)
        _, created = push_subscription_save(info=info, language=language_pick(data.get("language")))
        return JsonResponse({"ok": True, "created": created}, status=201 if created else 200)


class UnsubscribeView(PushApiView):
    def handle(self, data):
        if not isinstance(data, dict):
            raise Invalid("expected a JSON object")
        removed = push_subscription_delete(endpoint=endpoint_check(data.get("endpoint")))
        return JsonResponse({"ok": True, "removed": removed})


_SW_CACHE: dict[str, str] = {}


def service_worker(request):
    """/sw.js at the site root, so its scope covers every page and language
    prefix. no-cache: browsers check it for updates, and a CDN must not keep
    an old one."""
    if "body" not in _SW_CACHE or settings.DEBUG:
        _SW_CACHE["body"] = render_to_string("alerts/sw.js")
    response = HttpResponse(_SW_CACHE["body"], content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
