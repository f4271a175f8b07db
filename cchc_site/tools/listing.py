"""`cchc-site list drafts|future|all`: what the content holds, as `hugo list` shows it.

Reads and parses the front matter only (no rendering): each entry's type,
file, title, date and province, and whether a build would leave it out as a
draft or as dated in the future.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

KINDS = {"article": "tin", "plan": "kế hoạch", "service": "dịch vụ", "page": "trang"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "which",
        nargs="?",
        choices=("drafts", "future", "all"),
        default="all",
        help="drafts, entries dated in the future, or everything (default)",
    )
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def rows(config: Any, now: datetime, which: str) -> list[dict[str, str]]:
    """One row per content entry that `which` selects, in file order."""
    from cchc_site.content.loader import parse_all
    from cchc_site.content.sources import read_content
    from cchc_site.domain.provinces import load_registry

    registry = load_registry()
    read = read_content(config.content_dir, Path.cwd())
    parsed, _, _ = parse_all(read.sources, registry)
    out = []
    for item in parsed:
        fields = item.front.fields
        when = fields.get("date") or fields.get("issued")
        draft = bool(fields.get("draft", False))
        future = isinstance(when, datetime) and when > now
        if (which == "drafts" and not draft) or (which == "future" and not future):
            continue
        provinces = fields.get("provinces") or ([fields["province"]] if fields.get("province") else [])
        status = "bản nháp" if draft else "chưa đến ngày" if future else "đã đăng"
        out.append(
            {
                "type": KINDS.get(item.source.kind, item.source.kind),
                "path": item.source.rel,
                "title": str(fields.get("title", "")),
                "date": when.date().isoformat() if isinstance(when, datetime) else "",
                "province": ", ".join(registry.label(p) for p in provinces) if provinces else "",
                "status": status,
            }
        )
    return sorted(out, key=lambda r: r["path"])


def table(found: list[dict[str, str]]) -> str:
    columns = [
        ("type", "loại"),
        ("path", "tệp"),
        ("title", "tiêu đề"),
        ("date", "ngày"),
        ("province", "tỉnh"),
        ("status", "trạng thái"),
    ]
    widths = {key: max([len(label)] + [len(r[key]) for r in found]) for key, label in columns}
    lines = ["  ".join(label.ljust(widths[key]) for key, label in columns).rstrip()]
    lines += ["  ".join(r[key].ljust(widths[key]) for key, _ in columns).rstrip() for r in found]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from cchc_site.build import build_time
    from cchc_site.config.settings import load_config

    config = load_config(args.config)
    found = rows(config, build_time(), args.which)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
    elif found:
        print(table(found))
    else:
        print(
            {"drafts": "không có bản nháp", "future": "không có bài nào hẹn ngày đăng", "all": "chưa có nội dung"}[
                args.which
            ],
            file=sys.stderr,
        )
    return 0
