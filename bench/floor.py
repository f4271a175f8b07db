"""The floor: the least a Python program must do to turn the corpus into pages.

Usage: python bench/floor.py SITE OUT [--procs 2]

For every content/**/*.md under SITE: read it, split the YAML front matter
(safe loading, with libyaml's CSafeLoader when PyYAML has it), render the body
with Python-Markdown (tables extension, one Markdown instance per process,
reset between files), fill one Jinja2 template, write
OUT/<type>/<slug>/index.html. Work is spread over a multiprocessing Pool.
``--naive`` calls ``yaml.safe_load`` and ``markdown.markdown`` per file
instead (pure-Python YAML and a new Markdown instance each time): slower, and
not the least that must be done, but the most literal reading of "the floor". No cross-page work at all: no lists, indexes,
link checks, search data, feeds or assets. Any real generator does more, so
a ratio to this floor shows the cost of everything a product adds.
"""

from __future__ import annotations

import argparse
import sys
from multiprocessing import Pool
from pathlib import Path

import jinja2
import markdown
import markupsafe
import yaml

TEMPLATE = jinja2.Template(
    """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ meta.title }}</title></head>
<body><main><h1>{{ meta.title }}</h1>
{% if meta.summary %}<p>{{ meta.summary }}</p>{% endif %}
{{ body }}
</main></body></html>
""",
    autoescape=True,
)

_out: Path = Path()
_content: Path = Path()
_naive = False
_md: markdown.Markdown | None = None
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def render(path: str) -> int:
    text = Path(path).read_text(encoding="utf-8")
    _, fm, body = text.split("---\n", 2)
    if _naive:
        meta = yaml.safe_load(fm) or {}
        html = markdown.markdown(body, extensions=["tables"])
    else:
        assert _md is not None
        meta = yaml.load(fm, Loader=_LOADER) or {}
        html = _md.reset().convert(body)
    page = TEMPLATE.render(meta=meta, body=markupsafe.Markup(html))
    p = Path(path)
    kind = p.relative_to(_content).parts[0]
    dest = _out / kind / p.stem / "index.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(page, encoding="utf-8")
    return 1


def _init_all(out: Path, content: Path, naive: bool = False) -> None:
    global _out, _content, _naive, _md
    _out, _content, _naive = out, content, naive
    _md = markdown.Markdown(extensions=["tables"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--naive", action="store_true", help="yaml.safe_load + markdown.markdown per file")
    args = ap.parse_args(argv)
    content = (args.site / "content").resolve()
    out = args.out.resolve()
    files = sorted(str(p) for p in content.rglob("*.md"))
    with Pool(args.procs, initializer=_init_all, initargs=(out, content, args.naive)) as pool:
        done = sum(pool.imap_unordered(render, files, chunksize=32))
    print(f"floor: {done} pages", file=sys.stderr)
    return 0 if done == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
