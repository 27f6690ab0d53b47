import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env


def _test_folder(name: str, default: Path) -> Path:
    """A throwaway media folder of this test process. The root conftest makes
    one per run (broadsheet-test-*); xdist workers inherit it from the
    controller, so each worker gets its own below it: two workers sharing
    one see each other's files (the backup drill wipes and checksums it).
    A folder a test hands to a subprocess it starts is used as given."""
    path = Path(env.str(name, default=str(default)))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and path.name.startswith("broadsheet-test-"):
        path = path / worker
        path.mkdir(parents=True, exist_ok=True)
    return path


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = _test_folder("MEDIA_ROOT", BASE_DIR / "var" / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Photo originals: a throwaway private folder too (the root conftest sets it per run).
BROADSHEET_PRIVATE_MEDIA_ROOT = _test_folder(
    "BROADSHEET_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "test-private-media"
)
STORAGES["originals"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BROADSHEET_PRIVATE_MEDIA_ROOT)},
}
SENDFILE_ROOT = str(BROADSHEET_PRIVATE_MEDIA_ROOT)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}
# django-axes refuses authenticate() calls without a request, which the test
# client's login() makes; its own tests switch it back on (settings fixture).
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_ENABLED = False
BROADSHEET_RESPONSE_CACHE = env.str("BROADSHEET_RESPONSE_CACHE", default="off")
