"""The search state in the cache: chunks of documents written only when they change."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from test_search_state import GLOSSARY, PROVINCES, doc

from cchc_site.incremental import search_store
from cchc_site.incremental.cache import Cache
from cchc_site.incremental.search_state import build, signature
from cchc_site.render.search_index import build_search_data


def run(folder: Path, docs: list) -> bytes:  # type: ignore[type-arg]
    """One build's search data with a cache in `folder`, as the build does it."""
    from cchc_site.incremental.search_state import search_script

    cache = Cache(folder, "env")
    script = search_script([signature(d).hex() for d in docs], docs.__getitem__, GLOSSARY, PROVINCES, cache)
    cache.save()
    return script


def stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in folder.glob("search*.marshal")}


def test_state_survives_the_cache_and_only_changed_chunks_are_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_store, "CHUNK", 16)
    rng = random.Random(2)
    docs = [doc(rng, i, True) for i in range(100)]
    assert run(tmp_path, docs).decode() == build_search_data(docs, GLOSSARY, PROVINCES)
    before = stamps(tmp_path)
    assert len(before) == 1 + 7  # the main file and ceil(100 / 16) chunks
    cache = Cache(tmp_path, "env")
    state = search_store.load(cache)
    assert (
        state is not None
        and build([signature(d).hex() for d in docs], docs.__getitem__, GLOSSARY, PROVINCES, state)[1] is state
    )  # nothing changed
    docs[40] = replace(docs[40], title="Tiêu đề mới")
    assert run(tmp_path, docs).decode() == build_search_data(docs, GLOSSARY, PROVINCES)
    after = stamps(tmp_path)
    assert {name for name in after if after[name] != before[name]} == {"search.marshal", "search-2.marshal"}
    assert run(tmp_path, docs).decode() == build_search_data(docs, GLOSSARY, PROVINCES)
    assert stamps(tmp_path) == after  # nothing changed: nothing written


def test_a_chunk_of_another_build_means_a_full_build(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_store, "CHUNK", 16)
    rng = random.Random(4)
    docs = [doc(rng, i, True) for i in range(50)]
    run(tmp_path, docs)
    old_chunk = (tmp_path / "search-1.marshal").read_bytes()
    docs[20] = replace(docs[20], title="Khác")
    run(tmp_path, docs)
    (tmp_path / "search-1.marshal").write_bytes(old_chunk)  # valid, but not the chunk the main file names
    assert search_store.load(Cache(tmp_path, "env")) is None
    docs[30] = replace(docs[30], title="Khác nữa")
    assert run(tmp_path, docs).decode() == build_search_data(docs, GLOSSARY, PROVINCES)
    (tmp_path / "search-2.marshal").unlink()
    assert search_store.load(Cache(tmp_path, "env")) is None
    assert run(tmp_path, docs).decode() == build_search_data(docs, GLOSSARY, PROVINCES)
