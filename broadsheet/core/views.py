import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static as static_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import static
from django.views.generic import TemplateView

from .origin import absolute_url


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sitemap_url"] = absolute_url(reverse("sitemap-index"))
        # Every edition's Google News sitemap (/sitemap-news.xml, /ru/…).
        context["news_sitemap_urls"] = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                context["news_sitemap_urls"].append(absolute_url(reverse("sitemap-news")))
        return context


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them the icon."""
    return HttpResponsePermanentRedirect(static_url("img/favicon.svg"))


# What /media/ may hand out in one-machine mode, and only in its plain form: a
# file right inside Wagtail's renditions folder or the readers' avatars. A path
# with an empty or dot segment, a backslash, a percent sign (an encoded byte
# that survived decoding) or anything but letters, digits, "_", "-" and "." is
# refused before it reaches the file system, whatever it would normalise to.
# Photo originals are not under MEDIA_ROOT at all (mediabank: "originals"
# storage), and documents go through Wagtail's own view, which checks privacy.
PUBLIC_MEDIA_PATH = re.compile(r"(?:images|avatars)/\w[\w.-]*")


def media(request, path):
    """Uploaded files in one-machine mode. Rendition names change with their
    content, so they may be cached for a year."""
    if not PUBLIC_MEDIA_PATH.fullmatch(path):
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if path.startswith("images/"):
        patch_cache_control(response, public=True, max_age=60 * 60 * 24 * 365, immutable=True)
    return response


# Error pages name no canonical address: the requested path must not be echoed
# back (it may be a guessed embargoed URL) nor offered to crawlers.
NO_CANONICAL = {"canonical_url": None}


def bad_request(request, exception=None):
    # Standalone, like the 500 page: a 400 may come from a forged Host header,
    # and anything that looks up the site for the request would fail again.
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def page_not_found(request, exception=None):
    return render(request, "404.html", NO_CANONICAL, status=404)


def server_error(request):
    # Rendered without a request context: no database work while the site may be down.
    # Called inside Django's exception handling, so the exception is at hand:
    # a database that does not answer is a 503 readers may retry, not a bug.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
