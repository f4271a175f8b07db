"""`cchc-site init [DIR] [--province P] [--ci github|gitlab]`: a new site from nothing.

Writes config.yaml (base_url is a reserved placeholder that `check` warns about
and `build` refuses until it is set), one published example of each content
type, .gitignore and the CI workflow of the chosen host. The result passes
`check` and builds. Refuses to overwrite anything: every target is checked
before the first file is written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from cchc_site import __version__
from cchc_site.config.settings import PLACEHOLDER_BASE_URL
from cchc_site.domain.provinces import Registry, load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.tools.scaffold import ScaffoldError, q

REPOSITORY = "https://github.com/cchc-site/cchc-site"  # where the action and the pinned install come from
NATIONAL = "trung-uong"


def pinned_version() -> str:
    return f"v{__version__}"


def config_text(title: str, province: str | None, registry: Registry) -> str:
    provinces = f"[{province}]  # {registry.label(province)}: a single-province site" if province else "all"
    return "\n".join(
        [
            "# cchc-site configuration. Paths are relative to this file.",
            f"title: {q(title)}",
            "description: Kế hoạch, tin tức cải cách hành chính và hướng dẫn dịch vụ công trực tuyến",
            f"base_url: {PLACEHOLDER_BASE_URL}  # TODO: địa chỉ công khai của trang, ví dụ https://cchc.tinh.gov.vn",
            "content_dir: content",
            "output_dir: output",
            f"provinces: {provinces}",
            "",
        ]
    )


def examples(province: str | None, today: date, registry: Registry) -> dict[str, str]:
    """One example of each content type, published, that passes `check` as written."""
    slug = province or NATIONAL
    unit = registry.get(slug)
    place = unit.name if province else "cả nước"
    issuer = (
        (("UBND thành phố " if unit.kind == "thành phố" else "UBND tỉnh ") + unit.name)
        if province
        else "Văn phòng Chính phủ"
    )
    note = "# Ví dụ do `cchc-site init` tạo: sửa hoặc xoá tệp này."
    article = f"""---
{note}
title: {q(f"Ví dụ: {place} đẩy mạnh dịch vụ công trực tuyến")}
date: {today.isoformat()}
province: {slug}
summary: Tin bài mẫu; thay bằng tin của đơn vị.
tags: [dịch vụ công]
plan: vi-du-ke-hoach-cai-cach-hanh-chinh
---

Đây là tin bài mẫu. Xem [kế hoạch mẫu](../plans/vi-du-ke-hoach-cai-cach-hanh-chinh.md)
và hướng dẫn [đăng ký khai sinh](../services/dang-ky-khai-sinh.md).

## Nội dung chính

Viết nội dung tin bài ở đây.
"""
    plan = f"""---
{note}
title: {q(f"Ví dụ: Kế hoạch cải cách hành chính năm {today.year}")}
number: "{today.month}/KH-VD"  # số ký hiệu của văn bản
issued: {today.isoformat()}
issuer: {q(issuer)}
province: {slug}
year: {today.year}
summary: Kế hoạch mẫu; thay bằng kế hoạch thật của đơn vị.
tags: [kế hoạch năm]
---

## Mục đích, yêu cầu

Viết mục đích, yêu cầu của kế hoạch ở đây.

## Tổ chức thực hiện

Viết phân công thực hiện ở đây.
"""
    service = f"""---
{note}
title: Đăng ký khai sinh
code: "1.001193"
level: toàn trình
field: Hộ tịch
agency: UBND cấp xã
portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193
provinces: {f"[{province}]" if province else "all"}
summary: Đăng ký khai sinh cho trẻ em, nộp hồ sơ trực tuyến bằng tài khoản VNeID.
processing_time: Ngay trong ngày làm việc
fee: Miễn lệ phí khi đăng ký đúng hạn
documents:
  - Tờ khai đăng ký khai sinh
  - Giấy chứng sinh
result: Giấy khai sinh (bản chính và bản điện tử)
legal_basis:
  - Luật Hộ tịch số 60/2014/QH13
---

## Các bước thực hiện

**Bước 1.** Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản VNeID.

**Bước 2.** Điền tờ khai, tải lên giấy chứng sinh và gửi hồ sơ.
"""
    page = f"""---
{note}
title: Giới thiệu
summary: Về trang thông tin này.
order: 1
---

