"""Hypothesis on the forms and services: arbitrary input never causes a server error or a half-save."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.errors import LenteraError
from lentera.web.cases import services
from lentera.web.cases.models import Person

# any text, including control characters, lone surrogates and very long values (finding 10)
text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cs"]), min_size=1, max_size=5),
)
# an HTTP form body is UTF-8: it cannot carry lone surrogates (those are fuzzed on the API)
form_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=5),
)
person_fields = st.fixed_dictionaries(
    {},
    optional={
        "full_name": text,
        "nik": st.one_of(text, st.from_regex(r"[0-9]{16}", fullmatch=True)),
        "origin_province_code": st.one_of(text, st.sampled_from(["35", "53", "99", ""])),
        "origin_regency_code": st.one_of(text, st.sampled_from(["3578", "5301", "9999", ""])),
        "citizenship": st.one_of(text, st.sampled_from(["ID", "MY", "XX"])),
        "sex": st.one_of(text, st.sampled_from(["female", "male"])),
        "estimated_age": st.one_of(st.none(), st.integers(-5, 300)),
        "phone": text,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=person_fields)
@pytest.mark.django_db
def test_person_service_accepts_or_names_the_field(worker_a: Any, fields: dict[str, Any]) -> None:
    before = Person.objects.count()
    error: LenteraError | None = None
    try:
        services.person_create(actor=worker_a, **fields)
    except LenteraError as exc:
        error = exc
    if error is not None:
        assert error.field or error.message
        assert Person.objects.count() == before
    else:
        assert Person.objects.count() == before + 1


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(["status", "opened_on", "offence_date", "closed_on", "summary", "version"]),
        form_text,
        max_size=6,
    )
)
@pytest.mark.django_db
def test_case_form_never_errors(worker_a: Any, data: dict[str, str]) -> None:
    client = Client()
    client.force_login(worker_a)
    from lentera.web.cases.models import Case
    from lentera.web.core.input import XML_UNSAFE

    before = Case.objects.count()
    response = client.post("/cases/new/", data)
    if any(XML_UNSAFE.search(k + v) for k, v in data.items()):
        assert response.status_code == 400  # refused before the view, naming the field
        assert Case.objects.count() == before
    else:
        assert response.status_code in {200, 302}
