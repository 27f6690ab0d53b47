import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "broadsheet.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-long-random-production-secret-" + "y" * 30,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "SITE_URL": "https://news.example.org",
    "DATABASE_URL": "sqlite:////tmp/broadsheet-check-deploy.sqlite3",
    # A throwaway pair made by `manage.py webpush_keys`: production refuses to
    # run browser alerts without one (alerts.E001).
    "WEBPUSH_VAPID_PUBLIC_KEY": (
        "BNzsbcdk4YbXP0rFgdu08nc6z4AJ-JM0YSNP-DFr_b4SAugEgtHWnuVGtJDVchT_Z_IvU2Huks4NwnzpvXC-fF4"
    ),
    "WEBPUSH_VAPID_PRIVATE_KEY": "eBd87ENuo93Tcwb0jgVTWp4ch89aF0_QOkNigR6sRf4",
    "WEBPUSH_VAPID_SUBJECT": "mailto:webmaster@news.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**os.environ, **PRODUCTION}
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    clean = {k: v for k, v in os.environ.items() if k != missing}
    result = _manage("check", env={**clean, **env})
    assert result.returncode != 0
    assert missing in result.stderr


def test_the_public_origin_is_a_trusted_csrf_origin():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)",
        env={
            **os.environ,
            **PRODUCTION,
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://admin.example.org",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "'https://admin.example.org', 'https://news.example.org'" in result.stdout
