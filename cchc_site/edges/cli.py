"""Command line: arguments → build / check / serve / new / import; errors → exit codes.

0 success; 1 content errors; 2 usage or config errors. No traceback reaches
the user for any input (set CCHC_DEBUG=1 to see one for a bug in cchc-site).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from cchc_site import __version__
from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic, count_line, format_all

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser(argv: Sequence[str] | None = None) -> Parser:
    """The argument parser. A command that lives in its own module (serve, new,
    import) has its module imported only when `argv` names that command: a build
    does not pay for importing the server and the importer."""
    chosen = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    parser = Parser(prog="cchc-site", description="Static site generator for CCHC information microsites.")
    parser.add_argument("--version", action="version", version=f"cchc-site {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def config_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")

    b = sub.add_parser("build", help="build the site")
    config_arg(b)
    b.add_argument("--output", type=Path, help="output folder (default: output_dir of the config)")
    b.add_argument("--base-url", help="public address of the site (overrides base_url)")
    b.add_argument("--drafts", action="store_true", help="include drafts and future-dated content")
    b.add_argument("--jobs", type=_positive, default=None, help="worker processes (default: CPU count)")
    b.add_argument("--quiet", action="store_true", help="print errors only")
    b.add_argument("--cache-dir", type=Path, help="build cache folder (default .cchc-cache beside the config)")
    b.add_argument("--no-cache", action="store_true", help="build everything from scratch, keep no cache")

    c = sub.add_parser("check", help="validate all content and links; write nothing")
    config_arg(c)
    c.add_argument("--format", choices=("text", "github", "json", "gitlab"), default="text")

    for name, (module_name, helptext) in COMMAND_MODULES.items():
        command = sub.add_parser(name, help=helptext, description=helptext)
        if name == chosen:
            module = _command_module(module_name)
            if module is not None:
                module.add_arguments(command)
    return parser


# Commands that live in their own module: each defines add_arguments(parser) and
# run(args) -> exit code, and may raise ConfigError/CchcError like the others.
COMMAND_MODULES = {
    "init": ("cchc_site.tools.init", "start a new site: config, example content, .gitignore, CI workflow"),
    "schema": ("cchc_site.tools.schema", "write a JSON Schema per content type (for editors' YAML completion)"),
    "serve": ("cchc_site.edges.server", "build, serve the site and rebuild on every save"),
    "new": ("cchc_site.tools.scaffold", "write a new content file with a valid front matter skeleton"),
    "import": ("cchc_site.tools.importer", "turn articles saved from provincial portals into drafts"),
    "list": ("cchc_site.tools.listing", "list content: drafts, entries dated in the future, or all"),
}


def _command_module(name: str):  # type: ignore[no-untyped-def]
    import importlib

    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if hasattr(module, "add_arguments") and hasattr(module, "run") else None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _silence_stdout() -> None:
    """Point stdout and stderr at /dev/null once their reader has gone (a closed pipe), so
    that nothing more, not even the interpreter's flush at exit, fails on them."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass


def print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    try:
        _print_diagnostics(diagnostics, fmt)
    except BrokenPipeError:  # the exit code still says what was found
        _silence_stdout()


