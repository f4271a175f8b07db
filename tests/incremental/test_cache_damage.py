"""A damaged cache is never trusted: whatever byte of whatever cache file is
damaged, the next build equals a cold build, byte for byte."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefactory import NOW, TmpSite, make_site
from test_incremental import ARTICLE, files, tree

import cchc_site.render.pages as pages_module
from cchc_site.edges.runner import RunOptions, run_build

SERVICE = (
    "---\ntitle: Đăng ký khai sinh\nlevel: 4\nfield: Hộ tịch\nagency: UBND cấp xã\n"
    "portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193\n"
    "code: 1.001193\n---\nNộp hồ sơ trên VNeID.\n"
)
EDITED = ARTICLE.format(n="3 sửa", day=3, province="ca-mau")


def _build(site: TmpSite, out: str, cache: bool = True) -> tuple[object, str]:
    err = io.StringIO()
    pages_module._COMPILED._store.clear()  # a new process: compiled templates come from the cache's files
    report = run_build(
        site.config(output=site.root / out),
        RunOptions(cache_dir=site.root / ".cchc-cache" if cache else None),
        NOW,
        err,
    )
    return report, err.getvalue()


@pytest.fixture(scope="module")
def damaged_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site = make_site(tmp_path_factory.mktemp("damage"), {**files(12), "content/services/khai-sinh.md": SERVICE})
    original = (site.root / "content/articles/a03.md").read_text("utf-8")
    cold = {}
    for state, text in (("same", original), ("edited", EDITED)):
        site.write("content/articles/a03.md", text)
        assert _build(site, f"cold-{state}", cache=False)[0].ok  # type: ignore[attr-defined]
        cold[state] = tree(site.root / f"cold-{state}")
    site.write("content/articles/a03.md", original)
    _build(site, "out")
    _build(site, "out")  # every cache file written, the compiled templates too
    shutil.copytree(site.root / ".cchc-cache", site.root / "pristine-cache")
    shutil.copytree(site.root / "out", site.root / "pristine-out")
    names = sorted(
        p.relative_to(site.root / ".cchc-cache").as_posix()
        for p in (site.root / ".cchc-cache").rglob("*")
        if p.is_file()
    )
    assert any(n.startswith("templates-") for n in names) and "state.pickle" in names
    return site, original, cold, names


def _restore(site: TmpSite) -> None:
    for name in (".cchc-cache", "out"):
        shutil.rmtree(site.root / name, ignore_errors=True)
    shutil.copytree(site.root / "pristine-cache", site.root / ".cchc-cache")
    shutil.copytree(site.root / "pristine-out", site.root / "out")  # copy2: sizes and mtimes as built


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), edited=st.booleans())
def test_damaged_bytes_in_any_cache_file_give_a_cold_build(damaged_site, data, edited: bool) -> None:  # type: ignore[no-untyped-def]
    site, original, cold, names = damaged_site
    _restore(site)
    name = data.draw(st.sampled_from(names), label="file")
    path = site.root / ".cchc-cache" / name
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 3), label="flips")):
        if raw:
            at = data.draw(st.integers(0, len(raw) - 1), label="offset")
            raw[at] ^= data.draw(st.integers(1, 255), label="xor")
    path.write_bytes(bytes(raw))
    site.write("content/articles/a03.md", EDITED if edited else original)
    report, _ = _build(site, "out")
    assert report.ok  # type: ignore[attr-defined]
    assert tree(site.root / "out") == cold["edited" if edited else "same"]
    site.write("content/articles/a03.md", original)


@pytest.mark.parametrize("prefix", ["state.pickle", "templates-", "search"])
def test_a_damaged_file_is_dropped_with_one_line(damaged_site, prefix: str) -> None:  # type: ignore[no-untyped-def]
    site, original, cold, names = damaged_site
    _restore(site)
    chosen = [n for n in names if n.startswith(prefix) and n.endswith((".pickle", ".cache", ".marshal"))]
    for name in chosen:  # every compiled template: which of them this build needs depends on what it renders
        path = site.root / ".cchc-cache" / name
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0x40
        path.write_bytes(bytes(raw))
    site.write("content/articles/a03.md", EDITED)
    report, err = _build(site, "out")
    site.write("content/articles/a03.md", original)
    assert report.ok and tree(site.root / "out") == cold["edited"]  # type: ignore[attr-defined]
    lines = [line for line in err.splitlines() if "damaged" in line]
    assert len(lines) == 1 and any(Path(name).name in lines[0] for name in chosen), err
