"""The Markdown fast path gives exactly what the full pipeline gives, and takes everyday bodies.

Every comparison renders a body twice through `render_markdown`: with the fast
path (fastmd + the one-pass rewriter) and without it (Python-Markdown, nh3,
the token rewriter). Body (HTML, text, headings, links) and diagnostics must be
equal, whether the fast path took the body or passed it on.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.content import markdown as md
from cchc_site.content.fastmd import render_fast
from cchc_site.domain.glossary import load_glossary

REPO = Path(__file__).resolve().parents[2]
ROOT = Path("/site/content").resolve()
TARGETS = {
    ROOT / "plans" / "kh-493.md": "ke-hoach/kh-493/index.html",
    ROOT / "articles" / "tin-a.md": "tin-tuc/tin-a/index.html",
    ROOT / "files" / "a_b.png": "files/a_b.png",
    ROOT / "files" / "tờ khai.pdf": "files/tờ khai.pdf",
}
GLOSSARY = load_glossary()
# Scaled like tests/content/test_fuzz.py: CCHC_FUZZ_EXAMPLES=20000 for a long run.
SCALE = max(1, int(os.environ.get("CCHC_FUZZ_EXAMPLES", "200")) // 200)


def both(
    text: str,
    monkeypatch: pytest.MonkeyPatch | None = None,
    source: Path = ROOT / "articles" / "tin-b.md",
    resolve=TARGETS.get,
) -> tuple[object, object]:
    def run(flag: bool) -> object:
        saved = md.USE_FAST_PATH
        md.USE_FAST_PATH = flag
        try:
            return md.render_markdown(
                text,
                page_path="tin-tuc/tin-b/index.html",
                source_path=source,
                source_rel="content/articles/tin-b.md",
                body_line=7,
                resolve=resolve,
                glossary=GLOSSARY,
            )
        finally:
            md.USE_FAST_PATH = saved

    return run(True), run(False)


def same(text: str, **kw: object) -> None:
    fast, full = both(text, **kw)  # type: ignore[arg-type]
    assert fast == full, text


TYPICAL = [
    "Đoạn văn một.\n\nĐoạn văn hai\nvẫn là đoạn hai.\n",
    "# Tiêu đề một\n\n## Mục 1. Kết quả\n\nNội dung **quan trọng** và *nhấn mạnh*.\n",
    "## Kết quả nổi bật\n\n- Một.\n- Hai có [liên kết](../plans/kh-493.md#muc-2).\n- Ba.\n",
    "1. Thứ nhất.\n2. Thứ hai.\n\n- a\n- b\n",
    "5. Bắt đầu từ năm.\n6. Sáu.\n",
    "| Chỉ tiêu | Năm trước | Năm nay |\n|---|---:|:-:|\n| Hồ sơ | 1.200 | 1.350 |\n| Tỷ lệ (%) | 95 |\n",
    "Xem [kế hoạch](../plans/kh-493.md) và ![sơ đồ quy trình](../files/a_b.png).\n",
    "Trang ngoài: [Cổng DVC quốc gia](https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?a_b=1&c=2).\n",
    "Sở TT&TT phối hợp với UBND các huyện.\n",
    "1. Người dân đăng nhập bằng VNeID, không phải tạo tài khoản riêng trên cổng\n   dịch vụ công của tỉnh.\n"
    "2. Nhân viên hỗ trợ hướng dẫn người dân\n   tự nộp hồ sơ.\n",
    "- Cấp tỉnh: số hóa 100% hồ sơ tiếp nhận mới; số hóa kết quả giải quyết còn\n  hiệu lực.\n- Cấp huyện: 80%.\n",
    "UBND tỉnh và UBND xã; TTHC, DVC trực tuyến; chỉ số PAR Index\nvà PAR\nIndex năm sau.\n",
    "Giá > 5 triệu đồng, \"trích dẫn\" và 'nháy đơn'.\n",
    "## C# và F#\n\n####### bảy dấu\n\n## Trùng\n\n## Trùng\n",
    "Đoạn trước\n## Tiêu đề giữa đoạn\nĐoạn sau\n",
    "- x\n# Tiêu đề trong danh sách\n- z\n",
    "**[liên kết đậm](../articles/tin-a.md)** và [*nghiêng trong liên kết*](../articles/tin-a.md)\n",
    "Tải [tờ khai](../files/tờ%20khai.pdf) hoặc [tờ khai](<../files/tờ khai.pdf>).\n",
]


@pytest.mark.parametrize("text", TYPICAL)
def test_typical_bodies_same_output(text: str) -> None:
    same(text)


@pytest.mark.parametrize("text", [t for t in TYPICAL if "<" not in t])
def test_typical_bodies_take_the_fast_path(text: str) -> None:
    assert render_fast(text) is not None, text


TRICKY = [
    "",
    "\n\n",
    "a",
    "- a\n\n- b\n",
    "1. a\n\n2. b\n",
    "1. a\n- b\n",
    "- a\nb\n",
    "2025. Năm cải cách\n",
    "a | b\n---|---\n1 | 2\n",
    "| a |\n|---|\n",
    "| a | b |\n|---|---|\n| 1 |\n",
    "| a |\n|---|\n| 1 | 2 | 3 |\n",
    "a\n===\n",
    "a\n---\n",
    "***\n",
    "- - -\n",
    "1. ---\n",
    "1. # x\n",
    "- > x\n",
    "- 1. x\n",
    "- [a]: b\n",
    "[a]: http://x.vn\n\n[b][a]\n",
    "[a]\n",
    "[a] (b)\n",
    "[a](b c)\n",
    "[a](javascript:alert(1))\n",
    "[a](JAVASCRIPT:x)\n",
    "[a](c:x)\n",
    "[a](HTTP://X.VN)\n",
    "[a](mailto:a@b.vn)\n",
    "[a](tel:+84123)\n",
    "[a](../plans/khong-co.md)\n",
    "[a](/tuyet-doi.md)\n",
    "![a'b](../files/a_b.png)\n",
    '![a"b](x.png)\n',
    "*a*b*c*\n",
    "**a** **b**\n",
    "* a *\n",
    "** a **\n",
    "***a***\n",
    "*a **b** c*\n",
    "a_b_c\n",
    "__a__\n",
    "**a\nb**\n",
    "a  \nb\n",
    "a \n",
    " a\n",
    "\ta\n",
    "a\tb\n",
    "> a\n",
    "    mã\n",
    "```\nx\n```\n",
    "`x`\n",
    "a &amp; b\n",
    "a < b\n",
    "<b>x</b>\n",
    "\\*a\\*\n",
    "[^1]\n\n[^1]: x\n",
    "a\u00a0b PAR\u00a0Index\n",
    "x\u2028y\n",
    "x\x0cy\n",
    "x\ufeffy\n",
    "UBND{{ x }}\n",
    "## **Đậm** [liên kết](../articles/tin-a.md)\n",
    "1. Dòng dài\n   viết tiếp.\n2. Hai\n",
    "- a\n  b\n    c\n- d\n",
    "- a\n   - b\n",
    "- a\n    - b\n",
    "- a\n    1. b\n",
    "- a\n   ---\n",
    "- a\n   > b\n",
    "- a\n   # b\n",
    "- a\n   | b |\n",
    "- a\n   [x]: y\n",
    "Đoạn\n   tiếp theo\n",
    "Đoạn\n    bốn dấu cách\n",
    "Đoạn\n   ---\n",
    "Đoạn\n   = x\n",
    "a\n\n   b\n",
    "a\n\n    b\n",
    "   a\n",
    "## T\n   x\n",
    "## T\n    x\n",
    "a\n\u00a0 b\n",
    "- a\n\u00a0 b\n",
    "| a | b |\n|---|---|\n   | 1 | 2 |\n",
    "- **a\n  b**\n",
    "- [a](../articles/tin-a.md)\n  [b](x.md)\n",
    "Sở TT&TT và UBND\n",
    "a & b\n",
    "[x](https://a.vn/?a=1&b=2)\n",
    "![TT&TT](../files/a_b.png)\n",
    "&copy\n",
    "&copy;\n",
    "&#123;\n",
    "&TT;\n",
    "## TT&TT\n",
    "| A&B | C |\n|---|---|\n| & | &x |\n",
    "**&**\n",
    "##\n",
    "#\n",
    "# #\n",
    "## a ##\n",
    "[" * 1200 + "\n",
    "a\r\nb\n",
    "\n\n\na\n\n\n\nb\n\n\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_bodies_same_output(text: str) -> None:
    same(text)


PIECES = [
    "Cải cách",
    "UBND",
    "PAR Index",
    "PAR\nIndex",
    " ",
    "\n",
    "\n\n",
    "\n\n\n",
    "*",
    "**",
    "***",
    "_",
    "#",
    "## ",
    "# ",
    "####### ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "3. ",
    "2025. ",
    "> ",
    "|",
    "| a | b |",
    "|---|:-:|",
    "| 1 | 2 |",
    "|---|",
    "---",
    "===",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[a](../plans/kh-493.md)",
    "[b](../files/a_b.png)",
    "![c](../files/a_b.png)",
    "[d](https://x.vn/a_b?x=1)",
    "[e](khong-co.md)",
    "[f](javascript:x)",
    "[g]",
    "[h]: http://x.vn",
    ">",
    "\u00a0",
    '"',
    "'",
    "{",
    "}",
    "đ",
    "Đ",
    "  ",
    "\t",
    "`",
    "\\",
    "<",
    "&",
    ":",
    ".",
]


@settings(max_examples=600 * SCALE, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_same_output_on_markdown_like_text(text: str) -> None:
    same(text)


# Only pieces the fast path accepts on their own, so most documents exercise it.
SUBSET_PIECES = [
    "Cải cách",
    "UBND",
    "PAR Index",
    "PAR\nIndex",
    "TT",
    " ",
    "\n",
    "\n\n",
    "*",
    "**",
    "#",
    "## ",
    "- ",
    "+ ",
    "1. ",
    "3. ",
    "|",
    "| a | b |",
    "|---|:-:|",
    "| 1 | *2* |",
    "[a](../plans/kh-493.md)",
    "[**b**](../files/a_b.png)",
    "![c](../files/a_b.png)",
    "[d](https://x.vn/a_b?x=1)",
    "[e](khong-co.md)",
    ">",
    "\u00a0",
    '"',
    "'",
    "{",
    "}",
    "đ",
    "Đ",
    ":",
    ".",
    "a",
    "b",
    "&",
    "TT&TT",
    "&x;",
    "\n  ",
    "\n   ",
    "\n    ",
]


@settings(max_examples=400 * SCALE, deadline=None)
@given(st.lists(st.sampled_from(SUBSET_PIECES), max_size=30).map("".join))
def test_same_output_on_subset_text(text: str) -> None:
    same(text)


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_#-|:[]()!\n>.1đ\u00a0\"'")), max_size=80))
def test_same_output_on_small_alphabet(text: str) -> None:
    same(text)


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.text(max_size=120))
def test_same_output_on_any_text(text: str) -> None:
    same(text)


def test_space_class_is_every_white_space_not_otherwise_refused() -> None:
    """fastmd lists white space by hand (a positive class is fast to search)."""
    import re

    from cchc_site.content.fastmd import _REFUSED_CHARS, SPACES

    listed = re.compile(f"[{SPACES}]")
    for code in range(0x110000):
        ch = chr(code)
        if ch.isspace() and ch != "\n" and not _REFUSED_CHARS.match(ch):
            assert listed.match(ch), hex(code)
        elif listed.match(ch):
            assert ch.isspace(), hex(code)


def test_no_glossary_same_output() -> None:
    text = "## UBND\n\nUBND [a](../articles/tin-a.md)\n"
    outs = []
    for flag in (True, False):
        md.USE_FAST_PATH = flag
        try:
            outs.append(
                md.render_markdown(
                    text,
                    page_path="x/index.html",
                    source_path=ROOT / "articles" / "b.md",
                    resolve=TARGETS.get,
                    glossary=None,
                )
            )
        finally:
            md.USE_FAST_PATH = True
    assert outs[0] == outs[1]
    assert "<abbr" not in outs[0][0].html


def _sample_bodies(root: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(root.rglob("*.md")):
        parts = path.read_text(encoding="utf-8").split("---\n", 2)
        out.append((path, parts[2] if len(parts) == 3 else parts[0]))
    return out


def test_sample_site_same_output() -> None:
    content = REPO / "content"
    bodies = _sample_bodies(content)
    assert len(bodies) > 30

    def resolve(target: Path) -> str | None:
        return "x/index.html" if target.exists() else None

    for path, body in bodies:
        same(body, source=path, resolve=resolve)


def test_benchmark_corpus_same_output_and_all_fast(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec and spec.loader
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = corpus
    spec.loader.exec_module(corpus)
    corpus.generate(150, tmp_path)
    bodies = _sample_bodies(tmp_path / "content")
    assert len(bodies) >= 150

    def resolve(target: Path) -> str | None:
        return "x/index.html" if target.exists() else None

    for path, body in bodies:
        assert render_fast(body) is not None, path
        same(body, source=path, resolve=resolve)


_NESTING_TEXT = st.lists(
    st.one_of(
        st.text(alphabet=" \t>-*+1.)a<", max_size=130),
        st.builds(
            lambda unit, n, tail: unit * n + tail,
            st.sampled_from(["> ", "- ", "\t", " ", "1. ", ">", "2)"]),
            st.integers(0, 140),
            st.text(alphabet=" a-", max_size=3),
        ),
    ),
    max_size=6,
).map("\n".join)


@settings(max_examples=200 * SCALE, deadline=None)
@given(_NESTING_TEXT)
def test_prescan_prefilter_never_hides_a_refusal(text: str) -> None:
    """_prescan checks lines one by one only when _DEEP_LINE finds one that could be
    refused; the answer is the same as checking every line."""
    from cchc_site.content import markdown

    quick = markdown._prescan(text)
    real = markdown._DEEP_LINE
    markdown._DEEP_LINE = re.compile("")  # matches every text: every line is checked
    try:
        assert markdown._prescan(text) == quick
    finally:
        markdown._DEEP_LINE = real
