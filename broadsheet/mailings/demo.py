"""The demo newsroom's newsletters: today's draft of every edition's daily digest,
so Newsletters → Digests has one to reorder, preview and send at once
(otherwise the first draft appears at the next MAILINGS_DIGEST_COMPOSE_AT)."""

from django.utils import timezone

from broadsheet.subscriptions.models import ListKind, NewsletterList

from .models import Digest
from .services import digest_compose, digest_zone


def mailings_demo_build() -> dict[str, int]:
    """Today's draft of each edition's daily digest (its first digest list
    for the whole site, in each language), once."""
    lists = NewsletterList.objects.filter(kind=ListKind.DIGEST, section=None, active=True)
    first: dict[str, NewsletterList] = {}
    for newsletter in lists.order_by("sort_order", "pk"):
        first.setdefault(newsletter.language, newsletter)
    edition = timezone.localdate(timezone=digest_zone())
    made = 0
    for newsletter in first.values():
        if Digest.objects.filter(newsletter=newsletter, edition=edition).exists():
            continue
        made += int(digest_compose(newsletter=newsletter, edition=edition) is not None)
    return {"digest draft": made}
