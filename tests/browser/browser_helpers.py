"""Small helpers shared by the browser tests (imported as `browser_helpers`)."""

from __future__ import annotations

import time
from typing import Any, Callable

# Representative page of every type (SPEC §8 / issue 4 list), relative to the site root.
PAGE_TYPES = {
    "home": "index.html",
    "provinces": "tinh/index.html",
    "province-current": "tinh/ca-mau/index.html",
    "province-former": "tinh/bac-lieu/index.html",
    "news": "tin-tuc/index.html",
    "article": "tin-tuc/{article}/index.html",
    "plans": "ke-hoach/index.html",
    "plan": "ke-hoach/{plan}/index.html",
    "services": "dich-vu-cong/index.html",
    "level": "dich-vu-cong/muc-do-4/index.html",
    "service": "dich-vu-cong/{service}/index.html",
    "free-page": "gioi-thieu/index.html",
    "search": "tim-kiem/index.html?q=cai+cach+hanh+chinh",
    "404": "404.html",
    "offline": "offline.html",
}

CACHE_STATE = """async (version) => {
  const names = (await caches.keys()).filter(n => n.startsWith('cchc:'));
  const out = {names, count: 0, controlled: !!navigator.serviceWorker.controller};
  const mine = names.find(n => n.endsWith(':' + version));
  if (mine) out.count = (await (await caches.open(mine)).keys()).length;
  return out;
}"""


def first_slug(root: Any, folder: str, skip: tuple[str, ...] = ()) -> str:
    for child in sorted((root / folder).iterdir()):
        if child.is_dir() and (child / "index.html").is_file() and not child.name.startswith(skip):
            return child.name
    raise AssertionError(f"no page under {folder}")


def page_types(root: Any) -> dict[str, str]:
    slugs = {
        "article": first_slug(root, "tin-tuc", ("trang-",)),
        "plan": first_slug(root, "ke-hoach"),
        "service": first_slug(root, "dich-vu-cong", ("muc-do-", "linh-vuc")),
    }
    return {name: rel.format(**slugs) for name, rel in PAGE_TYPES.items()}


def wait_for(check: Callable[[], Any], timeout: float = 20.0, every: float = 0.1, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}; last value {last!r}")


def cache_state(page: Any, version: str) -> dict[str, Any]:
    return page.evaluate(CACHE_STATE, version)


def wait_for_precache(page: Any, manifest: Any, expected: int | None = None, timeout: float = 30.0) -> dict[str, Any]:
    """Poll the caches until the build's cache holds `expected` files (default: all)."""
    want = len(manifest["files"]) if expected is None else expected
    return wait_for(
        lambda: (lambda s: s if s["count"] >= want and s["controlled"] else None)(
            cache_state(page, manifest["version"])
        ),
        timeout,
        0.2,
        f"{want} cached files",
    )


def paused_clock(page: Any) -> None:
    """Playwright's fake clock, paused: page time moves only by `page.clock.run_for`
    (it survives navigations), so idle and countdown timing is exact."""
    page.clock.install(time=1_800_000_000)
    page.clock.pause_at(1_800_000_001)


def stylesheet_applied(page: Any) -> bool:
    """The built-in stylesheet is in effect: the header has its brand colour."""
    return page.evaluate("""() => {
      const h = document.querySelector('.site-header');
      return !!h && getComputedStyle(h).backgroundColor === 'rgb(139, 26, 26)';
    }""")
