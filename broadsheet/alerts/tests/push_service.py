"""A push service for tests, and browsers that subscribe to it.

`PushService` is a real HTTP server (a thread) standing in for FCM or
Mozilla's autopush: it checks each POST as a push service must — the VAPID
`Authorization: vapid t=<JWT>,k=<key>` (ES256 signature with that key, `aud`
the endpoint's origin, `exp` in the future and at most 24 h away, a `sub`) —
and decrypts the aes128gcm body with the subscriber's private key and auth
secret, as the browser would (http_ece). It answers 201, or whatever status
a test sets for an endpoint path (410 "gone", 429, 500...).

`FakeBrowser` holds what a browser keeps for one subscription: a P-256 key
pair and a 16-byte auth secret; `subscription()` is its toJSON().
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class FakeBrowser:
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def path(self) -> str:
        return "/" + self.endpoint.split("/", 3)[3]

    def subscription(self) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64u(point), "auth": b64u(self.auth)},
        }

    def private_pkcs8(self) -> str:
        """The private key as base64 PKCS#8 (for WebCrypto in the browser test)."""
        der = self.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return base64.b64encode(der).decode()


@dataclass
class Received:
    path: str
    headers: dict
    client_port: int = 0  # one per TCP connection: shows keep-alive reuse
    claims: dict | None = None
    vapid_key: str | None = None
    payload: dict | None = None
    errors: list = field(default_factory=list)


def verify_vapid(authorization: str, endpoint_origin: str) -> tuple[dict, str]:
    """The JWT's claims and the public key, or AssertionError with the reason."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", f"scheme {scheme!r}"
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64u(header_b64))
    assert header.get("alg") == "ES256", f"alg {header.get('alg')!r}"
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(key))
    signature = unb64u(signature_b64)
    assert len(signature) == 64, "ES256 signatures are r||s, 64 bytes"
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionError("bad VAPID signature") from None
    claims = json.loads(unb64u(claims_b64))
    assert claims.get("aud") == endpoint_origin, f"aud {claims.get('aud')!r}"
    now = time.time()
    assert now < claims["exp"] <= now + 24 * 3600, f"exp {claims['exp']}"
    assert str(claims.get("sub", "")).startswith(("mailto:", "https:")), "sub"
    return claims, key


class PushService:
    def __init__(self):
        self.received: list[Received] = []
        self.browsers: dict[str, FakeBrowser] = {}
        self.statuses: dict[str, int] = {}  # path -> status to answer
        self._condition = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def browser(self, name: str) -> FakeBrowser:
        browser = FakeBrowser(endpoint=f"{self.origin}/push/{name}")
        self.browsers[browser.path] = browser
        return browser

    def to(self, browser: FakeBrowser) -> list[Received]:
        return [item for item in self.received if item.path == browser.path]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.received)} pushes arrived, not {count}")
                self._condition.wait(left)
            return list(self.received)

    def _record(self, item: Received) -> None:
        with self._condition:
            self.received.append(item)
            self._condition.notify_all()

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real push services

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                item = Received(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    client_port=self.client_address[1],
                )
                status = service.statuses.get(self.path, 201)
                try:
                    item.claims, item.vapid_key = verify_vapid(
                        self.headers.get("Authorization", ""), service.origin
                    )
                    assert self.headers.get("Content-Encoding") == "aes128gcm", "encoding"
                    browser = service.browsers[self.path]
                    plain = http_ece.decrypt(
                        body,
                        private_key=browser.private_key,
                        auth_secret=browser.auth,
                        version="aes128gcm",
                    )
                    item.payload = json.loads(plain)
                except (AssertionError, KeyError, ValueError, TypeError) as exc:
                    item.errors.append(repr(exc))
                    status = 400
                service._record(item)
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "60")
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
