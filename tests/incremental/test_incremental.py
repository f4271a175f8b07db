"""Caching and parallelism never change the output: a cached build is
byte-identical to a cold one, `--jobs N` to `--jobs 1`, and a change to a
file, template, config, glossary, registry or the program re-renders what
depends on it (and only that)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sitefactory import NOW, TmpSite

import cchc_site.incremental.cache as cache_module
from cchc_site.build import MemorySink, build_site
from cchc_site.edges.runner import RunOptions, run_build
from cchc_site.incremental.cache import Cache, program_digest

ARTICLE = (
    "---\ntitle: Tin {n}\ndate: 2024-01-{day:02d}\nprovince: {province}\nsummary: Tóm tắt {n}\n---\n"
    "Nội dung số {n} về CCHC.\n"
)


def files(n: int = 30) -> dict[str, str]:
    provinces = ["ha-tinh", "bac-kan", "thai-nguyen", "ca-mau"]
    out = {
        f"content/articles/a{i:02d}.md": ARTICLE.format(n=i, day=i % 28 + 1, province=provinces[i % 4])
        for i in range(n)
    }
    out["content/plans/kh.md"] = (
        "---\ntitle: Kế hoạch\nnumber: 1/KH-UBND\nissued: 2024-01-01\n"
        "issuer: UBND tỉnh Hà Tĩnh\nprovince: ha-tinh\n---\nMục tiêu.\n"
    )
    out["content/pages/gioi-thieu.md"] = "---\ntitle: Giới thiệu\n---\nTrang.\n"
    return out


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_folder(site: TmpSite, out: str, *, jobs: int = 1, cache: bool = True, drafts: bool = False):  # type: ignore[no-untyped-def]
    config = site.config(output=site.root / out)
    options = RunOptions(jobs=jobs, cache_dir=site.root / ".cchc-cache" if cache else None, drafts=drafts)
    report = run_build(config, options, NOW)
    assert report.ok, report.diagnostics
    return report


def test_cached_build_is_byte_identical_to_a_cold_one(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    build_folder(site, "out")
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    site.write("content/articles/new.md", ARTICLE.format(n="mới", day=27, province="ha-tinh"))
    (site.root / "content/articles/a05.md").unlink()
    warm = build_folder(site, "out")
    assert warm.pages_reused > 0 and not warm.up_to_date
    build_folder(site, "cold", cache=False)
    assert tree(site.root / "out") == tree(site.root / "cold")


def test_jobs_give_identical_output(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files(80))
    build_folder(site, "one", jobs=1, cache=False)
    build_folder(site, "two", jobs=2, cache=False)
    assert tree(site.root / "one") == tree(site.root / "two")


def test_no_change_rebuild_is_up_to_date_and_noticed_when_output_is_touched(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    build_folder(site, "out")
    assert build_folder(site, "out").up_to_date
    (site.root / "out/index.html").write_text("tampered")
    again = build_folder(site, "out")
    assert not again.up_to_date
    assert (site.root / "out/index.html").read_text() != "tampered"


def test_future_entry_becomes_due_without_content_change(tmp_site) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    site = tmp_site(
        {
            **files(),
            "content/articles/later.md": ARTICLE.format(n="sau", day=1, province="ha-tinh").replace(
                "2024-01-01", "2026-11-02"
            ),
        }
    )
    config = site.config()
    options = RunOptions(cache_dir=site.root / ".cchc-cache")
    assert run_build(config, options, NOW).ok
    assert not (site.root / "output/tin-tuc/later").exists()
    assert run_build(config, options, NOW).up_to_date
    later = run_build(config, options, NOW + timedelta(days=2))
    assert not later.up_to_date
    assert (site.root / "output/tin-tuc/later/index.html").exists()


def memory_builds(site: TmpSite):  # type: ignore[no-untyped-def]
    """Two in-memory builds sharing a cache, as the dev server does."""
    cache = Cache(None, program_digest())
    first = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink())
    assert first.ok

    def again():  # type: ignore[no-untyped-def]
        nonlocal cache, first
        cache = cache.rolled()
        result = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink(first.files))
        assert result.ok, result.diagnostics
        first = result
        return result

    return first, again


def test_article_edit_rerenders_its_page_and_the_lists_it_is_on(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    first, again = memory_builds(site)
    assert again().stats.rendered == ()  # nothing changed: nothing rendered
    news_page = next(
        p
        for p, data in sorted(first.files.items())
        if (p == "tin-tuc/index.html" or p.startswith("tin-tuc/trang-")) and b"a07/index.html" in data
    )
    site.write("content/articles/a07.md", ARTICLE.format(n=7, day=8, province="ca-mau") + "\nThêm một câu.\n")
    result = again()
    rendered = set(result.stats.rendered)
    affected = {"tin-tuc/a07/index.html", "tim-kiem/index.html", "tinh/ca-mau/index.html", news_page}
    assert affected <= rendered
    # beyond those, only pages that show counts of the province lists; never another article
    assert rendered - affected <= {"index.html", "tinh/index.html", "dich-vu-cong/index.html"}
    assert "Thêm một câu." in result.files["tin-tuc/a07/index.html"].decode()
    assert result.stats.pages_reused >= 90


def test_province_edit_rerenders_the_lists_it_moves_between(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    _, again = memory_builds(site)
    site.write("content/articles/a07.md", ARTICLE.format(n=7, day=8, province="ha-tinh"))  # was ca-mau
    rendered = set(again().stats.rendered)
    assert {"tin-tuc/a07/index.html", "tinh/ca-mau/index.html", "tinh/ha-tinh/index.html"} <= rendered
    assert "tinh/thai-nguyen/index.html" not in rendered
    assert not any(p.startswith("tin-tuc/a0") and p != "tin-tuc/a07/index.html" for p in rendered)


def test_template_change_rerenders_pages_using_it(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    _, again = memory_builds(site)
    site.write("templates/partials/footer.html", "<footer>Chân trang mới</footer>")
    result = again()
    assert result.stats.pages_reused == 0
    assert "Chân trang mới" in result.files["tin-tuc/a01/index.html"].decode()


def test_config_change_rerenders_everything(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    _, again = memory_builds(site)
    site.write("config.yaml", "title: Tên mới\nbase_url: https://cchc.example.gov.vn\n")
    result = again()
    assert result.stats.pages_reused == 0
    assert "Tên mới" in result.files["index.html"].decode()


def test_glossary_change_rerenders_bodies(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **files(),
            "content/articles/x.md": ARTICLE.format(n="x", day=2, province="ha-tinh").replace("về CCHC", "về TTPVHCC"),
        }
    )
    _, again = memory_builds(site)
    site.write(
        "config.yaml",
        "title: Trang thử\nbase_url: https://cchc.example.gov.vn\n"
        "glossary:\n  TTPVHCC: Trung tâm Phục vụ hành chính công\n",
    )
    result = again()
    assert (
        '<abbr title="Trung tâm Phục vụ hành chính công">TTPVHCC</abbr>'
        in result.files["tin-tuc/x/index.html"].decode()
    )


def test_program_or_registry_change_empties_the_cache(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The cache environment is the hash of the program's own files, which
    include the province registry and the default glossary."""
    site = tmp_site(files())
    build_folder(site, "out")
    monkeypatch.setattr(cache_module, "program_digest", lambda: "another-version")
    import cchc_site.edges.runner as runner_module

    monkeypatch.setattr(runner_module, "program_digest", lambda: "another-version")
    report = build_folder(site, "out")
    assert not report.up_to_date and report.pages_reused == 0 and report.pages_rendered == report.pages


