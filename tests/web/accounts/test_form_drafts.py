"""A form sent after the session expired is kept, encrypted, for the same user only."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from _browser import page_data
from _drafts import csrf_token, login
from django.conf import settings
from django.db import connection
from django.test import Client

from lentera.web.accounts.models import FormDraft
from lentera.web.accounts.services import user_create
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.models import Person

pytestmark = pytest.mark.django_db

NAME = "Rahasia Draftina"


def _expired_submit(client: Client, url: str, **extra: Any) -> Any:
    """Open the form signed in, lose the session, then submit it."""
    page = client.get(url).content.decode()
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session expired
    data = {
        "csrfmiddlewaretoken": csrf_token(page),
        "p-full_name": NAME,
        "p-sex": "female",
        "p-citizenship": "ID",
        "p-disability": "true",
        "s-exploitation_types": ["forced_labour", "child_labour"],
        "s-is_migrant_worker": "true",
    }
    return client.post(url, data, **extra)


def test_expired_form_is_kept_encrypted_and_offered_back_to_its_user_only(
    users_a: dict[str, Any], build_case: Any
) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    url = f"/cases/{case.pk}/survivors/new/"
    browser = Client(enforce_csrf_checks=True)
    login(browser, worker.username)
    before = Person.objects.count()

    r = _expired_submit(browser, url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")
    assert Person.objects.count() == before  # nothing written
    draft = FormDraft.objects.get()
    assert draft.user == worker and draft.case_id == case.pk
    with connection.cursor() as cur:
        cur.execute("SELECT data FROM accounts_formdraft")
        (raw,) = cur.fetchone()
    assert raw.startswith("v1:") and NAME not in raw  # encrypted at rest

    # another caseworker signing in on that browser is never shown it
    other = user_create(
        actor=None, username="a_other", password="x", organisation=worker.membership.organisation,
        role="caseworker", check_password=False,
    )  # fmt: skip
    login(browser, other.username)
    page = browser.get(url).content.decode()
    assert "Tambah penyintas" in page
    assert NAME not in page and "Lanjutkan isian" not in page
    assert NAME not in browser.get(url + "?lentera_draft=restore").content.decode()

    login(browser, worker.username)
    page = browser.get(url).content.decode()
    assert "Lanjutkan isian yang belum tersimpan?" in page and NAME not in page
    page = browser.get(url + "?lentera_draft=restore").content.decode()
    assert f'value="{NAME}"' in page
    assert re.search(r'<option value="true" selected>', page)  # a yes/no answer came back
    assert re.search(r'value="child_labour"[^>]*checked', page)
    assert Person.objects.count() == before  # still nothing saved

    # the user submits the refilled form as the browser sends it
    form = page_data(page[page.index("<form", page.index("<main")) :])
    assert form["p-full_name"] == [NAME] and form["s-is_migrant_worker"] == ["true"]
    form["confirm_new"] = ["1"]
    r = browser.post(url + "?lentera_draft=restore", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Person.objects.count() == before + 1
    saved = Person.objects.order_by("-pk").first()
    assert saved.full_name == NAME
    assert saved.disability is True and saved.case_links.get().is_migrant_worker is True
    assert saved.case_links.get().exploitation_types == ["forced_labour", "child_labour"]
    assert not FormDraft.objects.exists()  # used up
    events = list(AuditEvent.objects.filter(object_type="accounts.formdraft").order_by("id"))
    details = [str(e.detail) for e in events]
    assert [e.detail["draft"] for e in events] == [
        "kept after the session expired",
        "restored",
        "submitted",
    ]
    assert not any(NAME in d for d in details)


def test_a_cross_site_post_is_not_kept(users_a: dict[str, Any], build_case: Any) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    url = f"/cases/{case.pk}/survivors/new/"
    browser = Client(enforce_csrf_checks=True)
    login(browser, worker.username)
    browser.get(url)
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)
    r = browser.post(url, {"p-full_name": NAME}, HTTP_ORIGIN="https://evil.example")
    assert r.status_code == 403
    assert not FormDraft.objects.exists()
    # the same submission from this site's own page (its token lost with the session) is kept
    r = browser.post(url, {"p-full_name": NAME}, HTTP_SEC_FETCH_SITE="same-origin")
    assert r.status_code == 302 and FormDraft.objects.count() == 1


def test_without_an_owner_nothing_is_kept_and_drafts_expire(
    users_a: dict[str, Any], build_case: Any
) -> None:
    case = build_case(users_a["caseworker"])
    r = Client().post(f"/cases/{case.pk}/survivors/new/", {"p-full_name": NAME})
    assert r.status_code == 302 and not FormDraft.objects.exists()


def test_discard_deletes_the_draft(users_a: dict[str, Any], build_case: Any) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    url = f"/cases/{case.pk}/survivors/new/"
    browser = Client()
    login(browser, worker.username)
    _expired_submit(browser, url)
    login(browser, worker.username)
    r = browser.post("/accounts/draft/discard/")
    assert r.status_code == 302 and r["Location"] == url
    assert not FormDraft.objects.exists()
    assert "Lanjutkan isian" not in browser.get(url).content.decode()


def test_a_form_that_posts_elsewhere_comes_back_on_its_own_page(
    users_a: dict[str, Any], build_case: Any
) -> None:
    """The note form is shown on the case page and posts to .../notes/new/: after the session
    expired, the login leads back to the case page, which offers and refills the note."""
    worker = users_a["caseworker"]
    case = build_case(worker)
    page_url, action = f"/cases/{case.pk}/", f"/cases/{case.pk}/notes/new/"
    note = "Catatan yang diketik sebelum sesi berakhir"
    browser = Client(enforce_csrf_checks=True)
    login(browser, worker.username)
    token = csrf_token(browser.get(page_url).content.decode())
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)
    r = browser.post(
        action,
        {"csrfmiddlewaretoken": token, "body": note},
        HTTP_REFERER=f"http://testserver{page_url}?tab=notes",
    )
    assert (
        r.status_code == 302
        and r["Location"] == f"/accounts/login/?next={quote(page_url, safe='')}"
    )
    draft = FormDraft.objects.get()
    assert (draft.path, draft.page) == (action, page_url)

    login(browser, worker.username)
    assert "Lanjutkan isian yang belum tersimpan?" in browser.get(page_url).content.decode()
    page = browser.get(page_url + "?lentera_draft=restore").content.decode()
    assert note in page and note not in [n.body for n in case.notes.all()]
    r = browser.post(action, {"csrfmiddlewaretoken": csrf_token(page), "body": note})
    assert r.status_code == 302 and [n.body for n in case.notes.all()].count(note) == 1
    assert not FormDraft.objects.exists()  # used up by the submission to the form's address


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/cases/1/",  # another site
        "http://testserver//evil.example/",  # a scheme-relative path
        "http://testserver/accounts/users/",  # a page whose forms are never refilled
        "",
    ],
)
def test_the_page_kept_with_a_draft_is_this_sites_own_form_page(
    users_a: dict[str, Any], build_case: Any, referer: str
) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    action = f"/cases/{case.pk}/notes/new/"
    browser = Client()
    login(browser, worker.username)
    browser.get(f"/cases/{case.pk}/")
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)
    r = browser.post(action, {"body": "x"}, HTTP_REFERER=referer)
    assert (
        r.status_code == 302 and r["Location"] == f"/accounts/login/?next={quote(action, safe='')}"
    )
    assert FormDraft.objects.get().shown_on == action
