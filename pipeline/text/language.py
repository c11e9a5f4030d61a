"""What a language tag tells the layout and the voice: its primary language and direction."""

from __future__ import annotations

_RTL_SCRIPTS = {"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"}
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}


def direction(lang: str) -> str:
    """'rtl' or 'ltr': the script subtag decides when present ('ku-Arab'), else the language."""
    language, *subtags = lang.lower().split("-")
    for subtag in subtags:
        if subtag == "x":
            break
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in _RTL_SCRIPTS else "ltr"
    return "rtl" if language in _RTL_LANGUAGES else "ltr"


def primary_language(lang: str) -> str:
    """'es' for 'es-MX': what voices, lexicons and catalogues are chosen by."""
    return lang.lower().split("-")[0]
