from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from .origin import page_full_url


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
        # On SITE_URL, not the Site row's host: sitemaps, feeds, purges and
        # e-mails agree even while the row is stale.
        return page_full_url(self, request)

    full_url = property(get_full_url)


__all__ = ["Page", "SeoMixin"]