Trang thông tin cải cách hành chính của {issuer if province else "đơn vị"}.
"""
    return {
        "content/articles/vi-du-tin-bai.md": article,
        "content/plans/vi-du-ke-hoach-cai-cach-hanh-chinh.md": plan,
        "content/services/dang-ky-khai-sinh.md": service,
        "content/pages/gioi-thieu.md": page,
    }


GITIGNORE = "/output/\n/.output.spare/\n/.cchc-cache/\n/cchc-check.json\n/gl-code-quality-report.json\n"


def github_workflow(version: str) -> str:
    return f"""# Checks every push and pull request (errors appear on the lines of the pull request)
# and builds the site. Set base-url to the site's public address.
name: site
on:
  push: {{ branches: [main] }}
  pull_request: {{}}
permissions:
  contents: read
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {{ fetch-depth: 0 }}   # the last commit's time sets SOURCE_DATE_EPOCH
      - uses: cchc-site/cchc-site@{version}
        with:
          version: {version}
          base-url: {PLACEHOLDER_BASE_URL}
      - uses: actions/upload-artifact@v4
        with: {{ name: site, path: output/ }}
"""


def gitlab_ci(version: str) -> str:
    return f"""# Checks and builds the site; the Code Quality report shows errors in merge requests.
# CCHC_SITE_IMAGE: the container of docs/ci-examples.md (python:3.11-slim + git + cchc-site {version}).
image: $CCHC_SITE_IMAGE
variables:
  CCHC_SITE_IMAGE: registry.example.invalid/cchc-site:{version}   # TODO: your registry's image
  GIT_DEPTH: "0"
cache: {{ key: cchc, paths: [.cchc-cache] }}
stages: [check, build, publish]
check:
  stage: check
  script:
    - cchc-site check --format gitlab > gl-code-quality-report.json || true
    - cchc-site check
  artifacts:
    when: always
    reports: {{ codequality: gl-code-quality-report.json }}
build:
  stage: build
  script:
    - export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
    - cchc-site build --base-url "$CI_PAGES_URL"
  artifacts: {{ paths: [output/] }}
pages:
  stage: publish
  rules: [{{ if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH }}]
  needs: [build]
  script: [rm -rf public, mv output public]
  artifacts: {{ paths: [public] }}
"""


def plan_files(title: str, province: str | None, ci: str | None, today: date, registry: Registry) -> dict[str, str]:
    """Relative path → text of every file `init` writes."""
    files = {
        "config.yaml": config_text(title, province, registry),
        ".gitignore": GITIGNORE,
        **examples(province, today, registry),
    }
    if ci == "github":
        files[".github/workflows/site.yml"] = github_workflow(pinned_version())
    elif ci == "gitlab":
        files[".gitlab-ci.yml"] = gitlab_ci(pinned_version())
    files["content/files/.gitkeep"] = ""
    return files


def create_site(
    folder: Path, *, title: str, province: str | None, ci: str | None, registry: Registry, today: date | None = None
) -> list[Path]:
    """Write the new site; ScaffoldError (nothing written) if any target exists or input is bad."""
    slug = None
    if province is not None:
        unit = registry.lookup(province)
        if unit is None or unit.slug == NATIONAL:
            hints = registry.suggest(province)
            hint = f"; did you mean: {', '.join(hints)}?" if hints else ""
            raise ScaffoldError(f"unknown province '{province}'{hint}", 2)
        slug = registry.successor(unit.slug).slug
    today = today or datetime.now(VIETNAM_TZ).date()
    files = plan_files(title, slug, ci, today, registry)
    existing = [rel for rel in files if (folder / rel).exists()]
    if existing:
        raise ScaffoldError(
            f"{folder / existing[0]} already exists; nothing written (init never overwrites: choose an empty folder)", 1
        )
    written = []
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(target)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", type=Path, default=Path("."), help="folder of the new site (default .)")
    parser.add_argument("--province", help="a single-province site: its name or slug")
    parser.add_argument("--ci", choices=("github", "gitlab"), help="write the CI workflow for this host")
    parser.add_argument("--title", default="Thông tin cải cách hành chính", help="site title")


def run(args: argparse.Namespace) -> int:
    try:
        written = create_site(args.dir, title=args.title, province=args.province, ci=args.ci, registry=load_registry())
    except ScaffoldError as exc:
        print(f"cchc-site init: error: {exc}", file=sys.stderr)
        return exc.code
    except OSError as exc:
        print(f"cchc-site init: error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(
        f"created {len(written)} files in {args.dir}. Set base_url in config.yaml, then run "
        "`cchc-site check` and `cchc-site build`."
    )
    return 0
