"""django-allauth and django-axes hooks.

https://docs.allauth.org/en/latest/account/advanced.html#custom-redirects
https://django-axes.readthedocs.io/en/latest/4_configuration.html
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db.models import Q

from broadsheet.core.origin import public_url

# Login and logout land on pages that never show messages (a story, the front
# page: shared, cacheable HTML), so these notes would wait in the messages
# cookie and surface later on an unrelated page.
SILENT_MESSAGES = frozenset({"account/messages/logged_in.txt", "account/messages/logged_out.txt"})


class AccountAdapter(DefaultAccountAdapter):
    def add_message(self, request, level, message_template=None, *args, **kwargs):
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds its links (verification, reset, sign-up) and the
        # signature's domain from the request's host; e-mails name the public
        # origin instead, so a forged Host cannot put its address in them.
        context = {
            key: public_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        context.setdefault("current_site", PublicSite.current())
        super().send_mail(template_prefix, email, context)


@dataclass(frozen=True)
class PublicSite:
    """What allauth's e-mail templates read from Django's `current_site`."""

    domain: str
    name: str

    @classmethod
    def current(cls) -> "PublicSite":
        from wagtail.models import Site

        from broadsheet.core.models import SiteIdentity

        domain = urlsplit(settings.SITE_URL).netloc
        site = Site.objects.filter(is_default_site=True).first()
        name = SiteIdentity.for_site(site).name if site is not None else ""
        return cls(domain=domain, name=name or domain)


def axes_username(request, credentials=None) -> str | None:
    """The account an attempt is counted against (`AXES_USERNAME_CALLABLE`).

    allauth authenticates with `email` (its form posts `login`), Wagtail's and
    Django's admin with `username`, and axes' success handler passes the
    username. An address that belongs to an account is mapped to that
    account's username, so every form, any letter case, and the reset on a
    successful sign-in all meet on one counter; an unknown address counts as
    itself, lower-cased.
    """
    value = None
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        value = next((source.get(k) for k in ("email", "login", "username") if source.get(k)), None)
        if value:
            break
    if not value:
        return None
    value = str(value).strip()
    if "@" not in value:
        return value
    from .models import User

    username = (
        User.objects.filter(Q(email__iexact=value) | Q(emailaddress__email__iexact=value))
        .values_list("username", flat=True)
        .first()
    )
    return username or value.lower()


def user_display(user) -> str:
    """How allauth's pages and e-mails name a person (`ACCOUNT_USER_DISPLAY`):
    the public display name, never the generated username."""
    return user.display_name or user.email
