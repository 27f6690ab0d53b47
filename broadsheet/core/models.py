from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
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
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The publisher's logo in search engines' structured data: at least 112×112 "
            "pixels, on a plain background. Without one, the built-in wordmark is used."
        ),
    )
    same_as = models.TextField(
        _("profiles elsewhere"),
        blank=True,
        help_text=_(
            "The publication's own pages on other sites (social networks, Wikipedia), "
            "one address a line."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("publisher_name"),
        FieldPanel("twitter_handle"),
        FieldPanel("logo"),
        FieldPanel("same_as"),
    ]

    class Meta:
        verbose_name = _("site identity")

    def clean(self):
        super().clean()
        check = URLValidator(schemes=["https", "http"])
        for line in self.same_as_urls:
            try:
                check(line)
            except ValidationError:
                raise ValidationError(
                    {"same_as": _("“%(line)s” is not a web address.") % {"line": line[:100]}}
                ) from None

    @property
    def same_as_urls(self) -> list[str]:
        return [line.strip() for line in self.same_as.splitlines() if line.strip()]

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


class StaleKey(models.Model):
    """A surrogate key whose content changed, written by the edge purge rules
    in the change's own transaction (edge/services.edge_keys_purge). Each
    server process reads the new rows once and drops the fragments that
    named the key (core/fragments.py). Rows older than an hour are deleted
    by the scheduler (`stale_keys_prune`); a fragment lives five minutes."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stale surrogate key")

    def __str__(self):
        return self.key
