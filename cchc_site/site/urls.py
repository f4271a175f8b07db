"""Output paths of every page and the relative URLs between them.

Every page is a folder with `index.html`; every link names the file, so the
built folder works from file:// and under any sub-path.
"""

from __future__ import annotations

HOME = "index.html"
PROVINCES = "tinh/index.html"
PLANS = "ke-hoach/index.html"
NEWS = "tin-tuc/index.html"
SERVICES = "dich-vu-cong/index.html"
SEARCH = "tim-kiem/index.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"


def article(slug: str) -> str:
    return f"tin-tuc/{slug}/index.html"


def news_page(number: int) -> str:
    return NEWS if number <= 1 else f"tin-tuc/trang-{number}/index.html"


def plan(slug: str) -> str:
    return f"ke-hoach/{slug}/index.html"


def service(slug: str) -> str:
    return f"dich-vu-cong/{slug}/index.html"


def service_level(level: int) -> str:
    return f"dich-vu-cong/muc-do-{level}/index.html"


def service_field(field_slug: str) -> str:
    return f"dich-vu-cong/linh-vuc/{field_slug}/index.html"


def province(slug: str) -> str:
    return f"tinh/{slug}/index.html"


def province_feed(slug: str) -> str:
    return f"tinh/{slug}/feed.xml"


def page(slug: str) -> str:
    return f"{slug}/index.html"


def for_entry(kind: str, slug: str) -> str:
    return {"article": article, "plan": plan, "service": service, "page": page}[kind](slug)


def relative(from_path: str, to_path: str) -> str:
    """URL of `to_path` as seen from the page at `from_path` (both site-root relative,
    normalised, '/'-separated: the output paths this module makes).

    relative("tinh/ca-mau/index.html", "ke-hoach/kh-1/index.html")
    == "../../ke-hoach/kh-1/index.html"

    Plain string work: this runs tens of thousands of times per build, and
    posixpath.relpath (which consults the working directory) was a tenth of it.
    """
    to_path, _, fragment = to_path.partition("#")
    here = from_path.split("/")[:-1]
    there = to_path.split("/")
    common = 0
    limit = min(len(here), len(there) - 1)
    while common < limit and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return (rel or ".") + ("#" + fragment if fragment else "")


def absolute(base_url: str, path: str) -> str:
    """Canonical URL: base_url + path, with `index.html` dropped for pretty URLs."""
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return base_url.rstrip("/") + "/" + path
