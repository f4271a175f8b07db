"""`cchc-site new article|plan|service|page "Tiêu đề"`: a new content file whose
front matter passes `check` as written (today's date in Vietnam time,
`draft: true`, the province resolved to its slug), with comments telling the
editor which placeholder values to replace. Never overwrites a file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

from cchc_site.content import placeholders as P  # the one list of what a skeleton leaves to fill in
from cchc_site.domain.provinces import Registry, load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ, slugify

KINDS = ("article", "plan", "service", "page")
MAX_SLUG_WORDS = 80  # characters of a generated file name


class ScaffoldError(Exception):
    """A problem the editor must fix; `code` is the exit code (1 exists, 2 usage)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def file_slug(title: str, limit: int = MAX_SLUG_WORDS) -> str:
    slug = slugify(title)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug


def resolve_province(
    value: str | None, kind: str, registry: Registry, site_provinces: tuple[str, ...] | None
) -> str | None:
    """The province slug for a new file; None for a service/page without --province."""
    if value is None:
        if kind in ("article", "plan"):
            if site_provinces and len(site_provinces) == 1:
                return site_provinces[0]
            raise ScaffoldError(
                f'a new {kind} needs --province (a name such as "Hà Tĩnh", a slug such as '
                "ha-tinh, or trung-uong for national content)",
                2,
            )
        return None
    unit = registry.lookup(value)
    if unit is None:
        hints = registry.suggest(value)
        hint = f"; did you mean: {', '.join(hints)}?" if hints else ""
        raise ScaffoldError(f"unknown province '{value}'{hint}", 2)
    return unit.slug


def skeleton(kind: str, title: str, province: str | None, today: date, registry: Registry) -> str:
    """The file text for a new content file of `kind`."""
    label = registry.label(province) if province else ""
    unit = registry.get(province) if province else None
    lines = ["---", f"title: {q(title)}"]
    if kind == "article":
        lines += [
            f"date: {today.isoformat()}",
            f"province: {province}  # {label}",
            f"summary: {q(P.ARTICLE_SUMMARY)}  # TODO",
            "tags: []",
            "# plan: slug-cua-ke-hoach   # nếu tin bài nói về một kế hoạch",
            "# author: Tên tác giả",
            "draft: true  # đổi thành false (hoặc xoá dòng) để đăng",
        ]
        body = [P.BODY_LINES[2], "", "## Nội dung chính", "", P.BODY_LINES[0]]
    elif kind == "plan":
        prefix = (
            ""
            if unit is None or unit.slug == "trung-uong"
            else ("UBND thành phố " if unit.kind == "thành phố" else "UBND tỉnh ")
        )
        issuer = (prefix + unit.name) if unit is not None and prefix else P.PLAN_ISSUER
        lines += [
            f"number: {q(P.PLAN_NUMBER)}  # TODO: số ký hiệu thật của văn bản, ví dụ 493/KH-UBND",
            f"issued: {today.isoformat()}  # TODO: ngày ký",
            f"issuer: {q(issuer)}  # TODO: kiểm tra cơ quan ban hành",
            f"province: {province}  # {label}",
            f"year: {today.year}  # năm kế hoạch áp dụng",
            f"summary: {q(P.PLAN_SUMMARY)}  # TODO",
            "tags: []",
            "# attachments:",
            "#   - title: Toàn văn kế hoạch (PDF)",
            "#     file: ke-hoach/ten-tep.pdf  # tệp đặt tại content/files/ke-hoach/ten-tep.pdf",
            "draft: true  # đổi thành false (hoặc xoá dòng) để đăng",
        ]
        body = ["## Mục đích, yêu cầu", "", "…", "", "## Nội dung", "", "…", "", "## Tổ chức thực hiện", "", "…"]
    elif kind == "service":
        lines += [
            '# code: "1.000000"  # mã TTHC trên Cổng Dịch vụ công quốc gia',
            "level: 3  # TODO: 3 (một phần) hoặc 4 (toàn trình)",
            f"field: {q(P.SERVICE_FIELD)}  # TODO: ví dụ Hộ tịch, Cư trú",
            f"agency: {q(P.SERVICE_AGENCY)}  # TODO: ví dụ UBND cấp xã",
            f"portal_url: {P.SERVICE_PORTAL}  # TODO: địa chỉ của thủ tục trên cổng DVC",
        ]
        lines += [f"provinces: [{province}]  # {label}"] if province else ["provinces: all"]
        lines += [
            f"processing_time: {q(P.SERVICE_TIME)}  # TODO",
            f"fee: {q(P.SERVICE_FEE)}  # TODO",
            "documents:",
            f"  - {q(P.SERVICE_DOCUMENT)}  # TODO",
            f"result: {q(P.SERVICE_RESULT)}  # TODO",
            "legal_basis:",
            f"  - {q(P.SERVICE_BASIS)}  # TODO",
            "draft: true  # đổi thành false (hoặc xoá dòng) để đăng",
        ]
        body = [
            "## Các bước thực hiện",
            "",
            "**Bước 1.** Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản VNeID.",
            "",
            P.BODY_LINES[3],
        ]
    elif kind == "page":
        lines += [
            f"summary: {q(P.PAGE_SUMMARY)}  # TODO",
            "# order: 10  # thứ tự trong danh sách trang",
            "draft: true  # đổi thành false (hoặc xoá dòng) để đăng",
        ]
        body = [P.BODY_LINES[1]]
    else:  # pragma: no cover - argparse restricts kinds
        raise ScaffoldError(f"unknown kind '{kind}'", 2)
    return "\n".join(lines + ["---", ""] + body) + "\n"


