"""Service and guide pages in Chromium: print on A4 without navigation or
buttons, with the QR code and the address written out; the QR code is large
enough on a kiosk screen and decodes back to portal_url once rasterised.

A small site of its own (two services), built into a temp folder; opened from
file:// like a kiosk's local copy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone(timedelta(hours=7)))
PORTAL = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193&kenh=truc-tuyen"
CM = 96 / 2.54  # CSS px per cm
MM = CM / 10

SERVICE = f"""\
---
title: Đăng ký khai sinh
code: "1.001193"
level: toàn trình
field: Hộ tịch
agency: UBND cấp xã
portal_url: {PORTAL}
processing_time:
  trực tiếp: Ngay trong ngày
  trực tuyến: Ngay trong ngày làm việc
fee: 0
documents:
  - Tờ khai đăng ký khai sinh
  - Giấy chứng sinh
result: Giấy khai sinh
legal_basis:
  - Luật Hộ tịch số 60/2014/QH13
---
## Các bước thực hiện

**Bước 1.** Đăng nhập Cổng Dịch vụ công quốc gia bằng VNeID.

**Bước 2.** Khai tờ khai, đính kèm giấy chứng sinh, nộp hồ sơ.
"""

OTHER = """\
---
title: Chứng thực chữ ký
level: một phần
field: Chứng thực
agency: UBND cấp xã
portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193
provinces: [Cà Mau]
---
**Bước 1.** Nộp yêu cầu trên cổng.
"""

HIDDEN_IN_PRINT = [
    ".site-header",
    ".site-nav",
    "nav",
    ".breadcrumbs",
    ".site-footer",
    ".button",
    "button",
    ".kiosk-bar",
    ".skip-link",
    ".toc",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cchc_site.build import build_site
    from cchc_site.config.settings import load_config
    from cchc_site.edges.writer import write_tree

    root = tmp_path_factory.mktemp("print-site")
    (root / "content/services").mkdir(parents=True)
    (root / "content/services/dang-ky-khai-sinh.md").write_text(SERVICE, encoding="utf-8")
    (root / "content/services/chung-thuc-chu-ky.md").write_text(OTHER, encoding="utf-8")
    (root / "config.yaml").write_text(
        yaml.safe_dump({"title": "Trang thử in", "base_url": "https://cchc.example.gov.vn"}, allow_unicode=True),
        encoding="utf-8",
    )
    result = build_site(load_config(root / "config.yaml", cwd=root), now=NOW, cwd=root)
    assert result.ok, [str(d) for d in result.diagnostics]
    write_tree(root / "output", result.files, result.copies)
    return root / "output"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="vi-VN")
    p = ctx.new_page()
    yield p
    ctx.close()


def open_page(page: Any, built: Path, rel: str) -> Any:
    page.goto((built / rel).as_uri())
    return page


def assert_printable(page: Any) -> str:
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        for i, element in enumerate(page.locator(selector).all()):
            assert not element.is_visible(), f"{selector} #{i} is visible in print"
    return page.locator("body").inner_text()


def test_service_page_prints_without_navigation_and_with_the_full_url(page: Any, built: Path) -> None:
    open_page(page, built, "dich-vu-cong/dang-ky-khai-sinh/index.html")
    assert page.locator(".site-nav").is_visible() and page.locator(".portal-link").is_visible()  # on screen
    text = assert_printable(page)
    assert PORTAL in text.replace("\n", "").replace(" ", ""), "the address must be written out in full"
    assert "Thông tin thủ tục" in text and "Bước 2." in text
    qr = page.locator(".qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert 35 * MM <= box["width"] <= 60 * MM, box
    assert abs(box["width"] - box["height"]) < 1
    assert page.locator(".print-source").is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    sizes = {
        tuple(round(float(v)) for v in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert sizes == {(595, 842)}, sizes  # A4 in points


def test_guide_page_prints_without_navigation(page: Any, built: Path) -> None:
    open_page(page, built, "dich-vu-cong/index.html")
    text = assert_printable(page)
    assert "VNeID" in text and "toàn trình" in text and "Danh mục dịch vụ công trực tuyến" in text


@pytest.mark.parametrize("kiosk_mode", [False, True])
def test_qr_is_at_least_6_cm_on_a_kiosk_screen(page: Any, built: Path, kiosk_mode: bool) -> None:
    open_page(page, built, "dich-vu-cong/dang-ky-khai-sinh/index.html")
    if kiosk_mode:  # what app.js sets on a device in kiosk mode
        page.evaluate("document.documentElement.classList.add('kiosk')")
    box = page.locator(".qr svg").bounding_box()
    assert box["width"] >= 6 * CM - 0.5, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1080
    assert page.locator(".qr figcaption").inner_text().startswith("Quét mã QR")


def test_qr_fits_a_phone(browser: Any, built: Path) -> None:
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        p = ctx.new_page()
        p.goto((built / "dich-vu-cong/dang-ky-khai-sinh/index.html").as_uri())
        box = p.locator(".qr svg").bounding_box()
        assert box["width"] >= 6 * CM - 0.5 and box["x"] + box["width"] <= 360
        assert p.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        ctx.close()


def test_qr_rasterised_by_chromium_decodes_to_portal_url(page: Any, built: Path, tmp_path: Path) -> None:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is missing (apt-get install -y zbar-tools)")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.text.startswith("CSP violation") else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective); });"
    )
    open_page(page, built, "dich-vu-cong/dang-ky-khai-sinh/index.html")
    shot = tmp_path / "qr.png"
    page.locator(".qr svg").screenshot(path=str(shot))
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("utf-8").rstrip("\n") == PORTAL
    assert violations == []  # the inline SVG needs no inline style
