"""Where production keeps photo originals, read from the real settings module."""

import json
import os
import subprocess
import sys

import pytest

from broadsheet.core.tests.test_settings import PRODUCTION, ROOT

SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'originals': settings.STORAGES['originals'], "
    "'sendfile': settings.SENDFILE_BACKEND}, default=str))"
)


def _settings(**extra) -> dict:
    env = {**os.environ, **PRODUCTION, **extra}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_bucket_originals_go_to_a_private_prefix_behind_signed_urls():
    storage = _settings(AWS_STORAGE_BUCKET_NAME="news-media")["originals"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("news-media", "private")
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 60
    assert not options.get("custom_domain")


def test_originals_may_have_a_bucket_of_their_own():
    storage = _settings(
        AWS_STORAGE_BUCKET_NAME="news-media", BROADSHEET_ORIGINALS_BUCKET="news-originals"
    )["originals"]
    assert storage["OPTIONS"]["bucket_name"] == "news-originals"


def test_without_a_bucket_originals_stay_in_the_private_folder_and_nginx_may_send_them(tmp_path):
    shown = _settings(
        BROADSHEET_PRIVATE_MEDIA_ROOT=str(tmp_path),
        BROADSHEET_ORIGINALS_DELIVERY="x-accel-redirect",
    )
    assert shown["originals"]["OPTIONS"]["location"] == str(tmp_path)
    assert shown["sendfile"] == "django_sendfile.backends.nginx"


@pytest.mark.parametrize("value", ["nginx", "", "X-Accel-Redirect "])
def test_an_unknown_delivery_refuses_to_start(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "BROADSHEET_ORIGINALS_DELIVERY": value},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "BROADSHEET_ORIGINALS_DELIVERY" in result.stderr
