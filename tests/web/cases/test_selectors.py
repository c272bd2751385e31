"""Selectors: search by name, NIK and number; filters; organisation scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.web.cases import selectors
from lentera.web.cases.selectors import CaseFilters

pytestmark = pytest.mark.django_db


def refs(actor: Any, **filters: Any) -> set[str]:
    return {
        c.reference
        for c in selectors.case_list_for_user(actor=actor, filters=CaseFilters(**filters))
    }


def test_search_by_name_nik_and_number(worker_a: Any, build_case: Any) -> None:
    c1 = build_case(worker_a, name="Sutinah binti Karto", nik="5301054708990003")
    c2 = build_case(worker_a, name="I Wayan Sudarma", nik="5171010101900001")
    assert refs(worker_a, q="sutinah") == {c1.reference}
    assert refs(worker_a, q="SUTINAH KARTO") == {c1.reference}
    assert refs(worker_a, q="wayan sudarma") == {c2.reference}
    assert refs(worker_a, q="5301 0547 0899 0003") == {c1.reference}
    assert refs(worker_a, q=c2.reference) == {c2.reference}
    assert refs(worker_a, q=c2.reference[-5:]) == {c2.reference}
    assert refs(worker_a, q="nobody") == set()


def test_search_folds_old_spelling(worker_a: Any, build_case: Any) -> None:
    """A name recorded in the old spelling is found with the new one."""
    c = build_case(worker_a, name="Soerjani Djojo", nik="")
    assert refs(worker_a, q="suryani") == {c.reference}


def test_filters(worker_a: Any, build_case: Any) -> None:
    c1 = build_case(worker_a)
    assert refs(worker_a, province="53") == {c1.reference}
    assert refs(worker_a, province="35") == set()
    assert refs(worker_a, exploitation_type="forced_labour") == {c1.reference}
    assert refs(worker_a, exploitation_type="sexual_exploitation") == set()
    assert refs(worker_a, status="active") == {c1.reference}
    assert refs(worker_a, status="closed") == set()


def test_other_organisation_sees_nothing(worker_a: Any, worker_b: Any, build_case: Any) -> None:
    c1 = build_case(worker_a)
    assert refs(worker_b) == set()
    assert refs(worker_b, q="sutinah") == set()
    assert refs(worker_b, q="5301054708990003") == set()
    with pytest.raises(LenteraError):
        selectors.case_get_for_user(actor=worker_b, case_id=c1.pk)
    with pytest.raises(LenteraError):
        selectors.person_get_for_user(actor=worker_b, person_id=c1.survivors.first().person_id)
    assert list(selectors.person_list_for_user(actor=worker_b, q="sutinah")) == []


def test_case_page_lists_perpetrators_and_events_in_their_order(
    worker_a: Any, build_case: Any
) -> None:
    """Events by date whatever order they were recorded in; perpetrators as recorded."""
    from lentera.web.cases import services

    case = build_case(worker_a)
    services.event_add(
        actor=worker_a, case=case, stage="transit", date=dt.date(2024, 11, 20), country="ID"
    )
    services.perpetrator_add(actor=worker_a, case=case, name="Bu Agen", kind="licensed_agency")
    shown = selectors.case_get_for_user(actor=worker_a, case_id=case.pk)
    assert [e.stage for e in shown.events.all()] == ["recruitment", "transit", "exploitation"]
    assert [p.name for p in shown.perpetrators.all()] == ["Pak Calo", "Bu Agen"]
