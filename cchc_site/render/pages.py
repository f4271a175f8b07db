"""Site + templates → output files (path, bytes). Nothing is written here.

Every page is described by a PageSpec (path, template, context) first, so the
list of pages can be rendered in any order, in parallel, or in part.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import jinja2
import jinja2.bccache
from markupsafe import Markup

from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Plan
from cchc_site.core.sealed import seal, unseal
from cchc_site.domain.vietnamese import VIETNAM_TZ, format_date
from cchc_site.incremental.api import View
from cchc_site.render.assets import Assets
from cchc_site.render.images import body_pictures
from cchc_site.site import urls
from cchc_site.site.assemble import Site

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; script-src 'self'; style-src 'self'"
)
# A <meta> CSP ignores frame-ancestors (and Chromium logs a console error for it): pages carry
# the rest, hosts send the whole CSP as a header (publish.py).
META_CSP = CSP.replace(" frame-ancestors 'none';", "")
LEVEL_LABELS = {3: "Mức độ 3 (một phần)", 4: "Mức độ 4 (toàn trình)"}
KIND_LABELS = {"article": "Tin tức", "plan": "Kế hoạch", "service": "Dịch vụ công", "page": "Trang"}


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    sitemap: bool = True  # listed in sitemap.xml


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process (the dev server builds a
    new environment on every save). Jinja keys each entry by the template's name
    and checks its source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _MemoryBytecodeCache()  # a cache of pure results: compiled code by template name and source


class _FolderBytecodeCache(jinja2.BytecodeCache):
    """The memory cache first, then files in the build cache folder, so that a new
    process (every CLI build) does not compile its templates again. Jinja checks the
    source checksum of every entry; the folder is named after the Jinja version.

    Each file is sealed (core.sealed): a flipped bit in marshal data can crash the
    interpreter or change a page, so a file is unmarshalled only when its checksum
    matches; a damaged one is noted in `damaged` and compiled again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.damaged: list[str] = []

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"__jinja2_{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _COMPILED.load_bytecode(bucket)
        if bucket.code is not None:
            return
        path = self._path(bucket)
        try:
            data = path.read_bytes()
        except OSError:
            return
        payload = unseal(data)
        if payload is None:
            self.damaged.append(path.name)
            return
        bucket.bytecode_from_string(bytes(payload))
        if bucket.code is not None:
            _COMPILED.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _COMPILED.dump_bytecode(bucket)
        path = self._path(bucket)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(seal(bucket.bytecode_to_string()))
            os.replace(tmp, path)
        except OSError:  # a read-only or full cache folder: compiled again next time
            try:
                tmp.unlink()
            except OSError:
                pass


