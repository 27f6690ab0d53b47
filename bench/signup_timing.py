"""Sign-up time for a new address and for one that already has an account.

    python bench/signup_timing.py N   -> JSON: N sign-ups of each kind, interleaved

Run by bench/run.py (`--only signup`) on a scratch database it made afresh;
`signup_lines()` writes the report's section. With enumeration prevention
the two answers are the same page; this shows their *time* is the same too
(accounts/signup.py hashes the password for a known address as well). Each
POST goes through Django's test Client in process with the configured
password hasher, allauth's rate limits lifted by run.py for this database only.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

REGISTERED = "registered@bench.localhost"
PASSWORD = "plum tart 1987 velvet"  # noqa: S105 (scratch database accounts)


def measure(count: int) -> dict:
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.core import mail
    from django.test import Client

    from broadsheet.accounts.models import User

    if not User.objects.filter(email=REGISTERED).exists():
        user = User.objects.create_user("registered", REGISTERED, PASSWORD)
        EmailAddress.objects.create(user=user, email=REGISTERED, primary=True, verified=True)
    start_n = User.objects.count()

    def post(email: str, name: str):
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": name}
        started = time.perf_counter()
        response = Client().post("/accounts/signup/", data)
        return (time.perf_counter() - started) * 1000, response

    times: dict[str, list[float]] = {"new": [], "registered": []}
    answers = set()
    for n in range(count + 1):  # round 0 warms up and is not counted
        for kind in ("new", "registered"):
            email = REGISTERED if kind == "registered" else f"new{start_n}x{n}@bench.localhost"
            ms, response = post(email, f"Bench {kind} {start_n} {n}")
            answers.add((response.status_code, response.get("Location")))
            if n:
                times[kind].append(ms)
    return {
        "count": count,
        "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "answers": sorted(f"{status} {location}" for status, location in answers),
        "mails": len(mail.outbox),
        **{
            kind: {
                "median_ms": round(statistics.median(values), 1),
                "p10_ms": round(statistics.quantiles(values, n=10)[0], 1),
                "p90_ms": round(statistics.quantiles(values, n=10)[-1], 1),
            }
            for kind, values in times.items()
        },
    }


def signup_lines(s: dict) -> list[str]:
    new, known = s["new"], s["registered"]
    return [
        "## Sign-up timing",
        "",
        f"Measured {s.get('date', '?')} (UTC) on the machine above. "
        f"{s['count']} sign-ups with a new address and {s['count']} with an address that "
        "already has an account, interleaved, each a POST to `/accounts/signup/` through "
        "Django's test Client in process (`.venv/bin/python bench/run.py --only signup`, "
        "`bench/signup_timing.py`, a scratch database var/bench-signup.sqlite3 made afresh, "
        f"`broadsheet.settings.dev`, SQLite, password hasher {s['hasher']}, allauth's sign-up "
        "rate limit lifted for this database only). Both answers are the same redirect "
        f"({'; '.join(s['answers'])}) and each sends one e-mail ({s['mails']} in all, "
        "warm-ups included). "
        f"Load average before and after: {' / '.join(s['loadavg'])}.",
        "",
        "| Address | median ms | p10 ms | p90 ms |",
        "|---|---:|---:|---:|",
        f"| new | {new['median_ms']:.1f} | {new['p10_ms']:.1f} | {new['p90_ms']:.1f} |",
        f"| already registered | {known['median_ms']:.1f} | {known['p10_ms']:.1f} | "
        f"{known['p90_ms']:.1f} |",
        "",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the locmem outbox: the mails are counted, not sent
    print(json.dumps(measure(int(sys.argv[1]))))