def _print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    if fmt in ("json", "gitlab"):
        print(format_all(diagnostics, fmt))
        return
    if diagnostics:
        print(format_all(diagnostics, fmt), file=sys.stderr if fmt == "text" else sys.stdout)
    if fmt == "text" and diagnostics:
        print(count_line(diagnostics), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from cchc_site.build import build_time
    from cchc_site.config.settings import load_config, placeholder_base_url
    from cchc_site.edges.parallel import cpu_count
    from cchc_site.edges.runner import RunOptions, run_build

    config = load_config(args.config, output=args.output, base_url=args.base_url)
    placeholder = placeholder_base_url(config)
    if placeholder is not None:  # canonical links, feeds and the sitemap would point nowhere
        raise ConfigError([Diagnostic(placeholder.path, placeholder.line, placeholder.col, placeholder.message)])
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    options = RunOptions(
        drafts=args.drafts,
        jobs=args.jobs or cpu_count(),
        cache_dir=None if args.no_cache else (args.cache_dir or config.root / ".cchc-cache"),
        quiet=args.quiet,
        progress=interactive,
        command_line=f"{args.output}|{args.base_url}",
    )
    report = run_build(config, options, build_time())
    if not report.ok:
        print_diagnostics(report.diagnostics)
        print("build failed; the previous output was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    if report.diagnostics:
        print_diagnostics(report.diagnostics)
    if not args.quiet:
        where = _shown(config.output_dir)
        if report.up_to_date:
            print(f"{where} is up to date (nothing changed since the last build; {report.seconds:.2f} s)")
        else:
            print(
                f"built {report.pages} pages ({report.pages_rendered} rendered, {report.pages_reused} reused "
                f"from the cache), {report.files} files into {where} in {report.seconds:.1f} s "
                f"with {options.jobs} job{'s' if options.jobs > 1 else ''}"
            )
            note = left_out_line(*report.left_out, report.next_due)
            if note:
                print(note)
    return EXIT_OK


def left_out_line(drafts: int, future: int, next_due: Any) -> str | None:
    """What a build left out, so that nothing disappears without a word."""
    parts = []
    if drafts:
        parts.append(f"{drafts} draft{'s' if drafts > 1 else ''}")
    if future:
        when = f" (the nearest on {next_due.date().isoformat()})" if next_due is not None else ""
        parts.append(f"{future} dated in the future{when}")
    if not parts:
        return None
    return (
        "left out: " + ", ".join(parts) + " — see them with `cchc-site list drafts` / `list future`, "
        "or preview them with `cchc-site serve`"
    )


def cmd_check(args: argparse.Namespace) -> int:
    from cchc_site.build import check
    from cchc_site.config.settings import load_config, placeholder_base_url

    config = load_config(args.config)
    diagnostics = check(config)
    placeholder = placeholder_base_url(config)
    if placeholder is not None:
        diagnostics = (*diagnostics, placeholder)
    print_diagnostics(diagnostics, args.format)
    if any(d.severity.value == "error" for d in diagnostics):
        return EXIT_CONTENT
    if args.format == "text":
        print("check: no errors" if diagnostics else "check: no problems found", file=sys.stderr)
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"build": cmd_build, "check": cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser(argv).parse_args(argv)
    run = COMMANDS.get(args.command) or _command_module(COMMAND_MODULES[args.command][0]).run
    try:
        return run(args)
    except ConfigError as exc:
        print_diagnostics(exc.diagnostics, getattr(args, "format", "text"))
        return EXIT_USAGE
    except CchcError as exc:
        print_diagnostics(exc.diagnostics, getattr(args, "format", "text"))
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `cchc-site check | head -1`: the reader has what it wanted
        _silence_stdout()
        return EXIT_CONTENT
    except Exception as exc:  # a bug in cchc-site, not in the input
        if os.environ.get("CCHC_DEBUG"):
            raise
        print(
            f"cchc-site: internal error: {type(exc).__name__}: {exc} (run with CCHC_DEBUG=1 for details; "
            "please report it)",
            file=sys.stderr,
        )
        return EXIT_CONTENT


def run() -> None:
    exits_at_once = len(sys.argv) > 1 and sys.argv[1] in ("build", "check")
    if exits_at_once and sys.argv[1] == "build":
        # The build pauses the cyclic collector and turns it back on when done (runner.py);
        # here the process ends right after, so it stays off: turning it back on started a
        # collection of every object the build made (~0.35 s at 10,000 articles), for nothing.
        gc.disable()
    code = main()
    if exits_at_once:
        # Everything is written and closed; skip freeing a big site's objects one by one
        # at interpreter exit (a few hundred ms of an incremental build's time).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
