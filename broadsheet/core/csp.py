"""The Content-Security-Policy: which policy a response gets, and the endpoint
browsers report violations to.

django-csp builds the header from settings (CONTENT_SECURITY_POLICY, or
CONTENT_SECURITY_POLICY_REPORT_ONLY when BROADSHEET_CSP_REPORT_ONLY is set).
This module adds what a single settings dict cannot say: the admins get
their own policy and the storage's origin may serve images. Reports come as
`report-uri` bodies (application/csp-report) or, from the Reporting API
(`report-to`) or a collector forwarding them, as application/reports+json.
"""

import json
import logging
from functools import cached_property
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .ratelimit import ip_over_limit

logger = logging.getLogger("broadsheet.csp")

REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_REQUEST = 20
CSP_REPORT_TYPE = "application/csp-report"  # report-uri (every browser today)
REPORTS_JSON_TYPE = "application/reports+json"  # report-to (the Reporting API)
# Fields logged from either format, as (name in report-uri, name in report-to).
LOGGED_FIELDS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("violated-directive", None),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("script-sample", "sample"),
    ("disposition", "disposition"),
)
FIELD_MAX_CHARS = 300


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy under the admin paths."""

    @cached_property
    def storage_origin(self) -> str | None:
        # Renditions are served from wherever the storage says (an absolute
        # MEDIA_URL, a bucket or its CDN domain); asked once per process.
        try:
            return _origin(default_storage.url("images/x.jpg"))
        except Exception:  # a misconfigured bucket must not take the site down
            logger.warning("CSP: could not work out the media storage's origin", exc_info=True)
            return None

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        if not getattr(settings, name, None):
            return parts
        if parts.config is None and request.path_info.startswith(
            tuple(settings.BROADSHEET_CSP_ADMIN_PATHS)
        ):
            parts.config = default_config(settings.BROADSHEET_CSP_ADMIN_DIRECTIVES)
        if self.storage_origin:
            update = dict(parts.update or {})
            for directive in ("img-src", "media-src"):
                sources = update.get(directive) or []
                sources = [sources] if isinstance(sources, str) else list(sources)
                update[directive] = [*sources, self.storage_origin]
            parts.update = update
        return parts


def _over_limit(request) -> bool:
    return ip_over_limit(
        request, scope="csp-report", limit=settings.BROADSHEET_CSP_REPORTS_PER_MINUTE
    )


def _field(value) -> str:
    # One line, bounded: a report is written by whoever sends it.
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("\r", " ").replace("\n", " ")[:FIELD_MAX_CHARS]


def parse_reports(content_type: str, body: bytes) -> list[dict[str, str]]:
    """The violations in a report body, each as {field: text}. Raises
    ValueError on anything that is not a CSP report in one of the two formats."""
    data = json.loads(body)
    if content_type == CSP_REPORT_TYPE:
        if not isinstance(data, dict) or not isinstance(data.get("csp-report"), dict):
            raise ValueError('expected {"csp-report": {...}}')
        bodies = [(data["csp-report"], 0)]
    else:
        if not isinstance(data, list) or not data:
            raise ValueError("expected a list of reports")
        bodies = [
            (item["body"], 1)
            for item in data[:REPORTS_PER_REQUEST]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
        if not bodies:
            raise ValueError("no csp-violation report in the list")
    violations = []
    for report, form in bodies:
        fields = {}
        for names in LOGGED_FIELDS:
            value = report.get(names[form]) if names[form] else None
            if value not in (None, ""):
                fields[names[0]] = _field(value)
        violations.append(fields)
    return violations


@method_decorator(csrf_exempt, name="dispatch")
class ReportView(View):
    """Where browsers send CSP violation reports: logged, never stored.

    Browsers send no CSRF token and may send no cookie, so none is needed;
    the answer is an empty 204, or a 4xx naming what was wrong.
    """

    http_method_names = ["post"]

    def post(self, request):
        if _over_limit(request):
            return HttpResponse("Too many reports.", status=429, content_type="text/plain")
        content_type = request.content_type
        if content_type not in (CSP_REPORT_TYPE, REPORTS_JSON_TYPE, "application/json"):
            return HttpResponse(
                f"Expected {CSP_REPORT_TYPE} or {REPORTS_JSON_TYPE}.",
                status=415,
                content_type="text/plain",
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > REPORT_MAX_BYTES:
            return HttpResponse("Report too large.", status=413, content_type="text/plain")
        body = request.read(REPORT_MAX_BYTES + 1)
        if len(body) > REPORT_MAX_BYTES:
            return HttpResponse("Report too large.", status=413, content_type="text/plain")
        # Some browsers label report-uri bodies plain JSON; the shape tells them apart.
        if content_type == "application/json":
            content_type = CSP_REPORT_TYPE if body.lstrip()[:1] == b"{" else REPORTS_JSON_TYPE
        try:
            violations = parse_reports(content_type, body)
        except (ValueError, TypeError, RecursionError) as exc:
            return HttpResponse(
                f"Not a CSP report: {_field(str(exc))[:120]}", status=400, content_type="text/plain"
            )
        for fields in violations:
            logger.warning(
                "CSP violation: %s",
                " ".join(f"{name}={value!r}" for name, value in fields.items()),
                extra={"csp_report": fields},
            )
        return HttpResponse(status=204)
