"""The public media bank: browse, search and filter photos; a page per photo;
originals for staff and media clients."""

import os
import re
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_sendfile import sendfile
from wagtail.images.views.serve import ServeView

from broadsheet.core.cache import memoized
from broadsheet.core.surrogate import BANK_KEY, photo_key, surrogate_keys_add
from broadsheet.news.cursors import Cursor

from .models import Photo
from .selectors import (
    BankFilters,
    _edition_active,
    bank_page,
    bank_photo,
    photo_published_in,
    photo_related,
    public_photos,
)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_NAME_LENGTH = 120
MAX_WORD_LENGTH = 60
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Letters and digits in any script: what the search index splits text into.
_WORD = re.compile(r"[^\W_]+")
MEDIA_CLIENTS_GROUP = "media clients"


def _clean(raw: str, limit: int) -> str:
    """Drop control characters, fold white space and bound the length."""
    return " ".join(_UNSAFE.sub(" ", raw).split())[:limit]


def bank_words(query: str) -> tuple[str, ...]:
    """The words of a search, as the index sees them: runs of letters and digits,
    lower case, at most MAX_WORDS. Quotes, operators and other punctuation are
    separators, never syntax, so no input can break the full-text query."""
    words = _WORD.findall(unicodedata.normalize("NFC", query).lower())
    return tuple(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in words))[:MAX_WORDS]


def _date(raw: str, label: str, errors: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(
            _("“%(label)s” must be a date written as YYYY-MM-DD, e.g. 2026-03-31.")
            % {"label": label}
        )
        return None


class PhotoListView(TemplateView):
    """Every photo in the bank, newest first, by words, dates, photographer or keyword.

    `?before=<cursor>` pages by keyset; a malformed cursor is a 400, one past
    the end a 404. Malformed dates are a 400 that says what was wrong.
    """

    template_name = "mediabank/photo_list.html"

    def get(self, request, *args, **kwargs):
        surrogate_keys_add(BANK_KEY)
        get = request.GET
        errors: list[str] = []
        query = _clean(get.get("q", ""), MAX_QUERY_LENGTH)
        filters = BankFilters(
            words=bank_words(query),
            wordless=bool(query) and not bank_words(query),
            date_from=_date(get.get("from", ""), _("Taken from"), errors),
            date_to=_date(get.get("to", ""), _("Taken to"), errors),
            photographer=_clean(get.get("photographer", ""), MAX_NAME_LENGTH),
            keyword=_clean(get.get("keyword", ""), MAX_NAME_LENGTH),
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            errors.append(_("“Taken from” must not be after “Taken to”."))
        raw = get.get("before")
        before = Cursor.decode(raw) if raw is not None else None
        page = (
            None
            if errors
            else memoized(
                ("bank-page", filters, raw), lambda: bank_page(filters=filters, before=before)
            )
        )
        context = self.get_context_data(
            query=query,
            filters=filters,
            form={k: _clean(get.get(k, ""), MAX_NAME_LENGTH) for k in ("from", "to")},
            errors=errors,
            results=page,
            more_query=_more_query(get),
            og_title=_("Media bank"),
            meta_description=_("Photos from our reporting: search, browse and find their credits."),
        )
        return self.render_to_response(context, status=400 if errors else 200)


def _more_query(get) -> str:
    """The current filters as a query string, for the "More" link (without the cursor)."""
    kept = get.copy()
    kept.pop("before", None)
    for key in list(kept):
        if key not in ("q", "from", "to", "photographer", "keyword"):
            kept.pop(key)
    return kept.urlencode()


class PhotoDetailView(TemplateView):
    template_name = "mediabank/photo_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # "Published in" lists the edition's pages: the edition is in the key.
        edition = _edition_active()
        surrogate_keys_add(photo_key(kwargs["pk"]))
        found = memoized(
            ("bank-photo", kwargs["pk"], edition), lambda: _photo_page(kwargs["pk"], edition)
        )
        photo = found["photo"]
        context.update(
            **found,
            og_title=photo.title,
            og_type="article",
            meta_description=photo.caption or photo.default_alt_text,
            social_photo=photo,
        )
        return context


def _photo_page(pk: int, locale_id: int | None) -> dict:
    photo = bank_photo(pk=pk)
    return {
        "photo": photo,
        "tags": list(photo.tags.all()),
        "published_in": photo_published_in(photo=photo, locale_id=locale_id),
        "related": photo_related(photo=photo),
    }


def can_download_originals(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.groups.filter(name=MEDIA_CLIENTS_GROUP).exists()
    )


@require_safe
def photo_original(request, pk):
    """The uploaded original, for signed-in staff and members of "media clients"."""
    if not can_download_originals(request.user):
        raise PermissionDenied(_("Originals are for staff and media clients."))
    # Staff see everything; media clients only what the public bank shows.
    photos = Photo.objects.all() if request.user.is_staff else public_photos()
    photo = get_object_or_404(photos, pk=pk)
    if not photo.is_usable:
        raise Http404(_("This photo is no longer available."))
    response = _original_file(request, photo)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _original_file(request, photo: Photo) -> HttpResponse:
    """The original from its private storage: a file on this machine goes out
    through django-sendfile2 (streamed here, or by the proxy after an
    X-Accel-Redirect / X-Sendfile header: BROADSHEET_ORIGINALS_DELIVERY); one
    in a private bucket through a signed URL that expires within a minute."""
    storage, name = photo.file.storage, photo.file.name
    if not name:
        raise Http404("The original file is missing.")
    filename = os.path.basename(name)
    try:
        path = storage.path(name)
    except NotImplementedError:
        disposition = f'attachment; filename="{filename}"'
        return HttpResponseRedirect(
            storage.url(
                name,
                parameters={"ResponseContentDisposition": disposition},
                expire=settings.BROADSHEET_ORIGINALS_URL_SECONDS,
            )
        )
    return sendfile(request, path, attachment=True, attachment_filename=filename)


class PhotoServeView(ServeView):
    """Wagtail's signed image view, used while a photo's renditions are still
    being made in the background (templatetags/photos.py). It makes the one
    rendition asked for and redirects to its file; a withdrawn or expired
    photo is gone here too, whatever address a page once carried."""

    action = "redirect"

    def get(self, request, signature, image_id, filter_spec, filename=None):
        photo = get_object_or_404(Photo, pk=image_id)
        if not photo.is_usable:
            raise Http404("This photo is no longer available.")
        return super().get(request, signature, image_id, filter_spec, filename)