def meta_sentence(text: str, limit: int = 160) -> str:
    """A page's text as a meta description: one line, at most `limit` characters, cut
    only between words (with an ellipsis)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"


def bytecode_folder(cache_folder: Path | None) -> Path | None:
    return cache_folder / f"templates-sealed-jinja-{jinja2.__version__}" if cache_folder is not None else None


def make_environment(templates_dir: Path | None, bytecode_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None and templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.PackageLoader("cchc_site", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, including .xml feeds
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of every template on every page
        bytecode_cache=_COMPILED if bytecode_dir is None else _FolderBytecodeCache(bytecode_dir),
    )
    env.filters["sentence"] = meta_sentence
    env.filters["vndate"] = format_date
    env.filters["isodate"] = lambda d: d.astimezone(VIETNAM_TZ).isoformat()
    env.filters["level_label"] = lambda level: LEVEL_LABELS.get(level, str(level))
    env.filters["kind_label"] = lambda kind: KIND_LABELS.get(kind, kind)
    env.globals["LEVEL_LABELS"] = LEVEL_LABELS
    env.globals["shared_partial"] = _shared_partials(env)
    return env


# Built-in partials (with the partials they include) whose output depends on the page only
# through its place in the tree: links to top-level pages (relative URLs) and which menu item
# is current. base.html has them rendered once per place instead of once per page.
SHARED_PARTIALS = {
    "partials/header.html": ("partials/brand.html",),
    "partials/kiosk.html": (),
    "partials/footer.html": (),
}
SHARED_READS = frozenset({"path", "url", "nav", "config", "kiosk", "site", "urls"})  # all they read
SHARE = True  # tests turn it off to compare
_BUILTIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates") + os.sep


def _place(path: str) -> tuple[int, str | bool]:
    """What a relative URL to a top-level page (`x/index.html`, `feed.xml`) and the current
    menu item depend on: the page's depth and first folder (for a top-level file, whether
    it is the home page)."""
    here = path.split("/")[:-1]
    return (len(here), here[0]) if here else (0, path == urls.HOME)


def _shared_partials(env: jinja2.Environment) -> Callable[..., Any]:
    """`shared_partial(name)`: `{% include name %}`, from a cache by the page's place when
    `name` and what it includes are the built-in templates and the page did not redefine
    anything they read. The site accesses the first rendering recorded (fingerprint.View)
    are added to every page that uses it, so the page cache sees them."""
    rendered: dict[tuple[str, tuple[int, str | bool]], tuple[Markup, frozenset[Any]]] = {}
    builtin: dict[str, bool] = {}

    def is_builtin(name: str) -> bool:
        if name not in builtin:
            names = (name, *SHARED_PARTIALS.get(name, ()))
            builtin[name] = name in SHARED_PARTIALS and all(
                (env.get_template(n).filename or "").startswith(_BUILTIN) for n in names
            )
        return builtin[name]

    @jinja2.pass_context
    def shared_partial(context: Any, name: str) -> Markup:
        template = env.get_template(name)
        path = context.get("path")
        if not (SHARE and isinstance(path, str) and is_builtin(name)) or SHARED_READS & context.vars.keys():
            return Markup("".join(template.root_render_func(template.new_context(context.get_all(), True))))
        site = context.get("site")
        key = (name, _place(path))
        hit = rendered.get(key)
        if hit is None:
            reads: set[Any] = set()
            target = object.__getattribute__(site, "_target") if isinstance(site, View) else site
            values = {**context.get_all(), "site": View(target, reads, "site")}
            html = Markup("".join(template.root_render_func(template.new_context(values, True))))
            hit = rendered[key] = (html, frozenset(reads))
        if isinstance(site, View):
            object.__getattribute__(site, "_accesses").update(hit[1])
        return hit[0]

    return shared_partial


def page_specs(site: Site) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    specs = [
        PageSpec(urls.HOME, "home.html", {"latest": site.articles[:6], "latest_plans": site.plans[:4]}),
        PageSpec(urls.PROVINCES, "provinces.html"),
        PageSpec(urls.PLANS, "plans.html", {"by_year": _plans_by_year(site.plans)}),
        PageSpec(urls.SERVICES, "services.html"),
        PageSpec(urls.SEARCH, "search.html"),
        PageSpec(urls.NOT_FOUND, "404.html", sitemap=False),
        PageSpec("offline.html", "offline.html", sitemap=False),  # service worker's fallback
    ]
    per_page = site.config.news_per_page
    chunks = [site.articles[i : i + per_page] for i in range(0, len(site.articles), per_page)] or [()]
    for number, chunk in enumerate(chunks, start=1):
        pager = {
            "number": number,
            "total": len(chunks),
            "prev": urls.news_page(number - 1) if number > 1 else None,
            "next": urls.news_page(number + 1) if number < len(chunks) else None,
            "pages": [(n, urls.news_page(n) if n else None) for n in pager_window(number, len(chunks))],
        }
        specs.append(PageSpec(urls.news_page(number), "news.html", {"articles": chunk, "pager": pager}))
    for listing in site.current + site.former:
        specs.append(PageSpec(urls.province(listing.unit.slug), "province.html", {"listing": listing}))
    for level in (3, 4):
        specs.append(
            PageSpec(
                urls.service_level(level),
                "service_level.html",
                {"level": level, "services": site.services_of_level(level)},
            )
        )
    for group in site.fields:
        specs.append(PageSpec(urls.service_field(group.slug), "service_field.html", {"group": group}))
    plans_by_slug = {p.slug: p for p in site.plans}
    for article in site.articles:
        plan = plans_by_slug.get(article.plan) if article.plan else None
        specs.append(PageSpec(urls.article(article.slug), "article.html", {"entry": article, "plan": plan}))
    for plan in site.plans:
        specs.append(
            PageSpec(
                urls.plan(plan.slug), "plan.html", {"entry": plan, "articles": site.plan_articles.get(plan.slug, ())}
            )
        )
    for service in site.services:
        specs.append(PageSpec(urls.service(service.slug), "service.html", {"entry": service}))
    for page in site.pages:
        specs.append(PageSpec(urls.page(page.slug), "page.html", {"entry": page}))
    return specs


def pager_window(number: int, total: int, around: int = 2) -> list[int | None]:
    """Page numbers to link from page `number`: the first, the last and `around`
    on each side; None marks a gap ("…"). Constant size, so news pages do not
    grow with the site (1,250 pages each linking all 1,250 would be quadratic)."""
    wanted = {1, total, *range(number - around, number + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= total)
    out: list[int | None] = []
    for n in shown:
        last = out[-1] if out else None
        if last is not None and n - last > 1:
            out.append(None)
        out.append(n)
    return out


def _plans_by_year(plans: Iterable[Plan]) -> list[tuple[int, list[Plan]]]:
    years: dict[int, list[Plan]] = {}
    for plan in plans:
        years.setdefault(plan.year, []).append(plan)
    return sorted(years.items(), key=lambda kv: -kv[0])


def base_context(site: Site, assets: Assets, path: str, accesses: set[Any] | None = None) -> dict[str, Any]:
    """What every template sees. With `accesses`, `site` and the asset helpers
    record what the page reads (the page cache's dependencies, fingerprint.py)."""
    url = functools.partial(urls.relative, path)
    site_view: Any = site if accesses is None else View(site, accesses, "site")
    assets_view: Any = assets if accesses is None else View(assets, accesses, "assets")
    config = site.config
    return {
        "site": site_view,
        "config": config,
        "path": path,
        "url": url,
        "asset": lambda name: url(assets_view.path(name)),
        "has_asset": lambda name: assets_view.has(name),
        "picture": lambda path: assets_view.image(path),
        "pictures": lambda html: Markup(body_pictures(html, path, assets_view.image)),
        "srcset": lambda variants: ", ".join(f"{url(v.path)} {v.width}w" for v in variants),
        "canonical": urls.absolute(config.base_url, path),
        "csp": META_CSP,
        "urls": urls,
        "label": site.registry.label,
        "kiosk": config.kiosk,
        "nav": NAV,
        "entry_url": lambda e: url(urls.for_entry(e.kind, e.slug)),
    }


NAV = (
    ("Trang chủ", urls.HOME),
    ("Tỉnh, thành", urls.PROVINCES),
    ("Tin tức", urls.NEWS),
    ("Kế hoạch", urls.PLANS),
    ("Dịch vụ công", urls.SERVICES),
    ("Tìm kiếm", urls.SEARCH),
)


def render_page(
    env: jinja2.Environment, site: Site, assets: Assets, spec: PageSpec, accesses: set[Any] | None = None
) -> bytes:
    context = base_context(site, assets, spec.path, accesses)
    context.update(spec.context)
    return env.get_template(spec.template).render(context).encode("utf-8")


def template_problem(exc: Exception) -> Diagnostic:
    """A broken template override → a config-level diagnostic with its line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Diagnostic(
            exc.filename or exc.name or "template", exc.lineno or 0, 1, f"template syntax error: {exc.message}"
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return Diagnostic(str(exc.name), 0, 0, "template not found")
    path, line = _failing_template(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return Diagnostic(path, line, 1 if line else 0, f"template error: {exc.message}")
    return Diagnostic(path, line, 1 if line else 0, f"template error: {exc}")


_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _failing_template(exc: BaseException) -> tuple[str, int]:
    """The template file and line a rendering error was raised in: Jinja puts template
    frames (with template lines) in the traceback; a worker's arrives as text."""
    import traceback

    from cchc_site.core.diagnostics import shown_path

    frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(exc.__traceback__)]
    remote = exc.__cause__
    if remote is not None and type(remote).__name__ == "RemoteTraceback":  # from a multiprocessing worker
        frames += [(name, int(line)) for name, line in _FRAME.findall(str(remote))]
    for name, line in reversed(frames):
        if name.endswith((".html", ".xml", ".txt")) and os.path.isfile(name):
            return shown_path(Path(name), Path.cwd()), line
    return "templates", 0
