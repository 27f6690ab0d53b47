"""The demo newsroom's newsletters: today's draft of the site's daily digest,
so Newsletters → Digests has one to reorder, preview and send at once
(otherwise the first draft appears at the next MAILINGS_DIGEST_COMPOSE_AT)."""

from django.utils import timezone

from broadsheet.subscriptions.models import ListKind, NewsletterList

from .models import Digest
from .services import digest_compose, digest_zone


def mailings_demo_build() -> dict[str, int]:
    newsletter = (
        NewsletterList.objects.filter(kind=ListKind.DIGEST, section=None, active=True)
        .order_by("sort_order", "pk")
        .first()
    )
    if newsletter is None:
        return {"digest draft": 0}
    edition = timezone.localdate(timezone=digest_zone())
    if Digest.objects.filter(newsletter=newsletter, edition=edition).exists():
        return {"digest draft": 0}
    return {"digest draft": int(digest_compose(newsletter=newsletter, edition=edition) is not None)}
