from django.conf import settings
from django.utils import timezone, translation

from .selectors import edition_for, site_for_edition


class EditionMiddleware:
    """After LocaleMiddleware: the request's edition (`request.edition`),
    its time zone active while the response is made, and Wagtail's Site
    rooted at the edition's front page (see `site_for_edition`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language() or settings.LANGUAGE_CODE
        edition = edition_for(language=language)
        request.edition = edition
        site = getattr(request, "_wagtail_site", None)
        if site is not None:
            request._wagtail_site = site_for_edition(site=site, language=language)
        timezone.activate(edition.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
