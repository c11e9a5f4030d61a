"""The publisher's email and phone checked for what they are: an address (`email-validator`)
and a telephone number (`phonenumbers`).

Both reach every edition, and the email becomes a `mailto:` link: checked only as text,
`a@b.example?bcc=someone@else.example&body=...` would be a link that copies a stranger into
every patient's message, and a phone of `[call](https://...)` a link to anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pipeline.model.rules import escaped

_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*(?:\s*(?:ext\.?|x)\s*[0-9]+)?", re.IGNORECASE)
"""What a number is written with: digits, spaces, brackets, dots, dashes and slashes, an
international +, and an extension ('0800 123 4567 ext 45')."""


def problems(details: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(key, what is wrong and what to do) for an email that is no address and a phone that is no number."""
    if "email" in details:
        why = email_problem(details["email"])
        if why:
            yield "email", why
    if "phone" in details and not is_phone_number(details["phone"]):
        yield "phone", "is not a telephone number: write the number alone, e.g. phone = \"020 7946 0321\" or \"+44 20 7946 0321\""


def email_problem(value: str) -> str | None:
    """Why `value` is not one email address, or None when it is."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return f"is not an email address ({escaped(str(error)).rstrip('.')}): write the address alone, e.g. email = \"leaflets@riverside.example\""
    return None


def is_phone_number(value: str) -> bool:
    """True if `value` is written as a number and has as many digits as a number can have: in
    international form (+44 ...) for its country, otherwise for any country's own form."""
    import phonenumbers

    if not _PHONE.fullmatch(value.strip()):
        return False
    regions = [None] if value.strip().startswith("+") else sorted(phonenumbers.SUPPORTED_REGIONS)
    for region in regions:
        try:
            if phonenumbers.is_possible_number(phonenumbers.parse(value, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False

