"""Branded e-mails: one MJML layout, rendered to HTML that holds up in the
common mail clients, with a plain-text part beside it.

MJML (through mrml, its Rust port: https://github.com/jdrouet/mrml) is used
rather than hand-written tables plus a CSS inliner because its components
already carry the Outlook conditional comments, the stacking columns for
narrow screens and the inline styles that mail clients need; a template
writes sections and columns, not table hacks. mrml renders a digest in well
under a millisecond, so it can run per send.

A message is `email/<name>.mjml` (a Django template that extends
`email/base.mjml`) and `email/<name>.txt`. Both are rendered in the reader's
language. Django escapes the context in both, so reader-written text never
becomes markup (the text part is marked safe only after rendering: it is
plain text).
"""

from dataclasses import dataclass
from html import unescape

import mrml
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.models import Site

from .models import SiteIdentity
from .origin import absolute_url

# The site's light palette (static/css/broadsheet.css :root); mail clients
# that honour `prefers-color-scheme` darken them themselves.
EMAIL_COLOURS = {
    "ink": "#141414",
    "muted": "#5c5c5c",
    "rule": "#d9d5cc",
    "surface": "#f3f1ec",
    "link": "#0a56a8",
    "accent": "#b3121b",
}


@dataclass(frozen=True)
class RenderedEmail:
    html: str
    text: str


class EmailTemplateError(Exception):
    """mrml refused the MJML a template produced (a bug in the template)."""


def email_context(*, request=None) -> dict:
    """What every e-mail template can use: the site's name, origin and colours."""
    identity = SiteIdentity.for_request(request) if request is not None else _default_identity()
    return {
        "site_name": identity.name if identity else "Broadsheet",
        "site_tagline": identity.tagline if identity else "",
        "site_url": absolute_url("/"),
        "colours": EMAIL_COLOURS,
    }


def _default_identity():
    site = Site.objects.filter(is_default_site=True).first()
    return SiteIdentity.for_site(site) if site is not None else None


def email_render(*, template: str, context: dict, language: str | None = None) -> RenderedEmail:
    """`email/<template>.mjml` and `.txt` rendered in `language` (default: the
    active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        full = {**email_context(), **context, "language": language}
        mjml = render_to_string(f"email/{template}.mjml", full)
        text = render_to_string(f"email/{template}.txt", full)
    try:
        html = mrml.to_html(mjml).content
    except Exception as error:  # mrml raises a bare exception type of its own
        raise EmailTemplateError(f"email/{template}.mjml: {error}") from error
    return RenderedEmail(html=html, text=_plain(text))


def _plain(text: str) -> str:
    # Text templates escape like HTML ones; the text part is not HTML, so the
    # entities go back to characters (tags cannot appear: they were escaped).
    lines = [line.rstrip() for line in unescape(strip_tags(text)).strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def email_message(
    *,
    template: str,
    context: dict,
    to: str,
    subject: str,
    language: str | None = None,
    headers: dict | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """A ready-to-send multipart message (text, then HTML)."""
    rendered = email_render(template=template, context=context, language=language)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # no CR/LF can reach a header
        body=rendered.text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
