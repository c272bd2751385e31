"""Indonesian phone numbers to E.164 (+62…)."""

from __future__ import annotations

import re

from lentera.errors import LenteraError

__all__ = ["normalise_phone"]


def normalise_phone(text: str) -> str:
    """``0812-3456-7890``, ``62 812…``, ``+62 (812)…`` → ``+6281234567890``; foreign ``+…`` kept.

    Raises :class:`LenteraError` (field ``phone``) when the result cannot be a phone number.
    """
    raw = (text or "").strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and not digits.startswith("62"):
        number = "+" + digits  # a foreign number: keep as given
    elif digits.startswith("62"):
        number = "+" + digits
    elif digits.startswith("0"):
        number = "+62" + digits[1:]
    elif digits.startswith("8"):
        number = "+62" + digits
    else:
        raise LenteraError(
            "phone_format",
            "not an Indonesian phone number (expected 08…, 62… or +62…)",
            field="phone",
        )
    if not 9 <= len(number) - 1 <= 15:
        raise LenteraError(
            "phone_length",
            "a phone number has 8 to 15 digits after the country code",
            field="phone",
        )
    return number
