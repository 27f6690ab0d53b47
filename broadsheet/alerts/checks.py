"""System checks for Web Push (VAPID settings, vapid.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .vapid import private_key_parse, public_key_text


@register()
def vapid_settings_check(app_configs=None, **kwargs):
    """Keys that are set must be usable and belong together; the subject must
    be a contact the push services accept."""
    problems = []
    private = settings.WEBPUSH_VAPID_PRIVATE_KEY
    public = settings.WEBPUSH_VAPID_PUBLIC_KEY
    if private:
        try:
            derived = public_key_text(private_key_parse(private))
        except (ValueError, TypeError):
            problems.append(
                Error(
                    "WEBPUSH_VAPID_PRIVATE_KEY is not a P-256 private key.",
                    hint="Use the pair `manage.py webpush_keys` prints.",
                    id="alerts.E002",
                )
            )
        else:
            if public and public.rstrip("=") != derived:
                problems.append(
                    Error(
                        "WEBPUSH_VAPID_PUBLIC_KEY does not belong to WEBPUSH_VAPID_PRIVATE_KEY.",
                        hint="Use the pair `manage.py webpush_keys` prints.",
                        id="alerts.E002",
                    )
                )
    subject = settings.WEBPUSH_VAPID_SUBJECT
    if settings.ALERTS_PUSH_ENABLED and not (
        subject.startswith("mailto:") and "@" in subject or subject.startswith("https://")
    ):
        problems.append(
            Error(
                f"WEBPUSH_VAPID_SUBJECT must be a mailto: or https: address, not {subject!r}.",
                id="alerts.E003",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def vapid_keys_deploy_check(app_configs=None, **kwargs):
    if not settings.ALERTS_PUSH_ENABLED:
        return []
    problems = []
    if settings.WEBPUSH_VAPID_SUBJECT.rstrip("/").endswith(".localhost"):
        # Apple's push service refuses tokens whose subject is not reachable.
        problems.append(
            Warning(
                "WEBPUSH_VAPID_SUBJECT is the development placeholder.",
                hint="Set it to a real mailto: or https: contact.",
                id="alerts.W001",
            )
        )
    if settings.WEBPUSH_VAPID_PRIVATE_KEY and settings.WEBPUSH_VAPID_PUBLIC_KEY:
        return problems
    return [
        *problems,
        Error(
            "Browser alerts are on (ALERTS_PUSH_ENABLED) but WEBPUSH_VAPID_PUBLIC_KEY and "
            "WEBPUSH_VAPID_PRIVATE_KEY are not both set.",
            hint="Run `manage.py webpush_keys` once and put the pair in the environment "
            "(or set ALERTS_PUSH_ENABLED=false).",
            id="alerts.E001",
        ),
    ]
