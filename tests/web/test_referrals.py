"""Referrals: consent enforcement, the status machine, inbox isolation, letters that never
exceed consent, support plans, legal-process steps, reminders, directory import, API."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.services import consent_record
from lentera.web.referrals import choices, directory, services
from lentera.web.referrals.letter import letter_blocks, letter_file
from lentera.web.referrals.models import (
    LegalStep,
    Notification,
    Referral,
    ReferralEvent,
    ServiceProvider,
)
from lentera.web.referrals.reminders import run_reminders

pytestmark = pytest.mark.django_db

NAME, NIK, PHONE = "Sutinah binti Karto", "5301054708990003", "081234567890"


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Service-level messages in English here; pages are requested in the default (id)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _provider(actor: Any, *, linked: Any = None, name: str = "UPTD PPA NTT", **kw: Any) -> Any:
    data = {
        "name": name,
        "institution_type": "uptd_ppa",
        "services": ["shelter", "psychosocial", "legal"],
        "province_codes": ["53"],
        "linked_organisation": linked,
    }
    data.update(kw)
    return services.provider_save(actor=actor, data=data)


def _consent(actor: Any, link: Any, fields: list[str], granted: bool = True) -> Any:
    return consent_record(
        actor=actor,
        person=link.person,
        case=link.case,
        purpose="referral",
        granted=granted,
        shared_fields=fields,
    )


def _send(actor: Any, link: Any, provider: Any, **kw: Any) -> Referral:
    args = {"services": ["legal"], "reason": "Butuh rumah aman segera."}
    args.update(kw)
    return services.referral_send(actor=actor, link=link, provider=provider, **args)


@pytest.fixture
def setup(users_a: dict[str, Any], users_b: dict[str, Any], org_b: Any, build_case: Any) -> Any:
    worker = users_a["caseworker"]
    case = build_case(worker)
    link = case.survivors.first()
    internal = _provider(worker, linked=org_b)
    external = _provider(
        worker, name="LBH Kupang", institution_type="legal_aid", services=["legal"]
    )
    return {"a": users_a, "b": users_b, "case": case, "link": link, "internal": internal,
            "external": external}  # fmt: skip


# --------------------------------------------------------------------------- consent


def _denials(link: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="denied", object_id=str(link.pk)).order_by("id"))


def test_refused_without_consent_and_refusal_audited(setup: dict[str, Any]) -> None:
    link = setup["link"]
    with pytest.raises(LenteraError) as exc:
        _send(setup["a"]["caseworker"], link, setup["external"])
    assert exc.value.code == "consent_required"
    assert Referral.objects.count() == 0
    assert _denials(link)[-1].detail["reason"] == "no_referral_consent"


@pytest.mark.parametrize("how", ["refused", "withdrawn"])
def test_refused_or_withdrawn_consent_blocks(setup: dict[str, Any], how: str) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    consent = _consent(worker, link, ["name"], granted=how != "refused")
    if how == "withdrawn":
        from lentera.web.cases.services import consent_withdraw

        consent_withdraw(actor=worker, consent=consent)
    with pytest.raises(LenteraError, match="No referral consent"):
        _send(worker, link, setup["external"])
    assert Referral.objects.count() == 0


def test_override_needs_supervisor_and_reason_both_audited(setup: dict[str, Any]) -> None:
    link, users = setup["link"], setup["a"]
    with pytest.raises(LenteraError) as exc:
        _send(
            users["caseworker"], link, setup["external"], override_reason="Anak dalam bahaya besar"
        )
    assert exc.value.code == "override_forbidden"
    assert _denials(link)[-1].detail["reason"] == "override_not_supervisor"
    with pytest.raises(LenteraError) as exc:
        _send(users["supervisor"], link, setup["external"], override_reason="short")
    assert exc.value.code == "too_short"
    assert Referral.objects.count() == 0
    r = _send(users["supervisor"], link, setup["external"], override_reason="Anak dalam bahaya besar",
              shared_fields=["sex_age"])  # fmt: skip
    assert r.consent is None and r.override_by == users["supervisor"]
    assert r.shared_fields == ["sex_age"]
    created = AuditEvent.objects.get(action="create", object_type="referrals.referral")
    assert created.detail["consent_override"] is True
    assert "Anak" not in json.dumps(created.detail)  # the reason is not in the audit detail


def test_consent_covers_only_named_fields(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["sex_age", "contact"])
    with pytest.raises(LenteraError) as exc:
        _send(
            worker, link, setup["external"], shared_fields=["name", "contact"], services=["legal"]
        )
    assert exc.value.code == "beyond_consent"
    r = _send(worker, link, setup["external"], services=["legal"])
    assert r.shared_fields == ["contact", "sex_age"]  # default: all the consent allows
    r2 = _send(worker, link, setup["external"], services=["legal"], shared_fields=["sex_age"])
    assert r2.shared_fields == ["sex_age"]


def test_service_must_be_offered_and_inputs_checked(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["name"])
    with pytest.raises(LenteraError, match="does not offer"):
        _send(worker, link, setup["external"], services=["shelter"])
    with pytest.raises(LenteraError) as exc:
        _send(worker, link, setup["external"], services=["legal"], reason="  ")
    assert exc.value.field == "reason" or exc.value.code == "required"
    with pytest.raises(LenteraError) as exc:
        _send(worker, link, setup["external"], services=["legal"],
              due_date=timezone.localdate() - dt.timedelta(days=1))  # fmt: skip
    assert exc.value.code == "date_past"
    r = _send(worker, link, setup["external"], services=["legal"], urgency="high")
    assert r.due_date == timezone.localdate() + dt.timedelta(days=3)
    assert r.number.startswith("ALFA-R")


# --------------------------------------------------------------------------- status machine


def _path_to(status: str) -> list[str]:
    return {"sent": [], "accepted": ["accepted"], "declined": ["declined"],
            "in_service": ["accepted", "in_service"], "completed": ["accepted", "completed"],
            "cancelled": ["cancelled"]}[status]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "target"), list(itertools.product(choices.TRANSITIONS, choices.TRANSITIONS))
)
def test_status_machine_allows_exactly_the_declared_transitions(
    setup: dict[str, Any], start: str, target: str
) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["name"])
    r = _send(worker, link, setup["external"], services=["legal"])
    for step in _path_to(start):
        r = services.referral_transition(actor=worker, referral=r, to_status=step, reason="alasan")
    assert r.status == start
    events = ReferralEvent.objects.filter(referral=r).count()
    if target in choices.TRANSITIONS[start]:
        r = services.referral_transition(
            actor=worker, referral=r, to_status=target, reason="alasan"
        )
        assert r.status == target
        assert ReferralEvent.objects.filter(referral=r).count() == events + 1
    else:
        with pytest.raises(LenteraError) as exc:
            services.referral_transition(actor=worker, referral=r, to_status=target, reason="x")
        assert exc.value.kind == "conflict"
        r.refresh_from_db()
        assert r.status == start
        assert ReferralEvent.objects.filter(referral=r).count() == events


def test_decline_and_cancel_need_a_reason_and_stale_version_refused(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["name"])
    r = _send(worker, link, setup["external"], services=["legal"])
    with pytest.raises(LenteraError, match="required"):
        services.referral_transition(actor=worker, referral=r, to_status="declined")
    with pytest.raises(LenteraError) as exc:
        services.referral_transition(actor=worker, referral=r, to_status="accepted", version=99)
    assert exc.value.code == "stale"
    r = services.referral_transition(actor=worker, referral=r, to_status="accepted", version=1)
    assert r.answered_at is not None and r.version == 2
    event = r.events.last()
    assert event.recorded_for_provider is True


def test_sides_internal_referral(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    receiver = setup["b"]["caseworker"]
    _consent(worker, link, ["name"])
    r = _send(worker, link, setup["internal"])
    assert r.receiving_organisation == setup["internal"].linked_organisation
    assert Notification.objects.filter(user=receiver, kind="referral_received").exists()
    with pytest.raises(LenteraError) as exc:  # the sender cannot answer for an instance user
        services.referral_transition(actor=worker, referral=r, to_status="accepted")
    assert exc.value.code == "not_your_step"
    with pytest.raises(LenteraError) as exc:  # the receiver cannot cancel
        services.referral_transition(actor=receiver, referral=r, to_status="cancelled", reason="x")
    assert exc.value.code == "not_your_step"
    r = services.referral_transition(actor=receiver, referral=r, to_status="accepted")
    assert Notification.objects.filter(user=worker, kind="referral_answered").exists()
    ev = r.events.last()
    assert ev.actor_organisation == setup["internal"].linked_organisation
    assert not ev.recorded_for_provider


# --------------------------------------------------------------------------- inbox isolation


def test_inbox_shows_only_referrals_addressed_to_the_org(
    setup: dict[str, Any], build_case: Any, db: Any
) -> None:
    from lentera.web.accounts.services import organisation_create, user_create

    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["name", "nik"])
    to_b = _send(worker, link, setup["internal"])
    _send(worker, link, setup["external"], services=["legal"])
    org_c = organisation_create(actor=None, name="Gamma", code="GAMA", org_type="ngo")
    users_c = {"supervisor": user_create(actor=None, username="c_sup", password="x",
               organisation=org_c, role="supervisor", check_password=False)}  # fmt: skip
    b, c = Client(), Client()
    b.force_login(setup["b"]["caseworker"])
    c.force_login(users_c["supervisor"])
    page = b.get("/referrals/inbox/").content.decode()
    assert to_b.number in page and page.count("ALFA-R") == 1
    assert c.get("/referrals/inbox/").content.decode().count("ALFA-R") == 0
    assert c.get(f"/referrals/{to_b.pk}/").status_code == 404
    assert c.get(f"/referrals/{to_b.pk}/letter.pdf").status_code == 404
    detail = b.get(f"/referrals/{to_b.pk}/").content.decode()
    assert NAME in detail and NIK in detail and PHONE not in detail
    # the receiver reads the referral, never the sender's case
    assert b.get(f"/cases/{setup['case'].pk}/").status_code == 404
    assert "Catatan rahasia" not in detail
    api = b.get("/api/referrals?box=inbox").json()
    assert [r["number"] for r in api["results"]] == [to_b.number]
    assert api["results"][0]["provider_id"] is None
    assert c.get("/api/referrals?box=inbox").json()["count"] == 0
    assert c.get(f"/api/referrals/{to_b.pk}").status_code == 404


# --------------------------------------------------------------------------- letter within consent


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


FIELD_MARKERS = {
    "name": [NAME],
    "nik": [NIK],
    "contact": [PHONE],
    "exploitation": ["Kerja paksa", "Forced labour"],
}


@pytest.mark.parametrize("size", [0, 1, 2, 3, 6])
def test_letter_never_exceeds_consent(setup: dict[str, Any], size: int) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    all_fields = sorted(choices.SharedField.values)
    for shared in itertools.islice(itertools.combinations(all_fields, size), 6):
        _consent(worker, link, list(shared))
        r = _send(worker, link, setup["external"], services=["legal"])
        payload = r.payload_data
        for fmt in ("docx",):
            content, _name, _ctype = letter_file(actor=worker, referral=r, fmt=fmt)
            text = _docx_text(content)
            for field_code, markers in FIELD_MARKERS.items():
                present = any(m in text for m in markers)
                assert present == (field_code in shared), (shared, field_code)
        assert ("full_name" in payload) == ("name" in shared)
        assert ("nik" in payload) == ("nik" in shared)
        assert ("phone" in payload) == ("contact" in shared)
        for secret in ("Catatan rahasia", "Pak Calo", "Dijanjikan"):
            assert secret not in json.dumps(payload, ensure_ascii=False)
        pdf, _n, ctype = letter_file(actor=worker, referral=r, fmt="pdf", lang="en")
        assert pdf.startswith(b"%PDF") and ctype == "application/pdf"
    assert AuditEvent.objects.filter(action="export", object_type="referrals.referral").exists()


def test_letter_in_indonesian_by_default(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, [])
    r = _send(worker, link, setup["external"], services=["legal"])
    from django.utils import translation

    with translation.override("id"):
        blocks = letter_blocks(r)
    assert blocks[0] == ("h1", "Yayasan Alfa") and blocks[1] == ("h2", "Surat Rujukan")  # kop first
    text = json.dumps(blocks, ensure_ascii=False)
    assert NAME not in text and r.number in text


# --------------------------------------------------------------------------- anonymisation


def test_anonymisation_scrubs_referral_payloads(setup: dict[str, Any]) -> None:
    from lentera.web.cases.services import person_anonymise

    worker, link = setup["a"]["caseworker"], setup["link"]
    _consent(worker, link, ["name", "nik", "contact"])
    r = _send(worker, link, setup["internal"])
    person_anonymise(actor=setup["a"]["supervisor"], person=link.person, reason="request")
    r.refresh_from_db()
    text = json.dumps(r.payload_data, ensure_ascii=False) + r.reason
    assert NAME not in text and NIK not in text and PHONE not in text


# --------------------------------------------------------------------------- support plan & follow-ups


def test_support_plan_and_follow_ups(setup: dict[str, Any]) -> None:
    worker, link, case = setup["a"]["caseworker"], setup["link"], setup["case"]
    today = timezone.localdate()
    action = services.action_save(
        actor=worker, link=link,
        data={"service_type": "psychosocial", "objective": "Konseling trauma",
              "planned_start": today - dt.timedelta(days=10), "planned_end": today + dt.timedelta(days=30),
              "next_follow_up": today - dt.timedelta(days=1), "responsible": worker},
    )  # fmt: skip
    with pytest.raises(LenteraError) as exc:
        services.action_save(actor=worker, link=link, action=action,
                             data={"planned_end": today - dt.timedelta(days=20), "version": 1})  # fmt: skip
    assert exc.value.field in {"planned_end", "__all__", None}
    with pytest.raises(LenteraError) as exc:
        services.action_save(actor=worker, link=link, action=action, data={"version": 7})
    assert exc.value.kind == "conflict"
    action.refresh_from_db()
    f = services.follow_up_add(actor=worker, case=case, action=action, note="Hadir sesi 1",
                               next_follow_up=today + dt.timedelta(days=7))  # fmt: skip
    action.refresh_from_db()
    assert action.next_follow_up == today + dt.timedelta(days=7) and f.note == "Hadir sesi 1"
    with pytest.raises(LenteraError):
        services.follow_up_add(actor=worker, case=case, action=action, note="x",
                               next_follow_up=today - dt.timedelta(days=3))  # fmt: skip
    done = services.action_save(actor=worker, link=link, action=action,
                                data={"status": "done", "version": action.version})  # fmt: skip
    assert done.actual_end == today and done.next_follow_up is None
    other = setup["b"]["caseworker"]
    with pytest.raises(LenteraError) as exc:
        services.action_save(
            actor=other, link=link, data={"service_type": "health", "objective": "x"}
        )
    assert exc.value.kind == "not_found"


# --------------------------------------------------------------------------- legal process


def test_legal_steps_validate_and_sync_restitution(setup: dict[str, Any]) -> None:
    from lentera.web.assessments.models import RestitutionClaim
    from lentera.web.assessments.services import restitution_save

    legal, case, link = setup["a"]["legal"], setup["case"], setup["link"]
    restitution_save(actor=legal, link=link, fields={"suffering": 5_000_000}, version=None)
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(actor=legal, case=case, step="verdict", date=dt.date(2026, 1, 5))
    assert exc.value.code == "survivor_required"
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(actor=legal, case=case, step="police_report",
                                date=timezone.localdate() + dt.timedelta(days=2))  # fmt: skip
    assert exc.value.code == "date_future"
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(actor=legal, case=case, step="bogus", date=dt.date(2026, 1, 5))
    assert exc.value.code == "code_unknown"
    services.legal_step_add(actor=legal, case=case, step="verdict", date=dt.date(2025, 9, 1),
                            link=link, amount=20_000_000)  # fmt: skip
    services.legal_step_add(actor=legal, case=case, step="final_judgment_notified",
                            date=dt.date(2025, 10, 1), link=link)  # fmt: skip
    claim = RestitutionClaim.objects.get(case_survivor=link)
    assert claim.final_judgment_notified_on == dt.date(2025, 10, 1) and claim.paid_on is None
    p1 = services.legal_step_add(actor=legal, case=case, step="restitution_paid",
                                 date=dt.date(2025, 10, 5), link=link, amount=5_000_000)  # fmt: skip
    claim.refresh_from_db()
    assert claim.paid_on is None  # partial
    services.legal_step_add(actor=legal, case=case, step="restitution_paid",
                            date=dt.date(2025, 10, 9), link=link, amount=15_000_000)  # fmt: skip
    claim.refresh_from_db()
    assert claim.paid_on == dt.date(2025, 10, 9)
    services.legal_step_delete(actor=legal, row=p1)
    claim.refresh_from_db()
    assert claim.paid_on is None
    client = Client()
    client.force_login(legal)
    page = client.get(f"/referrals/cases/{case.pk}/legal-process/").content.decode()
    assert "Pasal 48 ayat (6)" in page  # the deadline label names the rule
    assert LegalStep.objects.filter(case=case).count() == 3


# --------------------------------------------------------------------------- reminders


def test_reminders_idempotent_and_emailed(setup: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    worker, link = setup["a"]["caseworker"], setup["link"]
    worker.email = "pekerja@example.org"
    worker.save()
    _consent(worker, link, ["name"])
    r = _send(worker, link, setup["external"], services=["legal"])
    later = r.due_date + dt.timedelta(days=1)
    first = run_reminders(today=later, email=True)
    assert first.created >= 1
    n = Notification.objects.get(user=worker, kind="referral_overdue")
    assert r.number in mail.outbox[0].subject or r.number in mail.outbox[0].body
    assert NAME not in mail.outbox[0].body
    again = run_reminders(today=later, email=True)
    assert again.created == 0 and again.emailed == 0
    assert Notification.objects.filter(user=worker, kind="referral_overdue").count() == 1
    services.referral_transition(actor=worker, referral=r, to_status="accepted")
    services.referral_transition(actor=worker, referral=r, to_status="completed")
    assert run_reminders(today=later + dt.timedelta(days=5)).created == 0
    client = Client()
    client.force_login(worker)
    assert "Rujukan" in client.get("/referrals/notifications/").content.decode()
    resp = client.get(f"/referrals/notifications/{n.pk}/")
    assert resp.status_code == 302 and resp["Location"] == f"/referrals/{r.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None


# --------------------------------------------------------------------------- directory import

HEADER = ",".join(directory.COLUMNS)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = "RPTC Bambu,rptc,shelter;psychosocial,tidak,31,,Jl. X,021000,,,,id,24 jam,,ya"


def test_directory_import_all_or_nothing(setup: dict[str, Any]) -> None:
    sup = setup["a"]["supervisor"]
    before = ServiceProvider.objects.count()
    bad = _csv(GOOD, "Dinsos X,dinas,shelter,tidak,31,,,,,,,,,,ya", "Y,ngo,,tidak,,,,,,,,,,,ya")
    report = directory.directory_import(actor=sup, filename="d.csv", content=bad)
    assert not report.written and ServiceProvider.objects.count() == before
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "institution_type") in problems and (4, "services") in problems
    report = directory.directory_import(actor=sup, filename="d.csv", content=bad, valid_only=True)
    assert report.written and report.created == 1
    again = directory.directory_import(actor=sup, filename="d.csv", content=_csv(GOOD))
    assert again.updated == 1 and again.created == 0
    with pytest.raises(LenteraError) as exc:
        directory.directory_import(
            actor=setup["a"]["caseworker"], filename="d.csv", content=_csv(GOOD)
        )
    assert exc.value.kind == "forbidden"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"name;x\nA;b\n", "unknown_columns"),
        (b"name,services\nA,shelter\n", "missing_columns"),
        ("nama,jenis_lembaga,layanan\nÉ,ngo,legal\n".encode("latin-1"), "encoding"),
        (b"\x00\x01\x02PK", "binary"),
        (b"\xff\xfe\x00n", "encoding"),
    ],
)
def test_directory_unreadable_files(setup: dict[str, Any], content: bytes, code: str) -> None:
    with pytest.raises(LenteraError) as exc:
        directory.directory_import(
            actor=setup["a"]["supervisor"], filename="d.csv", content=content
        )
    assert exc.value.code == code


def test_directory_formula_injection_refused_and_neutralised(setup: dict[str, Any]) -> None:
    sup = setup["a"]["supervisor"]
    evil = _csv('"=HYPERLINK(""http://x"",""y"")",ngo,legal,ya,,,,,,,,,,,ya')
    report = directory.directory_import(actor=sup, filename="d.csv", content=evil)
    assert not report.written and "formula" in report.problems[0].message
    ok = _csv("LBH +62,legal_aid,legal,ya,,,,+62 812 000,,,,,,,ya")
    assert directory.directory_import(actor=sup, filename="d.csv", content=ok).written
    p = ServiceProvider.objects.get(name="LBH +62")
    p.notes = "=1+1"
    p.save()
    out = directory.directory_csv([p]).decode("utf-8-sig")
    assert "'=1+1" in out and "+62 812 000" in out


def test_directory_xlsx_round_trip_and_indonesian_headers(setup: dict[str, Any]) -> None:
    from openpyxl import Workbook, load_workbook

    sup = setup["a"]["supervisor"]
    template = load_workbook(io.BytesIO(directory.template_xlsx()))
    assert [c.value for c in template.worksheets[0][1]] == list(directory.COLUMNS)
    book = Workbook()
    sheet = book.active
    sheet.append(["nama", "jenis_lembaga", "layanan", "provinsi", "kabupaten_kota"])
    sheet.append(
        ["UPTD PPA Kota Kupang", "uptd_ppa", "shelter; legal", "Nusa Tenggara Timur", 5371]
    )
    buf = io.BytesIO()
    book.save(buf)
    report = directory.directory_import(actor=sup, filename="d.xlsx", content=buf.getvalue())
    assert report.written, report.problems
    p = ServiceProvider.objects.get(name="UPTD PPA Kota Kupang")
    assert p.province_codes == ["53"] and p.regency_codes == ["5371"]
    found = services  # noqa: F841
    from lentera.web.referrals.selectors import providers_for_user

    names = lambda **kw: {x.name for x in providers_for_user(actor=sup, **kw)}  # noqa: E731
    assert "UPTD PPA Kota Kupang" in names(region="5371", service="legal")
    assert "UPTD PPA Kota Kupang" in names(region="53")
    assert "UPTD PPA Kota Kupang" not in names(region="35")
    assert "UPTD PPA Kota Kupang" not in names(service="health")


# --------------------------------------------------------------------------- pages and API


def test_pages_render_for_sender_and_receiver(setup: dict[str, Any]) -> None:
    worker, link, case = setup["a"]["supervisor"], setup["link"], setup["case"]
    _consent(worker, link, ["name"])
    r = _send(worker, link, setup["internal"])
    c = Client()
    c.force_login(worker)
    for url in ["/referrals/", "/referrals/sent/?status=all", "/referrals/inbox/",
                "/referrals/directory/", "/referrals/directory/new/",
                f"/referrals/directory/{setup['internal'].pk}/", "/referrals/directory/import/",
                f"/referrals/{r.pk}/", f"/referrals/survivors/{link.pk}/new/",
                f"/referrals/survivors/{link.pk}/plan/", f"/referrals/cases/{case.pk}/legal-process/",
                "/referrals/notifications/", f"/cases/{case.pk}/"]:  # fmt: skip
        resp = c.get(url)
        assert resp.status_code == 200, url
    assert c.get("/referrals/directory/template.xlsx").status_code == 200
    resp = c.post(f"/referrals/survivors/{link.pk}/new/", {
        "provider": setup["external"].pk, "services": ["legal"], "reason": "Pendampingan hukum",
        "urgency": "normal", "shared_fields": ["name"]})  # fmt: skip
    assert resp.status_code == 302
    bad = c.post(f"/referrals/survivors/{link.pk}/new/", {
        "provider": setup["external"].pk, "services": ["shelter"], "reason": "x", "urgency": "normal"})  # fmt: skip
    assert bad.status_code == 400 and "tidak menawarkan" in bad.content.decode()
    b = Client()
    b.force_login(setup["b"]["caseworker"])
    resp = b.post(f"/referrals/{r.pk}/status/", {"to_status": "accepted", "version": r.version})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == "accepted"


def test_api_directory_and_referrals(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    c = Client()
    c.force_login(worker)
    resp = c.post("/api/providers", {"name": "Puskesmas", "institution_type": "health",
                  "services": ["health"], "regency_codes": ["5301"]}, content_type="application/json")  # fmt: skip
    assert resp.status_code == 201, resp.content
    bad = c.post("/api/providers", {"name": "X", "institution_type": "health", "services": ["spa"],
                 "nationwide": True}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["field"] == "services"
    assert c.get("/api/providers?region=53&service=health").json()["count"] == 1
    body = {"survivor_id": link.pk, "provider_id": setup["external"].pk, "services": ["legal"],
            "reason": "Pendampingan hukum"}  # fmt: skip
    resp = c.post("/api/referrals", body, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "consent_required"
    _consent(worker, link, ["sex_age"])
    resp = c.post("/api/referrals", body, content_type="application/json")
    assert resp.status_code == 201
    data = resp.json()
    assert data["shared_fields"] == ["sex_age"] and "full_name" not in data["payload"]
    assert data["allowed_transitions"] == ["accepted", "cancelled", "declined"]
    rid = data["id"]
    resp = c.post(
        f"/api/referrals/{rid}/status", {"status": "completed"}, content_type="application/json"
    )
    assert resp.status_code == 409
    resp = c.post(f"/api/referrals/{rid}/status", {"status": "accepted", "version": 1},
                  content_type="application/json")  # fmt: skip
    assert resp.status_code == 200 and resp.json()["status"] == "accepted"
    assert c.get("/api/referrals?status=open").json()["count"] == 1
    assert "/api/referrals" in c.get("/api/openapi.json").content.decode()


def test_dashboard_kpis(setup: dict[str, Any]) -> None:
    from lentera.web.referrals.selectors import dashboard_for_user

    worker, sup, link = setup["a"]["caseworker"], setup["a"]["supervisor"], setup["link"]
    _consent(worker, link, ["name"])
    r1 = _send(worker, link, setup["external"], services=["legal"])
    r2 = _send(worker, link, setup["external"], services=["legal"])
    _send(worker, link, setup["external"], services=["legal"])
    Referral.objects.filter(pk=r1.pk).update(sent_at=timezone.now() - dt.timedelta(days=4))
    services.referral_transition(actor=worker, referral=r1, to_status="accepted")
    services.referral_transition(actor=worker, referral=r2, to_status="declined", reason="penuh")
    data = dashboard_for_user(actor=sup, today=timezone.localdate() + dt.timedelta(days=30))
    kpi = next(p for p in data["providers"] if p.name == "LBH Kupang")
    assert (kpi.sent, kpi.accepted, kpi.declined, kpi.pending) == (3, 1, 1, 1)
    assert kpi.acceptance_rate == 0.5 and kpi.median_days_to_accept == 4.0
    assert {r.pk for r in data["overdue_referrals"]} == {r1.pk} | {
        r.pk for r in Referral.objects.filter(status="sent")
    }
    assert data["everyone"] and data["caseload"][0]["n"] >= 1
    mine = dashboard_for_user(actor=setup["a"]["legal"])
    assert mine["my_open"] == [] and mine["caseload"] == []


def test_withdrawn_consent_stops_sharing_and_export_lists_referrals(setup: dict[str, Any]) -> None:
    from lentera.web.cases.selectors import person_export_data
    from lentera.web.cases.services import consent_withdraw

    worker, link = setup["a"]["caseworker"], setup["link"]
    consent = _consent(worker, link, ["name", "nik"])
    r = _send(worker, link, setup["internal"])
    exported = person_export_data(actor=worker, person=link.person)
    refs = exported["cases"][0]["referrals"]
    assert refs[0]["number"] == r.number and refs[0]["data_passed_on"]["nik"] == NIK
    consent_withdraw(actor=worker, consent=consent)
    r.refresh_from_db()
    assert r.shared_fields == [] and r.payload_data["consent_withdrawn"] is True
    assert NAME not in r.payload and NIK not in json.dumps(r.payload_data)
    assert r.status == "sent"  # the referral itself (and any service) goes on
    receiver = setup["b"]["caseworker"]
    assert Notification.objects.filter(user=receiver, kind="referral_consent_withdrawn").exists()
    text = _docx_text(letter_file(actor=receiver, referral=r, fmt="docx")[0])
    assert NAME not in text and NIK not in text
