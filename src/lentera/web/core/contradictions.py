"""Contradictions between fields, caught with a message naming both fields in the user's language.

Two kinds:

* database check constraints (closed before opened, a planned end before its start…): Django's
  default message is the raw constraint name ("Batasan “case_closed_after_opened” dilanggar.").
  :class:`ReadableConstraints` (a model mixin) reports :data:`CONSTRAINT_MESSAGES` on the field
  the user has to change; a constraint without an entry still gets a readable message naming
  the fields of its condition, never its name.
* facts that must agree with each other (age at the offence vs date of birth and offence date,
  the date of birth inside the NIK vs the date of birth, an offence before the survivor's birth):
  :func:`survivor_contradictions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: constraint name → (field to mark, message). The message may use the model's field values.
CONSTRAINT_MESSAGES: dict[str, tuple[str | None, Any]] = {
    "case_closed_after_opened": (
        "closed_on",
        _("The closing date (%(closed_on)s) is before the opening date (%(opened_on)s)."),
    ),
    "contact_reminder_days_range": (
        "reminder_days",
        _("Remind every 1 to 90 days."),
    ),
    "reint_action_done_has_date": (
        "actual_date",
        _("An action marked done needs the date it was done."),
    ),
    "reint_followup_outcome_dated": (
        "done_on",
        _("A follow-up with an outcome needs the date of the visit or call."),
    ),
    "support_action_dates": (
        "planned_end",
        _("The planned end (%(planned_end)s) is before the planned start (%(planned_start)s)."),
    ),
    "referral_consent_or_override": (
        None,
        _("A referral needs the survivor's referral consent or a supervisor's override."),
    ),
    "org_code_format": (
        "code",
        _("The organisation code is 2 to 8 capital letters or digits, e.g. PPANTT."),
    ),
}


def human_date(value: dt.date | None) -> str:
    """A date as people write it: "2 Desember 2026" (in the active language)."""
    return date_format(value, "j F Y") if value else "—"


def _q_fields(condition: Any) -> list[str]:
    names: list[str] = []
    for child in getattr(condition, "children", []):
        if isinstance(child, Q):
            names.extend(_q_fields(child))
        elif isinstance(child, tuple):
            names.append(child[0].split("__")[0])
    return list(dict.fromkeys(names))


#: lookups :func:`_holds` evaluates in Python (3-valued, as SQL: a comparison with NULL is
#: unknown, and a check constraint fails only when its condition is false)
_COMPARE = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


class _Unsupported(Exception):
    """A condition :func:`_holds` cannot evaluate: the database checks it."""


def _value(instance: models.Model, name: str) -> Any:
    try:
        return getattr(instance, instance._meta.get_field(name).attname)
    except (FieldDoesNotExist, AttributeError) as exc:
        raise _Unsupported from exc


def _holds(instance: models.Model, condition: Any) -> bool | None:
    """True, False or None (unknown) for a ``Q`` of simple lookups on the instance's own
    fields; raises :class:`_Unsupported` for anything else (joins, expressions, functions)."""
    results: list[bool | None] = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(instance, child))
            continue
        path, rhs = child
        name, _sep, lookup = path.partition("__")
        lookup = lookup or "exact"
        left = _value(instance, name)
        if isinstance(rhs, models.F):
            rhs = _value(instance, rhs.name)
        elif isinstance(rhs, models.Expression):
            raise _Unsupported
        if lookup == "exact" and rhs is None:  # as Django: field=None means IS NULL
            lookup, rhs = "isnull", True
        if lookup == "isnull":
            results.append((left is None) == bool(rhs))
        elif lookup == "in":
            results.append(None if left is None else left in rhs)
        elif lookup in _COMPARE:
            try:
                results.append(
                    None if left is None or rhs is None else bool(_COMPARE[lookup](left, rhs))
                )
            except TypeError as exc:  # not yet a Python value of the field's type
                raise _Unsupported from exc
        else:
            raise _Unsupported
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


def _violated(constraint: CheckConstraint, instance: models.Model, exclude: set[str]) -> bool:
    """Whether the instance violates the check constraint: in Python when the condition is
    simple (no query per record, as the bulk import checks hundreds), else by the database."""
    try:
        return _holds(instance, constraint.condition) is False
    except _Unsupported:
        try:
            constraint.validate(type(instance), instance, exclude=exclude)
        except ValidationError:
            return True
        return False


def _label(instance: models.Model, name: str) -> str:
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _display(value: Any) -> str:
    if isinstance(value, dt.date):
        return human_date(value)
    return "—" if value in (None, "") else str(value)


def constraint_errors(
    instance: models.Model, exclude: Iterable[str] = ()
) -> dict[str, list[ValidationError]]:
    """The violated check constraints of ``instance``, as readable errors on the right field."""
    errors: dict[str, list[ValidationError]] = {}
    exclude = set(exclude)
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        fields = _q_fields(constraint.condition)
        if exclude & set(fields):
            continue
        if _violated(constraint, instance, exclude):
            field, message = CONSTRAINT_MESSAGES.get(constraint.name, (None, None))
            if message is None:
                message = gettext("These fields contradict each other: %(fields)s.") % {
                    "fields": ", ".join(_label(instance, f) for f in fields)
                }
                field = fields[-1] if fields else None
            else:
                values = {f.name: _display(getattr(instance, f.attname, None))
                          for f in instance._meta.fields}  # fmt: skip
                message = str(message) % values if "%(" in str(message) else str(message)
            errors.setdefault(field or NON_FIELD_ERRORS, []).append(
                ValidationError(message, code="contradiction")
            )
    return errors


class ReadableConstraints:
    """Model mixin: a violated check constraint is reported with :data:`CONSTRAINT_MESSAGES` on
    the field to correct (model forms and ``full_clean`` both go through this), other
    constraints as Django reports them."""

    def validate_constraints(self, exclude: Iterable[str] | None = None) -> None:
        exclude = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[Any]] = {}
        for model_class, model_constraints in self.get_constraints():  # type: ignore[attr-defined]
            for constraint in model_constraints:
                if isinstance(constraint, CheckConstraint):
                    continue
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        for field, errs in constraint_errors(self, exclude).items():  # type: ignore[arg-type]
            errors.setdefault(field, []).extend(errs)
        if errors:
            raise ValidationError(errors)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def survivor_contradictions(
    *,
    birth_date: dt.date | None,
    nik_birth_date: dt.date | None,
    estimated_age: int | None,
    age_recorded_on: dt.date | None,
    age_at_offence: int | None,
    offence_date: dt.date | None,
) -> dict[str, list[ValidationError]]:
    """Facts about one survivor that cannot all be true, keyed by the field to correct."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code="contradiction"))

    if birth_date and nik_birth_date and birth_date != nik_birth_date:
        add("birth_date", gettext(
            "The date of birth (%(birth)s) differs from the date of birth inside the NIK "
            "(%(nik)s). Correct one of the two."
        ) % {"birth": human_date(birth_date), "nik": human_date(nik_birth_date)})  # fmt: skip
    if birth_date and offence_date and offence_date < birth_date:
        add("birth_date", gettext(
            "The date of birth (%(birth)s) is after the offence date of the case (%(offence)s)."
        ) % {"birth": human_date(birth_date), "offence": human_date(offence_date)})  # fmt: skip
    if age_at_offence is None or offence_date is None:
        return errors
    if birth_date:
        expected, source = age_on(birth_date, offence_date), gettext("the date of birth")
    elif estimated_age is not None and age_recorded_on:
        expected = estimated_age - max(0, age_on(offence_date, age_recorded_on))
        source = gettext("the estimated age")
    else:
        return errors
    if abs(expected - age_at_offence) <= 1 and (expected < 18) == (age_at_offence < 18):
        return errors
    params = {"age": age_at_offence, "expected": expected, "source": source,
              "offence": human_date(offence_date)}  # fmt: skip
    if expected < 18 <= age_at_offence:
        message = gettext(
            "By %(source)s the survivor was a child (%(expected)s) on the offence date "
            "(%(offence)s), but the age at the offence says %(age)s, an adult. A child is "
            "analysed under different law: correct one of the two."
        )
    elif age_at_offence < 18 <= expected:
        message = gettext(
            "By %(source)s the survivor was an adult (%(expected)s) on the offence date "
            "(%(offence)s), but the age at the offence says %(age)s, a child. Correct one of "
            "the two."
        )
    else:
        message = gettext(
            "The age at the offence (%(age)s) does not match %(source)s and the offence date "
            "(%(offence)s), which give %(expected)s. Correct one of them or leave the age empty."
        )
    add("age_at_offence", message % params)
    return errors
