"""Caseworker UX classes (issue 16): htmx targets exist, regions by name, contradictions named."""

from __future__ import annotations

import re
from typing import Any

import pytest
from _browser import page_data
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _targets_exist(page: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = re.findall(r'hx-target="#([^"]+)"', page)
    for target in targets:
        assert target in ids, f"hx-target #{target} points at nothing on the page"


def test_every_htmx_target_exists_on_create_and_edit_pages(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    pages = [
        f"/cases/{case.pk}/survivors/new/",
        f"/cases/survivors/{link.pk}/edit/",
        f"/cases/{case.pk}/events/new/",
        f"/cases/{case.pk}/perpetrators/new/",
        "/cases/",
    ]
    seen = 0
    for url in pages:
        page = client.get(url).content.decode()
        seen += page.count("hx-target")
        _targets_exist(page)
    assert seen >= 2


def test_regency_list_answers_the_prefixed_province(worker_a: Any) -> None:
    client = _client(worker_a)
    page = client.get("/cases/regencies/", {"p-origin_province_code": "53"}).content.decode()
    assert "Kota Kupang" in page and "Kabupaten Kupang" in page


def test_regency_outside_the_province_is_refused(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    client = _client(worker_a)
    response = client.post(
        f"/cases/{case.pk}/survivors/new/",
        {"p-full_name": "Maria", "p-citizenship": "ID", "p-origin_province_code": "53",
         "p-origin_regency_code": "3578", "confirm_new": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert case.survivors.count() == 1


def test_provider_regencies_are_picked_by_name_and_unknown_ones_refused(worker_a: Any) -> None:
    from lentera.web.referrals.forms import ProviderForm

    form = ProviderForm()
    html = str(form["regency_codes"])
    assert 'value="5303"' in html and "Kabupaten Kupang" in html
    assert 'data-search="1"' in html
    bound = ProviderForm(
        data={"name": "Rumah Aman", "institution_type": "ngo_shelter", "services": ["shelter"],
              "regency_codes": ["5371", "Kabupaten Kupang"]}
    )  # fmt: skip
    assert not bound.is_valid()
    assert "regency_codes" in bound.errors


# --------------------------------------------------------------------------- contradictions


def test_every_check_constraint_has_a_human_message() -> None:
    from django.apps import apps
    from django.db.models import CheckConstraint

    from lentera.web.core.contradictions import CONSTRAINT_MESSAGES, ReadableConstraints

    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint) and model.__module__.startswith("lentera"):
                assert constraint.name in CONSTRAINT_MESSAGES, constraint.name
                assert issubclass(model, ReadableConstraints), model.__name__


def test_closed_before_opened_names_both_dates_and_all_errors_at_once(
    worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    page = _client(worker_a).post(
        f"/cases/{case.pk}/edit/",
        {"status": "active", "opened_on": "2026-01-10", "closed_on": "2020-05-01",
         "offence_date": "2099-01-15", "summary": "x"},
    ).content.decode()  # fmt: skip
    assert "Batasan" not in page and "case_closed_after_opened" not in page
    assert "1 Mei 2020" in page and "10 Januari 2026" in page
    assert "masa depan" in page  # the future offence date is reported at the same time


def _survivor_post(client: Client, case: Any, **fields: str) -> str:
    data = page_data(client.get(f"/cases/{case.pk}/survivors/new/").content.decode())
    data.update({"p-full_name": "Maria Yuliana", "p-sex": "female", "confirm_new": "1"})
    data.update({(k if k.startswith(("p-", "s-")) else f"p-{k}"): v for k, v in fields.items()})
    return client.post(f"/cases/{case.pk}/survivors/new/", data).content.decode()


@pytest.mark.parametrize(
    ("fields", "expect"),
    [
        ({"birth_date": "2015-03-01", "s-age_at_offence": "40"}, "40"),
        ({"birth_date": "2009-05-10", "s-age_at_offence": "20"}, "anak"),
        ({"birth_date": "2001-01-01", "nik": "5371015005090001"}, "10 Mei 2009"),
        ({"birth_date": "2026-01-01"}, "setelah tanggal kejadian"),
    ],
)
def test_survivor_contradictions_are_refused_naming_both_fields(
    worker_a: Any, build_case: Any, fields: dict[str, str], expect: str
) -> None:
    from lentera.web.cases.models import Person

    case = build_case(worker_a)
    before = (case.survivors.count(), Person.objects.count())
    page = _survivor_post(_client(worker_a), case, **fields)
    assert (case.survivors.count(), Person.objects.count()) == before  # nothing half-saved
    assert expect in page
    assert 'class="error"' in page


def test_consistent_survivor_is_accepted(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)  # offence 5 Nov 2024
    before = case.survivors.count()
    _survivor_post(_client(worker_a), case, birth_date="2009-05-10", **{"s-age_at_offence": "15"})
    assert case.survivors.count() == before + 1


# --------------------------------------------------------------------------- nothing typed is lost


def test_oversized_note_is_refused_with_a_message_not_cut(worker_a: Any, build_case: Any) -> None:
    from lentera.web.cases.models import CaseNote

    case = build_case(worker_a)
    before = CaseNote.objects.count()
    page = _client(worker_a).post(f"/cases/{case.pk}/notes/new/", {"body": "a" * 20_001})
    html = page.content.decode()
    assert page.status_code == 400 and CaseNote.objects.count() == before
    assert "20000" in html or "20.000" in html
    assert "Catatan kosong" not in html


def test_every_free_text_field_has_the_same_limit_on_every_path(worker_a: Any) -> None:
    """The service (API and import path) refuses what the form refuses: one limit."""
    from lentera.errors import LenteraError
    from lentera.web.cases import services
    from lentera.web.core.fields import TEXT_LIMIT

    with pytest.raises(LenteraError) as exc:
        services.case_open(actor=worker_a, summary="x" * (TEXT_LIMIT + 1))
    assert exc.value.field == "summary"


def test_error_summary_focuses_the_first_invalid_field(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    html = _survivor_post(_client(worker_a), case, **{"p-number_of_children": "-1"})
    assert 'id="top-errors"' in html
    summary = html.index('id="top-errors"')
    field = html.index('name="p-number_of_children"')
    assert summary < field
    tag = html[html.rindex("<", 0, field) : html.index(">", field)]
    assert "autofocus" in tag and 'aria-invalid="true"' in tag


def test_login_error_names_username_once(worker_a: Any) -> None:
    html = Client().post("/accounts/login/", {"username": "a_caseworker", "password": "salah"})
    text = html.content.decode()
    assert "nama pengguna nama pengguna" not in text.lower()
    assert "Nama pengguna atau sandi salah" in text


# --------------------------------------------------------------------------- idempotent creates


def test_replayed_create_returns_the_first_result(worker_a: Any, build_case: Any) -> None:
    from lentera.web.cases.models import Case

    client = _client(worker_a)
    data = page_data(client.get("/cases/new/").content.decode())
    assert data["_once"][0]
    data.update({"opened_on": "2026-11-30", "summary": "Dijanjikan kerja di Malaysia."})
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data)  # the browser re-sends the same POST
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_every_post_form_carries_a_one_time_token(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    html = _client(worker_a).get(f"/cases/{case.pk}/").content.decode()
    forms = re.findall(r'<form\b[^>]*method="post"[^>]*>(.{0,120})', html)
    assert len(forms) > 3
    assert all(f.startswith('<input type="hidden" name="_once"') for f in forms)
    tokens = re.findall(r'name="_once" value="([^"]+)"', html)
    assert len(set(tokens)) == len(tokens)


def test_rejected_submission_frees_its_token(worker_a: Any) -> None:
    from lentera.web.cases.models import Case

    client = _client(worker_a)
    data = page_data(client.get("/cases/new/").content.decode())
    data.update({"opened_on": "2099-01-01"})
    assert client.post("/cases/new/", data).status_code == 200
    data.update({"opened_on": "2026-11-30"})
    assert client.post("/cases/new/", data).status_code == 302
    assert Case.objects.count() == 1


# --------------------------------------------------------------------------- destructive actions


def _patterns(resolver: Any, prefix: str = "") -> list[tuple[str, Any]]:
    from django.urls import URLPattern, URLResolver

    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            found.extend(_patterns(p, ns))
        elif isinstance(p, URLPattern) and p.name:
            found.append((prefix + p.name, p.callback))
    return found


def test_every_destructive_action_asks_first() -> None:
    from django.urls import get_resolver

    destructive = [
        (name, view)
        for name, view in _patterns(get_resolver())
        if re.search(r"delete|remove|withdraw", name) and not name.startswith("admin")
    ]
    assert len(destructive) >= 5
    for name, view in destructive:
        assert getattr(view, "asks_confirmation", False), f"{name} deletes on one tap"


def test_delete_shows_a_confirmation_and_changes_nothing_until_confirmed(
    worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    perp = case.perpetrators.first()
    client = _client(worker_a)
    page = client.post(f"/cases/perpetrators/{perp.pk}/delete/")
    assert page.status_code == 200 and 'name="confirmed" value="1"' in page.content.decode()
    assert case.perpetrators.filter(pk=perp.pk).exists()
    done = client.post(f"/cases/perpetrators/{perp.pk}/delete/", {"confirmed": "1"})
    assert done.status_code == 302
    assert not case.perpetrators.filter(pk=perp.pk).exists()


# --------------------------------------------------------------------------- status, time zone


def test_positive_screening_offers_to_update_the_trafficking_status(
    worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    ticks = [
        "adult_labour.D1.deceived_nature_of_job", "adult_labour.D1.deceived_wages",
        "adult_labour.D4.excessive_hours", "adult_labour.D4.low_or_no_salary",
        "adult_labour.D5.confiscation_of_documents",
        "adult_labour.D5.isolation_confinement_surveillance",
    ]  # fmt: skip
    done = client.post(f"/assessments/survivors/{link.pk}/screening/", {"indicator": ticks})
    html = client.get(done["Location"]).content.decode()
    assert 'id="offer-status"' in html
    data = page_data(html[html.index('id="offer-status"') - 200 :])
    client.post(f"/assessments/survivors/{link.pk}/status/", data)
    link.refresh_from_db()
    assert link.trafficking_status == "actual_victim"
    assert 'id="offer-status"' not in client.get(done["Location"]).content.decode()


def test_times_follow_the_organisation_time_zone(worker_b: Any) -> None:
    """An organisation in NTT (Kupang) reads WITA, not Jakarta time."""
    from lentera.web.core.timezones import zone_of_province

    assert str(zone_of_province("53")) == "Asia/Makassar"
    assert str(zone_of_province("94")) == "Asia/Jayapura"
    assert str(zone_of_province("31")) == "Asia/Jakarta"
    from lentera.web.cases import services

    case = services.case_open(actor=worker_b)
    services.note_add(actor=worker_b, case=case, body="Catatan")
    html = _client(worker_b).get(f"/cases/{case.pk}/").content.decode()
    assert "WITA" in html and "WIB" not in html


# --------------------------------------------------------------------------- intake context


def test_consent_for_several_purposes_in_one_form_and_who_signed(
    worker_a: Any, build_case: Any
) -> None:
    from lentera.web.cases.models import Consent

    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    data = page_data(client.get(f"/cases/{case.pk}/consents/new/").content.decode())
    data.update({"person": [str(link.person_id)], "purposes": ["services", "referral"],
                 "refused": ["reporting"], "shared_fields": ["name"], "signed_by": ["parent"],
                 "signer_name": [""]})  # fmt: skip
    page = client.post(f"/cases/{case.pk}/consents/new/", data)
    assert page.status_code == 200 and Consent.objects.count() == 0  # the signer must be named
    data["signer_name"] = ["Ibu Yosefina (ibu kandung)"]
    assert client.post(f"/cases/{case.pk}/consents/new/", data).status_code == 302
    got = {c.purpose: c for c in Consent.objects.all()}
    assert set(got) == {"services", "referral", "reporting"}
    assert got["referral"].granted and not got["reporting"].granted
    assert got["referral"].shared_fields == ["name"] and got["services"].shared_fields == []
    assert got["services"].signed_by == "parent" and got["services"].signer_name.startswith("Ibu")


def test_other_needs_its_sebutkan(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    perp = case.perpetrators.first()
    client = _client(worker_a)
    data = page_data(client.get(f"/cases/perpetrators/{perp.pk}/edit/").content.decode())
    data["roles"] = ["other"]
    data["other_specified"] = [""]
    page = client.post(f"/cases/perpetrators/{perp.pk}/edit/", data)
    assert page.status_code == 200 and "Lainnya" in page.content.decode()
    data["other_specified"] = ["Penadah paspor"]
    assert client.post(f"/cases/perpetrators/{perp.pk}/edit/", data).status_code == 302


def test_journey_records_identification_and_return_with_who_assisted(
    worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    client = _client(worker_a)
    data = page_data(client.get(f"/cases/{case.pk}/events/new/").content.decode())
    data.update({"stage": ["return"], "date": ["2025-03-01"], "country": ["ID"],
                 "place": ["Pos lintas batas Entikong"], "assisted_by": ["kjri_kbri"]})  # fmt: skip
    assert client.post(f"/cases/{case.pk}/events/new/", data).status_code == 302
    event = case.events.get(stage="return")
    assert event.assisted_by == "kjri_kbri"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Pemulangan" in html


def test_rupiah_amounts_accept_indonesian_thousand_separators() -> None:
    from lentera.web.core.formfields import RupiahField

    field = RupiahField(required=False, min_value=0)
    for typed in ("5.300.000", "Rp 5.300.000", "5300000", "Rp5.300.000,00", " 5 300 000 "):
        assert field.clean(typed) == 5_300_000, typed
    assert field.prepare_value(127_700_000) == "127.700.000"


def test_typing_keeps_the_session_alive_and_the_page_knows_when_it_ends(worker_a: Any) -> None:
    from django.conf import settings

    client = _client(worker_a)
    html = client.get("/cases/new/").content.decode()
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'data-keepalive="/keepalive"' in html
    before = client.session.get_expiry_date()
    response = client.post("/keepalive", HTTP_X_CSRFTOKEN="x")
    assert response.status_code == 204
    assert client.session.get_expiry_date() >= before
    assert Client().post("/keepalive").status_code in {302, 401, 403}
