"""The `import` command: arguments, then import → write → summary for each file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_site.domain.provinces import load_registry
from cchc_site.tools.importer.extraction import import_bytes
from cchc_site.tools.importer.write import summary_lines, write_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="text or HTML saved from a portal page")
    parser.add_argument(
        "--out",
        type=Path,
        help="content folder to write into (default: content_dir of the config); "
        "drafts go to <out>/articles/imported/ and <out>/plans/imported/",
    )
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")


def run(args: argparse.Namespace) -> int:
    from cchc_site.config.settings import load_config
    from cchc_site.core.diagnostics import ConfigError, Diagnostic

    config = None
    if args.out is None or args.config.exists():
        config = load_config(args.config)
    content_dir = config.content_dir if config is not None else args.out
    default_province = (
        config.provinces[0] if config is not None and config.provinces and len(config.provinces) == 1 else None
    )
    registry = load_registry()
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{path}: error: cannot read: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        if not data.strip():
            print(f"{path}: error: the file is empty", file=sys.stderr)
            status = 1
            continue
        result = import_bytes(data, path.name, registry=registry, default_province=default_province)
        try:
            written = write_result(result, content_dir, out=args.out)
        except FileExistsError as exc:
            print(f"{path}: error: {exc.filename} already exists; not overwritten", file=sys.stderr)
            status = 1
            continue
        except OSError as exc:
            raise ConfigError(
                [Diagnostic(str(args.out or content_dir), 0, 0, f"cannot write: {exc.strerror}")]
            ) from None
        print("\n".join(summary_lines(result, written)))
        if not written.ok:
            status = 1
    return status
