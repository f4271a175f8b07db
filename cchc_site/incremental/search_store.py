"""The search state (search_state.py) in the build cache, in parts that are written only when they change.

Most of the state is per document (its id, row, units, terms): ~12 MB at
10,000 articles, of which an edit changes a few hundred bytes. So the
documents are kept in chunks of CHUNK, each its own side file
(`search-<k>.marshal`); a chunk equal to the one read is handed back to
the cache as the very object read, which the cache does not write again.
The rest (lists, lexicons, lengths) is one small side file (`search.marshal`)
naming the token of every chunk it goes with: a chunk from another build (a
crash between two writes, two builds at once) does not match, and the state
is then built in full.
"""

from __future__ import annotations

import os
from typing import Any

CHUNK = 1024  # documents per side file
PER_DOCUMENT = ("ids", "pairs", "rows")  # lists with one item per document
PER_FIELD_DOCUMENT = ("forward", "tfs")  # per field, lists with one item per document


def load(cache: Any) -> dict[str, Any] | None:
    """The state the last build saved with `save`, or None."""
    main = cache.side("search")
    try:
        tokens = main["tokens"]
        chunks = [cache.side(f"search-{k}") for k in range(len(tokens))]
        if any(chunk is None or chunk["token"] != token for chunk, token in zip(chunks, tokens)):
            return None
        state = {key: value for key, value in main.items() if key != "tokens"}
        for key in PER_DOCUMENT:
            state[key] = [item for chunk in chunks for item in chunk[key]]
        for key in PER_FIELD_DOCUMENT:
            state[key] = [[item for chunk in chunks for item in chunk[key][f]] for f in range(len(main["lengths"]))]
        return state
    except (TypeError, KeyError, IndexError):
        return None


def save(cache: Any, state: dict[str, Any]) -> None:
    """Hand `state` to the cache: the chunks as they were read when they are equal."""
    n = len(state["ids"])
    tokens = []
    for k, start in enumerate(range(0, n, CHUNK)):
        part = slice(start, start + CHUNK)
        chunk = {key: state[key][part] for key in PER_DOCUMENT}
        chunk.update({key: [per_doc[part] for per_doc in state[key]] for key in PER_FIELD_DOCUMENT})
        old = cache.side(f"search-{k}")
        try:
            same = all(old[key] == chunk[key] for key in (*PER_DOCUMENT, *PER_FIELD_DOCUMENT))
        except (TypeError, KeyError):
            same = False
        if same:
            chunk = old
        else:
            chunk["token"] = os.urandom(8).hex()
        cache.put_side(f"search-{k}", chunk)
        tokens.append(chunk["token"])
    main = {key: value for key, value in state.items() if key not in PER_DOCUMENT + PER_FIELD_DOCUMENT}
    main["tokens"] = tokens
    old = cache.side("search")
    cache.put_side("search", old if old == main else main)
