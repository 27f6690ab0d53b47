"""The demo newsroom's public identity: the Wagtail Site on SITE_URL's host and
port, and a publisher logo and profiles for search engines' structured data.
Called by `load_demo` after the newsroom is built; idempotent."""

from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from wagtail.models import Site

from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import site_row_sync
from broadsheet.mediabank.models import Photo

from .structured_data import FALLBACK_LOGO, LOGO_SPEC

LOGO_TITLE = "Broadsheet logo"
DEMO_PROFILES = "https://social.example.org/@broadsheet\nhttps://video.example.org/c/broadsheet"


def demo_identity_build() -> None:
    site_row_sync()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    identity = SiteIdentity.for_site(site)
    if identity.logo_id is None:
        identity.logo = _logo_photo()
    identity.same_as = identity.same_as or DEMO_PROFILES
    identity.save()


def _logo_photo() -> Photo:
    photo = Photo.objects.filter(title=LOGO_TITLE).first()
    if photo is None:
        with open(finders.find(FALLBACK_LOGO[0]), "rb") as handle:
            photo = Photo.objects.create(
                title=LOGO_TITLE,
                file=ImageFile(handle, name="broadsheet-logo.png"),
                caption="The Broadsheet wordmark.",
                alt_text="Broadsheet",
                copyright_holder="Broadsheet",
                usage_terms="The publisher's own mark",
            )
    # Made now, so structured data points at the file rather than the image view.
    photo.get_rendition(LOGO_SPEC)
    return photo
