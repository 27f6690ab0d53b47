from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Name, tagline and publisher details shown in the masthead and JSON-LD."""

    name = models.CharField(_("site name"), max_length=80, default="Broadsheet")
    tagline = models.CharField(
        _("tagline"), max_length=160, default="News from around the world, as it happens"
    )
    publisher_name = models.CharField(
        _("publisher"),
        max_length=120,
        default="Broadsheet",
        help_text=_("Named as the publisher in search engines' structured data."),
    )
    twitter_handle = models.CharField(
        _("X/Twitter handle"), max_length=40, blank=True, help_text=_("Without the @.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("publisher_name"),
        FieldPanel("twitter_handle"),
    ]

    class Meta:
        verbose_name = _("site identity")

    @classmethod
    def for_site(cls, site):
        # Read on every page (masthead, footer, JSON-LD); saving it bumps the
        # content version, so one copy per process and version is enough.
        from .cache import memoized

        return memoized(("site_identity", site.pk), lambda: super(SiteIdentity, cls).for_site(site))


class ContentVersion(models.Model):
    """One row whose number changes whenever public listings change (see core/cache.py)."""

    version = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.version)
