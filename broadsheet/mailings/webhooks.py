"""Bounce and complaint reports from the mail provider.

`POST /mailings/webhooks/feedback/` with a JSON body — one report
`{"type": "complaint"|"bounce", "email": "…"}` or a list of them — and the
header `X-Broadsheet-Signature: sha256=<hex>`: the HMAC-SHA256 of the raw body
with MAILINGS_WEBHOOK_SECRET (a signature binds the body, unlike a bearer
token a proxy might log). Each named address is disabled and unsubscribed
from every list. Without a secret the endpoint does not exist (404).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.subscriptions.models import DisabledReason, Subscriber

from .services import subscriber_disable

SIGNATURE_HEADER = "X-Broadsheet-Signature"
MAX_BODY = 256 * 1024
MAX_REPORTS = 1000


def signature_for(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _refuse(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


def _reports(body: bytes) -> list[tuple[str, str]]:
    """(type, address) pairs; raises ValueError with the reason."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("the body is not JSON") from error
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_REPORTS:
        raise ValueError(f"send between 1 and {MAX_REPORTS} reports")
    reports = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"report {index}: not an object")
        kind, email = item.get("type"), item.get("email")
        if kind not in DisabledReason.values:
            raise ValueError(f'report {index}: "type" must be "complaint" or "bounce"')
        if not isinstance(email, str) or len(email) > 254:
            raise ValueError(f'report {index}: "email" must be an address')
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValueError(f'report {index}: "email" must be an address') from error
        reports.append((kind, email.strip().lower()))
    return reports


@csrf_exempt
@require_POST
def feedback(request):
    secret = settings.MAILINGS_WEBHOOK_SECRET
    if not secret:
        raise Http404
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
        return _refuse(413, "the body is larger than 256 KB")
    body = request.body
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not given:
        return _refuse(401, f"the {SIGNATURE_HEADER} header is missing")
    if not hmac.compare_digest(given.encode(), signature_for(body, secret).encode()):
        return _refuse(401, "the signature does not match the body")
    try:
        reports = _reports(body)
    except ValueError as error:
        return _refuse(400, str(error))
    disabled = unknown = 0
    for kind, email in reports:
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is None:
            unknown += 1
            continue
        subscriber_disable(subscriber=subscriber, reason=kind, unsubscribe=True)
        disabled += 1
    return JsonResponse({"disabled": disabled, "unknown": unknown})
