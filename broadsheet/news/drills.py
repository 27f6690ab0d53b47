"""The publish-kill drill (issue 14): a process SIGKILLed in the middle of a
publish leaves the story wholly published or wholly not.

    python -m broadsheet.news.drills setup
    python -m broadsheet.news.drills publish [--check PREVIOUS.json]
    python -m broadsheet.news.drills pending

`pending` prints the surrogate keys waiting in the edge purge queue.
`setup` gives an empty, migrated database a front page, a section, a photo
and an editor. Each `publish` creates a draft story, prints a JSON line
`{"ready": id, "versions": {...}}`, waits for a line on stdin, then publishes
the draft through the admin's edit view (the whole middleware stack, as a
server process runs it) and prints `{"published": id, "versions": {...}}`.
The drill's controller (tests, bench/edge.py) kills it at a random moment
after the go; the next `publish --check` first reports on the killed one:
either every trace of the publish is there (live revision, publish log
entry, content versions moved by exactly what one publish moves them, the
story's edge purge queued, the newsfeed announcement) or none is.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

DRILL_USER = "drill-editor"
DRILL_SECTION = "drill"


def _versions() -> dict[str, int]:
    from broadsheet.core.models import ContentVersion

    return {str(pk): v for pk, v in ContentVersion.objects.values_list("pk", "version")}


def drill_setup() -> None:
    from broadsheet.accounts.factories import UserFactory
    from broadsheet.mediabank.factories import PhotoFactory

    from .factories import SectionPageFactory, front_page_install

    home = front_page_install()
    SectionPageFactory(parent=home, title="Drill", slug=DRILL_SECTION)
    PhotoFactory(seed=4242, size=(320, 200))
    UserFactory(username=DRILL_USER, is_staff=True, is_superuser=True)


def story_state(*, story_id: int) -> dict:
    """Every trace a publish of the story leaves, read from the database."""
    from wagtail.models import PageLogEntry

    from broadsheet.core.surrogate import page_key
    from broadsheet.edge.models import PendingPurge

    from .models import ArticlePage, NewsfeedAnnouncement

    story = ArticlePage.objects.get(pk=story_id)
    return {
        "live": story.live,
        "live_revision": story.live_revision_id is not None,
        "logged": PageLogEntry.objects.filter(page_id=story_id, action="wagtail.publish").exists(),
        "purge_queued": PendingPurge.objects.filter(key=page_key(story_id)).exists(),
        "announced": NewsfeedAnnouncement.objects.filter(page_id=story_id).exists(),
        "versions": _versions(),
    }


def versions_step(*, before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """How far a publish moved each content version (a row it created
    started at 1: core/cache.py version_bump)."""
    return {row: v - before.get(row, 1) for row, v in after.items() if v != before.get(row)}


def publish_problems(*, state: dict, before: dict[str, int], step: dict[str, int]) -> list[str]:
    """What is half-done: `state` must show all of a publish or none of it.
    `step` is how far one whole publish moves each content version."""
    traces = ("live", "live_revision", "logged", "purge_queued", "announced")
    published = state["live"]
    problems = [
        f"{name} is {state[name]} while live is {published}"
        for name in traces
        if state[name] != published
    ]
    expected = dict(before)
    if published:
        expected.update({row: before.get(row, 1) + d for row, d in step.items()})
    if state["versions"] != expected:
        problems.append(f"content versions {state['versions']}, expected {expected}")
    return problems


def _publish(*, go) -> None:
    from django.test import Client
    from django.urls import reverse
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from broadsheet.accounts.models import User
    from broadsheet.mediabank.models import Photo

    from .factories import ArticlePageFactory
    from .models import ArticlePage, SectionPage

    section = SectionPage.objects.get(slug=DRILL_SECTION)
    photo = Photo.objects.order_by("pk").first()
    n = ArticlePage.objects.count() + 1
    story = ArticlePageFactory.build(
        title=f"Drill story {n}",
        slug=f"drill-story-{n}",
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        lead_photo=photo,
        seed=n,
    )
    section.add_child(instance=story)
    story.save_revision()
    _say({"ready": story.pk, "versions": _versions()})
    go()
    client = Client()
    client.force_login(User.objects.get(username=DRILL_USER))
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "kind": story.kind,
            "standfirst": story.standfirst,
            "lead_photo": photo.pk,
            "bylines": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Published under fire.</p>"))]),
            "tags": "",
            "action-publish": "1",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    if response.status_code != 302:
        raise SystemExit(f"publish answered {response.status_code}")
    _say({"published": story.pk, "versions": _versions()})


def drill_run(*, rounds: int, env: dict[str, str], workdir: Path, seed: int = 14) -> dict:
    """Publish `rounds` + 1 stories in processes of their own, the first to
    the end (it measures what a publish takes and moves), each other one
    SIGKILLed at a random moment between the go and a little past that
    duration. Returns {published, absent, problems, publish_seconds}."""
    rng = random.Random(seed)
    check = workdir / "killed.json"
    result = {"published": 0, "absent": 0, "problems": [], "publish_seconds": None}
    previous = None
    for n in range(rounds + 2):
        args = [sys.executable, "-m", "broadsheet.news.drills", "publish"]
        if previous is not None:
            check.write_text(json.dumps(previous))
            args += ["--check", str(check)]
        with (workdir / "drill.log").open("a") as log:
            process = subprocess.Popen(  # noqa: S603
                args,
                cwd=Path(__file__).resolve().parents[2],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        try:
            line = _hear(process, workdir)
            if "checked" in line:
                result["published" if line["live"] else "absent"] += 1
                result["problems"] += [f"story {line['checked']}: {p}" for p in line["problems"]]
                if n == rounds + 1:
                    break
                line = _hear(process, workdir)
            started = time.monotonic()
            process.stdin.write("go\n")
            process.stdin.flush()
            if n == 0:
                done = _hear(process, workdir)
                result["publish_seconds"] = time.monotonic() - started
                step = versions_step(before=line["versions"], after=done["versions"])
            else:
                time.sleep(rng.uniform(0, result["publish_seconds"] * 1.2))
            previous = {"story": line["ready"], "before": line["versions"], "step": step}
        finally:
            process.kill()
            process.wait()
            process.stdout.close()
            process.stdin.close()
    # Round 0 was never killed; it is counted as published by the first check.
    result["published"] -= 1
    return result


def _hear(process: subprocess.Popen, workdir: Path) -> dict:
    line = process.stdout.readline()
    if not line:
        log = (workdir / "drill.log").read_text()[-3000:]
        raise RuntimeError(f"the drill's publisher stopped early:\n{log}")
    return json.loads(line)


def _say_keys(keys) -> None:
    sys.stdout.write("".join(f"{key}\n" for key in keys))
    sys.stdout.flush()


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["setup", "publish", "pending"])
    parser.add_argument(
        "--check",
        help="JSON file {story, before, step}: report on a publish killed earlier first",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    import django

    django.setup()
    if args.command == "setup":
        drill_setup()
        return
    if args.command == "pending":
        from broadsheet.edge.models import PendingPurge

        _say_keys(PendingPurge.objects.order_by("key").values_list("key", flat=True))
        return
    if args.check:
        with open(args.check) as f:
            previous = json.load(f)
        state = story_state(story_id=previous["story"])
        problems = publish_problems(state=state, before=previous["before"], step=previous["step"])
        _say({"checked": previous["story"], "live": state["live"], "problems": problems})
    _publish(go=sys.stdin.readline)


if __name__ == "__main__":
    main()
