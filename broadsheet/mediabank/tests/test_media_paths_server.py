"""No path to a photo original through /media/, against the real server.

The demo site of the browser tests (granian on a throwaway database; fixtures
in news/tests/browser_fixtures.py) is asked for a corpus of path variants —
double and triple slashes, dot segments, encoded slashes and dots in both
cases, double encoding, backslashes, overlong UTF-8, NUL, mixed case — aimed
at the originals of a usable, a withdrawn and an expired photo and at files
beside the media folder (the database, the private originals folder). The
requests go out as raw bytes on a socket, so no client normalises them.

Anonymous, as a signed-in reader and as an editor: never a 5xx, never the
bytes of an original or of any file outside the public media, and a 200 only
for a file that is a public rendition.
"""

import hashlib
import http.client
import json
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from broadsheet.news.demo import DEMO_PASSWORDS, DEMO_READERS

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Run inside the demo site: a photo with renditions, plus a withdrawn and an
# expired one (new photos, so the pages other browser tests read stay as they are).
PROBE_PHOTOS = """
import json
from datetime import timedelta
from django.utils import timezone
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import Photo

usable = Photo.objects.filter(renditions__isnull=False).order_by("pk").first()
withdrawn = PhotoFactory(seed=9001, size=(320, 200), restricted=True)
expired = PhotoFactory(
    seed=9002, size=(320, 200), licence_expires_at=timezone.now() - timedelta(days=1)
)
print(json.dumps({
    "originals": [p.file.name for p in (usable, withdrawn, expired)],
    "renditions": [r.url for r in usable.renditions.order_by("pk")[:2]],
}))
"""


def _variants(original: str) -> list[str]:
    """Request targets aiming at one original ("original_images/<file>")."""
    folder, name = original.split("/", 1)
    stem = name.rsplit(".", 1)[0]
    return [
        f"/media/{original}",
        f"/media//{original}",
        f"/media///{original}",
        f"/media/./{original}",
        f"/media/././{original}",
        f"/media/images/../{original}",
        f"/media/images/./../{original}",
        f"/media/images//../{original}",
        f"/media/%2F{original}",
        f"/media/%2f{original}",
        f"/media/{folder}%2F{name}",
        f"/media/{folder}%2f{name}",
        f"/media/images/..%2F{folder}%2F{name}",
        f"/media/images/..%2f{folder}%2f{name}",
        f"/media/%2e/{original}",
        f"/media/%2E/{original}",
        f"/media/images/%2e%2e/{original}",
        f"/media/images/%2E%2E%2F{folder}%2F{name}",
        f"/media/%252F{original}",
        f"/media/images/..%252F{folder}%252F{name}",
        f"/media/images/%252e%252e/{original}",
        f"/media\\{folder}\\{name}",
        f"/media/images\\..\\{folder}\\{name}",
        f"/media/%5C{original}",
        f"/media/images/..%5C{folder}%5C{name}",
        f"/media/images/..%c0%af{folder}%c0%af{name}",
        f"/media/images/%c0%ae%c0%ae/{original}",
        f"/media/images/%e0%80%ae%e0%80%ae%e0%80%af{folder}%e0%80%af{name}",
        f"/media/images/..%ef%bc%8f{folder}%ef%bc%8f{name}",  # fullwidth solidus
        f"/media/{original}%00",
        f"/media/{original}%00.jpg",
        f"/MEDIA/{original}",
        f"/Media//{original}",
        f"/media/{folder.upper()}/{name}",
        f"/media/Original_Images/{name}",
        f"/media/{folder}/{name.upper()}",
        f"/media/{original}/",
        f"/media/{folder}/{stem}",
        f"/media/;/{original}",
        f"/media/images/..;/{original}",
        f"/ru/media//{original}",
    ]


