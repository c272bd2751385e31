"""One field list per entity (``cases/fields.py``): forms derive from it, and what cannot be
derived (the API bodies, the intake engine's records) must not drift from it."""

from __future__ import annotations

import pytest

from lentera.intake.models import PersonRecord, SurvivorRecord
from lentera.web.api import schemas
from lentera.web.cases import fields, forms
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator, Person, TraffickingEvent

ENTITIES = [
    (Case, fields.CASE_FIELDS),
    (Person, fields.PERSON_FIELDS),
    (CaseSurvivor, fields.LINK_FIELDS),
    (Perpetrator, fields.PERPETRATOR_FIELDS),
    (TraffickingEvent, fields.EVENT_FIELDS),
]


@pytest.mark.parametrize(("model", "names"), ENTITIES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_listed_field_is_a_field_of_the_model(model: type, names: tuple[str, ...]) -> None:
    own = {f.name for f in model._meta.get_fields()}
    assert set(names) <= own and len(set(names)) == len(names)


def test_forms_show_exactly_the_listed_fields() -> None:
    assert forms.CaseForm._meta.fields == [f for f in fields.CASE_FIELDS if f != "owner"]
    assert forms.PersonForm._meta.fields == [
        f for f in fields.PERSON_FIELDS if f != "age_recorded_on"
    ]
    assert forms.CaseSurvivorForm._meta.fields == list(fields.LINK_FIELDS)
    assert forms.PerpetratorForm._meta.fields == list(fields.PERPETRATOR_FIELDS)
    assert forms.EventForm._meta.fields == list(fields.EVENT_FIELDS)


BODIES = [
    (schemas.CaseIn, fields.CASE_FIELDS),
    (schemas.PersonIn, fields.PERSON_FIELDS),
    (schemas.PersonOut, fields.PERSON_FIELDS),
    (schemas.SurvivorLinkIn, fields.LINK_FIELDS),
    (schemas.SurvivorOut, fields.LINK_FIELDS),
    (schemas.PerpetratorOut, fields.PERPETRATOR_FIELDS),
    (schemas.EventOut, fields.EVENT_FIELDS),
    (PersonRecord, fields.PERSON_FIELDS),
    (SurvivorRecord, fields.LINK_FIELDS),
]
#: fields of a body that are not editable fields of the entity
NOT_EDITABLE = {"id", "version", "person"}


@pytest.mark.parametrize(("body", "names"), BODIES, ids=lambda x: getattr(x, "__name__", ""))
def test_api_and_intake_bodies_use_only_listed_fields(body: type, names: tuple[str, ...]) -> None:
    extra = set(body.model_fields) - NOT_EDITABLE - set(names)
    assert not extra, f"{body.__name__} has fields the services do not accept: {sorted(extra)}"


def test_person_in_and_out_carry_the_same_fields() -> None:
    assert set(schemas.PersonOut.model_fields) - NOT_EDITABLE == set(schemas.PersonIn.model_fields)
