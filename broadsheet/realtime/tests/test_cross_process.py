"""Real servers on one database: an event published by one process reaches
the event streams of every other, and survives a server restart.

Each test starts its own server processes (granian, as bin/serve runs it) on
a throwaway SQLite database migrated once per module, and reads their event
streams over HTTP like a browser; events are published by another process
(`manage.py realtime_publish`, the operators' check).
"""

import http.client
import json
import queue
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from broadsheet.news.tests.browser_fixtures import (
    REPO,
    _free_port,
    _run,
    _wait_until_up,
    _work_dir,
    server_command,
    site_env,
)

from .sse import parse_frames


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated, empty site database and the environment to serve it."""
    import shutil

    root = _work_dir(tmp_path_factory)
    env = site_env(root, "http://127.0.0.1:8000")
    env.update(
        {
            "REALTIME_POLL_INTERVAL": "0.05",
            "LOG_LEVEL": "WARNING",
        }
    )
    _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "migrate.log")
    try:
        yield root, env
    finally:
        shutil.rmtree(root, ignore_errors=True)


class Server:
    def __init__(self, root: Path, env: dict, port: int, *, uvicorn=False):
        self.root, self.env, self.port, self.uvicorn = root, env, port, uvicorn
        self.log = root / f"server-{port}.log"
        self.process = None

    def start(self):
        command = server_command(self.port)
        if self.uvicorn:
            bindir = Path(sys.executable).parent
            command = [str(bindir / "uvicorn"), "--host", "127.0.0.1", "--port", str(self.port)]
            command += ["--timeout-graceful-shutdown", "3", "--lifespan", "off"]
            command += ["--log-level", "warning"]
            command += ["broadsheet.asgi:application"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        _wait_until_up(f"http://127.0.0.1:{self.port}/robots.txt", self.process, self.log)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Reader(threading.Thread):
    """A browser's EventSource, roughly: reads the stream, and on a dropped
    connection reconnects (every 0.2 s) after the last id it received."""

    def __init__(self, port: int, streams: list[str]):
        super().__init__(daemon=True)
        self.port = port
        self.query = "&".join(f"stream={s}" for s in streams)
        self.frames: queue.Queue = queue.Queue()
        self.last = None
        self.connections = 0
        self.connected = threading.Event()
        self.stopping = False
        self.connection = None

    def run(self):
        while not self.stopping:
            path = f"/realtime/events?{self.query}"
            if self.last is not None:
                path += f"&last={self.last}"
            try:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                if response.status != 200:
                    raise ConnectionError(response.status)
                self.connections += 1
                self.connected.set()
                buffer = b""
                while chunk := response.read1(65536):
                    frames, buffer = parse_frames(buffer + chunk)
                    for frame in frames:
                        if "message" in frame:
                            self.last = int(frame["id"])
                            self.frames.put(frame["message"])
            except (OSError, http.client.HTTPException):
                pass
            self.connected.clear()
            time.sleep(0.2)

    def wait_connected(self, timeout=15.0):
        assert self.connected.wait(timeout), "the event stream did not open"

    def take(self, count: int, timeout=15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        got = []
        while len(got) < count:
            try:
                got.append(self.frames.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"got {got}, expected {count} events") from None
        return got

    def stop(self):
        self.stopping = True
        if self.connection is not None and self.connection.sock is not None:
            try:
                self.connection.sock.shutdown(2)
            except OSError:
                pass
        self.join(timeout=5)


def publish(env: dict, stream: str, data: dict) -> int:
    result = subprocess.run(
        [sys.executable, "manage.py", "realtime_publish", stream, "test", json.dumps(data)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.strip())


def _two_servers_receive(site, *, second_uvicorn=False, timeout=15.0):
    root, env = site
    servers = [Server(root, env, _free_port()).start()]
    readers = []
    try:
        servers.append(Server(root, env, _free_port(), uvicorn=second_uvicorn).start())
        readers = [Reader(server.port, ["newsfeed", "chat-1"]) for server in servers]
        for reader in readers:
            reader.start()
            reader.wait_connected()
        first = publish(env, "newsfeed", {"id": 1})
        second = publish(env, "chat-1", {"id": 2})
        for reader in readers:
            got = reader.take(2, timeout=timeout)
            assert [(m["id"], m["stream"], m["data"]) for m in got] == [
                (first, "newsfeed", {"id": 1}),
                (second, "chat-1", {"id": 2}),
            ]
    finally:
        for reader in readers:
            reader.stop()
        for server in servers:
            server.stop()


@pytest.mark.sqlite
@pytest.mark.parametrize("second_server", ["granian", "uvicorn"])
def test_event_reaches_the_streams_of_every_server_process(site, second_server):
    _two_servers_receive(site, second_uvicorn=second_server == "uvicorn")


@pytest.mark.sqlite
def test_events_published_while_a_server_restarts_arrive_after_reconnect(site):
    root, env = site
    port = _free_port()
    server = Server(root, env, port).start()
    reader = Reader(port, ["live-7"])
    try:
        reader.start()
        reader.wait_connected()
        before = publish(env, "live-7", {"id": 1})
        assert [m["id"] for m in reader.take(1)] == [before]
        server.stop()
        # Published while no server runs: the reader holds its last id.
        missed = [publish(env, "live-7", {"id": n}) for n in (2, 3)]
        server = Server(root, env, port).start()
        assert [m["id"] for m in reader.take(2)] == missed
        after = publish(env, "live-7", {"id": 4})
        assert [m["id"] for m in reader.take(1)] == [after]
        assert reader.connections == 2
    finally:
        reader.stop()
        server.stop()


@pytest.mark.redis
def test_redis_wakes_every_server_process_at_once(site, redis_url):
    """With REDIS_URL the tails sleep up to REALTIME_FALLBACK_POLL (here a
    minute) unless a PUBLISH wakes them: arriving within seconds proves the
    wake-up crosses processes."""
    root, env = site
    redis_env = {
        **env,
        "REDIS_URL": redis_url,
        "REALTIME_FALLBACK_POLL": "60",
        "REALTIME_REDIS_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    # The servers must have subscribed before the first publish.
    _two_servers_receive((root, redis_env), timeout=10.0)
