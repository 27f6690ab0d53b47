"""Fixtures for the browser tests: the real stack, driven by Debian's Chromium.

`site_url` builds a throwaway site once per test session (per xdist worker;
the browser tests share one xdist group so there is one): a temporary SQLite
database with the demo newsroom, collected static files, and the real ASGI
server (granian) on a free port. Nothing touches the developer's var/ data.

`browser` launches /usr/bin/chromium through Playwright (Playwright's own
browser download is not used). Without Chromium or Playwright the tests skip
locally; under CI=true the root conftest turns those skips into failures.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
IN_CI = os.environ.get("CI") == "true"
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEMO_ARTICLES = 30
DEMO_PHOTOS = 8
PHOTOS_WITH_RENDITIONS = 2
# Console noise that is not a page error: Chromium asks every site for
# /favicon.ico and logs the 404 (the site has no favicon yet; see the report).
IGNORED_URL_SUFFIXES = ("/favicon.ico",)


def _cannot_run(reason: str):
    # The root conftest is meant to turn skips into failures under CI; fail
    # here directly as well, so a CI without Chromium can never pass quietly.
    if IN_CI:
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


def _chromium_or_skip() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _cannot_run(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args, env, log: Path, timeout=180):
    """Run a manage.py step; on failure, fail with its output."""
    with log.open("ab") as out:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{log.read_text()[-4000:]}")


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} in {timeout:.0f}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def chromium_path():
    return _chromium_or_skip()


def _work_dir(tmp_path_factory) -> Path:
    # SQLite commits with synchronous=FULL: on tmpfs the ~200 migration and
    # demo commits cost nothing, on disk they are most of the setup time.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="broadsheet-browser-", dir=shm))
    return tmp_path_factory.mktemp("browser-site")


@pytest.fixture(scope="session")
def site_root(chromium_path, tmp_path_factory):
    """The demo site's throwaway directory (database, media, static, mail, log)."""
    root = _work_dir(tmp_path_factory)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def site_url(site_root):
    """Base URL of a freshly built demo site served by granian (no trailing slash)."""
    yield from _serve_site(site_root)


@pytest.fixture(scope="session")
def site_mail_dir(site_url, site_root) -> Path:
    """Where the demo site writes the e-mails it sends, one file per message
    (Django's file-based backend): sign-up verification links and the like."""
    return site_root / "mail"


def site_env(root: Path, site_url: str) -> dict[str, str]:
    """The environment the demo site in `root` runs with (for manage.py too);
    the address served is the public origin, as under `make run`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{root / 'site.sqlite3'}",
        "MEDIA_ROOT": str(root / "media"),
        "BROADSHEET_PRIVATE_MEDIA_ROOT": str(root / "private-media"),
        "STATIC_ROOT": str(root / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site_url,
        "REDIS_URL": "",  # per-process memory caches: nothing shared with other runs
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(root / "mail"),
        "PYTHONUNBUFFERED": "1",
    }


def server_command(port: int) -> list[str]:
    """The ASGI server as bin/serve runs it (granian; uvicorn if granian is
    missing), on 127.0.0.1:`port`. Realtime event streams stay open for
    minutes, so granian takes far more concurrent requests than its default
    (backlog/workers), and stops within seconds although streams are open
    (they never end by themselves), as in bin/serve."""
    bindir = Path(sys.executable).parent
    granian = bindir / "granian"
    if granian.exists():
        return [
            str(granian),
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ws",
            "--backpressure",
            "2048",
            "--workers-kill-timeout",
            "3",
            "--log-level",
            "warning",
            "broadsheet.asgi:application",
        ]
    return [
        str(bindir / "uvicorn"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--timeout-graceful-shutdown",
        "3",
        "--log-level",
        "warning",
        "broadsheet.asgi:application",
    ]


def _serve_site(root: Path):
    log = root / "site.log"
    port = _free_port()
    env = site_env(root, f"http://127.0.0.1:{port}")
    # collectstatic needs no database: run it beside the migrations.
    with (root / "collectstatic.log").open("wb") as out:
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    # --skip-checks: system checks may query tables that do not exist yet.
    _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, log)
    _run(
        [
            "load_demo",
            "--articles",
            str(DEMO_ARTICLES),
            "--photos",
            str(DEMO_PHOTOS),
            "--no-progress",
        ],
        env,
        log,
    )
    # Two photos with every rendition (as after the task worker ran); the rest
    # are served through Wagtail's image view, as right after an upload.
    _run(["make_renditions", "--limit", str(PHOTOS_WITH_RENDITIONS), "--no-progress"], env, log)
    if collect.wait(timeout=120):
        pytest.fail(f"collectstatic failed:\n{(root / 'collectstatic.log').read_text()[-4000:]}")

    with server_running(port, env, log, ready_path="/"):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def server_running(port: int, env: dict, log: Path, *, ready_path: str = "/healthz"):
    """The site served on 127.0.0.1:`port` (server_command) until the block
    ends, its output appended to `log`."""
    with log.open("ab") as out:
        server = subprocess.Popen(
            server_command(port), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}{ready_path}", server, log)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            with contextlib.suppress(Exception):
                chromium.close()


class PageProblems:
    """Console errors, uncaught exceptions and failed same-site loads of one page."""

    def __init__(self, page, site_origin: str | None):
        self.items: list[str] = []
        self.external_requests: list[str] = []
        self.site_origin = site_origin
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"uncaught: {error}"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _ignored(self, url: str) -> bool:
        return url.split("?")[0].endswith(IGNORED_URL_SUFFIXES)

    def _console(self, message):
        if message.type != "error":
            return
        if self._ignored(message.location.get("url", "")):
            return
        self.items.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _request(self, request):
        url = request.url
        if self.site_origin and not url.startswith((self.site_origin, "data:", "blob:")):
            self.external_requests.append(url)

    def _response(self, response):
        if response.status >= 400 and not self._ignored(response.url):
            self.items.append(f"HTTP {response.status}: {response.url}")


def _new_page(browser, site_url, **context_options):
    context = browser.new_context(
        viewport=context_options.pop("viewport", {"width": 1280, "height": 900}),
        locale="en-GB",
        # The stylesheet honours this: no transitions or loading animations,
        # which under software rendering (--disable-gpu) slow every frame, and
        # so every IntersectionObserver callback, by a few hundred ms.
        reduced_motion="reduce",
        **context_options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Recorded, not intercepted: routing every request through Playwright
    # slows each page by most of a second.
    page.problems = PageProblems(page, site_url)
    return context, page


def _close(context, page):
    context.close()
    problems = page.problems
    assert not problems.items, "page problems:\n" + "\n".join(problems.items)
    assert not problems.external_requests, f"requests off the site: {problems.external_requests}"


@pytest.fixture
def page(browser, site_url):
    """A fresh browser context and tab with JavaScript on. The test fails if the
    pages it opened logged console errors, failed to load something from the
    site, or requested anything from another site (the tests run offline, and
    a reader's browser should not be sent elsewhere unasked either)."""
    context, page = _new_page(browser, site_url)
    yield page
    _close(context, page)


@pytest.fixture
def page_without_js(browser, site_url):
    """As `page`, with JavaScript disabled: what a reader without scripts gets."""
    context, page = _new_page(browser, site_url, java_script_enabled=False)
    yield page
    _close(context, page)


@pytest.fixture
def mobile_page(browser, site_url):
    """A phone-sized tab (one column), JavaScript on."""
    context, page = _new_page(
        browser, site_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    _close(context, page)
