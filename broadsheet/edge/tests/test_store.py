"""The shared response store keeps a copy of what a process reads (edge/store.py)."""

from django.core.cache import caches

from broadsheet.edge.store import Entry, ProcessStore, SharedStore


def test_a_shared_entry_read_once_is_kept_in_the_process(monkeypatch):
    other_process = SharedStore()
    this_process = SharedStore(local=ProcessStore(1024 * 1024))
    entry = Entry(status=200, headers=(("Content-Type", "text/html"),), body=b"<p>story</p>")
    other_process.set(("/story/", 7), entry)
    shared = caches["default"]
    asked = []
    real_get = shared.get
    monkeypatch.setattr(shared, "get", lambda key, *a, **k: asked.append(key) or real_get(key))

    assert this_process.get(("/story/", 7)) == entry
    assert this_process.get(("/story/", 7)) == entry
    assert len(asked) == 1, "the second read is the process's copy"
    # A new version is a new key: asked of the shared cache again.
    assert this_process.get(("/story/", 8)) is None
    assert len(asked) == 2
    this_process.clear()
    assert this_process.get(("/story/", 7)) is None
