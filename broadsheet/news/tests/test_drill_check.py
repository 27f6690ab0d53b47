"""The publish-kill drill's check (news/drills.py) finds what is half-done."""

import pytest

from broadsheet.news.drills import publish_problems, versions_step

BEFORE = {"1": 10, "3": 4}
STEP = {"1": 1, "3": 1}
WHOLE = {
    "live": True,
    "live_revision": True,
    "logged": True,
    "purge_queued": True,
    "announced": True,
    "versions": {"1": 11, "3": 5},
}


def test_a_whole_publish_and_a_whole_absence_pass():
    assert publish_problems(state=WHOLE, before=BEFORE, step=STEP) == []
    absent = {**{k: False for k in WHOLE if k != "versions"}, "versions": BEFORE}
    assert publish_problems(state=absent, before=BEFORE, step=STEP) == []


@pytest.mark.parametrize("trace", ["live_revision", "logged", "purge_queued", "announced"])
def test_a_missing_trace_is_a_problem(trace):
    problems = publish_problems(state={**WHOLE, trace: False}, before=BEFORE, step=STEP)
    assert problems == [f"{trace} is False while live is True"]


def test_a_version_not_moved_with_the_publish_is_a_problem():
    state = {**WHOLE, "versions": {"1": 10, "3": 5}}
    assert "content versions" in publish_problems(state=state, before=BEFORE, step=STEP)[0]
    absent = {**{k: False for k in WHOLE if k != "versions"}, "versions": {"1": 11, "3": 4}}
    assert "content versions" in publish_problems(state=absent, before=BEFORE, step=STEP)[0]


def test_versions_step_counts_a_created_row_from_one():
    assert versions_step(before={"1": 10}, after={"1": 11, "5": 2}) == {"1": 1, "5": 1}
