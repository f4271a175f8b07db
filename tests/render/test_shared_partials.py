"""Header, kiosk bar and footer are rendered once per place in the tree (render.shared_partial),
not once per page: every page must still get exactly what `{% include %}` gave it (its own
relative links, its current menu item), an override must still be rendered per page, and the
page cache must still see what the footer reads."""

from __future__ import annotations

import pytest
from test_incremental import files, memory_builds

import cchc_site.render.pages as render_module
from cchc_site.incremental.cache import Cache

SERVICE = (
    "---\ntitle: Đăng ký khai sinh\nlevel: 4\nfield: Hộ tịch\nagency: UBND cấp xã\n"
    "portal_url: https://dichvucong.gov.vn/ks\n---\nHướng dẫn.\n"
)


def site_files() -> dict[str, str]:
    out = files(25)  # three news pages: tin-tuc/trang-2/ sits beside the articles
    out["content/services/khai-sinh.md"] = SERVICE  # dich-vu-cong/linh-vuc/<field>/: three folders deep
    out["content/pages/tin-tuc-2.md"] = "---\ntitle: Trang lạ\n---\nMột trang ở gốc.\n"
    return out


def test_every_page_gets_what_an_include_gives_it(tmp_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(site_files())
    shared = site.build()
    assert shared.ok, shared.diagnostics
    monkeypatch.setattr(render_module, "SHARE", False)
    included = site.build()
    assert set(shared.files) == set(included.files)
    for path in sorted(included.files):
        assert shared.files[path] == included.files[path], path
    # the page linked from the footer links to itself as "index.html", from its own folder
    assert 'href="index.html">Trang lạ</a>' in site.html(shared, "tin-tuc-2/index.html")
    assert 'href="../../tin-tuc-2/index.html">Trang lạ</a>' in site.html(shared, "tin-tuc/a01/index.html")
    assert 'href="../index.html" aria-current="page">Tin tức' in site.html(shared, "tin-tuc/a01/index.html")
    assert "aria-current" not in site.html(shared, "tin-tuc-2/index.html").split("<main")[0]


def test_an_overridden_partial_is_rendered_for_each_page(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **site_files(),
            "templates/partials/brand.html": "<p>{{ path }}</p>\n",
            "templates/partials/footer.html": "<footer>{{ path }} {{ url('index.html') }}</footer>\n",
        }
    )
    result = site.build()
    for path in ("tin-tuc/a01/index.html", "tin-tuc/a02/index.html", "index.html"):
        html = site.html(result, path)
        assert f"<p>{path}</p>" in html  # brand.html, included by the built-in header
        assert f"<footer>{path} " in html


def test_a_page_title_in_the_footer_rerenders_every_page(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(site_files())
    first, again = memory_builds(site)
    site.write("content/pages/tin-tuc-2.md", "---\ntitle: Trang đổi tên\n---\nMột trang ở gốc.\n")
    result = again()
    assert result.stats.pages_reused == 0  # the footer of every page lists it
    assert "Trang đổi tên" in site.html(result, "tin-tuc/a03/index.html")


def test_footer_reads_are_recorded_for_pages_served_from_the_shared_copy(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(site_files())
    cache = Cache(None, "test")
    from cchc_site.build import build_site

    assert build_site(site.config(), cache=cache, cwd=site.root).ok
    for path in ("tin-tuc/a01/index.html", "tin-tuc/a02/index.html", "tin-tuc/a03/index.html"):
        accesses = cache.new.pages[path][1]
        assert ("site", "pages") in accesses and ("site", "updated") in accesses, path


def test_compiled_templates_kept_in_the_cache_folder_follow_an_edited_override(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.render.pages import _COMPILED, bytecode_folder, make_environment

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "x.html").write_text("một {{ n }}", "utf-8")
    folder = bytecode_folder(tmp_path / "cache")
    assert make_environment(templates, folder).get_template("x.html").render(n=1) == "một 1"
    assert folder is not None and any(folder.iterdir())  # kept for the next process
    _COMPILED._store.clear()  # a new process: only the files are left
    assert make_environment(templates, folder).get_template("x.html").render(n=2) == "một 2"
    (templates / "x.html").write_text("hai {{ n }}", "utf-8")
    _COMPILED._store.clear()
    assert make_environment(templates, folder).get_template("x.html").render(n=3) == "hai 3"
