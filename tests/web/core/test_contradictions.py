"""Check constraints evaluated in Python agree with the database, for every constraint."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint

from lentera.web.core.contradictions import _holds, _q_fields, _Unsupported

pytestmark = pytest.mark.django_db

SAMPLES: list[tuple[type[models.Field], list[Any]]] = [
    (models.ForeignKey, [None, 1]),
    (models.DateTimeField, [None, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)]),
    (models.DateField, [None, dt.date(2024, 1, 1), dt.date(2024, 6, 1)]),
    (models.IntegerField, [None, 0, 1, 90, 91]),
    (models.CharField, ["", "done", "AB12", "x"]),
]


def _samples(field: models.Field) -> list[Any]:
    for kind, values in SAMPLES:
        if isinstance(field, kind):
            return [v for v in values if v is not None or field.null]
    raise AssertionError(f"no sample values for {field!r}")


def test_python_check_agrees_with_the_database() -> None:
    checked = 0
    for model in apps.get_models():
        if not model.__module__.startswith("lentera"):
            continue
        for constraint in model._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            fields = [model._meta.get_field(n) for n in _q_fields(constraint.condition)]
            for values in itertools.product(*(_samples(f) for f in fields)):
                instance = model()
                for f, v in zip(fields, values, strict=True):
                    setattr(instance, f.attname, v)
                try:
                    python = _holds(instance, constraint.condition) is not False
                except _Unsupported:
                    continue
                try:
                    constraint.validate(model, instance)
                    database = True
                except ValidationError:
                    database = False
                assert python == database, (constraint.name, values)
                checked += 1
    assert checked >= 20
