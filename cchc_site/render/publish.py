"""Publishing to static hosting: the `_headers` file (Netlify, Cloudflare Pages).

Caching rules (the same ones docs/ci-examples.md gives for nginx and S3):

* HTML pages, feeds, `manifest.webmanifest` and the service worker `sw.js`:
  `Cache-Control: no-cache` — stored, but revalidated on every load, so a new
  deployment is seen at once and a kiosk's worker finds its new version;
* `/assets/*` (content-hashed names): `public, max-age=31536000, immutable`;
* every response: the page CSP (`render.CSP`; `frame-ancestors` only works as a
  header), `X-Content-Type-Options: nosniff`, `Referrer-Policy`.

* `/files/*` (editors' attachments): also `Content-Security-Policy: sandbox`,
  so an attachment opened in a browser runs no script and has no access to the
  site's origin (see content.attachments for the checks at build time). Here
  the join is meant: two CSP values are two policies, and both are enforced.

Both hosts *join* the values of a header set by two matching rules
("no-cache, public, max-age=…"), so no path is matched by two rules that set
the same header: `Cache-Control` is set per top-level folder and per root
file, never on `/*`. Cloudflare allows 100 rules; a site has one rule per
top-level folder and root file (about 15–30).
"""

from __future__ import annotations

from typing import Mapping

from cchc_site.render.pages import CSP

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
ASSETS_FOLDER = "assets"
FILES_FOLDER = "files"
ATTACHMENT_HEADERS = (
    ("Content-Security-Policy", "sandbox"),
    ("X-Content-Type-Options", "nosniff"),
)


def cache_rules(paths: list[str]) -> list[tuple[str, str]]:
    """(URL pattern, Cache-Control) for the given output paths, in a stable order."""
    folders: set[str] = set()
    root_files: set[str] = set()
    for path in paths:
        head, sep, _ = path.partition("/")
        if sep:
            folders.add(head)
        else:
            root_files.add(head)
    rules: list[tuple[str, str]] = []
    if ASSETS_FOLDER in folders:
        rules.append((f"/{ASSETS_FOLDER}/*", IMMUTABLE))
    if "index.html" in root_files:
        rules.append(("/", REVALIDATE))
    for name in sorted(root_files):
        if name != "_headers":
            rules.append((f"/{name}", REVALIDATE))
    for folder in sorted(folders - {ASSETS_FOLDER}):
        rules.append((f"/{folder}/*", REVALIDATE))
    return rules


def headers_file(files: Mapping[str, bytes]) -> bytes:
    """The `_headers` file for a build's output files (output path → bytes)."""
    lines = [
        "# Written by cchc-site: HTTP headers for Netlify and Cloudflare Pages.",
        "# HTML, feeds, the web manifest and sw.js are revalidated on every load;",
        "# content-hashed /assets/ are cached for a year.",
        "",
        "/*",
    ]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    for pattern, cache in cache_rules(sorted(files)):
        lines += ["", pattern, f"  Cache-Control: {cache}"]
        if pattern == f"/{FILES_FOLDER}/*":
            lines += [f"  {name}: {value}" for name, value in ATTACHMENT_HEADERS if name != "X-Content-Type-Options"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def nginx_attachments_location() -> str:
    """The nginx `location` block for attachments (docs/ci-examples.md shows it in a server block)."""
    lines = [f"location /{FILES_FOLDER}/ {{", '    add_header Cache-Control "no-cache" always;']
    lines += [f'    add_header {name} "{value}" always;' for name, value in ATTACHMENT_HEADERS]
    lines += ["    add_header Referrer-Policy strict-origin-when-cross-origin always;", "    try_files $uri =404;", "}"]
    return "\n".join(lines) + "\n"
