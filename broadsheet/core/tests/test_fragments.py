"""Fragments kept per process until a surrogate key they name goes stale
(core/fragments.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.core.cache import STALE_KEYS_ROW, versions_read
from broadsheet.core.fragments import (
    fragment_changes_at,
    fragment_memoized,
    stale_keys_prune,
    stale_keys_record,
)
from broadsheet.core.models import ContentVersion, StaleKey
from broadsheet.core.surrogate import surrogate_keys_add, surrogate_keys_capture

pytestmark = pytest.mark.django_db


class Renders:
    """A fragment whose every render is counted, naming `keys` as it renders."""

    def __init__(self, *keys):
        self.keys, self.count = keys, 0

    def __call__(self):
        self.count += 1
        surrogate_keys_add(*self.keys)
        return f"render {self.count}"


def test_kept_until_a_key_named_while_rendering_goes_stale():
    render = Renders("p1", "ph7")
    assert fragment_memoized("story", render) == "render 1"
    assert fragment_memoized("story", render) == "render 1"
    stale_keys_record(keys=["p2", "ph8"])
    assert fragment_memoized("story", render) == "render 1", "other keys leave it"
    stale_keys_record(keys=["ph7"])
    assert fragment_memoized("story", render) == "render 2"
    assert fragment_memoized("story", render) == "render 2"


def test_tags_given_by_the_caller_count_as_named():
    render = Renders()
    fragment_memoized("story", render, tags=["tg3"])
    stale_keys_record(keys=["tg3"])
    fragment_memoized("story", render, tags=["tg3"])
    assert render.count == 2


def test_a_kept_fragment_names_its_keys_on_every_answer():
    fragment_memoized("story", Renders("p1"), tags=["tg3"])
    _value, keys = surrogate_keys_capture(lambda: fragment_memoized("story", Renders()))
    assert set(keys) == {"p1", "tg3"}


def test_a_key_committed_after_a_higher_id_is_still_seen():
    """PostgreSQL hands out ids before commit: a change can commit after one
    with a higher id. Rows are read by age, so its key is not skipped."""
    render = Renders("p1")
    stale_keys_record(keys=["p9"])
    fragment_memoized("story", render)
    newest = StaleKey.objects.order_by("-id").first().pk
    StaleKey.objects.filter(pk=newest).update(id=newest + 10)
    stale_keys_record(keys=["p1"])
    StaleKey.objects.filter(key="p1").update(id=newest + 5)
    fragment_memoized("story", render)
    assert render.count == 2


def test_the_counter_going_back_drops_everything():
    """A restored database's counter is lower than the one the process saw."""
    stale_keys_record(keys=["a", "b", "c"])
    stale_keys_record(keys=["d"])
    render = Renders("p1")
    fragment_memoized("story", render)
    StaleKey.objects.all().delete()
    ContentVersion.objects.filter(pk=STALE_KEYS_ROW).update(version=1)
    fragment_memoized("story", render)
    assert render.count == 2


def test_the_versions_query_reads_the_counter_not_the_table():
    """One indexed read of three counter rows, however many keys went stale."""
    stale_keys_record(keys=[f"p{n}" for n in range(50)])
    fragment_memoized("story", Renders())
    with CaptureQueriesContext(connection) as queries:
        versions = versions_read()
    assert versions[STALE_KEYS_ROW] >= 2
    assert "core_stalekey" not in queries.captured_queries[-1]["sql"]


def test_not_kept_when_the_process_synced_past_while_rendering():
    """A change committed while this fragment rendered from older data: the
    result is served to this request but not kept."""
    inner = Renders("p1")

    def render_during_a_change():
        value = inner()
        stale_keys_record(keys=["p5"])
        fragment_memoized("other", Renders())  # another request syncs meanwhile
        return value

    fragment_memoized("story", render_during_a_change)
    fragment_memoized("story", render_during_a_change)
    assert inner.count == 2


def test_prune_deletes_rows_older_than_an_hour():
    StaleKey.objects.all().delete()
    stale_keys_record(keys=["old", "new"])
    StaleKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=2))
    assert stale_keys_prune() == 1
    assert list(StaleKey.objects.values_list("key", flat=True)) == ["new"]


def test_kept_only_until_a_moment_named_while_rendering():
    """A photo's licence expiring at a set time changes the fragment with no
    purge at all: it is rendered again from that moment."""
    expires = timezone.now() + timedelta(hours=1)
    render = Renders()

    def render_with_expiry():
        fragment_changes_at(expires)
        return render()

    fragment_memoized("story", render_with_expiry)
    with time_machine.travel(expires - timedelta(seconds=1)):
        fragment_memoized("story", render_with_expiry)
        assert render.count == 1
    with time_machine.travel(expires + timedelta(seconds=1)):
        fragment_memoized("story", render_with_expiry)
        assert render.count == 2


@pytest.mark.parametrize("inner_kept_before", [False, True])
def test_a_moment_named_inside_a_kept_fragment_reaches_the_outer_one(inner_kept_before):
    """A story's page kept whole around its kept body: the licence expiring in
    the body changes the page too, whether the body was rendered for this
    page or found kept from an earlier one."""
    expires = timezone.now() + timedelta(hours=1)
    outer = Renders()

    def body():
        fragment_changes_at(expires)
        return "body"

    if inner_kept_before:
        fragment_memoized("body", body)

    def page():
        return outer() + fragment_memoized("body", body)

    fragment_memoized("page", page)
    with time_machine.travel(expires - timedelta(seconds=1)):
        fragment_memoized("page", page)
        assert outer.count == 1
    with time_machine.travel(expires + timedelta(seconds=1)):
        fragment_memoized("page", page)
        assert outer.count == 2


def test_a_version_keeps_one_entry_replaced_when_it_moves():
    """A listing kept for the content version: the same key under a new
    version renders again and replaces the old entry instead of adding one."""
    from broadsheet.core import fragments

    render = Renders()
    fragment_memoized("front", render, version=1)
    assert fragment_memoized("front", render, version=1) == "render 1"
    assert fragment_memoized("front", render, version=2) == "render 2"
    assert [key for key in fragments._entries if key == "front"] == ["front"]
    assert fragment_memoized("front", render, version=2) == "render 2"
    assert render.count == 2
