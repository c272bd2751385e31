"""Issue 16: the long edit pages (case, survivor) save one section at a time.

A section save validates and writes only its own fields, whatever else the browser sends (an
empty value for another section's field never blanks it), and the optimistic lock still holds.
"""

from __future__ import annotations

from typing import Any

import pytest
from _browser import page_data
from django.test import Client

from lentera.web.cases.fields import CASE_SECTIONS, LINK_SECTIONS, PERSON_SECTIONS
from lentera.web.cases.forms import CaseForm, CaseSurvivorForm, PersonForm
from lentera.web.cases.models import Case, CaseSurvivor, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(worker_a: Any) -> Client:
    c = Client()
    c.force_login(worker_a)
    return c


@pytest.mark.parametrize(
    ("form", "sections"),
    [(CaseForm, CASE_SECTIONS), (PersonForm, PERSON_SECTIONS), (CaseSurvivorForm, LINK_SECTIONS)],
)
def test_sections_hold_every_field_of_the_form_once(form: Any, sections: Any) -> None:
    listed = [name for _key, names in sections for name in names]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(form().fields) - {"version"}


def test_case_section_save_changes_only_that_section(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    before = Case.objects.get(pk=case.pk)
    response = client_a.post(
        f"/cases/{case.pk}/edit/",
        # the other section's fields arrive empty: they must be ignored, not blanked
        {"section": "intake", "version": before.version, "summary": "Ringkasan baru",
         "status": "", "opened_on": "", "offence_date": ""},
    )  # fmt: skip
    # the blanks are what the user "typed" there: kept on the page, marked not saved, not written
    assert response.status_code == 200
    page = response.content.decode()
    assert '<fieldset class="section unsaved" id="section-status">' in page
    intake = page[page.index('id="section-intake"') :]
    assert 'class="saved"' in intake and 'class="unsaved"' not in intake
    after = Case.objects.get(pk=case.pk)
    assert after.summary == "Ringkasan baru"
    assert (after.status, after.opened_on, after.offence_date) == (
        before.status,
        before.opened_on,
        before.offence_date,
    )
    assert after.version == before.version + 1


def test_survivor_section_save_changes_only_that_section(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    link = build_case(worker_a).survivors.get()
    person = link.person
    # only the section's fields are posted (what a phone sends for "Simpan bagian ini")
    response = client_a.post(
        f"/cases/survivors/{link.pk}/edit/",
        {"section": "origin", "p-version": person.version, "p-phone": "081299998888",
         "p-origin_province_code": "53", "p-origin_regency_code": "5301",
         "p-full_name": "", "s-exploitation_types": []},
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:2000]
    assert 'class="section unsaved" id="section-identity"' in response.content.decode()
    after = Person.objects.get(pk=person.pk)
    assert after.phone == "081299998888"
    assert after.full_name == person.full_name and after.nik == person.nik
    assert after.birth_date == person.birth_date and after.sex == person.sex
    link_after = CaseSurvivor.objects.get(pk=link.pk)
    assert link_after.exploitation_types == ["forced_labour"]
    assert link_after.version == link.version


def test_link_section_save_leaves_the_person_alone(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    link = build_case(worker_a).survivors.get()
    response = client_a.post(
        f"/cases/survivors/{link.pk}/edit/",
        {"section": "now", "s-version": link.version, "s-current_location": "Rumah aman",
         "p-version": link.person.version, "p-full_name": "", "p-nik": ""},
    )  # fmt: skip
    assert response.status_code == 200  # the blanked name and NIK stay on the page, not saved
    assert CaseSurvivor.objects.get(pk=link.pk).current_location == "Rumah aman"
    person = Person.objects.get(pk=link.person_id)
    assert person.full_name == "Sutinah binti Karto" and person.nik == "5301054708990003"
    assert person.version == link.person.version


def test_stale_section_save_is_refused_with_the_conflict_message(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    link = build_case(worker_a).survivors.get()
    stale = link.person.version
    first = {"section": "origin", "p-version": stale, "p-phone": "081211112222"}
    assert client_a.post(f"/cases/survivors/{link.pk}/edit/", first).status_code == 200
    second = {"section": "origin", "p-version": stale, "p-phone": "081233334444"}
    response = client_a.post(f"/cases/survivors/{link.pk}/edit/", second)
    assert response.status_code == 200
    assert "Orang lain mengubah catatan ini" in response.content.decode()
    assert Person.objects.get(pk=link.person_id).phone == "081211112222"

    case = link.case
    version = Case.objects.get(pk=case.pk).version
    data = {"section": "intake", "version": version, "summary": "satu"}
    assert client_a.post(f"/cases/{case.pk}/edit/", data).status_code == 200
    data["summary"] = "dua"
    response = client_a.post(f"/cases/{case.pk}/edit/", data)
    assert "Orang lain mengubah catatan ini" in response.content.decode()
    assert Case.objects.get(pk=case.pk).summary == "satu"


def test_section_error_shows_in_the_section_and_at_the_top(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    link = build_case(worker_a).survivors.get()
    response = client_a.post(
        f"/cases/survivors/{link.pk}/edit/",
        {"section": "identity", "p-version": link.person.version, "p-full_name": "Sutinah",
         "p-nik": "1234", "p-citizenship": "ID", "p-sex": "female"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary' in page or "error-summary" in page
    identity = page[page.index('id="section-identity"') : page.index('id="section-origin"')]
    assert "has-error" in identity
    # the other sections show no error (they were not checked)
    assert "has-error" not in page[page.index('id="section-origin"') :]
    assert Person.objects.get(pk=link.person_id).nik == "5301054708990003"


def test_edit_pages_show_sections_and_refuse_an_unknown_one(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    link = case.survivors.get()
    for url, sections in (
        (f"/cases/{case.pk}/edit/", CASE_SECTIONS),
        (f"/cases/survivors/{link.pk}/edit/", PERSON_SECTIONS + LINK_SECTIONS),
    ):
        page = client_a.get(url).content.decode()
        for key, _names in sections:
            assert f'<fieldset class="section" id="section-{key}">' in page  # nothing unsaved
            assert f'name="section" value="{key}"' in page
        assert client_a.post(url, {"section": "nope"}).status_code == 400


def _page(client: Client, url: str) -> dict[str, list[str]]:
    """What the browser sends from the edit page as shown (every section)."""
    data = page_data(client.get(url).content.decode())
    data.pop("section", None)
    return data


def test_a_full_page_section_save_with_nothing_else_typed_redirects(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    link = case.survivors.get()
    url = f"/cases/{case.pk}/edit/"
    data = {**_page(client_a, url), "summary": ["Ringkasan baru"], "section": ["intake"]}
    response = client_a.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?saved=intake#section-intake"
    page = client_a.get(response["Location"]).content.decode()
    intake = page[page.index('id="section-intake"') :]
    assert 'class="saved"' in intake and 'class="saved"' not in page[: page.index(intake)]
    assert "unsaved-sections" not in page

    url = f"/cases/survivors/{link.pk}/edit/"
    data = {**_page(client_a, url), "p-phone": ["081299990000"], "section": ["origin"]}
    response = client_a.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?saved=origin#section-origin")


def test_typing_in_another_section_survives_a_section_save(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    """Typed in "identity" and in "in this case", then saved "origin": the phone is saved, the
    rest is neither saved nor lost: it is on the page, marked not saved yet, and saves next."""
    link = build_case(worker_a).survivors.get()
    person = Person.objects.get(pk=link.person_id)
    url = f"/cases/survivors/{link.pk}/edit/"
    data = {
        **_page(client_a, url),
        "p-phone": ["081277776666"],
        "p-full_name": ["Sutinah Karto (diketik, belum disimpan)"],
        "s-is_migrant_worker": ["true"],
        "s-current_location": ["Rumah aman Kupang"],
        "section": ["origin"],
    }
    response = client_a.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    after = Person.objects.get(pk=person.pk)
    assert after.phone == "081277776666" and after.full_name == person.full_name
    stored_link = CaseSurvivor.objects.get(pk=link.pk)
    assert stored_link.is_migrant_worker is None and stored_link.current_location == ""
    # the typing is on the page, its sections marked (and listed at the top), the saved one said
    shown = page_data(page)
    assert shown["p-full_name"] == ["Sutinah Karto (diketik, belum disimpan)"]
    assert shown["s-is_migrant_worker"] == ["true"]
    assert shown["s-current_location"] == ["Rumah aman Kupang"]
    assert shown["p-phone"] == ["081277776666"]
    assert shown["p-version"] == [str(after.version)]  # the next save is not a conflict
    for key in ("identity", "migration", "now"):
        assert f'class="section unsaved" id="section-{key}"' in page
        assert f'href="#section-{key}"' in page[: page.index('id="section-identity"')]
    assert '<fieldset class="section" id="section-origin">' in page
    origin = page[page.index('id="section-origin"') : page.index('id="section-family"')]
    assert "Bagian ini sudah tersimpan." in origin
    assert "Belum disimpan" in page[page.index('id="section-identity"') :]

    # saving the next section from that page keeps the rest still typed
    shown.pop("section", None)
    response = client_a.post(url, {**shown, "section": ["identity"]})
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).full_name.startswith("Sutinah Karto (diketik")
    assert 'class="section unsaved" id="section-identity"' not in response.content.decode()
    shown = page_data(response.content.decode())
    shown.pop("section", None)
    for key in ("migration", "now"):
        response = client_a.post(url, {**shown, "section": [key]})
        shown = page_data(response.content.decode())
        shown.pop("section", None)
    assert response.status_code == 302  # nothing left unsaved: back to the page
    stored_link = CaseSurvivor.objects.get(pk=link.pk)
    assert stored_link.is_migrant_worker is True
    assert stored_link.current_location == "Rumah aman Kupang"


def test_a_section_error_keeps_and_marks_the_other_sections_typing(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    url = f"/cases/{case.pk}/edit/"
    data = {
        **_page(client_a, url),
        "summary": ["Diketik di bagian lain"],
        "closed_on": ["2001-01-01"],  # before opening: the status section is refused
        "section": ["status"],
    }
    response = client_a.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page_data(page)["summary"] == ["Diketik di bagian lain"]
    assert 'class="section unsaved" id="section-intake"' in page
    assert Case.objects.get(pk=case.pk).summary != "Diketik di bagian lain"
