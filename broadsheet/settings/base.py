"""Settings shared by every environment.

Every value an operator may change is read from the environment here, once,
with its type and a development default. Secrets get no default in
``production.py``. See docs/configuration.md for the full table.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The site's one public origin (scheme://host[:port], no trailing slash). Every
# absolute URL — canonical, og:url, JSON-LD, sitemaps, robots.txt, feeds,
# e-mails — is built from it, never from the request's Host header
# (core/origin.py). Its host is always allowed.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")


def _trusting_origin(site_url: str, hosts: list, origins: list) -> tuple[list, list]:
    """ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS with the public origin added: its
    host is always served, and forms posted from it pass CSRF's origin check
    even when the proxy in front hands Django another Host."""
    host = urlsplit(site_url).hostname or ""
    host = f"[{host}]" if ":" in host else host
    if host and host not in hosts:
        hosts = [*hosts, host]
    if site_url not in origins:
        origins = [*origins, site_url]
    return hosts, origins


ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS = _trusting_origin(
    SITE_URL, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS
)

INSTALLED_APPS = [
    "broadsheet.core",
    "broadsheet.edge",
    "broadsheet.realtime",
    "broadsheet.accounts",
    "broadsheet.mediabank",
    "broadsheet.editions",
    "broadsheet.news",
    "broadsheet.search",
    "broadsheet.discussions",
    "broadsheet.live",
    "broadsheet.chats",
    "broadsheet.subscriptions",
    "broadsheet.mailings",
    "broadsheet.alerts",
    "broadsheet.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Translation workflow (segments, machine translation, sync) and the
    # admin's Locales, both from wagtail-localize:
    # https://wagtail-localize.org/stable/
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "axes",
]

MIDDLEWARE = [
    # First: the edge's probe over plain HTTP must not be redirected to HTTPS
    # (SECURE_SSL_REDIRECT) nor depend on the Host it sends.
    "broadsheet.edge.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security headers: every response, lockouts and errors
    # included, gets the Content-Security-Policy (broadsheet/core/csp.py).
    "broadsheet.core.csp.PolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and CSRF middleware, to see the cookies they set:
    # cache headers, surrogate keys and the embedded response cache.
    "broadsheet.edge.middleware.EdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "broadsheet.core.middleware.AtomicWritesMiddleware",
    "broadsheet.core.cache.ContentVersionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "broadsheet.editions.middleware.EditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "broadsheet.urls"
ASGI_APPLICATION = "broadsheet.asgi.application"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "broadsheet.core.context_processors.canonical",
            ],
        },
    },
]

# SQLite is the embedded default and is tuned for a real site: WAL lets readers
# run beside one writer, IMMEDIATE transactions take the write lock up front so
# two writers queue instead of failing with "database is locked", and FULL
# synchronous keeps every acknowledged commit through a power cut.
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA cache_size=-20000;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA mmap_size=134217728;"
)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'broadsheet.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": SQLITE_INIT,
    }
    # No health checks: a local SQLite file has no connection to lose (Django's
    # is_usable() is always true for it).
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Persistent connections, SQLite included: opening one costs the six PRAGMAs
# above (1-7 ms, measured in docs/benchmarks.md) and starts with an empty page
# cache. Under ASGI every sync view of a worker runs on its one thread-sensitive
# thread, so each worker keeps one connection; Django closes it at the end of
# a request after CONN_MAX_AGE seconds, or at once if it errored.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Peers whose X-Forwarded-For is believed (broadsheet/asgi.py): the reverse
# proxy or CDN edge in front of the app. Everyone else is taken at their address.
BROADSHEET_TRUSTED_PROXIES = env.list("BROADSHEET_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Reader accounts: django-allauth (sign-up, e-mail verification, login, password
# reset) and django-axes (brute-force lockout). https://docs.allauth.org/
# AxesBackend (not AxesStandaloneBackend) first: it only vets attempts, but
# it also answers get_user(), which Wagtail's test utilities and force_login
# expect of the first backend. ModelBackend then signs staff in by username,
# allauth's backend readers by e-mail.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:account"
ACCOUNT_ADAPTER = "broadsheet.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "broadsheet.accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "broadsheet.accounts.forms.SignupExtraForm"
ACCOUNT_UNIQUE_EMAIL = True
# "mandatory", not "optional": only then can sign-up hide that an address is
# registered (allauth mails the owner instead of saying "taken"); with
# "optional" allauth must refuse the duplicate on the form. A reader therefore
# verifies before the first sign-in, hence before the first comment.
# https://docs.allauth.org/en/latest/account/configuration.html (PREVENT_ENUMERATION)
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: a POST verifies
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once verified
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # password again before changing the e-mail
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password/e-mail changed" to the owner
ACCOUNT_SESSION_REMEMBER = None  # a "Remember me" box; unticked = browser-session cookie
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# The other sessions die on a password change anyway (Django's session auth
# hash); the browser that made the change stays signed in.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("ACCOUNT_EMAIL_SUBJECT_PREFIX", default="[Broadsheet] ")
# allauth's own throttles (cache-backed: use Redis when several processes
# serve). Failed logins: 10 a minute per IP and 10 in 15 minutes per address,
# above django-axes' lockout below so that axes answers a single-account attack.
# https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,10/15m/key"),
    "signup": env("ACCOUNT_RATE_LIMIT_SIGNUP", default="5/m/ip,20/h/ip"),
    "reset_password": env("ACCOUNT_RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
}
# Optional social login: BROADSHEET_SOCIAL_LOGIN=google,github adds those
# allauth providers (run `migrate` after enabling); credentials come from
# BROADSHEET_SOCIAL_<PROVIDER>_CLIENT_ID / _SECRET. Off by default.
BROADSHEET_SOCIAL_LOGIN = env.list("BROADSHEET_SOCIAL_LOGIN", default=[])
if BROADSHEET_SOCIAL_LOGIN:
    INSTALLED_APPS += ["allauth.socialaccount"] + [
        f"allauth.socialaccount.providers.{name}" for name in BROADSHEET_SOCIAL_LOGIN
    ]
    SOCIALACCOUNT_PROVIDERS = {
        name: {
            "APPS": [
                {
                    "client_id": env(f"BROADSHEET_SOCIAL_{name.upper()}_CLIENT_ID"),
                    "secret": env(f"BROADSHEET_SOCIAL_{name.upper()}_SECRET"),
                }
            ]
        }
        for name in BROADSHEET_SOCIAL_LOGIN
    }
    # The reader still chooses a display name on allauth's sign-up form, and an
    # existing account is never joined just because a provider reports its
    # e-mail (that would hand the account to whoever controls the provider).
    SOCIALACCOUNT_AUTO_SIGNUP = False
    SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
    SOCIALACCOUNT_LOGIN_ON_GET = False

# django-axes: 5 failed sign-ins for one account from one IP lock that pair for
# 15 minutes (a rolling window: each failure expires on its own). Keyed on the
# pair, an attacker elsewhere cannot lock the owner out; allauth's limits above
# throttle per IP and per address. https://django-axes.readthedocs.io/
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Retries while locked neither count nor extend the lock (the owner waiting it
# out is not punished for trying once more).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures are what a lockout needs; a log of every successful sign-in (IP,
# browser) would be personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_FORM_FIELD = "login"  # the field allauth's login form posts
AXES_USERNAME_CALLABLE = "broadsheet.accounts.adapter.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a proxy set AXES_IPWARE_PROXY_COUNT (and ALLAUTH_TRUSTED_PROXY_COUNT)
# to the number of proxies you run, or every client shares the proxy's IP.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
ALLAUTH_TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT or 0
BROADSHEET_AVATAR_MAX_BYTES = env.int("BROADSHEET_AVATAR_MAX_BYTES", default=5 * 1024 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REDIS_URL = env("REDIS_URL", default="")
# A cache that does not answer within half a second is treated as down:
# reads miss, writes are dropped (broadsheet/core/cache_backends.py).
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache_backends.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bs",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "renditions": {
            "BACKEND": "broadsheet.core.cache_backends.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bs-renditions",
            "OPTIONS": REDIS_CACHE_OPTIONS,
            "TIMEOUT": 60 * 60 * 24 * 7,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "broadsheet-default",
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "broadsheet-renditions",
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }

# Caching at the edge (broadsheet/edge, docs/architecture.md "Edge", docs/deploy.md).
# Anonymous answers the same for everyone: browsers keep them briefly, an edge
# (Varnish, a CDN) long, because every change purges what it touched by key.
BROADSHEET_CACHE_BROWSER_SECONDS = env.int("BROADSHEET_CACHE_BROWSER_SECONDS", default=30)
BROADSHEET_CACHE_EDGE_SECONDS = env.int("BROADSHEET_CACHE_EDGE_SECONDS", default=60 * 60 * 24)
BROADSHEET_CACHE_STALE_WHILE_REVALIDATE = env.int(
    "BROADSHEET_CACHE_STALE_WHILE_REVALIDATE", default=30
)
BROADSHEET_CACHE_STALE_IF_ERROR = env.int("BROADSHEET_CACHE_STALE_IF_ERROR", default=60 * 60 * 24)
# Who receives purges: "" (nobody), varnish, fastly or cloudflare.
BROADSHEET_EDGE_BACKEND = env.str("BROADSHEET_EDGE_BACKEND", default="")
# Varnish: every instance's address (comma-separated) and the token its VCL expects.
BROADSHEET_EDGE_URLS = env.list("BROADSHEET_EDGE_URLS", default=[])
BROADSHEET_EDGE_PURGE_TOKEN = env.str("BROADSHEET_EDGE_PURGE_TOKEN", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
CLOUDFLARE_API_TOKEN = env.str("CLOUDFLARE_API_TOKEN", default="")
CLOUDFLARE_ZONE_ID = env.str("CLOUDFLARE_ZONE_ID", default="")
# Another API address for Fastly or Cloudflare (a test double, a proxy).
BROADSHEET_EDGE_API_URL = env.str("BROADSHEET_EDGE_API_URL", default="")
# The embedded full-response cache, for a site with no edge in front:
# "process" (each server process keeps its own, the default), "shared" (the
# `default` Django cache: Redis when REDIS_URL is set) or "off".
BROADSHEET_RESPONSE_CACHE = env.str("BROADSHEET_RESPONSE_CACHE", default="process")
BROADSHEET_RESPONSE_CACHE_MB = env.int("BROADSHEET_RESPONSE_CACHE_MB", default=64)

CHANNEL_LAYERS = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    if REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)

# Realtime (broadsheet/realtime, docs/architecture.md "Realtime"): an event log
# in the database, tailed by one poller per server process and streamed to
# browsers as Server-Sent Events; with REDIS_URL a Redis PUBLISH wakes the
# pollers at once. Seconds between polls of the log without Redis (with Redis:
# on each wake-up, and every REALTIME_FALLBACK_POLL seconds in case one is lost).
REALTIME_POLL_INTERVAL = env.float("REALTIME_POLL_INTERVAL", default=0.05)
REALTIME_FALLBACK_POLL = env.float("REALTIME_FALLBACK_POLL", default=1.0)
REALTIME_REDIS_PREFIX = env("REALTIME_REDIS_PREFIX", default="broadsheet")
# Events buffered per connection; a client that falls this far behind is
# disconnected and resumes from its last id (a slow reader never holds up others).
REALTIME_QUEUE_SIZE = env.int("REALTIME_QUEUE_SIZE", default=256)
# More missed events than this on reconnect: the client is told to reload instead.
REALTIME_REPLAY_MAX = env.int("REALTIME_REPLAY_MAX", default=200)
# Concurrent event streams per client address, and per server process.
REALTIME_MAX_PER_IP = env.int("REALTIME_MAX_PER_IP", default=50)
REALTIME_MAX_CONNECTIONS = env.int("REALTIME_MAX_CONNECTIONS", default=20000)
# Days the event log keeps events (the scheduler prunes older ones).
REALTIME_RETENTION_DAYS = env.int("REALTIME_RETENTION_DAYS", default=2)
# Seconds a stream stays open (±10 % jitter) before a clean close; the client
# resumes at once with its last id. Sheds idle connections, rebalances workers.
REALTIME_MAX_LIFETIME = env.int("REALTIME_MAX_LIFETIME", default=30 * 60)
REALTIME_HEARTBEAT = env.float("REALTIME_HEARTBEAT", default=20.0)

# Background work: django-tasks with the database backend (django-tasks-db),
# run by `manage.py db_worker`. https://github.com/RealOrangeOne/django-tasks
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Editions: one per language. English lives at the root, every other
# language under its prefix (/ru/, /es/, /ar/). The first is the default.
# Names are each language's own, as the language switch shows them.
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "es": "Español",
    "ar": "العربية",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
    "tr": "Türkçe",
    "uk": "Українська",
    "fa": "فارسی",
    "zh-hans": "简体中文",
    "ja": "日本語",
    "hi": "हिन्दी",
}
LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code, code))
    for code in env.list("BROADSHEET_LANGUAGES", default=["en", "ru", "es", "ar"])
]
LANGUAGE_CODE = LANGUAGES[0][0]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Date formats per language: broadsheet/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["broadsheet.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

BROADSHEET_SERVE_MEDIA = env.bool("BROADSHEET_SERVE_MEDIA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed static names never change content, so browsers and CDNs may keep them a year.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Photo originals keep their camera metadata (GPS), by-line and caption and are
# licensed to staff and media clients only, so they live apart from MEDIA_ROOT
# where no public URL reaches them: a private directory here, a private bucket
# or prefix on S3 in production.py. Only /mediabank/<id>/original/ hands them
# out, after its permission check, through django-sendfile2: streamed by
# Django, or by nginx (X-Accel-Redirect) or Apache (X-Sendfile) once the view
# has said yes. docs/deploy.md shows the proxy side.
BROADSHEET_PRIVATE_MEDIA_ROOT = env.path(
    "BROADSHEET_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private-media"
)
STORAGES["originals"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BROADSHEET_PRIVATE_MEDIA_ROOT)},
}
ORIGINALS_SENDFILE_BACKENDS = {
    "django": "wagtail.utils.sendfile_streaming_backend",
    "x-accel-redirect": "django_sendfile.backends.nginx",
    "x-sendfile": "django_sendfile.backends.xsendfile",
}
BROADSHEET_ORIGINALS_DELIVERY = env.str(
    "BROADSHEET_ORIGINALS_DELIVERY", default="django", choices=list(ORIGINALS_SENDFILE_BACKENDS)
)
SENDFILE_BACKEND = ORIGINALS_SENDFILE_BACKENDS[BROADSHEET_ORIGINALS_DELIVERY]
SENDFILE_ROOT = str(BROADSHEET_PRIVATE_MEDIA_ROOT)
# The nginx `internal` location that maps onto BROADSHEET_PRIVATE_MEDIA_ROOT.
SENDFILE_URL = env("BROADSHEET_ORIGINALS_ACCEL_URL", default="/private-originals")
# How long a signed link to an original in a private bucket stays valid.
BROADSHEET_ORIGINALS_URL_SECONDS = env.int("BROADSHEET_ORIGINALS_URL_SECONDS", default=60)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Broadsheet"
WAGTAILIMAGES_IMAGE_MODEL = "mediabank.Photo"
# The admin's own address (Wagtail's links to it); the public origin unless the
# admin lives elsewhere.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No staff e-mail hashes sent to gravatar.com from the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Uploads are checked by content (mediabank/uploads.py) through this form.
WAGTAILIMAGES_IMAGE_FORM_BASE = "broadsheet.mediabank.forms.PhotoForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
BROADSHEET_MAX_IMAGE_PIXELS = env.int("BROADSHEET_MAX_IMAGE_PIXELS", default=40_000_000)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = BROADSHEET_MAX_IMAGE_PIXELS
# Rendition encoders. AVIF at 60 and WebP at 78 look like JPEG at 82 at a
# fraction of the bytes; speed 0 (slowest, smallest) to 10 (fastest).
WAGTAILIMAGES_AVIF_QUALITY = env.int("WAGTAILIMAGES_AVIF_QUALITY", default=60)
WAGTAILIMAGES_WEBP_QUALITY = env.int("WAGTAILIMAGES_WEBP_QUALITY", default=78)
WAGTAILIMAGES_JPEG_QUALITY = env.int("WAGTAILIMAGES_JPEG_QUALITY", default=82)
BROADSHEET_AVIF_SPEED = env.int("BROADSHEET_AVIF_SPEED", default=8)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # for the file-based backend
# The SMTP backend's server without EMAIL_URL (tests run a real one on a free port).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="newsroom@broadsheet.localhost")
# Moderation notices to readers: where they write to appeal (also the
# notices' Reply-To; empty: DEFAULT_FROM_EMAIL), and the community rules they
# link to (a URL or a path on this site; empty: the reader's account page).
BROADSHEET_MODERATION_CONTACT_EMAIL = env("BROADSHEET_MODERATION_CONTACT_EMAIL", default="")
BROADSHEET_COMMUNITY_RULES_URL = env("BROADSHEET_COMMUNITY_RULES_URL", default="")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4, https://django-csp.readthedocs.io/).
# Public pages run only our own scripts: no inline script, no eval, no inline
# style; frames only from the embed providers below (embeds are click-to-load).
# The Wagtail and Django admins get their own looser policy (they use inline
# scripts and styles), chosen by path in broadsheet/core/csp.py. Violations are
# reported to /csp-report/, which logs them (logger "broadsheet.csp").
# BROADSHEET_CSP_REPORT_ONLY=true sends the same policies as
# Content-Security-Policy-Report-Only: reported, not enforced (for trying a change).
BROADSHEET_CSP_REPORT_ONLY = env.bool("BROADSHEET_CSP_REPORT_ONLY", default=False)
BROADSHEET_CSP_FRAME_SRC = env.list(
    "BROADSHEET_CSP_FRAME_SRC",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
# Images and media from elsewhere (an image CDN). The origin of the storage's
# own URLs (an absolute MEDIA_URL, S3 or its custom domain) is added by itself.
BROADSHEET_CSP_IMG_SRC = env.list("BROADSHEET_CSP_IMG_SRC", default=[])
BROADSHEET_CSP_REPORTS_PER_MINUTE = env.int("BROADSHEET_CSP_REPORTS_PER_MINUTE", default=20)
# report-uri only: Chromium ignores it once `report-to` is present, and
# Reporting API reports were never delivered in our Chromium tests (report-uri
# ones arrive at once); Firefox and Safari read report-uri only.
_CSP_REPORTING = {"report-uri": ["/csp-report/"]}
_CSP_PUBLIC = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *BROADSHEET_CSP_IMG_SRC],
        "media-src": ["'self'", *BROADSHEET_CSP_IMG_SRC],
        "frame-src": BROADSHEET_CSP_FRAME_SRC or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        **_CSP_REPORTING,
    }
}
# The admins: Wagtail's editor and Django's admin still use inline scripts,
# inline styles and blob:/data: images, and Wagtail frames its own preview.
BROADSHEET_CSP_ADMIN_PATHS = ("/admin/", "/django-admin/")
BROADSHEET_CSP_ADMIN_DIRECTIVES = {
    **_CSP_PUBLIC["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *BROADSHEET_CSP_IMG_SRC],
    "frame-src": ["'self'", *BROADSHEET_CSP_FRAME_SRC],
    "frame-ancestors": ["'self'"],
}
if BROADSHEET_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_PUBLIC
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = _CSP_PUBLIC
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# How often the scheduler started by `make run` publishes due pages (seconds).
BROADSHEET_SCHEDULER_INTERVAL = env.int("BROADSHEET_SCHEDULER_INTERVAL", default=30)
BROADSHEET_FEED_PAGE_SIZE = 20
# Threads per server process that run Django's (synchronous) request handling.
# Bodies arrive whole (core/request_body.py), so threads wait only for the CPU
# and the database: 2 renders pages faster than 4 on two cores
# (docs/benchmarks.md, "Edge") and keeps one thread free behind a slow query.
BROADSHEET_HTTP_THREADS = env.int("BROADSHEET_HTTP_THREADS", default=2)
# The largest request body the server reads (413 above): a photo upload and its form.
BROADSHEET_MAX_REQUEST_BYTES = env.int(
    "BROADSHEET_MAX_REQUEST_BYTES", default=WAGTAILIMAGES_MAX_UPLOAD_SIZE + 4 * 1024 * 1024
)

# Subscriptions: the subscribe form, double opt-in, preference centre
# (broadsheet/subscriptions, docs/configuration.md).
# Days a confirmation link works; pending subscriptions older than this are pruned.
SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = env.int("SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS", default=7)
# Subscribe attempts per hour from one IP address, and for one e-mail address.
SUBSCRIPTIONS_RATE_PER_IP = env.int("SUBSCRIPTIONS_RATE_PER_IP", default=10)
SUBSCRIPTIONS_RATE_PER_ADDRESS = env.int("SUBSCRIPTIONS_RATE_PER_ADDRESS", default=3)

# Mailings: sending newsletters, digests and breaking-news e-mail
# (broadsheet/mailings, docs/configuration.md).
# SMTP from EMAIL_URL (as in production.py) in every settings module, so
# tests and benchmarks can point worker processes at a local server.
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
# Tasks queued per send: several `db_worker` processes can share one send.
MAILINGS_TASKS_PER_SEND = env.int("MAILINGS_TASKS_PER_SEND", default=1)
# Messages per second each sending worker process sends at most (0: no cap).
MAILINGS_RATE_PER_SECOND = env.float("MAILINGS_RATE_PER_SECOND", default=0)
# Deliveries a worker claims at once, and how long its claim holds unless renewed.
MAILINGS_BATCH_SIZE = env.int("MAILINGS_BATCH_SIZE", default=200)
MAILINGS_LEASE_SECONDS = env.int("MAILINGS_LEASE_SECONDS", default=60)
# Temporary failures (4xx, lost connections) are retried after 1, 2, 4… ×
# MAILINGS_RETRY_SECONDS, until MAILINGS_MAX_ATTEMPTS; then the delivery failed.
MAILINGS_MAX_ATTEMPTS = env.int("MAILINGS_MAX_ATTEMPTS", default=5)
MAILINGS_RETRY_SECONDS = env.int("MAILINGS_RETRY_SECONDS", default=300)
# Daily digests: composed as drafts at COMPOSE_AT, sent at SEND_AT (local time
# of MAILINGS_DIGEST_TIME_ZONE, default TIME_ZONE); weekly lists on Mondays.
MAILINGS_DIGEST_COMPOSE_AT = env("MAILINGS_DIGEST_COMPOSE_AT", default="06:00")
MAILINGS_DIGEST_SEND_AT = env("MAILINGS_DIGEST_SEND_AT", default="07:00")
MAILINGS_DIGEST_TIME_ZONE = env("MAILINGS_DIGEST_TIME_ZONE", default=TIME_ZONE)
MAILINGS_DIGEST_STORIES = env.int("MAILINGS_DIGEST_STORIES", default=8)
# The bounce/complaint webhook's shared secret (HMAC-SHA256); empty: no webhook.
MAILINGS_WEBHOOK_SECRET = env("MAILINGS_WEBHOOK_SECRET", default="")

# Breaking-news alerts: Web Push and the site-wide banner
# (broadsheet/alerts, docs/configuration.md).
ALERTS_PUSH_ENABLED = env.bool("ALERTS_PUSH_ENABLED", default=True)
# VAPID (RFC 8292): the key pair the push services know this site by
# (`manage.py webpush_keys` prints a new one) and a contact for their operators
# (mailto: or https:). The private key is base64url of the raw 32 bytes; the
# public one base64url of the uncompressed point (the applicationServerKey).
WEBPUSH_VAPID_PUBLIC_KEY = env("WEBPUSH_VAPID_PUBLIC_KEY", default="")
WEBPUSH_VAPID_PRIVATE_KEY = env("WEBPUSH_VAPID_PRIVATE_KEY", default="")
WEBPUSH_VAPID_SUBJECT = env("WEBPUSH_VAPID_SUBJECT", default="mailto:newsroom@broadsheet.localhost")
# Without the two keys, development generates a pair once into this file so
# `make run` works (production.py sets it to None: keys must be given).
WEBPUSH_VAPID_DEV_KEY_FILE = BASE_DIR / "var" / "webpush-vapid.pem"
# Push services endpoints may point at (suffixes of the host); empty: any
# public https host. Browsers' own: Chrome/Edge (FCM, WNS), Firefox, Safari.
ALERTS_PUSH_SERVICE_HOSTS = env.list(
    "ALERTS_PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)
# http://127.0.0.1:<port>/… endpoints, for tests and local push services;
# production.py switches this off.
ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS = env.bool("ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS", default=True)
# How long a push service keeps an alert for a browser that is offline; an
# alert older than this is not retried either (it is no longer breaking).
ALERTS_PUSH_TTL = env.int("ALERTS_PUSH_TTL", default=4 * 60 * 60)
ALERTS_PUSH_BATCH_SIZE = env.int("ALERTS_PUSH_BATCH_SIZE", default=200)
ALERTS_PUSH_SUBSCRIBES_PER_MINUTE = env.int("ALERTS_PUSH_SUBSCRIBES_PER_MINUTE", default=20)
# How long every page shows the banner of the latest breaking story.
ALERTS_BANNER_MINUTES = env.int("ALERTS_BANNER_MINUTES", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Editions' translation workflow (wagtail-localize). A translation is always
# made as a draft, whatever its source's state: a human publishes it, and it
# gets its own public time then (not the source's).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation as a first draft: "" (none), "libretranslate" (self-
# hosted, _URL and optional _API_KEY), "deepl" (_API_KEY), "google" (_API_KEY:
# path to the service account JSON, _GOOGLE_PROJECT). editions/machine_settings.py.
BROADSHEET_MACHINE_TRANSLATION = env("BROADSHEET_MACHINE_TRANSLATION", default="")
BROADSHEET_MACHINE_TRANSLATION_URL = env("BROADSHEET_MACHINE_TRANSLATION_URL", default="")
BROADSHEET_MACHINE_TRANSLATION_API_KEY = env("BROADSHEET_MACHINE_TRANSLATION_API_KEY", default="")
BROADSHEET_MACHINE_TRANSLATION_GOOGLE_PROJECT = env(
    "BROADSHEET_MACHINE_TRANSLATION_GOOGLE_PROJECT", default=""
)
BROADSHEET_MACHINE_TRANSLATION_TIMEOUT = env.int(
    "BROADSHEET_MACHINE_TRANSLATION_TIMEOUT", default=10
)


def _machine_translator():
    from broadsheet.editions.machine_settings import machine_translator_settings

    return machine_translator_settings(
        engine=BROADSHEET_MACHINE_TRANSLATION,
        url=BROADSHEET_MACHINE_TRANSLATION_URL,
        api_key=BROADSHEET_MACHINE_TRANSLATION_API_KEY,
        timeout=BROADSHEET_MACHINE_TRANSLATION_TIMEOUT,
        google_project=BROADSHEET_MACHINE_TRANSLATION_GOOGLE_PROJECT,
    )


WAGTAILLOCALIZE_MACHINE_TRANSLATOR = _machine_translator()
