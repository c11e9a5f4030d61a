"""The rules every piece of patient text obeys: no hidden characters, public web addresses,
well-formed language tags. The model's types check them; the loader and validator quote them.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def forbidden_character(value: str) -> tuple[int, str] | None:
    """The first character that has no place in patient text, as (index, what it is and what to do).

    Control characters hide text or break layouts; bidi overrides can make text read
    differently from how it is stored (the "Trojan Source" trick).
    """
    for index, char in enumerate(value):
        if char == "\n":
            continue
        code = ord(char)
        if char == "\t":
            return index, "a tab character: replace it with a space"
        if char in _BIDI_CONTROLS:
            return index, f"invisible bidirectional control character U+{code:04X}: delete it"
        category = unicodedata.category(char)
        if category == "Cc" or char == "\ufeff":
            return index, f"control character U+{code:04X}: delete it"
        if category in ("Cs", "Co") or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
            return index, f"non-character U+{code:04X}: delete it"
    return None


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(value: str) -> str:
    """`value` with each character that could end a line, drive a terminal (ESC ...) or reorder
    the text around it written as a visible escape (`\\n`, `\\x1b`, `\\u202e`): what a file
    name or a user's value shows in a message, a comment or a log, where it must stay one
    line of plain text."""
    return "".join(_NAMED_ESCAPES.get(char) or (_escape(char) if _is_hidden(char) else char) for char in value)


def _is_hidden(char: str) -> bool:
    return forbidden_character(char) is not None or unicodedata.category(char) in ("Zl", "Zp")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quoted(value: str, limit: int = 60) -> str:
    """A user's value for an error message: in quotes, and cut short if it is long."""
    return f"'{value}'" if len(value) <= limit else f"'{value[: limit - 1]}…'"


def url_problem(url: str) -> str | None:
    """Why `url` is not a public web address a patient can open, or None if it is one."""
    shown = quoted(url)
    if not url.strip():
        return "is blank: write the web address, e.g. https://www.nhs.uk/..."
    if url != url.strip() or any(char.isspace() for char in url):
        return f"{shown} is not a web address: remove the spaces (write %20 if one is part of it)"
    if forbidden_character(url):
        return f"{shown} holds a control character: delete it"
    if len(url) > 2000:
        return f"{shown} is longer than 2000 characters: link to a shorter address"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return f"{shown} is not a well-formed web address: check the host name and the port"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{shown} is not a web address: links must start with https:// (or http://)"
    if not parts.hostname or "@" in parts.netloc:
        return f"{shown} has no host name (or holds a user name): write e.g. https://www.nih.gov/..."
    if _is_private_host(parts.hostname):
        return f"{shown} points at this computer or a private network, which patients cannot reach: link to a public web address"
    return None


def _is_private_host(host: str) -> bool:
    """Loopback, private and link-local addresses, localhost, and names without a domain."""
    host = host.rstrip(".")
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return "." not in host or host.endswith((".localhost", ".local", ".internal"))


LANGUAGE_TAG = re.compile(
    r"^[a-z]{2,3}(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?$",
    re.IGNORECASE | re.ASCII,
)


def is_language_tag(value: str) -> bool:
    """Well-formed per BCP 47 (RFC 5646) syntax, without irregular grandfathered tags.

    The primary language is 2 or 3 letters: RFC 5646 reserves 4 letters and registers no
    language of 5 to 8, so 'English' is a mistake, not a tag.
    """
    return bool(LANGUAGE_TAG.fullmatch(value))
