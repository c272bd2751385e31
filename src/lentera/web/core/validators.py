"""Field validators shared by models, forms and the API (messages name the problem)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lentera import reference

NIK_RE = re.compile(r"^[0-9]{16}$")


def normalise_nik(value: str) -> str:
    """Strip spaces, dots and dashes people type into a NIK."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_nik(value: str) -> None:
    """16 digits, a possible date of birth, a known region code and a serial (decoded by the linkage engine)."""
    from lentera import linkage
    from lentera.errors import LenteraError

    if not normalise_nik(value):
        return
    try:
        linkage.decode_nik(value)
    except LenteraError as exc:
        messages = {
            "nik_format": _("A NIK must be exactly 16 digits."),
            "nik_date": _("The date of birth inside this NIK is impossible."),
        }
        raise ValidationError(
            messages.get(exc.code, _("This NIK is not valid.")), code=exc.code
        ) from exc


def validate_province_code(value: str) -> None:
    if value and value not in reference.provinces():
        raise ValidationError(
            _("Unknown province code: %(code)s."), code="province_unknown", params={"code": value}
        )


def validate_regency_code(value: str) -> None:
    if value and value not in reference.regencies():
        raise ValidationError(
            _("Unknown regency/city code: %(code)s."),
            code="regency_unknown",
            params={"code": value},
        )


def validate_region_code(value: str) -> None:
    if value and not reference.is_valid_region(value):
        raise ValidationError(
            _("Unknown region code: %(code)s."), code="region_unknown", params={"code": value}
        )


def validate_country_code(value: str) -> None:
    if value and not reference.is_valid_country(value):
        raise ValidationError(
            _("Unknown country code: %(code)s."), code="country_unknown", params={"code": value}
        )


def validate_not_future(value: dt.date | None) -> None:
    if value is not None and value > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError(_("This date is in the future."), code="date_future")


def validate_plausible_birth_date(value: dt.date | None) -> None:
    validate_not_future(value)
    if value is not None and value.year < 1900:
        raise ValidationError(
            _("This date of birth is not plausible."), code="birth_date_implausible"
        )


def validate_codes(values: Any, allowed: Iterable[str], *, field_label: str = "") -> None:
    """A JSON list field must hold only known codes, each once."""
    if not isinstance(values, list):
        raise ValidationError(_("Expected a list of codes."), code="not_a_list")
    allowed_set = set(allowed)
    unknown = [v for v in values if v not in allowed_set]
    if unknown:
        raise ValidationError(
            _("Unknown value(s): %(values)s."),
            code="code_unknown",
            params={"values": ", ".join(map(str, unknown))},
        )


def validate_storable_text(value: object) -> None:
    """Refuse characters XML cannot hold (control characters, lone surrogates): they break
    the DOCX and PDF exports and cannot be encrypted."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from lentera.web.core.input import XML_UNSAFE

    if isinstance(value, str):
        bad = XML_UNSAFE.search(value)
        if bad:
            raise ValidationError(
                _("This text contains a character that cannot be stored (code %(code)s).")
                % {"code": f"U+{ord(bad.group()):04X}"},
                code="unstorable_character",
            )
