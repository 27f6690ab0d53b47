from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from .origin import absolute_url


class SeoMixin:
    """What every public page tells search engines and social networks.

    Templates read `seo_title_text`, `meta_description` and `get_social_image`
    through includes/seo.html; page types override the last two.
    """

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("show_in_menus"),
            ],
            heading=_("For search engines and social cards"),
        ),
    ]

    @property
    def seo_title_text(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return (
            self.search_description or getattr(self, "standfirst", "") or getattr(self, "intro", "")
        )

    def get_social_image(self):
        return None

    def get_full_url(self, request=None):
        # Wagtail puts the Site row's hostname and port in front; the public
        # origin is SITE_URL, so sitemaps, feeds, purges and e-mails agree
        # even while the Site row is stale.
        parts = self.get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return None
        return absolute_url(parts[2])

    full_url = property(get_full_url)


__all__ = ["Page", "SeoMixin"]