def existing_slugs(folder: Path) -> dict[str, Path]:
    """Slugs already taken in a content folder (file names and `slug:` fields)."""
    taken: dict[str, Path] = {}
    if not folder.is_dir():
        return taken
    for path in sorted(folder.rglob("*.md")):
        taken.setdefault(slugify(path.stem), path)
        try:
            head = path.read_text("utf-8", errors="replace")[:4000]
        except OSError:
            continue
        match = re.search(r"^slug:\s*['\"]?([^'\"\n#]+)", head, re.MULTILINE)
        if match:
            taken.setdefault(slugify(match.group(1)), path)
    return taken


def create(
    content_dir: Path,
    kind: str,
    title: str,
    province: str | None,
    *,
    registry: Registry,
    site_provinces: tuple[str, ...] | None = None,
    today: date | None = None,
) -> Path:
    """Write the new file and return its path; ScaffoldError if it exists or input is bad."""
    title = " ".join(title.split())
    slug = file_slug(title)
    if not slug:
        raise ScaffoldError("the title must contain letters or digits", 2)
    slug_province = resolve_province(province, kind, registry, site_provinces)
    folder = content_dir / f"{kind}s"
    target = folder / f"{slug}.md"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; not overwritten (choose another title or edit that file)", 1)
    clash = existing_slugs(folder).get(slug)
    if clash is not None:
        raise ScaffoldError(f"a {kind} with the slug '{slug}' already exists: {clash}; not written", 1)
    today = today or datetime.now(VIETNAM_TZ).date()
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
        handle.write(skeleton(kind, title, slug_province, today, registry))
    return target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to create")
    parser.add_argument("title", help='the title, e.g. "Hà Tĩnh triển khai dịch vụ công toàn trình"')
    parser.add_argument("--province", help="province name or slug (required for article and plan)")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")


def run(args: argparse.Namespace) -> int:
    from cchc_site.config.settings import load_config

    config = load_config(args.config)
    try:
        path = create(
            config.content_dir,
            args.kind,
            args.title,
            args.province,
            registry=load_registry(),
            site_provinces=config.provinces,
        )
    except ScaffoldError as exc:
        print(f"cchc-site new: error: {exc}", file=sys.stderr)
        return exc.code
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(f"created {shown} (draft: true). Fill in the lines marked TODO, then run `cchc-site check`.")
    return 0
