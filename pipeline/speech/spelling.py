"""Contact details said so that a listener can write them down: a telephone number digit by
digit, in its groups; an email address with its symbols named ("at", "dot") and every part a
voice would not say as a word (no vowel, one or two letters, digits) spelled out. The
transcript keeps them as written; only the voice hears these forms.
"""

from __future__ import annotations

import re

from pipeline.locale import Words

_PHONE_TOKEN = re.compile(r"\+?\d+|[^\W\d_]+")
_EMAIL_PART = re.compile(r"[^@.\-_]+|[@.\-_]")
_VOWELS = set("aeiouyAEIOUY")


def phone_digits(phone: str) -> str:
    """'+44 (0)20 7946 0321' -> '+ 4 4, 0, 2 0, 7 9 4 6, 0 3 2 1': one digit at a time, a pause between groups."""
    return ", ".join(" ".join(token) if token[-1].isdigit() else token for token in _PHONE_TOKEN.findall(phone))


def spelled_email(email: str, words: Words) -> str:
    """'pals@nhs.net' -> 'pals at n h s dot net', the symbols in the article's language."""
    symbols = {
        "@": words.pgettext("spoken email address", "at"),
        ".": words.pgettext("spoken email address", "dot"),
        "-": words.pgettext("spoken email address", "dash"),
        "_": words.pgettext("spoken email address", "underscore"),
    }
    return ", ".join(symbols.get(part) or _said(part) for part in _EMAIL_PART.findall(email.strip()))


def _said(part: str) -> str:
    """A word as it is, or spelled letter by letter where a voice would not read it as one."""
    if len(part) <= 2 or not (set(part) & _VOWELS) or any(char.isdigit() for char in part):
        return " ".join(part)
    return part
