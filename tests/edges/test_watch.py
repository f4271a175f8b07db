"""watch: debounced change sets; bursts coalesce; temp-file + rename saves name the real file."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from cchc_site.edges.watch import ChangeSet, Debouncer, Roots, Watcher, is_scratch


@pytest.fixture
def roots(tmp_path: Path) -> Roots:
    for name in ("content/articles", "templates", "output"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("title: x\n")
    return Roots(
        content=tmp_path / "content",
        templates=tmp_path / "templates",
        config=tmp_path / "config.yaml",
        ignore=(tmp_path / "output",),
    )


def test_classify(roots: Roots):
    assert roots.classify(roots.content / "articles" / "a.md") == "content"
    assert roots.classify(roots.templates / "base.html") == "templates"
    assert roots.classify(roots.config) == "config"
    assert roots.classify(roots.config.parent / "output" / "index.html") is None
    assert roots.classify(roots.config.parent / "README.md") is None
    for scratch in (".a.md.swp", "a.md~", "4913", ".#a.md", "#a.md#", "a.md.tmp", ".goutputstream-X1"):
        assert is_scratch(Path(scratch)) and roots.classify(roots.content / scratch) is None, scratch


def test_debouncer_coalesces_a_burst(roots: Roots):
    d = Debouncer(roots, quiet=0.1, max_wait=2.0)
    target = roots.content / "articles" / "a.md"

    def burst() -> None:
        for _ in range(10):
            d.add(target)
            time.sleep(0.02)
        d.add(roots.templates / "base.html")

    threading.Thread(target=burst).start()
    started = time.monotonic()
    changes = d.wait(timeout=3)
    assert changes == ChangeSet(frozenset({target, roots.templates / "base.html"}), frozenset({"content", "templates"}))
    assert time.monotonic() - started >= 0.2  # waited for the burst to end
    assert d.wait(timeout=0.3) is None  # one change set, not eleven


def test_debouncer_max_wait_under_continuous_writes(roots: Roots):
    d = Debouncer(roots, quiet=0.2, max_wait=0.3)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            d.add(roots.content / "articles" / "a.md")
            time.sleep(0.05)

    threading.Thread(target=writer, daemon=True).start()
    started = time.monotonic()
    assert d.wait(timeout=3) is not None
    stop.set()
    assert time.monotonic() - started < 1.0


def test_debouncer_ignores_scratch_and_closes(roots: Roots):
    d = Debouncer(roots, quiet=0.05)
    assert not d.add(roots.content / ".a.md.swp", roots.config.parent / "output" / "x.html")
    assert d.wait(timeout=0.2) is None
    d.close()
    assert d.wait() is None


def test_watcher_burst_of_saves_is_one_change_set(roots: Roots):
    target = roots.content / "articles" / "a.md"
    with Watcher(roots, quiet=0.15) as watcher:
        time.sleep(0.1)
        for i in range(20):
            target.write_text(f"save {i}\n")
            time.sleep(0.005)
        changes = watcher.changes(timeout=3)
        assert changes is not None and changes.paths == frozenset({target}) and changes.kinds == {"content"}
        assert watcher.changes(timeout=0.5) is None


def test_watcher_temp_file_and_rename_save(roots: Roots):
    target = roots.content / "articles" / "b.md"
    target.write_text("old\n")
    with Watcher(roots, quiet=0.15) as watcher:
        time.sleep(0.1)
        for temp in (roots.content / "articles" / ".b.md.swp", roots.content / "articles" / "b.md.tmp"):
            temp.write_text("new\n")  # editor writes a scratch file...
            os.replace(temp, target)  # ...and renames it over the real one
        changes = watcher.changes(timeout=3)
        assert changes is not None and changes.paths == frozenset({target})


def test_watcher_config_and_templates(roots: Roots):
    with Watcher(roots, quiet=0.1) as watcher:
        time.sleep(0.1)
        roots.config.write_text("title: y\n")
        (roots.templates / "page.html").write_text("{{ x }}")
        (roots.config.parent / "output" / "index.html").write_text("ignored")
        changes = watcher.changes(timeout=3)
        assert changes is not None and changes.config_changed
        assert changes.paths == frozenset({roots.config, roots.templates / "page.html"})
