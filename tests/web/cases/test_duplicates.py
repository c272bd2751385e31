"""Duplicate survivors in one organisation: candidates with evidence, merge with full audit and
undo, "not the same person", and the intake check before saving a new survivor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases import selectors, services
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases import services as case_services
from lentera.web.cases.models import CaseSurvivor, Consent, DuplicateCandidate, Person

pytestmark = pytest.mark.django_db


def _case_with(actor: Any, **person: Any) -> Any:
    case = services.case_open(actor=actor, opened_on=dt.date(2025, 1, 1))
    fields = {"sex": "female", "origin_province_code": "53", "origin_regency_code": "5301"}
    fields.update(person)
    link = services.case_survivor_create(
        actor=actor, case=case, person_fields=fields, link_fields={}
    )
    return link


@pytest.fixture
def pair(worker_a: Any) -> tuple[Any, Any]:
    a = _case_with(worker_a, full_name="Soerjani binti Darmo", birth_date=dt.date(1998, 4, 12),
                   nik="5301015204980003", phone="081234567890")  # fmt: skip
    b = _case_with(worker_a, full_name="Suryani Darmo", birth_date=dt.date(1998, 4, 12),
                   phone="+62 812-3456-7890")  # fmt: skip
    _case_with(worker_a, full_name="Made Wirawan", birth_date=dt.date(1980, 1, 1), sex="male")
    return a, b


def test_candidates_found_with_evidence_and_isolated(
    pair: Any, worker_a: Any, worker_b: Any
) -> None:
    a, b = pair
    assert case_services.duplicates_refresh(actor=worker_a) >= 1
    cands = case_selectors.candidates_for_user(actor=worker_a)
    ids = {(c.person_a_id, c.person_b_id) for c in cands}
    assert tuple(sorted((a.person_id, b.person_id))) in ids
    top = next(c for c in cands if {c.person_a_id, c.person_b_id} == {a.person_id, b.person_id})
    assert top.probability >= case_selectors.THRESHOLD
    fields = {e[0] for e in top.evidence}
    assert fields  # explanation per field, no personal values
    assert "Soerjani" not in str(top.evidence)
    assert case_selectors.candidates_for_user(actor=worker_b) == []
    client = Client()
    client.force_login(worker_a)
    page = client.get("/cases/duplicates/").content.decode()
    assert "Soerjani binti Darmo" in page and "Suryani Darmo" in page
    other = Client()
    other.force_login(worker_b)
    assert "Soerjani" not in other.get("/cases/duplicates/").content.decode()


def test_merge_moves_links_and_consents_audited_and_undo_restores(pair: Any, worker_a: Any) -> None:
    a, b = pair
    services.consent_record(
        actor=worker_a, person=b.person, case=b.case, purpose="services", granted=True
    )
    before_a = Person.objects.get(pk=a.person_id)
    merge = case_services.person_merge(actor=worker_a, kept=b.person, merged=a.person)
    kept = Person.objects.get(pk=b.person_id)
    assert kept.nik == "5301015204980003"  # filled from the merged record
    assert "Soerjani binti Darmo" in kept.other_names
    assert set(CaseSurvivor.objects.filter(person=kept).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
    }
    assert Person.objects.get(pk=a.person_id).merged_into_id == kept.pk
    # a search for either spelling finds the survivor's cases
    found = selectors.case_list_for_user(
        actor=worker_a, filters=selectors.CaseFilters(q="Soerjani")
    )
    assert {c.pk for c in found} == {a.case_id, b.case_id}
    audit = AuditEvent.objects.filter(action="update", object_type="cases.person").last()
    assert audit.detail["merged_person"] == a.person_id and "Soerjani" not in str(audit.detail)
    with pytest.raises(LenteraError) as exc:
        case_services.person_merge(
            actor=worker_a, kept=kept, merged=Person.objects.get(pk=a.person_id)
        )
    assert exc.value.code == "already_merged"
    case_services.merge_undo(actor=worker_a, merge=merge)
    kept = Person.objects.get(pk=b.person_id)
    assert kept.nik == "" and kept.other_names == ""
    assert CaseSurvivor.objects.get(pk=a.pk).person_id == a.person_id
    assert Person.objects.get(pk=a.person_id).merged_into_id is None
    assert Consent.objects.filter(person_id=b.person_id).count() == 1
    assert before_a.full_name == Person.objects.get(pk=a.person_id).full_name
    with pytest.raises(LenteraError) as exc:
        case_services.merge_undo(actor=worker_a, merge=merge)
    assert exc.value.code == "already_undone"


def test_undo_refused_after_edit_and_same_case_refused(pair: Any, worker_a: Any) -> None:
    a, b = pair
    merge = case_services.person_merge(actor=worker_a, kept=a.person, merged=b.person)
    kept = Person.objects.get(pk=a.person_id)
    services.person_update(actor=worker_a, person=kept, version=kept.version, phone="0811111111")
    with pytest.raises(LenteraError) as exc:
        case_services.merge_undo(actor=worker_a, merge=merge)
    assert exc.value.code == "changed_since"
    c = _case_with(worker_a, full_name="Siti Aminah", birth_date=dt.date(2000, 2, 2))
    d = services.person_create(
        actor=worker_a, full_name="Siti Aminah", birth_date=dt.date(2000, 2, 2)
    )
    services.case_survivor_add(actor=worker_a, case=c.case, person=d)
    with pytest.raises(LenteraError) as exc:
        case_services.person_merge(actor=worker_a, kept=c.person, merged=d)
    assert exc.value.code == "same_case"


def test_not_same_person_is_never_proposed_again(pair: Any, worker_a: Any, worker_b: Any) -> None:
    a, b = pair
    case_services.mark_not_same(actor=worker_a, a=a.person, b=b.person)
    case_services.duplicates_refresh(actor=worker_a)
    assert not DuplicateCandidate.objects.filter(
        person_a_id=min(a.person_id, b.person_id), person_b_id=max(a.person_id, b.person_id)
    ).exists()
    with pytest.raises(LenteraError) as exc:
        case_services.mark_not_same(actor=worker_b, a=a.person, b=b.person)
    assert exc.value.kind == "not_found"


def test_intake_check_before_saving(pair: Any, worker_a: Any) -> None:
    case = services.case_open(actor=worker_a, opened_on=dt.date(2025, 6, 1))
    client = Client()
    client.force_login(worker_a)
    form = {"p-full_name": "Surjani", "p-birth_date": "1998-04-12", "p-sex": "female",
            "p-gender": "unknown", "p-citizenship": "ID", "p-education": "unknown",
            "p-marital_status": "unknown", "p-phone": "0812 3456 7890",
            "s-trafficking_status": "possible_victim"}  # fmt: skip
    before = Person.objects.count()
    resp = client.post(f"/cases/{case.pk}/survivors/new/", form)
    assert resp.status_code == 409, resp.content.decode()[:2000]
    page = resp.content.decode()
    assert "Soerjani binti Darmo" in page and 'name="confirm_new"' in page
    assert Person.objects.count() == before
    resp = client.post(f"/cases/{case.pk}/survivors/new/", {**form, "confirm_new": "1"})
    assert resp.status_code == 302 and Person.objects.count() == before + 1
    unrelated = {**form, "p-full_name": "Ketut Arsana", "p-birth_date": "1975-09-09", "p-sex": "male",
                 "p-phone": ""}  # fmt: skip
    resp = client.post(f"/cases/{case.pk}/survivors/new/", unrelated)
    assert resp.status_code == 302


def test_intake_probability_does_not_depend_on_the_prefilter(
    pair: Any, worker_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a large organisation's pool is narrowed to the survivors sharing a name token; the
    # prior must still be that of all its survivors, or every candidate of a narrow pool
    # looks likelier (a Siti offered for any other Siti)
    for i in range(12):
        _case_with(worker_a, full_name=f"Ketut Arsana {chr(65 + i)}", sex="male",
                   birth_date=dt.date(1960 + i, 3, 3))  # fmt: skip
    fields = {"full_name": "Suryani", "sex": "female", "origin_regency_code": "5301"}

    def found() -> dict[str, float]:
        return {
            p.full_name: pair_.probability
            for p, pair_ in case_selectors.likely_duplicates(
                actor=worker_a, fields=fields, threshold=0.01
            )
        }

    in_full = found()
    monkeypatch.setattr(case_selectors.duplicates, "PREFILTER_FROM", 3)
    narrowed = found()
    assert in_full and set(narrowed) <= set(in_full)
    assert "Suryani Darmo" in narrowed
    for name, probability in narrowed.items():
        assert probability == pytest.approx(in_full[name], abs=1e-9), name


def test_evidence_that_agrees_in_part_is_not_shown_as_differing() -> None:
    from django.utils import translation

    from lentera.web.cases.views.duplicates import evidence_rows

    evidence = [
        ["name", 1, -1.8],  # one shared token, common in the pair's area
        ["birth_date", 2, -2.5],  # the same year, another day
        ["birth_date", 1, -5.3],  # years within 2: the dates differ
        ["sex", 0, -12.3],
        ["nik", -1, 0.0],
        ["place", 5, 3.4],
    ]
    with translation.override("id"):
        rows = {(field, verdict) for field, verdict, _css in evidence_rows(evidence)}
    partly = "cocok sebagian, bukti lemah"
    verdicts = [verdict for _field, verdict in sorted(rows)]
    assert verdicts.count(partly) == 2
    assert sum(v == "cocok" for v in verdicts) == 1
    with translation.override("en"):
        shown = [(v, css) for _f, v, css in evidence_rows(evidence)]
    assert ("agrees in part, weak evidence", "muted") in shown
    assert [v for v, _ in shown].count("differs clearly") == 2
