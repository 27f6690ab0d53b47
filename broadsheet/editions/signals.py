from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Locale

from .models import Edition


@receiver(post_save, sender=Locale)
def edition_for_new_locale(sender, instance, created, raw=False, **kwargs):
    """A locale added in the admin (Settings → Locales) is an edition at once,
    with the site's time zone until an editor sets its own."""
    if created and not raw:
        Edition.objects.get_or_create(locale=instance, defaults={"time_zone": settings.TIME_ZONE})
