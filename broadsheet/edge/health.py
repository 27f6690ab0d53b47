"""The health check an edge (Varnish's probe, a load balancer) asks.

It answers 503 while the database does not: Varnish then serves cached pages
past their freshness (grace) instead of passing readers to a server that can
only fail.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


class HealthCheckMiddleware:
    """Answers the probe before sessions, the content version or the site
    lookup run: the probe asks whether the database answers, and nothing else
    may make it fail (or lock a table while a write runs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
