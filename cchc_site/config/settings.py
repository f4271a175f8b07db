"""Site configuration: `config.yaml` → frozen SiteConfig. Unknown keys are errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from cchc_site.core.diagnostics import ConfigError, Diagnostic, Severity
from cchc_site.core.yamlload import Located, YamlProblem, load


@dataclass(frozen=True)
class KioskConfig:
    idle_seconds: int = 120  # no touch for this long → countdown, then home
    countdown_seconds: int = 30  # length of the "Tiếp tục" countdown (≥ 20, WCAG 2.2.1)


@dataclass(frozen=True)
class SiteConfig:
    path: Path  # the config file
    title: str
    base_url: str  # absolute, no trailing slash
    content_dir: Path
    templates_dir: Path
    output_dir: Path
    provinces: tuple[str, ...] | None = None  # None = all; else the microsite's current units
    description: str = ""
    news_per_page: int = 10
    offline_budget_mb: float = 10.0  # above this an ordinary visitor precaches only the shell
    kiosk: KioskConfig = KioskConfig()
    glossary: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    short_name: str = ""  # the installed app's name under its icon (≤ 12 characters); "" = from the title
    logo: Path | None = None  # an image the app icons are drawn from; None = the default icon
    theme_color: str = "#8b1a1a"

    @property
    def root(self) -> Path:
        return self.path.parent


KEYS = {
    "title": "site title shown in the header",
    "description": "one sentence under the title",
    "base_url": "public address, e.g. https://cchc.example.gov.vn",
    "content_dir": "folder of Markdown content (default content)",
    "templates_dir": "folder of template overrides (default templates)",
    "output_dir": "folder the site is built into (default output)",
    "provinces": "`all` or a list of province slugs",
    "kiosk": "{idle_seconds, countdown_seconds}",
    "glossary": "extra abbreviations {ABBR: expansion}",
    "news_per_page": "news items per page (default 10)",
    "offline_budget_mb": "precache budget for ordinary visitors (default 10)",
    "short_name": "the installed app's name under its icon, at most 12 characters",
    "logo": "an image (PNG, JPEG, WebP) the app icons are drawn from",
    "theme_color": "the app's colour, #rrggbb (default #8b1a1a)",
}
KIOSK_KEYS = {"idle_seconds", "countdown_seconds"}


def load_config(
    path: Path, *, output: Path | None = None, base_url: str | None = None, cwd: Path | None = None
) -> SiteConfig:
    """Read and validate the config file; raise ConfigError with every problem."""
    cwd = cwd or Path.cwd()
    shown = _shown(path, cwd)
    problems: list[Diagnostic] = []

    def err(message: str, where: Located | None = None, value: bool = True) -> None:
        line = (where.value_line if value else where.key_line) if where else 1
        col = (where.value_col if value else where.key_col) if where else 1
        problems.append(Diagnostic(shown, line, col, message))

    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            [
                Diagnostic(
                    shown,
                    0,
                    0,
                    "config file not found: to start a new site here, run "
                    "`cchc-site init`; otherwise run from the site's folder or pass "
                    "--config",
                )
            ]
        ) from None
    except OSError as exc:
        raise ConfigError([Diagnostic(shown, 0, 0, f"cannot read config file: {exc.strerror}")]) from None
    try:
        text = raw_bytes.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError([Diagnostic(shown, 1, exc.start + 1, "config file is not UTF-8")]) from None
    try:
        data, pos = load(text)
    except YamlProblem as exc:
        raise ConfigError([Diagnostic(shown, exc.line, exc.col, exc.message)]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Diagnostic(shown, 1, 1, "config must be a mapping of keys to values")])

    for key in data:
        if str(key) not in KEYS:
            err(f"unknown config key '{key}' (known keys: {', '.join(sorted(KEYS))})", pos.get((str(key),)), False)

    def text_value(key: str, default: str | None) -> str:
        value = data.get(key, default)
        if value is None:
            err(f"'{key}' is required")
            return ""
        if not isinstance(value, str) or not value.strip():
            err(f"'{key}' must be non-empty text", pos.get((key,)))
            return ""
        control = re.search("[\x00-\x1f\x7f-\x9f\ufffe\uffff]", value)
        if control:  # it would break feed.xml and reach every page
            err(f"'{key}' contains the control character U+{ord(control.group()):04X}; delete it", pos.get((key,)))
            return ""
        return value.strip()

    title = text_value("title", None)
    description = text_value("description", "") if "description" in data else ""
    url = base_url if base_url is not None else text_value("base_url", None)
    if url and not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        err(
            f"base_url '{url}' must be an absolute http(s) URL such as https://cchc.example.gov.vn",
            pos.get(("base_url",)) if base_url is None else None,
        )
    root = path.resolve().parent

    def folder(key: str, default: str) -> Path:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            err(f"'{key}' must be a folder path", pos.get((key,)))
            return root / default
        return (root / value).resolve()

    content_dir = folder("content_dir", "content")
    templates_dir = folder("templates_dir", "templates")
    output_dir = output.resolve() if output is not None else folder("output_dir", "output")
    out_where = None if output is not None else pos.get(("output_dir",))
    for problem in _unsafe_output(output_dir, content_dir, templates_dir, root, path.resolve()):
        err(problem, out_where)
    given = output if output is not None else root / str(data.get("output_dir") or "output")
    if given.absolute().is_symlink():  # replacing it would replace the folder it points to, elsewhere
        err(
            f"output_dir '{given}' is a symlink (to '{output_dir}'); refusing to replace it: "
            "set output_dir to a real folder",
            out_where,
        )

    provinces: tuple[str, ...] | None = None
    prov = data.get("provinces", "all")
    if prov != "all":
        if not isinstance(prov, list) or not prov or not all(isinstance(p, str) for p in prov):
            err("'provinces' must be `all` or a list of province slugs", pos.get(("provinces",)))
        else:
            from cchc_site.domain.provinces import load_registry

            registry = load_registry()
            found: list[str] = []
            for i, value in enumerate(prov):
                unit = registry.lookup(value)
                if unit is None:
                    hint = registry.suggest(value)
                    err(
                        f"unknown province '{value}'" + (f"; did you mean: {', '.join(hint)}?" if hint else ""),
                        pos.get(("provinces", str(i))),
                    )
                else:
                    found.append(registry.successor(unit.slug).slug)
            provinces = tuple(dict.fromkeys(found))

    kiosk = KioskConfig()
    raw_kiosk = data.get("kiosk", {})
    if not isinstance(raw_kiosk, dict):
        err("'kiosk' must be a mapping {idle_seconds, countdown_seconds}", pos.get(("kiosk",)))
    else:
        for key in raw_kiosk:
            if key not in KIOSK_KEYS:
                err(
                    f"unknown kiosk key '{key}' (known: {', '.join(sorted(KIOSK_KEYS))})",
                    pos.get(("kiosk", str(key))),
                    False,
                )
        idle = raw_kiosk.get("idle_seconds", kiosk.idle_seconds)
        countdown = raw_kiosk.get("countdown_seconds", kiosk.countdown_seconds)
        # bounded: a browser timer overflows past 2^31 ms (~24.8 days) and fires at once
        if not _is_int(idle) or not 1 <= idle <= 86_400:
            err(
                "kiosk.idle_seconds must be a whole number of seconds from 1 to 86400 (one day)",
                pos.get(("kiosk", "idle_seconds")),
            )
        elif not _is_int(countdown) or not 20 <= countdown <= 600:
            err(
                "kiosk.countdown_seconds must be from 20 (WCAG 2.2.1) to 600 seconds",
                pos.get(("kiosk", "countdown_seconds")),
            )
        else:
            kiosk = KioskConfig(idle, countdown)

    glossary: dict[str, str] = {}
    raw_glossary = data.get("glossary", {}) or {}
    if not isinstance(raw_glossary, dict):
        err("'glossary' must be a mapping {ABBR: expansion}", pos.get(("glossary",)))
    else:
        from cchc_site.domain.glossary import GlossaryError, clean_entry

        for abbr, expansion in raw_glossary.items():
            try:
                key, value = clean_entry(abbr, expansion, "config.yaml")  # the rule the glossary applies
            except GlossaryError as exc:
                err(str(exc).removeprefix("config.yaml: "), pos.get(("glossary", str(abbr))) or pos.get(("glossary",)))
            else:
                glossary[key] = value

    news_per_page = data.get("news_per_page", 10)
    if not _is_int(news_per_page) or not 1 <= news_per_page <= 500:
        err("news_per_page must be a whole number from 1 to 500", pos.get(("news_per_page",)))
        news_per_page = 10
    budget: Any = data.get("offline_budget_mb", 10.0)
    try:
        budget = float(budget) if not isinstance(budget, bool) else -1.0
    except (TypeError, ValueError):
        budget = -1.0
    if budget < 0:
        err("offline_budget_mb must be a number of megabytes", pos.get(("offline_budget_mb",)))
        budget = 10.0

    short_name = ""
    if "short_name" in data:
        short_name = text_value("short_name", "") or ""
        if len(short_name) > 12:
            err(
                f"short_name '{short_name}' is {len(short_name)} characters; at most 12 fit under an app icon",
                pos.get(("short_name",)),
            )
    theme_color = data.get("theme_color", "#8b1a1a")
    if not isinstance(theme_color, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", theme_color):
        err("theme_color must be a colour written #rrggbb, such as #8b1a1a", pos.get(("theme_color",)))
        theme_color = "#8b1a1a"
    logo: Path | None = None
    if data.get("logo") is not None:
        raw_logo = data.get("logo")
        if not isinstance(raw_logo, str) or not raw_logo.strip():
            err("logo must be the path of an image file, relative to config.yaml", pos.get(("logo",)))
        else:
            logo = (root / raw_logo.strip()).resolve()
            logo_problem = _image_problem(logo)
            if logo_problem:
                err(f"logo '{raw_logo}' {logo_problem}", pos.get(("logo",)))
                logo = None

    if problems:
        raise ConfigError(problems)
    return SiteConfig(
        path=path.resolve(),
        title=title,
        base_url=url.rstrip("/"),
        content_dir=content_dir,
        templates_dir=templates_dir,
        output_dir=output_dir,
        provinces=provinces,
        description=description,
        news_per_page=news_per_page,
        offline_budget_mb=float(budget),
        kiosk=kiosk,
        glossary=MappingProxyType(dict(sorted(glossary.items()))),
        short_name=short_name,
        logo=logo,
        theme_color=theme_color.lower(),
    )


def _image_problem(path: Path) -> str | None:
    """Why `path` cannot be drawn into app icons, or None."""
    if not path.is_file():
        return "is not a file"
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.verify()
    except Exception:  # Pillow raises many types for files that are not images
        return "is not an image Pillow can read (use PNG, JPEG or WebP)"
    return None


# The address `init` writes until the editor knows the real one: a reserved name (RFC 2606)
# that can never be a published site, so `check` and `build` can tell it from a real address.
PLACEHOLDER_BASE_URL = "https://cchc.example.invalid"
_RESERVED_HOST = re.compile(r"^https?://([^/:]+\.)?(invalid|example|example\.(com|net|org))(:\d+)?(/|$)", re.I)


def placeholder_base_url(config: SiteConfig) -> Diagnostic | None:
    """A warning when base_url is still a reserved placeholder (`check` warns, `build` refuses)."""
    if not _RESERVED_HOST.match(config.base_url):
        return None
    line = 1
    try:
        data_lines = config.path.read_text("utf-8-sig").splitlines()
        line = next((i for i, text in enumerate(data_lines, 1) if text.startswith("base_url:")), 1)
    except OSError:
        pass
    return Diagnostic(
        _shown(config.path, Path.cwd()),
        line,
        1,
        f"base_url '{config.base_url}' is a placeholder: set the site's public address (or pass --base-url to build)",
        Severity.WARNING,
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unsafe_output(output: Path, content: Path, templates: Path, root: Path, config: Path) -> list[str]:
    """Refuse output folders whose replacement would delete the user's work."""
    home = Path.home().resolve()
    if output == Path(output.anchor) or output in (home, Path("/usr"), Path("/etc")):
        return [f"output_dir '{output}' is a system folder; refusing to replace it"]
    if output.exists() and not output.is_dir():
        return [f"output_dir '{output}' is a file, not a folder; refusing to replace it"]
    problems = []
    for name, other in (("content_dir", content), ("templates_dir", templates), ("the site root", root)):
        if output == other or output in other.parents:
            problems.append(f"output_dir '{output}' contains {name} ('{other}'); refusing to replace it")
    if output in config.parents:
        problems.append("output_dir contains the config file; refusing to replace it")
    return problems


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
