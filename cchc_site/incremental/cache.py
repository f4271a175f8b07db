"""The persistent build cache (default `.cchc-cache/` beside config.yaml).

CI can keep this folder between runs. What it holds is keyed so that a stale
page can never be served:

- the stat of every content file (size, mtime, ctime, inode) and the hash of
  its text: a file whose stat is unchanged is not read at all (`vouch`);
- parsed front matter by (kind, path, SHA-256 of the text);
- rendered bodies by (content hash, file path, page path), each with the log
  of the link look-ups it made: a cached body is used only when every one of
  those look-ups gives the same answer today;
- for every output page, the fingerprint of its own context and of every part
  of the site its templates read (see fingerprint.py), plus the size and hash
  of the bytes written, so an unchanged page is linked from the previous
  output instead of rendered;
- the stat of every attachment and output file, so a build with nothing
  changed stops after a few thousand `stat` calls;
- the search data's state (search_state.py), in side files of its own
  (search_store.py: per-document chunks written only when they change).

Files: `state.pickle` (the small tables), a record store `store-*.bin` for
the big per-file values (parsed front matter, rendered bodies; append-only,
see store.py) and `search*.marshal`. A save appends the changed records and
rewrites the small state; loading decodes records as they are asked for.

Everything is under one `environment` key: the hash of the program's own
files (code, templates, assets), the province registry and the glossary. A
change to any of them starts from an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from cchc_site import __version__
from cchc_site.core.sealed import dump_sealed, load_sealed
from cchc_site.incremental import store
from cchc_site.incremental.store import Ref

FORMAT = 4
STORED = ("bodies", "parsed")  # tables kept in the record store (store.py), not in the main pickle
TRUST_AFTER_NS = 2_000_000_000  # a file changed this close to when its stat was recorded is read again


def program_digest(root: Any = None) -> str:
    """Hash of cchc-site's own files (code, templates, assets, the province registry
    and the default glossary): any change to them invalidates the cache. The
    installed package's digest is computed once per process."""
    return _installed_digest() if root is None else _digest_of(root)


@lru_cache(maxsize=1)
def _installed_digest() -> str:
    return _digest_of(resources.files("cchc_site"))


def _digest_of(root: Any) -> str:
    h = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
    stack = [root]
    items = []
    while stack:
        node = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                if child.name != "__pycache__":
                    stack.append(child)
            elif child.name.endswith((".py", ".html", ".xml", ".css", ".js", ".yaml", ".txt")):
                items.append(child)
    for item in sorted(items, key=lambda c: str(c)):
        h.update(str(item).rsplit("cchc_site", 1)[-1].encode())
        h.update(item.read_bytes())
    try:
        import markdown

        h.update(markdown.__version__.encode())
    except Exception:  # pragma: no cover
        pass
    return h.hexdigest()[:24]


@dataclass
class CacheState:
    environment: str = ""
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path → (size, mtime_ns, sha256)
    # content file → (size, mtime_ns, ctime_ns, inode, device, recorded at (ns), SHA-256 of its text)
    sources: dict[str, tuple[int, int, int, int, int, int, str]] = field(default_factory=dict)
    parsed: dict[tuple[str, str], Any] = field(default_factory=dict)
    bodies: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    pages: dict[str, tuple[str, frozenset[Any], str, int, str]] = field(default_factory=dict)
    feeds: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # path → (key, size, sha256)
    images: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # image variant path → (key, size, sha256)
    image_info: dict[str, tuple[str, Any]] = field(default_factory=dict)  # files/ image → (sha256, info or problem)
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # output manifest: path → (size, mtime_ns)
    inputs: str = ""  # fingerprint of every input's stat (the no-change fast path)
    output_dir: str = ""
    store: str = ""  # name of the record store file holding the STORED tables
    refs: dict[tuple[str, Any], Ref] = field(default_factory=dict)  # (table, key) → record in the store
    side: dict[str, Any] = field(default_factory=dict)  # name → a big plain value kept in its own file


