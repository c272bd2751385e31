"""The write toolkit every service uses: validation, optimistic locking, field assignment.

One set of error codes for the whole web layer (an API client handles each once):

* ``invalid_field`` / ``invalid`` — :func:`clean` turned a Django ``ValidationError`` into a
  message that names the field (check constraints and contradictions included);
* ``stale_version`` (kind ``conflict``) — :func:`check_version`: the record changed since the
  form or API client read it;
* ``unknown_field`` — :func:`assign` was given a field the service does not accept;
* ``required`` / ``too_short`` / ``too_long`` — :func:`text`; ``code_unknown`` — :func:`codes`;
* ``not_found`` (kind ``not_found``) — :func:`not_found`, also for another organisation's rows,
  so a probe cannot tell "exists elsewhere" from "does not exist".

Services stay keyword-only, ``actor`` first, ``@transaction.atomic``, and audited; this module
holds no policy (that is :mod:`lentera.web.core.access`) and writes nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.core.models import YearCounter

if TYPE_CHECKING:
    from lentera.web.accounts.models import Organisation

M = TypeVar("M", bound=models.Model)

#: The longest free text a service accepts where the model field has no limit of its own.
MAX_TEXT = 4000


def reserve_numbers(
    counter: type[YearCounter], organisation: Organisation, year: int, n: int = 1
) -> range:
    """The next ``n`` numbers of ``year`` in ``organisation``'s ``counter`` (one row update),
    locked until the commit.

    Call it inside the service's transaction: the counter row stays locked, so two concurrent
    records never receive the same number.
    """
    row, _created = counter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    first = row.last + 1
    row.last += n
    row.save(update_fields=["last"])
    return range(first, row.last + 1)


def next_number(counter: type[YearCounter], organisation: Organisation, year: int) -> int:
    """The next number of ``year`` in ``organisation``'s ``counter`` (see :func:`reserve_numbers`)."""
    return reserve_numbers(counter, organisation, year)[0]


def invalid(code: str, message: str, field: str | None = None) -> LenteraError:
    """A validation error with a stable ``code`` and a message for the user."""
    return LenteraError(code, message, field=field)


def not_found(message: str | None = None) -> LenteraError:
    """``not_found`` — the same answer for a missing row and for another organisation's row."""
    return LenteraError("not_found", message or _("Not found."), kind="not_found")


def as_lentera_error(exc: ValidationError) -> LenteraError:
    """A Django ``ValidationError`` as one ``LenteraError`` naming the first field at fault."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = "; ".join(str(m) for e in errors for m in e.messages)
        return LenteraError(
            "invalid_field", f"{field}: {message}", field=field, params={"errors": exc.message_dict}
        )
    return LenteraError("invalid", "; ".join(exc.messages))


def clean(
    instance: models.Model,
    extra: Mapping[str, Callable[[], Any]] | None = None,
    exclude: Iterable[str] = (),
    contradictions: Mapping[str, list[ValidationError]] | None = None,
) -> None:
    """Model validation plus Lentera's field validators; raise ``LenteraError`` naming the field.

    ``extra`` maps a field to a callable that raises ``ValidationError``; check constraints and
    ``contradictions`` between fields come back as readable messages on the field to correct
    (:mod:`lentera.web.core.contradictions`), never as a constraint name.
    """
    errors: dict[str, list[Any]] = {}
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors.update(exc.error_dict)
    for field, check in (extra or {}).items():
        try:
            check()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_list)
    for field, errs in (contradictions or {}).items():
        errors.setdefault(field, []).extend(errs)
    if errors:
        raise as_lentera_error(ValidationError(errors))


def check_version(
    obj: models.Model, version: int | str | None, submitted: Mapping[str, Any] | None = None
) -> None:
    """Optimistic locking: refuse a save based on a stale read, naming what changed meanwhile.

    ``version=None`` means the caller did not read first (CLI, imports) and is not checked.
    The caller bumps ``obj.version`` when it saves.
    """
    current = obj.version  # type: ignore[attr-defined]
    if version is None or version == "" or int(version) == current:
        return
    changed = sorted(
        k for k, v in (submitted or {}).items() if hasattr(obj, k) and getattr(obj, k) != v
    )
    own_fields = {f.name for f in obj._meta.fields}
    labels = [str(obj._meta.get_field(k).verbose_name) for k in changed if k in own_fields]
    message = _(
        "Someone else changed this record after you opened it. Reload to see their changes, then edit again."
    )
    if labels:
        message = _("%(message)s Fields that now differ from what you submitted: %(fields)s.") % {
            "message": message,
            "fields": ", ".join(labels),
        }
    raise LenteraError(
        "stale_version",
        message,
        kind="conflict",
        params={"current_version": current, "your_version": int(version), "fields": changed},
    )


def assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the ``allowed`` fields of ``instance`` from ``data``; return the names that changed.

    A key outside ``allowed`` is refused (``unknown_field``) rather than ignored, so a typo in a
    caller never silently drops a value.
    """
    allowed = set(allowed)
    changed = []
    for key, value in data.items():
        if key not in allowed:
            raise LenteraError(
                "unknown_field", _("Unknown field: %(field)s") % {"field": key}, field=key
            )
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed.append(key)
    return changed


def new_or_checked(
    obj: M | None,
    new: Callable[[], M],
    version: int | str | None,
    submitted: Mapping[str, Any] | None = None,
) -> M:
    """``new()`` when there is no record yet; else ``obj`` checked against the ``version`` the
    caller read (:func:`check_version`) and its version moved on for the save (create-or-edit
    services)."""
    if obj is None:
        return new()
    check_version(obj, version, submitted)
    obj.version += 1  # type: ignore[attr-defined]
    return obj


def set_given(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Set each of ``fields`` that ``data`` gives; other keys (``version``…) are left alone."""
    for key in fields:
        if key in data:
            setattr(instance, key, data[key])


def text(value: str | None, field: str, *, required: bool = False, minimum: int = 0) -> str:
    """Stripped free text within ``MAX_TEXT``; ``required``/``minimum`` give named errors."""
    value = (value or "").strip()
    if required and not value:
        raise invalid("required", _("%(field)s is required.") % {"field": field}, field)
    if value and len(value) < minimum:
        raise invalid(
            "too_short",
            _("%(field)s must be at least %(n)s characters.") % {"field": field, "n": minimum},
            field,
        )
    if len(value) > MAX_TEXT:
        raise invalid(
            "too_long",
            _("%(field)s must be at most %(n)s characters.") % {"field": field, "n": MAX_TEXT},
            field,
        )
    return value


def codes(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    """De-duplicated codes, in order; any code outside ``allowed`` is refused by name."""
    values = list(dict.fromkeys(v for v in values if v))
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise invalid(
            "code_unknown",
            _("Unknown value(s) in %(field)s: %(values)s.")
            % {"field": field, "values": ", ".join(unknown)},
            field,
        )
    return values
