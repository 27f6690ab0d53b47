"""What the fault drills ask of a site served as its own process: plain HTTP
requests and a reader's sign-up (a write that must save all or nothing)."""

import http.client
import re
import urllib.parse


def request(host, port, method, path, body=None, headers=None):
    """(status, headers with lower-case names, body text)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode(),
        )
    finally:
        conn.close()


def signup_form(host, port) -> tuple[str, str]:
    """The sign-up form's CSRF token and cookie."""
    status, headers, body = request(host, port, "GET", "/accounts/signup/")
    assert status == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return csrf, headers["set-cookie"].split(";", 1)[0]


def signup(host, port, csrf, cookie, origin, *, email="down@example.org"):
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "email": email,
            "display_name": "Down Drill",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Referer": f"{origin}/accounts/signup/",
    }
    return request(host, port, "POST", "/accounts/signup/", body=form, headers=headers)
