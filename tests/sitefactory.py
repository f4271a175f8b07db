"""Test helpers: a temporary site from a dict of files, built in memory."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_site.build import BuildResult, build_site
from cchc_site.config.settings import SiteConfig, load_config
from cchc_site.domain.vietnamese import VIETNAM_TZ

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=VIETNAM_TZ)

ARTICLE = """\
---
title: Tin thử nghiệm
date: 2024-05-01
province: ha-tinh
---
Nội dung tin.
"""


@dataclass
class TmpSite:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "config.yaml"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def config(self, **overrides: Any) -> SiteConfig:
        return load_config(self.config_path, cwd=self.root, **overrides)

    def build(self, drafts: bool = False, now: datetime = NOW) -> BuildResult:
        return build_site(self.config(), drafts=drafts, now=now, cwd=self.root)

    def html(self, result: BuildResult, path: str) -> str:
        return result.files[path].decode("utf-8")


def make_site(
    root: Path, files: Mapping[str, str | bytes] | None = None, config: Mapping[str, Any] | None = None
) -> TmpSite:
    site = TmpSite(root)
    cfg = {"title": "Trang thử", "base_url": "https://cchc.example.gov.vn"}
    cfg.update(config or {})
    site.write("config.yaml", yaml.safe_dump(cfg, allow_unicode=True))
    (root / "content").mkdir(exist_ok=True)
    for rel, text in (files or {}).items():
        site.write(rel, text)
    return site


REPO = Path(__file__).resolve().parent.parent