class Cache:
    """Loads the previous state, collects the new one, saves it atomically."""

    def __init__(self, folder: Path | None, environment: str):
        self.folder = folder
        self.environment = environment
        self.old = CacheState(environment=environment)
        self.new = CacheState(environment=environment)
        self.hits = {"parsed": 0, "bodies": 0, "pages": 0}
        self.reader = store.StoreReader(None)
        self._from_store: dict[tuple[str, Any], tuple[store.Ref, Any]] = {}  # values read, to keep their records
        self._saved: tuple[str, dict[tuple[str, Any], store.Ref]] | None = None  # what save_records wrote
        self.persist = folder is not None  # saved after the build (save_records may write ahead)
        self.damaged: list[str] = []  # cache files (or records) found damaged and dropped
        if folder is not None:
            loaded = self._read(folder / "state.pickle", self.damaged)
            if isinstance(loaded, CacheState) and loaded.environment == environment:
                self.old = loaded
                if loaded.store and "/" not in loaded.store and loaded.store.startswith(store.PREFIX):
                    self.reader = store.StoreReader(folder / loaded.store)

    @staticmethod
    def _read(path: Path, damaged: list[str]) -> Any:
        """The state a build saved, unpickled only once its checksum matches (core.sealed)."""
        try:
            found, state = load_sealed(path, pickle.loads)
        except Exception:  # intact, but from another version of a class: start empty
            return None
        if found and state is None:
            damaged.append(path.name)
        return state

    def damage_note(self) -> str | None:
        """One line naming what was found damaged in the cache and dropped, if anything."""
        parts = list(dict.fromkeys(self.damaged))
        if self.reader.damaged:
            parts.append(f"{self.reader.damaged} record(s) of {self.old.store}")
        if not parts:
            return None
        return f"cache: damaged data dropped and rebuilt ({', '.join(parts)}); the output is built as if without it"

    def rolled(self) -> "Cache":
        """The cache for the next build in this process (the dev server): this build's state becomes the old one."""
        nxt = Cache(None, self.environment)
        nxt.folder = self.folder  # for compiled templates; this cache is never saved
        nxt.persist = False
        nxt.old = self.new
        return nxt

    @property
    def empty(self) -> bool:
        """Nothing from a previous build: no content file or record to reuse."""
        return not (self.old.sources or self.old.refs or self.old.parsed or self.old.bodies)

    # -- file hashes ------------------------------------------------------------
    def file_hash(self, path: Path, data: bytes | None = None) -> str:
        """SHA-256 of a file, trusting the previous hash while size and mtime are unchanged."""
        st = path.stat()
        key = str(path)
        old = self.old.stats.get(key)
        if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            sha = old[2]
        else:
            sha = hashlib.sha256(data if data is not None else path.read_bytes()).hexdigest()
        self.new.stats[key] = (st.st_size, st.st_mtime_ns, sha)
        return sha

    # -- content files -----------------------------------------------------------
    def vouch(self, key: str, st: os.stat_result) -> str:
        """The SHA-256 of a content file's text when its stat is exactly as recorded:
        size, mtime, ctime and inode (an edit always moves ctime, which no tool
        can set back; a file replaced by another has a new inode). As in git's
        "racy clean" rule, a file changed within TRUST_AFTER_NS of the recording
        is not vouched for (a second edit could have kept the same times). "" = read it."""
        old = self.old.sources.get(key)
        if (
            old is None
            or old[:5] != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            or max(st.st_ctime_ns, st.st_mtime_ns) >= old[5] - TRUST_AFTER_NS
        ):
            return ""
        self.new.sources[key] = old
        return old[6]

    def record_source(self, key: str, st: os.stat_result, sha: str, when_ns: int) -> None:
        """Remember a content file's stat (taken at `when_ns`) and the hash of the text read after it."""
        self.new.sources[key] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, when_ns, sha)

    # -- side files: one big marshal-able value each (the search index state) -----
    def side(self, name: str) -> Any:
        """The previous build's value `name`, or None."""
        if name in self.old.side:
            return self.old.side[name]
        if self.folder is None:
            return None
        value = store.read_side(self.folder / f"{name}.marshal", self.environment, self.damaged)
        self.old.side[name] = value
        return value

    def put_side(self, name: str, value: Any) -> None:
        self.new.side[name] = value
        self._saved = None  # written ahead without it: write the records again at save

    # -- generic lookups --------------------------------------------------------
    def get(self, table: str, key: Any) -> Any:
        """The previous build's value, or None. Values of STORED tables are plain
        tuples (marshal), decoded by their user."""
        value = getattr(self.old, table).get(key)
        if value is None and table in STORED:
            ref = self.old.refs.get((table, key))
            if ref is not None:
                value = self.reader.get((table, key), ref)
                if value is not None:
                    self._from_store[(table, key)] = (ref, value)
        if value is not None:
            self.hits[table] = self.hits.get(table, 0) + 1
        return value

    def put(self, table: str, key: Any, value: Any) -> None:
        getattr(self.new, table)[key] = value
        if self._saved is not None and table in STORED:
            self._saved = None  # written ahead without it: write the records again at save

    def save_records(self) -> None:
        """Write the record store and the side files now, ahead of `save` (the build
        does it while pages render). The tables they hold (STORED, the side values)
        must be complete: `save` writes only the main state after this."""
        if self.folder is None or not self.persist:
            return
        try:
            self._saved = self._save_records(self.folder)
        except OSError:
            self._saved = None

    def save(self) -> None:
        """Write the new state (a failure leaves the previous one: the cache is never needed)."""
        if self.folder is None:
            return
        try:
            self._save(self.folder)
        except OSError:
            pass

    def _save_records(self, folder: Path) -> tuple[str, dict[tuple[str, Any], store.Ref]]:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# cchc-site build cache; safe to delete.\n"
        )
        keep: list[tuple[tuple[str, Any], store.Ref]] = []
        new: list[tuple[tuple[str, Any], Any]] = []
        for table in STORED:
            for key, value in getattr(self.new, table).items():
                known = self._from_store.get((table, key))
                if known is not None and known[1] is value:
                    keep.append(((table, key), known[0]))
                else:
                    new.append(((table, key), value))
        name, refs = store.write(folder, self.reader, keep, new)
        for side, value in self.new.side.items():
            if value is not self.old.side.get(side):
                store.write_side(folder / f"{side}.marshal", self.environment, value)
        return name, refs

    def _save(self, folder: Path) -> None:
        name, refs = self._saved or self._save_records(folder)
        _share_accesses(self.new.pages)
        state = replace(self.new, store=name, refs=refs, side={}, parsed={}, bodies={})  # the STORED tables
        tmp = folder / f".state.{os.getpid()}.tmp"
        try:
            with tmp.open("wb") as f:
                dump_sealed(f, lambda out: pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, folder / "state.pickle")
        except BaseException:
            _remove(tmp)
            raise
        if name != self.old.store:
            store.remove_others(folder, name)


def _share_accesses(pages: dict[str, tuple[Any, ...]]) -> None:
    """Make equal access sets of pages one object: ~12,000 pages read ~70 different
    sets, and pickle writes (and loading makes) an object once however often it is shared."""
    shared: dict[frozenset[Any], frozenset[Any]] = {}
    for path, record in pages.items():
        try:
            one = shared.setdefault(record[1], record[1])
        except (TypeError, IndexError):  # not what build.py puts there: left as it is
            continue
        if one is not record[1]:
            pages[path] = (record[0], one, *record[2:])


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