# Beside MEDIA_ROOT in the demo site's folder: the database and the private originals.
OUTSIDE = [
    "/media/../site.sqlite3",
    "/media/..%2Fsite.sqlite3",
    "/media/images/..%2F..%2Fsite.sqlite3",
    "/media/%2e%2e/site.sqlite3",
    "/media/images/%2e%2e%2f%2e%2e%2fsite.sqlite3",
    "/media/..\\site.sqlite3",
    "/media/%2E%2E%5Csite.sqlite3",
    "/media//etc/passwd",
    "/media/%2Fetc%2Fpasswd",
    "/media/images/../../../../../../etc/passwd",
    "/media/",
    "/media/images/",
    "/media/images",
    "/media/original_images/",
    "/media/documents/",
]


def _raw_get(base: str, target: bytes, cookie: str = "") -> tuple[int, bytes]:
    """GET `target` exactly as given: written to the socket by hand."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        head = b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n".encode()
        sock.sendall(head + b"\r\n")
        response = http.client.HTTPResponse(sock, method="GET")
        response.begin()
        return response.status, response.read()


def _signed_in_cookie(base: str, login_path: str, fields: dict[str, str]) -> str:
    """Sign in through a site form; the session cookie header to send back."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", login_path)
    response = connection.getresponse()
    response.read()
    csrf = response.headers.get_all("Set-Cookie")[0].split(";")[0]
    token = csrf.split("=", 1)[1]
    body = "&".join(
        f"{k}={v}" for k, v in {"csrfmiddlewaretoken": token, **fields}.items()
    ).replace("@", "%40")
    connection.request(
        "POST",
        login_path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf},
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 302, f"sign-in at {login_path} failed: {response.status}"
    session = next(
        c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if "sessionid=" in c
    )
    return f"{csrf}; {session}"


def _digests(folder: Path) -> set[str]:
    return {
        hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def probe(site_url, site_root):
    # Imported here: pytest registers the module as a plugin (above) first.
    from broadsheet.news.tests.browser_fixtures import REPO, site_env

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE_PHOTOS],
        cwd=REPO,
        env=site_env(site_root, site_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def identities(site_url):
    reader = DEMO_READERS[0][0]
    return {
        "anonymous": "",
        "reader": _signed_in_cookie(
            site_url,
            "/accounts/login/",
            {
                "login": f"{reader}@broadsheet.localhost",
                "password": DEMO_PASSWORDS["reader@broadsheet.localhost"],
            },
        ),
        "editor": _signed_in_cookie(
            site_url,
            "/admin/login/",
            {"username": "editor", "password": DEMO_PASSWORDS["editor"]},
        ),
    }


def test_media_paths_never_reach_an_original_or_a_file_outside_public_media(
    site_url, site_root, probe, identities
):
    media, private = site_root / "media", site_root / "private-media"
    originals = probe["originals"]
    assert all((private / name).is_file() for name in originals), "originals are kept privately"
    assert not any((media / name).exists() for name in originals), "and not in public media"
    public = _digests(media / "images") | _digests(media / "avatars")
    secret = _digests(private) | {
        hashlib.sha256((site_root / "site.sqlite3").read_bytes()).hexdigest()
    }

    targets = [t.encode() for name in originals for t in _variants(name)]
    targets += [t.encode() for t in OUTSIDE]
    # Bytes no client would send: raw overlong UTF-8 slashes and a raw backslash.
    targets += [
        b"/media/images/..\xc0\xaf" + originals[0].encode(),
        b"/media/\\" + originals[1].encode(),
    ]

    for who, cookie in identities.items():
        # The corpus would prove nothing if the server refused everything.
        for url in probe["renditions"]:
            status, body = _raw_get(site_url, url.encode(), cookie)
            assert status == 200 and hashlib.sha256(body).hexdigest() in public, (who, url)
        for target in targets:
            status, body = _raw_get(site_url, target, cookie)
            digest = hashlib.sha256(body).hexdigest()
            assert status < 500, (who, target, status)
            assert digest not in secret, (who, target, status)
            assert status != 200 or digest in public, (who, target, status)
