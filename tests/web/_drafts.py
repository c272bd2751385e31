"""Shared check of issue 16's drafts: a form sent after the session expired is offered back.

``draft_offered_back`` opens the form signed in, loses the session, submits, signs in again as
the same user and checks that the page offers the draft and, once restored, shows ``typed``.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client

from lentera.web.accounts.models import FormDraft


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: Client, username: str) -> None:
    """Sign ``client`` in as ``username`` through the login form (a fresh session)."""
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    page = client.get("/accounts/login/").content.decode()
    r = client.post(
        "/accounts/login/",
        {"username": username, "password": "x", "csrfmiddlewaretoken": csrf_token(page)},
    )
    assert r.status_code == 302


def draft_offered_back(user: Any, url: str, fields: dict[str, Any], typed: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    login(browser, user.username)
    page = browser.get(url)
    assert page.status_code == 200, url
    assert typed not in page.content.decode()
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session expired
    r = browser.post(url, {"csrfmiddlewaretoken": csrf_token(page.content.decode()), **fields})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="), url
    draft = FormDraft.objects.get()
    assert draft.user == user and draft.path == url

    login(browser, user.username)
    offer = browser.get(url).content.decode()
    assert "Lanjutkan isian yang belum tersimpan?" in offer and typed not in offer
    restored = browser.get(url + "?lentera_draft=restore").content.decode()
    assert typed in restored, url
