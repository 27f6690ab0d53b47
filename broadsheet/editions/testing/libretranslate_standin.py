"""A stand-in for a LibreTranslate server, for tests (run as a process:
`python -m broadsheet.editions.testing.libretranslate_standin --port 0`; it
prints "listening on <port>" once ready).

Why not the real one: the `libretranslate` package installs from PyPI, but it
translates with Argos Translate models that it downloads from the internet on
first start; none is present here and tests run offline.

It speaks the part of LibreTranslate's HTTP API that wagtail-localize uses
(https://libretranslate.com/docs/): POST /translate with JSON or form fields
q (a string or a list), source, target, format ("text"|"html"), api_key →
{"translatedText": ...} of the same shape as q; GET /languages. The
"translation" is deterministic: known words from a small table, the rest
kept, the whole marked with the target code, e.g. "[ru] Гавань reopens".

The API key chooses failures for tests: "bad-key" → 403 as LibreTranslate
answers a wrong key, "broken" → 500, "slow" → answers after 3 s.
"""

import argparse
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

WORDS = {
    "ru": {"harbour": "гавань", "reopens": "открывается", "the": "", "city": "город"},
    "es": {"harbour": "puerto", "reopens": "reabre", "the": "el", "city": "ciudad"},
    "ar": {"harbour": "الميناء", "reopens": "يعاد فتحه", "the": "", "city": "المدينة"},
}
LANGUAGES = ["en", "ru", "es", "ar"]
_WORD = re.compile(r"(<[^>]*>)|([A-Za-z]+)")


def translate_text(text: str, target: str) -> str:
    table = WORDS.get(target, {})

    def swap(match):
        if match.group(1):  # a tag: kept as it is
            return match.group(1)
        word = match.group(2)
        found = table.get(word.lower())
        return word if found is None else found

    return f"[{target}] " + re.sub(r"  +", " ", _WORD.sub(swap, text)).strip()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.split("?")[0] == "/languages":
            return self._answer(
                200,
                [
                    {"code": c, "name": c, "targets": [t for t in LANGUAGES if t != c]}
                    for c in LANGUAGES
                ],
            )
        return self._answer(404, {"error": "Not found"})

    def do_POST(self):
        if self.path.split("?")[0] != "/translate":
            return self._answer(404, {"error": "Not found"})
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if "json" in (self.headers.get("Content-Type") or ""):
            try:
                fields = json.loads(raw)
            except ValueError:
                return self._answer(400, {"error": "Invalid JSON"})
        else:
            fields = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(raw).items()}
        key = fields.get("api_key") or ""
        if key == "bad-key":
            return self._answer(403, {"error": "Invalid API key"})
        if key == "broken":
            return self._answer(500, {"error": "Translation engine crashed"})
        if key == "slow":
            time.sleep(3)
        q, target = fields.get("q"), fields.get("target")
        if q is None or target not in LANGUAGES or fields.get("source") not in LANGUAGES:
            return self._answer(400, {"error": "Invalid request: q, source, target"})
        if isinstance(q, list):
            return self._answer(200, {"translatedText": [translate_text(s, target) for s in q]})
        return self._answer(200, {"translatedText": translate_text(str(q), target)})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    # The fixture waits for this line (stdout, not a log: it is the protocol).
    sys.stdout.write(f"listening on {server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
