"""Production settings: secrets and hosts must come from the environment.

`manage.py check --deploy --settings=broadsheet.settings.production` is clean
when the required variables are set. See docs/deploy.md.
"""

from .base import *  # noqa: F403
from .base import BROADSHEET_ORIGINALS_URL_SECONDS, STORAGES, _trusting_origin, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
# The public origin has no default here: a site that guessed it would put the
# wrong address in every canonical link, feed and e-mail (core/origin.py).
SITE_URL = env("SITE_URL").rstrip("/")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS = _trusting_origin(
    SITE_URL,
    env.list("DJANGO_ALLOWED_HOSTS"),
    env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]),
)

BROADSHEET_SERVE_MEDIA = env.bool("BROADSHEET_SERVE_MEDIA", default=False)

# Browser alerts: VAPID keys come from the environment (check alerts.E001),
# never from a generated file; endpoints are public push services only.
WEBPUSH_VAPID_DEV_KEY_FILE = None
ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Links in sign-up and password-reset e-mails are always https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible object storage for uploads (django-storages).
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
                "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    # Photo originals go to a private bucket (or a private prefix of the same
    # one: then the bucket's public-read policy must cover only images/ and
    # avatars/). Nothing links to them: the media bank's original view checks
    # permissions, then redirects to a signed URL that expires in a minute.
    STORAGES["originals"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env(
                "BROADSHEET_ORIGINALS_BUCKET", default=env("AWS_STORAGE_BUCKET_NAME")
            ),
            "location": env("BROADSHEET_ORIGINALS_PREFIX", default="private"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "signature_version": "s3v4",  # SigV2 links are refused by newer regions
            "querystring_auth": True,
            "querystring_expire": BROADSHEET_ORIGINALS_URL_SECONDS,
            "file_overwrite": False,
        },
    }

if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
