from django.db import transaction
from django.db.models.signals import post_save

from broadsheet.editions.models import Edition
from broadsheet.editions.permissions import edition_groups_ensure


def front_page_saved(sender, instance, created, raw=False, **kwargs):
    """An edition's front page exists: its groups exist too (after commit, so
    the page, its locale and the edition row are all there)."""
    if raw or not created:
        return
    locale_id = instance.locale_id

    def ensure():
        edition = Edition.objects.filter(locale_id=locale_id).select_related("locale").first()
        if edition is not None:
            edition_groups_ensure(edition=edition)

    transaction.on_commit(ensure)


post_save.connect(front_page_saved, sender="news.HomePage", dispatch_uid="edition_groups")