@pytest.mark.parametrize("changed", ["data/provinces.yaml", "data/glossary.yaml", "templates/base.html", "render.py"])
def test_program_digest_covers_registry_glossary_templates_and_code(tmp_path: Path, changed: str) -> None:
    import shutil
    from importlib import resources

    package = tmp_path / "cchc_site"
    shutil.copytree(str(resources.files("cchc_site")), package, ignore=shutil.ignore_patterns("__pycache__"))
    before = program_digest(package)
    assert before == program_digest(package)
    with (package / changed).open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert program_digest(package) != before


def test_link_target_appearing_invalidates_cached_body(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **files(),
            "content/articles/link.md": ARTICLE.format(n="l", day=2, province="ha-tinh") + "\n[Xem](../pages/moi.md)\n",
        }
    )
    cache = Cache(None, program_digest())
    first = build_site(site.config(), now=NOW, cwd=site.root, cache=cache)
    assert not first.ok  # moi.md does not exist yet
    site.write("content/pages/moi.md", "---\ntitle: Mới\n---\nx\n")
    second = build_site(site.config(), now=NOW, cwd=site.root, cache=cache.rolled())
    assert second.ok
    assert 'href="../../moi/index.html"' in second.files["tin-tuc/link/index.html"].decode()


def test_precomputed_body_terms_give_the_same_search_data() -> None:
    from dataclasses import replace

    from cchc_site.content.loader import TEXT_KEPT
    from cchc_site.render.search_index import SearchDoc, body_terms, build_search_data

    texts = [
        "Đăng ký khai sinh trực tuyến qua Cổng Dịch vụ công quốc gia, đăng ký lại khi cần.",
        "Cải cách hành chính (CCHC) năm 2025: 493/KH-UBND, UBND tỉnh Hà Tĩnh.",
        "",
    ]
    docs = [
        SearchDoc(
            kind="article",
            title=f"Tin {i}",
            url=f"tin-tuc/t{i}/index.html",
            province_slug="ha-tinh",
            province_label="Hà Tĩnh",
            body_text=text,
        )
        for i, text in enumerate(texts)
    ]
    pre = [
        replace(
            d,
            body_text=d.body_text[:TEXT_KEPT],
            body_terms=body_terms(d.body_text)[0],
            body_length=body_terms(d.body_text)[1],
        )
        for d in docs
    ]
    glossary = {"CCHC": "cải cách hành chính"}
    assert build_search_data(pre, glossary) == build_search_data(docs, glossary)


