"""Which `Host` headers the dev server answers: a DNS-rebinding defence.

A page on another site can point its own host name at 127.0.0.1 and then read
the preview (drafts included) as same-origin. The browser still sends that
foreign name in `Host`, so `serve` answers only to the names it was bound for:
127.0.0.1, localhost, [::1] and the `--host` given, with any port. Bound to a
wildcard address (0.0.0.0, ::), it also answers to any IP address literal,
the way a phone on the same network reaches it; rebinding needs a host name.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def host_name(header: str) -> str | None:
    """The name in a Host header without its port, lower-cased; None if malformed."""
    text = header.strip().lower()
    if not text or any(c.isspace() or ord(c) < 0x21 or ord(c) == 0x7F for c in text):
        return None
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        name, rest = text[1:end], text[end + 1 :]
    else:
        name, _, port = text.partition(":")
        rest = ":" + port if _ else ""
    if rest and not (rest.startswith(":") and rest[1:].isdigit() and len(rest) <= 6):
        return None
    return name.rstrip(".") or None


def allowed_names(bound: str) -> frozenset[str]:
    bound = bound.strip().lower().strip("[]").rstrip(".")
    return LOOPBACK_NAMES | {bound}


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request with this Host header is answered by a server bound to `bound`."""
    if header is None:
        return False
    name = host_name(header)
    if name is None:
        return False
    if name in allowed_names(bound):
        return True
    try:
        wildcard = ipaddress.ip_address(bound.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False
