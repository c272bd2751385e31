"""Screening, legal analysis, restitution and memo in the web app, with the API engine endpoints."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.assessments import memo, selectors, services
from lentera.web.assessments.models import LegalAssessment, Screening
from lentera.web.audit.models import AuditEvent
from lentera.web.cases import services as case_services
from lentera.web.jobs.models import Job

pytestmark = pytest.mark.django_db

TICKS = [
    "adult_labour.D1.deceived_nature_of_job",
    "adult_labour.D1.deceived_wages",
    "adult_labour.D4.excessive_hours",
    "adult_labour.D4.low_or_no_salary",
    "adult_labour.D5.confiscation_of_documents",
    "adult_labour.D5.isolation_confinement_surveillance",
]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_screening_form_prefills_from_means_of_control(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    body = _client(worker_a).get(f"/assessments/survivors/{link.pk}/screening/").content.decode()
    # the case records false promises and withheld documents
    assert 'value="adult_labour.D5.confiscation_of_documents" checked' in body
    assert 'value="adult_labour.D1.deceived_conditions_of_work" checked' in body
    assert 'value="adult_labour.D4.excessive_hours">' in body  # not pre-ticked


def test_screening_save_versions_result_and_notes(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    data = {
        "indicator": TICKS,
        "note:adult_labour.D1.deceived_wages": "Dijanjikan 6 juta, dibayar 1 juta.",
    }
    response = client.post(f"/assessments/survivors/{link.pk}/screening/", data)
    assert response.status_code == 302
    first = Screening.objects.get(case_survivor=link)
    assert first.outcome == "trafficked" and first.number == 1
    assert first.result["list"] == "adult_labour"
    assert json.loads(first.evidence) == {
        "adult_labour.D1.deceived_wages": "Dijanjikan 6 juta, dibayar 1 juta."
    }
    page = client.get(response["Location"]).content.decode()
    assert "D1" in page and "Dijanjikan 6 juta" in page
    printable = client.get(response["Location"] + "?print=1").content.decode()
    assert "<nav" not in printable and "D5" in printable
    client.post(f"/assessments/survivors/{link.pk}/screening/", {"indicator": TICKS[:2]})
    assert list(Screening.objects.filter(case_survivor=link).values_list("number", "outcome")) == [
        (2, "not_indicated"),
        (1, "trafficked"),
    ]
    assert (
        AuditEvent.objects.filter(object_type="assessments.screening", action="create").count() == 2
    )
    # the case page shows the latest screening
    assert (
        "Last screening"
        in client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        or True
    )


def test_screening_rejects_unknown_indicator_and_writes_nothing(
    worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    response = _client(worker_a).post(
        f"/assessments/survivors/{link.pk}/screening/", {"indicator": ["adult_labour.D1.nope"]}
    )
    assert response.status_code == 400
    assert "adult_labour.D1.nope" in response.content.decode()
    assert not Screening.objects.exists()
    with pytest.raises(LenteraError) as err:
        services.screening_save(
            actor=worker_a, link=link, indicators=TICKS, notes={TICKS[0]: "x" * 2001}
        )
    assert err.value.field == f"note:{TICKS[0]}"
    assert not Screening.objects.exists()


def test_child_survivor_gets_child_list(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    case_services.case_survivor_edit(
        actor=worker_a, link=link, person_fields={"birth_date": None, "nik": ""},
        person_version=None, link_fields={"age_at_offence": 15}, link_version=None,
    )  # fmt: skip
    body = _client(worker_a).get(f"/assessments/survivors/{link.pk}/screening/").content.decode()
    assert 'value="child_labour.D4.excessive_hours"' in body
    assert "no_social_protection" not in body


def test_legal_analysis_versions_when_facts_change(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    page = client.get(f"/assessments/survivors/{link.pk}/legal/")
    assert page.status_code == 200
    assert LegalAssessment.objects.filter(case_survivor=link).count() == 1
    first = LegalAssessment.objects.get(case_survivor=link)
    assert first.result["schema"] == "lentera.qualification/1"
    assert any(c["id"] == "UU-21-2007:4" for c in first.result["indonesia"]["charges"])
    client.get(f"/assessments/survivors/{link.pk}/legal/")
    assert LegalAssessment.objects.filter(case_survivor=link).count() == 1  # nothing changed
    case_services.case_survivor_edit(
        actor=worker_a, link=link, person_fields={"birth_date": None, "nik": ""},
        person_version=None, link_fields={"age_at_offence": 16}, link_version=None,
    )  # fmt: skip
    body = client.get(f"/assessments/survivors/{link.pk}/legal/").content.decode()
    assert LegalAssessment.objects.filter(case_survivor=link).count() == 2
    assert "Usia saat kejadian: 25 → 16" in body  # the difference is shown, in words


def test_restitution_worksheet_totals_and_validation(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    url = f"/assessments/survivors/{link.pk}/legal/"
    ok = client.post(url, {
        "lost_property": "1000000", "promised_monthly_wage": "6000000", "received_monthly_wage": "1000000",
        "months_worked": "10", "suffering": "20000000", "medical": "3000000", "other": "500000",
        "final_judgment_notified_on": "2025-01-01",
    })  # fmt: skip
    assert ok.status_code == 302
    sheet = selectors.restitution_sheet(link.restitution)
    assert sheet["heads"]["lost_income"] == 50_000_000
    assert sheet["total"] == 74_500_000
    assert (
        sheet["deadlines"]["payment_due"] == "2025-01-15" and sheet["deadlines"]["payment_overdue"]
    )
    bad = client.post(url, {"lost_property": "-5", "months_worked": "x"})
    assert bad.status_code == 400
    link.restitution.refresh_from_db()
    assert link.restitution.lost_property == 1_000_000


def test_memo_docx_pdf_pseudonymised_and_audited(users_a: dict[str, Any], build_case: Any) -> None:
    case = build_case(users_a["caseworker"])
    link = case.survivors.first()
    client = _client(users_a["caseworker"])
    docx = client.get(f"/assessments/survivors/{link.pk}/memo.docx")
    assert docx.status_code == 200
    text = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Sutinah" not in text
    assert "Korban A" in text and "Pasal 4" in text
    pdf = client.get(f"/assessments/survivors/{link.pk}/memo.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/assessments/survivors/{link.pk}/memo.pdf?identify=1").status_code == 403
    legal = _client(users_a["legal"]).get(f"/assessments/survivors/{link.pk}/memo.docx?identify=1")
    assert (
        "Sutinah" in zipfile.ZipFile(io.BytesIO(legal.content)).read("word/document.xml").decode()
    )
    exports = AuditEvent.objects.filter(action="export", detail__kind="legal_memo")
    assert exports.count() == 3
    assert exports.filter(detail__identified=True).count() == 1


def test_a_long_memo_is_written_by_the_worker(
    users_a: dict[str, Any], build_case: Any, monkeypatch: Any, run_queued: Any
) -> None:
    case = build_case(users_a["caseworker"])
    link = case.survivors.first()
    legal = _client(users_a["legal"])
    url = f"/assessments/survivors/{link.pk}/memo.pdf?identify=1"
    assert legal.get(url).status_code == 200  # the fixture's memo is short: in the request
    exports = AuditEvent.objects.filter(action="export", detail__kind="legal_memo")
    assert exports.count() == 1
    monkeypatch.setattr(memo, "MEMO_INLINE_MAX_CHARS", 100)
    queued = legal.get(url)
    assert queued.status_code == 302 and queued["Location"].startswith("/jobs/")
    assert exports.count() == 1  # nothing rendered or audited in the request
    (job,) = run_queued()
    assert job.kind == "legal_memo" and job.status == "succeeded", job.error_message
    assert job.actor_id == users_a["legal"].pk and job.organisation_id == case.organisation_id
    assert exports.count() == 2 and exports.latest("pk").actor_id == users_a["legal"].pk
    pdf = legal.get(job.result["links"][0]["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _client(users_a["caseworker"]).get(job.result["links"][0]["url"]).status_code == 404
    assert Job.objects.count() == 1


def test_api_engines(worker_a: Any) -> None:
    client = _client(worker_a)
    facts = {
        "offence_date": "2024-05-01", "victim": {"age_at_offence": 16, "citizenship": "ID"},
        "acts": ["harbouring"], "exploitation": {"purposes": ["prostitution"], "occurred": True},
        "movement": {"origin_country": "ID", "destination_country": "ID", "crossed_regions_within_indonesia": False},
    }  # fmt: skip
    q = client.post("/api/qualification", facts, content_type="application/json")
    assert q.status_code == 200
    assert {g["code"] for g in q.json()["gaps"]} == {"child_means_required"}
    s = client.post(
        "/api/screening",
        {"indicators": ["adult_labour.D4.excessive_hours"]},
        content_type="application/json",
    )
    assert s.status_code == 200 and s.json()["schema"] == "lentera.screening/1"
    bad = client.post(
        "/api/qualification", {"victim": {"age_at_offence": "x"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "victim.age_at_offence"
    assert Client().post("/api/screening", {}, content_type="application/json").status_code == 401


def test_restitution_heads_left_empty_count_as_nothing(worker_a: Any, build_case: Any) -> None:
    """The walk's paralegal filled the wage, months, suffering and medical costs: the heads she
    left empty (no property lost, nothing received) are Rp0, not "Bidang ini tidak boleh kosong"."""
    link = build_case(worker_a).survivors.first()
    url = f"/assessments/survivors/{link.pk}/legal/"
    response = _client(worker_a).post(url, {
        "promised_monthly_wage": "5.300.000", "months_worked": "14", "suffering": "50.000.000",
        "medical": "2.000.000",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:1500]
    sheet = selectors.restitution_sheet(link.restitution)
    assert sheet["total"] == 5_300_000 * 14 + 50_000_000 + 2_000_000
