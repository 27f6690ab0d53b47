"""Varnish, the reference edge: the VCL template rendered, and varnishd run.

Used by the edge tests (a varnishd per test module), `make edge` (bin/edge)
and the benchmarks. No dependencies beyond the standard library and Debian's
`varnish` and `varnish-modules` packages (vmod xkey).

    python -m broadsheet.edge.varnish --backend 127.0.0.1:8000 --listen 127.0.0.1:8080

runs one in the foreground until Ctrl-C (the token comes from
BROADSHEET_EDGE_PURGE_TOKEN, or --purge-token); --print-vcl prints the
rendered VCL instead, for a system Varnish.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VCL_TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"

# Characters that cannot end a VCL string or smuggle anything into one.
_SAFE_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]+")
_SAFE_HOST = re.compile(r"[A-Za-z0-9.:\[\]-]+")


class VarnishError(RuntimeError):
    """varnishd is missing, the VCL does not compile, or it did not start."""


def varnishd_path() -> str | None:
    """The varnishd binary (Debian puts it in /usr/sbin, often not on PATH)."""
    found = shutil.which("varnishd")
    if found:
        return found
    for candidate in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def vcl_render(
    *,
    backend_host: str,
    backend_port: int | str,
    purge_token: str,
    probe_host: str | None = None,
    template: Path | str = VCL_TEMPLATE,
) -> str:
    """deploy/varnish/default.vcl with its placeholders filled in.

    probe_host is the Host header of the health probe; it must be one of the
    site's ALLOWED_HOSTS (default: backend_host:backend_port).
    """
    backend_port = str(int(backend_port))
    probe_host = probe_host or f"{backend_host}:{backend_port}"
    for name, value in (("backend_host", backend_host), ("probe_host", probe_host)):
        if not _SAFE_HOST.fullmatch(value):
            raise ValueError(f"{name} {value!r} is not a host name or address")
    if not purge_token or not _SAFE_TOKEN.fullmatch(purge_token):
        raise ValueError("purge_token must be non-empty, letters, digits and ._~+/=- only")
    values = {
        "BACKEND_HOST": backend_host,
        "BACKEND_PORT": backend_port,
        "PURGE_TOKEN": purge_token,
        "PROBE_HOST": probe_host,
    }
    lines = Path(template).read_text().splitlines(keepends=True)
    left = set()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue  # the comments that document the placeholders stay as they are
        for name, value in values.items():
            line = line.replace("{{" + name + "}}", value)
        left.update(re.findall(r"\{\{[A-Z_]+\}\}", line))
        lines[number] = line
    text = "".join(lines)
    if left:
        raise ValueError(f"placeholders left unfilled in the VCL: {', '.join(sorted(left))}")
    return text


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class VarnishProcess:
    """A varnishd in the foreground (-F) with its own working directory.

    with VarnishProcess(backend_port=8000, purge_token="t") as edge:
        urlopen(edge.url + "/")
    """

    def __init__(
        self,
        *,
        backend_host: str = "127.0.0.1",
        backend_port: int,
        purge_token: str | None = None,
        probe_host: str | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        storage: str = "malloc,64m",
        params: dict[str, str] | None = None,
        start_timeout: float = 30.0,
    ):
        self.backend_host = backend_host
        self.backend_port = int(backend_port)
        self.purge_token = purge_token or secrets.token_urlsafe(24)
        self.probe_host = probe_host
        self.host = host
        self.port = port
        self.storage = storage
        # Grace comes from the VCL only (stale-while-revalidate, stale-if-error),
        # never from a default the responses did not ask for.
        self.params = {"default_grace": "0", "thread_pools": "1", "thread_pool_min": "10"}
        self.params.update(params or {})
        self.start_timeout = start_timeout
        self.workdir: Path | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def output(self) -> str:
        """What varnishd printed so far (start-up, VCL compiler errors)."""
        if self.workdir and (self.workdir / "varnishd.log").exists():
            return (self.workdir / "varnishd.log").read_text(errors="replace")
        return ""

    def start(self) -> VarnishProcess:
        binary = varnishd_path()
        if binary is None:
            raise VarnishError(
                "varnishd not found: apt-get install varnish varnish-modules "
                "(Varnish 7 and vmod xkey)"
            )
        self.workdir = Path(tempfile.mkdtemp(prefix="broadsheet-varnish-"))
        vcl = self.workdir / "default.vcl"
        vcl.write_text(
            vcl_render(
                backend_host=self.backend_host,
                backend_port=self.backend_port,
                purge_token=self.purge_token,
                probe_host=self.probe_host,
            )
        )
        fixed_port = self.port is not None
        for _attempt in range(1 if fixed_port else 3):
            if not fixed_port:
                self.port = free_port(self.host)
            command = [
                binary,
                "-F",
                "-n",
                str(self.workdir / "instance"),
                "-a",
                f"{self.host}:{self.port}",
                "-f",
                str(vcl),
                "-s",
                self.storage,
                "-T",
                "none",
                # Run as whoever started it: no drop to the varnish user, which
                # could not read a private temporary directory.
                "-j",
                "none",
                "-l",
                "4m",
            ]
            for name, value in self.params.items():
                command += ["-p", f"{name}={value}"]
            with open(self.workdir / "varnishd.log", "wb") as log:
                # The command is this module's own list: binary found above,
                # paths and numbers (no shell, no outside input).
                self.process = subprocess.Popen(  # noqa: S603
                    command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            if self._wait_ready():
                return self
            if "Could not get socket" not in self.output() and "in use" not in self.output():
                break
        output = self.output()
        self.stop()
        raise VarnishError(f"varnishd did not start (VCL error?):\n{output}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    pass
            except OSError:
                time.sleep(0.05)
                continue
            # The listen socket opens before the child has loaded the VCL;
            # it is ready once the start-up message is out.
            if "Child launched OK" in self.output():
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> VarnishProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="127.0.0.1:8000", help="the site (host:port)")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="where Varnish listens")
    parser.add_argument(
        "--purge-token", default=os.environ.get("BROADSHEET_EDGE_PURGE_TOKEN"), help="X-Purge-Token"
    )
    parser.add_argument("--probe-host", help="Host header of the /healthz probe")
    parser.add_argument("--print-vcl", action="store_true", help="print the rendered VCL and exit")
    args = parser.parse_args(argv)
    if args.print_vcl:
        backend_host, backend_port = _address(args.backend)
        if not args.purge_token:
            parser.error("--print-vcl needs --purge-token or BROADSHEET_EDGE_PURGE_TOKEN")
        sys.stdout.write(
            vcl_render(
                backend_host=backend_host,
                backend_port=backend_port,
                purge_token=args.purge_token,
                probe_host=args.probe_host,
            )
        )
        return 0
    if varnishd_path() is None:
        sys.stderr.write(
            "varnishd not found. Install Varnish 7 and vmod xkey:\n"
            "  sudo apt-get install varnish varnish-modules\n"
        )
        return 1
    backend_host, backend_port = _address(args.backend)
    host, port = _address(args.listen)
    edge = VarnishProcess(
        backend_host=backend_host,
        backend_port=backend_port,
        purge_token=args.purge_token,
        probe_host=args.probe_host,
        host=host,
        port=port,
    )
    stop = False

    def _stop(signum, frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        edge.start()
    except VarnishError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    sys.stdout.write(f"Varnish on {edge.url} in front of {args.backend}\n")
    sys.stdout.flush()
    try:
        while not stop and edge.process.poll() is None:
            time.sleep(0.2)
    finally:
        code = edge.process.poll() if edge.process else None
        edge.stop()
    if code not in (None, 0):
        sys.stderr.write(f"varnishd exited with status {code}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
