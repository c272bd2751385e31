"""Security hardening: 2FA, lockout, headers, sessions, data rights, attachments."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lentera.errors import LenteraError
from lentera.web.accounts.services import user_update
from lentera.web.audit.models import AuditEvent
from lentera.web.cases import attachment_files
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases import services as case_services
from lentera.web.cases.models import Case, Person
from lentera.web.cases.selectors import CaseFilters, case_list_for_user, current_consents
from lentera.web.core.identity import REDACTED

pytestmark = pytest.mark.django_db


def _totp(device: TOTPDevice) -> str:
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{t.token():06d}"


@override_settings(LENTERA_2FA_REQUIRED_ROLES=("org_admin", "supervisor", "legal"))
def test_supervisor_must_enrol_and_verify_2fa(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    c = Client()
    c.force_login(sup)
    r = c.get("/cases/")
    assert r.status_code == 302 and "/accounts/2fa/setup/" in r["Location"]
    assert c.get("/api/cases").status_code == 403
    c.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=sup)
    assert (
        c.post(
            "/accounts/2fa/setup/", {"token": "000000" if _totp(device) != "000000" else "111111"}
        ).status_code
        == 200
    )
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles after a wrong code
    r = c.post("/accounts/2fa/setup/", {"token": _totp(device), "next": "/cases/"})
    assert r.status_code == 200 and len(r.context["codes"]) == 10  # recovery codes, shown once
    assert c.get("/cases/").status_code == 200
    # a new session needs the code again
    c2 = Client()
    c2.force_login(sup)
    r = c2.get("/cases/")
    assert "/accounts/2fa/verify/" in r["Location"]
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert c2.post("/accounts/2fa/verify/", {"token": _totp(device)}).status_code == 302
    assert c2.get("/cases/").status_code == 200


@override_settings(LENTERA_2FA_REQUIRED_ROLES=("org_admin", "supervisor", "legal"))
def test_caseworker_2fa_optional(worker_a: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    assert c.get("/cases/").status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures(worker_a: Any) -> None:
    c = Client()
    for _ in range(3):
        c.post("/accounts/login/", {"username": "a_caseworker", "password": "wrong"})
    r = c.post("/accounts/login/", {"username": "a_caseworker", "password": "x"})
    assert r.status_code in {403, 429}
    assert "_auth_user_id" not in c.session


def test_deactivated_user_cannot_log_in(users_a: dict[str, Any], worker_a: Any) -> None:
    user_update(actor=users_a["org_admin"], user=worker_a, is_active=False)
    c = Client()
    assert (
        c.post("/accounts/login/", {"username": "a_caseworker", "password": "x"}).status_code == 200
    )
    assert "_auth_user_id" not in c.session
    with pytest.raises(LenteraError):
        user_update(actor=users_a["supervisor"], user=worker_a, is_active=True)


def test_security_headers_and_session_settings(worker_a: Any) -> None:
    from django.conf import settings

    c = Client()
    c.force_login(worker_a)
    r = c.get("/cases/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY"
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert "lentera.web.core.middleware.SessionIdleMiddleware" in settings.MIDDLEWARE


def test_consent_withdrawal_stops_dependent_use(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    from lentera.web.cases import services

    consent = services.consent_record(
        actor=worker_a, person=person, case=case, purpose="referral", granted=True
    )
    case_services.consent_withdraw(actor=worker_a, consent=consent)
    assert current_consents(person)["referral"].granted is False
    with pytest.raises(LenteraError):
        case_services.consent_withdraw(actor=worker_a, consent=consent)


def test_export_everything_on_a_person(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    data = case_selectors.person_export_data(actor=worker_a, person=person)
    assert data["person"]["full_name"] == "Sutinah binti Karto"
    assert data["cases"][0]["reference"] == case.reference
    assert any("Catatan rahasia" in n["body"] for n in data["cases"][0]["notes"])
    pdf = case_selectors.person_export_pdf(data)
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(person.pk)).exists()
    c = Client()
    c.force_login(worker_a)
    r = c.get(f"/cases/persons/{person.pk}/export.json")
    assert json.loads(r.content)["person"]["nik"] == "5301054708990003"


def test_anonymise_keeps_statistics(
    worker_a: Any, users_a: dict[str, Any], build_case: Any
) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    case_services.person_anonymise(
        actor=users_a["supervisor"], person=person, reason="data_subject_request"
    )
    person = Person.objects.get(pk=person.pk)
    assert (
        person.full_name.startswith("ANONIM-")
        and person.nik == ""
        and person.birth_date is None
        and person.phone == ""
    )
    assert person.sex == "female" and person.origin_province_code == "53"
    link = person.case_links.get()
    assert link.age_at_offence == 25 and link.exploitation_types == ["forced_labour"]
    assert Case.objects.get(pk=case.pk).summary == REDACTED
    assert not list(case_list_for_user(actor=worker_a, filters=CaseFilters(q="sutinah")))
    assert not list(case_list_for_user(actor=worker_a, filters=CaseFilters(q="5301054708990003")))


def test_anonymise_page_requires_supervisor(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    c = Client()
    c.force_login(worker_a)
    assert (
        c.post(f"/cases/persons/{person.pk}/anonymise/", {"confirm": "ANONIM"}).status_code == 403
    )


def test_attachments_encrypted_and_limited(
    worker_a: Any, worker_b: Any, settings: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    pdf = b"%PDF-1.4\n% Surat pernyataan Sutinah\n"
    att = case_services.attachment_add(
        actor=worker_a, case=case, filename="pernyataan.pdf", data=pdf
    )
    stored = attachment_files.path_of(att.storage_name).read_bytes()
    assert b"Sutinah" not in stored
    assert case_selectors.attachment_read(actor=worker_a, attachment_id=att.pk)[1] == pdf
    with pytest.raises(LenteraError):
        case_selectors.attachment_read(actor=worker_b, attachment_id=att.pk)
    with pytest.raises(LenteraError) as err:
        case_services.attachment_add(
            actor=worker_a, case=case, filename="x.exe", data=b"MZ\x90\x00"
        )
    assert err.value.code == "file_type"
    with pytest.raises(LenteraError) as err:
        case_services.attachment_add(
            actor=worker_a,
            case=case,
            filename="big.pdf",
            data=b"%PDF-" + b"0" * attachment_files.MAX_BYTES,
        )
    assert err.value.code == "file_too_large"


def test_virus_scan_hook_refuses(worker_a: Any, settings: Any, build_case: Any) -> None:
    settings.LENTERA_VIRUS_SCAN_COMMAND = "false"
    case = build_case(worker_a)
    with pytest.raises(LenteraError) as err:
        case_services.attachment_add(
            actor=worker_a, case=case, filename="a.pdf", data=b"%PDF-1.4 x"
        )
    assert err.value.code == "virus_found"


def test_retention_period_cli_and_apply(worker_a: Any, build_case: Any, capsys: Any) -> None:
    import datetime as dt

    from lentera.cli import main
    from lentera.web.cases import services

    case = build_case(worker_a)
    services.case_update(actor=worker_a, case=case, status="closed", closed_on=dt.date(2025, 4, 1))
    assert main(["retention", "set", "--org", "ALFA", "--months", "6"]) == 0
    assert main(["retention", "apply", "--dry-run"]) == 0
    assert "would anonymise 1" in capsys.readouterr().out
    assert main(["retention", "apply"]) == 0
    assert Person.objects.get().full_name.startswith("ANONIM-")
    assert main(["retention", "set", "--org", "NOPE", "--months", "6"]) == 3