def test_edit_saved_during_a_build_is_built_next_time(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import cchc_site.build as build_module

    site = tmp_site(files())
    real = build_module.build_site

    def editing_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        site.write("content/articles/a01.md", ARTICLE.format(n="1 sửa giữa chừng", day=2, province="ha-tinh"))
        return result

    monkeypatch.setattr(build_module, "build_site", editing_build)
    build_folder(site, "out")
    monkeypatch.setattr(build_module, "build_site", real)
    again = build_folder(site, "out")
    assert not again.up_to_date
    assert "1 sửa giữa chừng" in (site.root / "out/tin-tuc/a01/index.html").read_text()


def test_nationwide_service_shows_toan_quoc_in_search(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/services/ks.md": "---\ntitle: Đăng ký khai sinh\nlevel: 4\nfield: Hộ tịch\n"
            "agency: UBND cấp xã\nportal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193\n---\nx\n"
        }
    )
    result = site.build()
    data = next(v for k, v in result.files.items() if k.startswith("assets/search-data."))
    assert "Toàn quốc".encode() in data


def _vouching(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Vouch for files however recently they changed (tests write them just before
    building); returns the names of the content files read from now on."""
    import time

    import cchc_site.content.sources as sources_module

    monkeypatch.setattr(cache_module, "TRUST_AFTER_NS", 0)
    reads: list[str] = []
    real = sources_module._decode
    monkeypatch.setattr(sources_module, "_decode", lambda path, *a: reads.append(path.name) or real(path, *a))
    time.sleep(0.05)  # past the file system's timestamp granularity
    return reads


def test_unchanged_files_are_not_read_and_a_same_size_edit_with_its_mtime_set_back_is_noticed(
    tmp_site, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import os
    import time

    site = tmp_site(files())
    reads = _vouching(monkeypatch)
    build_folder(site, "out")
    reads.clear()
    path = site.root / "content/articles/a03.md"
    before = path.stat()
    time.sleep(0.05)
    path.write_text(path.read_text(encoding="utf-8").replace("Tin 3\n", "Tin X\n"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only ctime moved
    assert path.stat().st_size == before.st_size
    report = build_folder(site, "out")
    assert not report.up_to_date
    assert reads == ["a03.md"]
    assert "Tin X" in (site.root / "out/tin-tuc/a03/index.html").read_text(encoding="utf-8")
    build_folder(site, "cold", cache=False)
    assert tree(site.root / "out") == tree(site.root / "cold")


def test_a_file_replaced_by_another_with_the_same_stat_is_noticed(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import os

    site = tmp_site(files())
    reads = _vouching(monkeypatch)
    build_folder(site, "out")
    path = site.root / "content/articles/a03.md"
    st = path.stat()
    other = site.root / "a03.new"
    other.write_text(path.read_text(encoding="utf-8").replace("Tin 3\n", "Tin Y\n"), encoding="utf-8")
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, path)  # a new inode
    reads.clear()
    build_folder(site, "out")
    assert "a03.md" in reads
    assert "Tin Y" in (site.root / "out/tin-tuc/a03/index.html").read_text(encoding="utf-8")


def test_recently_changed_files_are_read_again(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Racy-clean rule: a file changed just before its stat was recorded is not vouched for."""
    site = tmp_site(files(4))
    reads = _vouching(monkeypatch)
    monkeypatch.setattr(cache_module, "TRUST_AFTER_NS", 3600 * 10**9)
    build_folder(site, "out")
    reads.clear()
    site.write("content/articles/new.md", ARTICLE.format(n="mới", day=27, province="ha-tinh"))
    build_folder(site, "out")
    assert "a01.md" in reads


def test_vouched_file_edited_during_the_build_is_read_again(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The cache vouched for a file by its stat, it changed before its text was
    needed: the build reads every vouched file again instead of mixing versions."""
    import cchc_site.build.pipeline as build_module
    from cchc_site.content.sources import read_content

    site = tmp_site(files())
    _vouching(monkeypatch)
    build_folder(site, "out")
    site.write("content/articles/a07.md", ARTICLE.format(n="7 sửa", day=8, province="ha-tinh"))  # rendered anew
    edited = site.root / "content/articles/a06.md"

    def read_then_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = read_content(*args, **kwargs)
        assert [s for s in result.sources if s.path.name == "a06.md"][0].vouched
        edited.write_text(ARTICLE.format(n="6 giữa chừng", day=7, province="ha-tinh"), encoding="utf-8")
        return result

    monkeypatch.setattr(build_module, "read_content", read_then_edit)
    real_get = Cache.get
    monkeypatch.setattr(
        Cache, "get", lambda self, table, key: None if table == "bodies" else real_get(self, table, key)
    )
    build_folder(site, "out")
    assert "6 giữa chừng" in (site.root / "out/tin-tuc/a06/index.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    build_folder(site, "cold", cache=False)
    assert tree(site.root / "out") == tree(site.root / "cold")


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "state", "search", "search-state"])
def test_damaged_cache_means_rendering_again_never_wrong_output(tmp_site, damage: str) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    build_folder(site, "out")
    folder = site.root / ".cchc-cache"
    (store,) = folder.glob("store-*.bin")
    data = store.read_bytes()
    if damage == "truncate":
        store.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        store.write_bytes(data[:100] + bytes(b ^ 0x5A for b in data[100:-100]) + data[-100:])
    elif damage == "delete":
        store.unlink()
    elif damage == "search":  # the search state's side file: damaged bytes
        side = folder / "search.marshal"
        side.write_bytes(side.read_bytes()[:-50] + b"x" * 50)
    elif damage == "search-state":  # a well-formed side file holding a state that is not one
        from cchc_site.incremental import store as store_module
        from cchc_site.incremental.cache import program_digest

        store_module.write_side(
            folder / "search.marshal", program_digest(), {"version": 5, "ids": [], "rows": "x", "encoded": [1, 2]}
        )
    else:
        (folder / "state.pickle").write_bytes(b"\x80\x05not a pickle")
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    report = build_folder(site, "out")
    assert report.ok
    build_folder(site, "cold", cache=False)
    assert tree(site.root / "out") == tree(site.root / "cold")
    assert build_folder(site, "out").up_to_date


def test_cache_of_another_format_is_ignored(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    build_folder(site, "out")
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
    cache_module._installed_digest.cache_clear()
    try:
        report = build_folder(site, "out")
    finally:
        monkeypatch.undo()
        cache_module._installed_digest.cache_clear()
    assert report.pages_reused == 0 and report.pages_rendered == report.pages


def test_store_appends_new_bodies_and_compacts_when_mostly_garbage(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import cchc_site.incremental.store as store_module

    monkeypatch.setattr(store_module, "SLACK", 0)
    site = tmp_site(files())
    build_folder(site, "out")
    folder = site.root / ".cchc-cache"
    (first,) = folder.glob("store-*.bin")
    size = first.stat().st_size
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    build_folder(site, "out")
    assert list(folder.glob("store-*.bin")) == [first] and first.stat().st_size > size  # appended
    for n in range(3):
        for i in range(30):
            site.write(
                f"content/articles/a{i:02d}.md", ARTICLE.format(n=f"{i} v{n}", day=i % 28 + 1, province="ha-tinh")
            )
        build_folder(site, "out")
    (last,) = folder.glob("store-*.bin")
    assert last != first  # compacted into a new file, the old one removed
    build_folder(site, "cold", cache=False)
    assert tree(site.root / "out") == tree(site.root / "cold")


def test_output_manifest_kept_without_walking_equals_a_walk(tmp_site) -> None:  # type: ignore[no-untyped-def]
    import pickle

    from cchc_site.core.sealed import unseal
    from cchc_site.edges.writer import manifest

    site = tmp_site({**files(), "content/files/kh.pdf": b"%PDF-1.4 x"})
    build_folder(site, "out")
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    report = build_folder(site, "out")
    assert report.pages_reused > 0
    state = pickle.loads(unseal((site.root / ".cchc-cache/state.pickle").read_bytes()))
    assert state.outputs == manifest(site.root / "out")
    assert build_folder(site, "out").up_to_date


def test_diagnostics_of_an_unchanged_file_keep_their_positions(tmp_site) -> None:  # type: ignore[no-untyped-def]
    """Front matter from the cache (positions stored compactly) places a diagnostic as a fresh parse does."""
    article = ARTICLE.format(n="kh", day=2, province="ha-tinh").replace("summary:", "plan: kh\nsummary:")
    site = tmp_site({**files(), "content/articles/p.md": article})
    build_folder(site, "out")
    site.write(
        "content/plans/kh.md",
        (site.root / "content/plans/kh.md")
        .read_text(encoding="utf-8")
        .replace("---\ntitle", "---\nslug: kh-moi\ntitle"),
    )
    config = site.config(output=site.root / "out")
    warm = run_build(config, RunOptions(cache_dir=site.root / ".cchc-cache"), NOW)
    cold = run_build(config, RunOptions(), NOW)
    assert not warm.ok and warm.diagnostics == cold.diagnostics
    assert any(d.line == 5 and "'plan' names 'kh'" in d.message for d in warm.diagnostics)


def test_article_edit_rewrites_only_the_feeds_it_is_in(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    build_folder(site, "out")
    out = site.root / "out"

    def feeds() -> dict[str, int]:
        return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("feed.xml")}

    before = feeds()
    assert len(before) > 10
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    build_folder(site, "out")
    after = feeds()
    assert after.keys() == before.keys()
    assert {p for p in before if after[p] != before[p]} == {"feed.xml", "tinh/ca-mau/feed.xml"}  # others linked
    build_folder(site, "cold", cache=False)
    assert tree(out) == tree(site.root / "cold")
    # a template change rewrites every feed
    site.write(
        "templates/feed.xml",
        (Path(__file__).resolve().parents[2] / "cchc_site" / "templates" / "feed.xml")
        .read_text(encoding="utf-8")
        .replace("<feed ", '<feed data-x="1" '),
    )
    build_folder(site, "out")
    assert all(b'data-x="1"' in (out / p).read_bytes() for p in after)


def test_search_data_updated_after_a_body_or_province_edit_equals_a_cold_build(
    tmp_site, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import cchc_site.incremental.search_state as search_state

    site = tmp_site(files(60))
    build_folder(site, "out", jobs=2)
    full = []
    real_full = search_state._full
    monkeypatch.setattr(search_state, "_full", lambda *a: full.append(1) or real_full(*a))
    edits = [
        ARTICLE.format(n=7, day=8, province="ha-tinh") + "\nThêm một câu mới về UBND.\n",  # body
        ARTICLE.format(n=7, day=8, province="ca-mau") + "\nThêm một câu mới về UBND.\n",  # province
        ARTICLE.format(n=7, day=8, province="ha-tinh"),
    ]  # back as it was
    for k, text in enumerate(edits):
        site.write("content/articles/a07.md", text)
        assert build_folder(site, "out", jobs=2).pages_reused > 0
        assert full == []  # the kept search data was updated, not built again
        build_folder(site, f"cold{k}", cache=False)
        assert tree(site.root / "out") == tree(site.root / f"cold{k}")
        full.clear()


def test_pages_that_ask_for_the_search_data_wait_for_it(tmp_site) -> None:  # type: ignore[no-untyped-def]
    """Pages render while the search data is built; any page that names it (here a
    free page by a template override) is rendered once it is there, in every mode."""
    page_html = (
        (Path(__file__).resolve().parents[2] / "cchc_site" / "templates" / "page.html")
        .read_text(encoding="utf-8")
        .replace("<h1>", "<p id=\"data\">{{ asset('search-data.js') }}</p><h1>")
    )
    site = tmp_site({**files(80), "templates/page.html": page_html})

    def named(out: str) -> str:
        html = (site.root / out / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
        return html.split('<p id="data">', 1)[1].split("</p>", 1)[0]

    build_folder(site, "one", jobs=1, cache=False)
    build_folder(site, "two", jobs=2)
    first = named("two")
    assert first.startswith("../assets/search-data.") and (site.root / "two" / first[3:]).is_file()
    assert tree(site.root / "one") == tree(site.root / "two")
    # new text changes the search data's name: the page that shows it follows, never stale
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau") + "Từ mới.\n")
    report = build_folder(site, "two", jobs=2)
    assert named("two") != first and (site.root / "two" / named("two")[3:]).is_file()
    assert report.pages_reused > 50
    build_folder(site, "cold", jobs=2, cache=False)
    assert tree(site.root / "two") == tree(site.root / "cold")


def test_records_written_ahead_are_rewritten_when_a_record_comes_later(tmp_path: Path) -> None:
    """`save_records` writes the record store early; a record put after it is not lost."""
    cache = Cache(tmp_path / "c", "env")
    cache.put("bodies", ("a",), ("first",))
    cache.save_records()
    cache.put("bodies", ("b",), ("second",))
    cache.put_side("search", {"x": 1})
    cache.save()
    again = Cache(tmp_path / "c", "env")
    assert again.get("bodies", ("a",)) == ("first",) and again.get("bodies", ("b",)) == ("second",)
    assert again.side("search") == {"x": 1}


def test_a_feed_template_failing_while_pages_render_is_a_config_error(tmp_site) -> None:  # type: ignore[no-untyped-def]
    """The feeds are written while worker processes render pages; a template error
    there still stops the build with the template's name and leaves the output alone."""
    from cchc_site.core.diagnostics import ConfigError

    site = tmp_site(files(80))
    build_folder(site, "out", jobs=2)
    before = tree(site.root / "out")
    site.write("templates/feed.xml", "<feed>{{ feed_title.no_such_method() }}</feed>\n")
    with pytest.raises(ConfigError) as info:
        build_folder(site, "out", jobs=2)
    (problem,) = info.value.diagnostics
    assert problem.path.endswith("templates/feed.xml") and problem.line == 1 and "no_such_method" in problem.message
    assert tree(site.root / "out") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_template_failing_in_a_worker_names_its_file_and_line(tmp_site, jobs: int) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.core.diagnostics import ConfigError

    site = tmp_site({**files(80), "templates/partials/footer.html": "<footer>\n{{ config.title.nope() }}</footer>"})
    with pytest.raises(ConfigError) as info:
        build_folder(site, "out", jobs=jobs)
    (problem,) = info.value.diagnostics
    assert problem.path.endswith("templates/partials/footer.html") and problem.line == 2, problem


def _linking_site(tmp_site):  # type: ignore[no-untyped-def]
    """80 articles; one links to a plan whose slug is not its file name, to a draft
    and to an ordinary article, so some link guesses made while parsing are wrong."""
    more = {
        "content/plans/ke-hoach-rieng.md": "---\ntitle: Kế hoạch riêng\nnumber: 2/KH-UBND\nissued: 2024-02-01\n"
        "issuer: UBND tỉnh Cà Mau\nprovince: ca-mau\nslug: kh-rieng\n---\nMục tiêu.\n",
        "content/articles/nhap.md": "---\ntitle: Bản nháp\ndate: 2024-03-01\nprovince: ca-mau\ndraft: true\n---\nNháp.\n",
        "content/articles/lien-ket.md": "---\ntitle: Liên kết\ndate: 2024-03-02\nprovince: ca-mau\n---\n"
        "Xem [kế hoạch](../plans/ke-hoach-rieng.md) và [tin](a05.md).\n",
    }
    return tmp_site({**files(80), **more})


def test_bodies_rendered_while_parsing_keep_only_right_link_guesses(tmp_site) -> None:  # type: ignore[no-untyped-def]
    """A cold build renders each body in the pass that reads and parses its file,
    guessing link targets' slugs from file names; a body with a wrong guess is
    rendered again with the real answers, so each body is rendered once, bar those."""
    from cchc_site.content.loader import load_content
    from cchc_site.content.markdown import render_markdown
    from cchc_site.content.sources import read_content
    from cchc_site.domain.glossary import load_glossary
    from cchc_site.domain.provinces import load_registry

    site = _linking_site(tmp_site)
    config = site.config()
    calls: list[str] = []

    def counting(text, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["source_rel"])
        return render_markdown(text, **kwargs)

    read = read_content(config.content_dir, site.root, None, lazy=True)
    assert all(s.unread for s in read.sources)
    content = load_content(
        read.sources,
        read.files,
        config.content_dir,
        load_registry(),
        load_glossary(),
        now=NOW,
        drafts=False,
        render=counting,
    )
    assert sorted(calls) == sorted([s.rel for s in read.sources] + ["content/articles/lien-ket.md"])
    assert content.bodies_rendered == len(content.entries)
    entry = next(e for e in content.entries if e.slug == "lien-ket")
    assert 'href="../../ke-hoach/kh-rieng/index.html"' in entry.body.html
    assert 'href="../a05/index.html"' in entry.body.html


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_wrong_link_guess_never_reaches_the_output(tmp_site, jobs: int) -> None:  # type: ignore[no-untyped-def]
    site = _linking_site(tmp_site)
    site.write(
        "content/articles/lien-ket.md",
        site.root.joinpath("content/articles/lien-ket.md").read_text(encoding="utf-8") + "Và [bản nháp](nhap.md).\n",
    )
    config = site.config(output=site.root / "out")
    cold = run_build(config, RunOptions(jobs=jobs, cache_dir=site.root / ".cchc-cache"), NOW)
    assert not cold.ok
    assert [d.message.split(":")[0] for d in cold.diagnostics] == ["link to a missing file"]
    site.write(
        "content/articles/lien-ket.md",
        site.root.joinpath("content/articles/lien-ket.md")
        .read_text(encoding="utf-8")
        .replace("Và [bản nháp](nhap.md).\n", ""),
    )
    build_folder(site, "out", jobs=jobs)
    html = (site.root / "out/tin-tuc/lien-ket/index.html").read_text(encoding="utf-8")
    assert "../../ke-hoach/kh-rieng/index.html" in html
    build_folder(site, "one", jobs=1, cache=False)
    assert tree(site.root / "out") == tree(site.root / "one")


def test_an_unreadable_file_read_by_a_worker_is_reported(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **files(80),
            "content/articles/cu.md": ARTICLE.format(n="x", day=2, province="ca-mau")
            .encode()
            .replace(b"Tin x", b"Tin c\xf5"),
        }
    )  # a legacy-encoded letter
    config = site.config(output=site.root / "out")
    two = run_build(config, RunOptions(jobs=2, cache_dir=site.root / ".cchc-cache"), NOW)
    one = run_build(config, RunOptions(jobs=1), NOW)
    assert not two.ok and two.diagnostics == one.diagnostics
    assert [(d.path.endswith("content/articles/cu.md"), d.line) for d in two.diagnostics] == [(True, 2)]
    assert "not valid UTF-8" in two.diagnostics[0].message


def test_files_read_by_workers_are_vouched_for_next_time(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files(80))
    reads = _vouching(monkeypatch)
    build_folder(site, "out", jobs=2)  # an empty cache: the workers read every file
    reads.clear()
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    build_folder(site, "out", jobs=2)
    assert reads == ["a03.md"]
