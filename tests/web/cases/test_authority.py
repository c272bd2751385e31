"""Role rules live in the services: a caller that skips the view cannot skip the rule."""

from __future__ import annotations

from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.web.cases import services
from lentera.web.cases.models import Person

pytestmark = pytest.mark.django_db


def test_anonymise_service_refuses_a_caseworker(
    worker_a: Any, users_a: dict[str, Any], build_case: Any
) -> None:
    person = build_case(worker_a).survivors.first().person
    with pytest.raises(LenteraError) as exc:
        services.person_anonymise(actor=worker_a, person=person, reason="data_subject_request")
    assert exc.value.kind == "forbidden" and exc.value.code == "supervisor_required"
    assert Person.objects.get(pk=person.pk).anonymised_at is None


def test_anonymise_service_allows_a_supervisor(
    worker_a: Any, users_a: dict[str, Any], build_case: Any
) -> None:
    person = build_case(worker_a).survivors.first().person
    services.person_anonymise(
        actor=users_a["supervisor"], person=person, reason="data_subject_request"
    )
    assert Person.objects.get(pk=person.pk).anonymised_at is not None
