"""Findings 8, 13, 15 (LOW): API tokens, passwords and sessions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from lentera.cli import main
from lentera.errors import LenteraError
from lentera.web.accounts.models import ApiToken, User
from lentera.web.accounts.services import api_token_issue, user_create, user_update
from lentera.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _api(token: str, method: str = "get", path: str = "/api/cases", body: Any = None) -> Any:
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs.update(content_type="application/json", data=json.dumps(body))
    return getattr(Client(), method)(path, **kwargs)


def test_tokens_expire_are_hashed_and_revocable(worker_a: Any, capsys: Any) -> None:
    raw = api_token_issue(actor=None, user=worker_a, days=30)
    row = ApiToken.objects.get(user=worker_a)
    assert raw not in row.key_hash and row.expires_at < timezone.now() + dt.timedelta(days=31)
    assert _api(raw).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _api(raw).status_code == 401
    with pytest.raises(LenteraError):
        api_token_issue(actor=None, user=worker_a, days=1000)
    other = api_token_issue(actor=None, user=worker_a, name="sync")
    assert main(["tokens", "list", "--user", worker_a.username]) == 0
    assert "sync" in capsys.readouterr().out
    token = ApiToken.objects.get(name="sync")
    assert main(["tokens", "revoke", str(token.pk)]) == 0
    assert _api(other).status_code == 401
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", action="delete").exists()


def test_read_only_token_cannot_write(worker_a: Any) -> None:
    raw = api_token_issue(actor=None, user=worker_a, read_only=True)
    assert _api(raw).status_code == 200
    r = _api(raw, "post", "/api/cases", {"opened_on": "2025-01-01"})
    assert r.status_code == 403


@override_settings(LENTERA_2FA_REQUIRED_ROLES=("org_admin", "supervisor", "legal"))
def test_no_token_for_2fa_roles_without_a_verified_session(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    with pytest.raises(LenteraError) as exc:
        api_token_issue(actor=None, user=sup)
    assert exc.value.code == "token_needs_2fa"
    assert main(["tokens", "issue", sup.username]) != 0
    assert not ApiToken.objects.filter(user=sup).exists()
    # from a session that is not verified, the page is not even reachable
    c = Client()
    c.force_login(sup)
    assert c.post("/accounts/tokens/", {"name": "x", "days": 30}).status_code == 302
    assert not ApiToken.objects.filter(user=sup).exists()


def test_web_token_page_lists_creates_and_revokes(worker_a: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    r = c.post("/accounts/tokens/", {"name": "laporan", "days": 7, "read_only": "on"})
    raw = r.context["new_token"]
    assert raw.startswith("lnt_") and _api(raw).status_code == 200
    token = ApiToken.objects.get(user=worker_a)
    assert token.read_only
    assert c.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert _api(raw).status_code == 401


def test_own_password_change_ends_other_sessions(worker_a: Any) -> None:
    other = Client()
    other.force_login(worker_a)
    c = Client()
    c.force_login(worker_a)
    r = c.post(
        "/accounts/password/",
        {"old_password": "x", "new_password1": "Panjang-sekali-2026", "new_password2": "Panjang-sekali-2026"},
    )  # fmt: skip
    assert r.status_code == 302
    assert c.get("/cases/").status_code == 200
    assert other.get("/cases/").status_code == 302  # the other session ended


def test_admin_set_password_must_be_changed(users_a: dict[str, Any], org_a: Any) -> None:
    admin = users_a["org_admin"]
    new = user_create(
        actor=admin, username="baru", password="Awal-sementara-2026", organisation=org_a,
        role="caseworker",
    )  # fmt: skip
    assert new.must_change_password
    c = Client()
    c.force_login(new)
    assert c.get("/cases/")["Location"] == "/accounts/password/"
    c.post(
        "/accounts/password/",
        {"old_password": "Awal-sementara-2026", "new_password1": "Milik-saya-sendiri-26",
         "new_password2": "Milik-saya-sendiri-26"},
    )  # fmt: skip
    assert c.get("/cases/").status_code == 200
    # an admin reset: the member's sessions end and the new password must be changed again
    user_update(actor=admin, user=new, new_password="Reset-oleh-admin-2026")
    assert c.get("/cases/").status_code == 302
    assert User.objects.get(pk=new.pk).must_change_password


def test_reactivation_does_not_revive_sessions(users_a: dict[str, Any], worker_a: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    assert c.get("/cases/").status_code == 200
    user_update(actor=users_a["org_admin"], user=worker_a, is_active=False)
    user_update(actor=users_a["org_admin"], user=worker_a, is_active=True)
    assert c.get("/cases/").status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_throttling_stores_no_typed_username_and_expires(worker_a: Any) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    from lentera.web.accounts.lockout import purge_login_records

    typed = "MyS3cretPassw0rd! Siti Aminah 3171014501909999"
    c = Client()
    c.post("/accounts/login/", {"username": typed, "password": "x"})
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            assert "Siti" not in row.username and "MyS3cret" not in row.username
    # lockout still works, including for case and width variants of the name
    for name in ("a_caseworker", "A_CASEWORKER", "ａ_caseworker"):
        c.post("/accounts/login/", {"username": name, "password": "wrong"})
    r = c.post("/accounts/login/", {"username": "a_caseworker", "password": "x"})
    assert r.status_code in {403, 429}
    assert AccessAttempt.objects.exists()
    later = timezone.now() + dt.timedelta(days=31)
    assert purge_login_records(now=later) > 0
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, LENTERA_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_client_cannot_lock_out_another(worker_a: Any) -> None:
    attacker = Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")  # a forged first entry
    for _ in range(4):
        attacker.post("/accounts/login/", {"username": "a_caseworker", "password": "wrong"})
    assert attacker.post(
        "/accounts/login/", {"username": "a_caseworker", "password": "x"}
    ).status_code in {403, 429}
    owner = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    r = owner.post("/accounts/login/", {"username": "a_caseworker", "password": "x"})
    assert r.status_code == 302 and "_auth_user_id" in owner.session


def test_caseworkers_edit_only_assigned_cases_when_the_org_says_so(
    users_a: dict[str, Any], build_case: Any
) -> None:
    from lentera.web.cases import services

    other = user_create(
        actor=None, username="a_caseworker2", password="x", organisation=users_a["caseworker"].membership.organisation,
        role="caseworker", check_password=False,
    )  # fmt: skip
    case = build_case(users_a["caseworker"])
    services.note_add(actor=other, case=case, body="boleh")  # default: org-wide
    admin = Client()
    admin.force_login(users_a["org_admin"])
    admin.post("/accounts/users/", {"action": "assigned_only", "assigned_only": "1"})
    with pytest.raises(LenteraError) as exc:
        services.note_add(actor=User.objects.get(pk=other.pk), case=case, body="tidak")
    assert exc.value.code == "not_assigned"
    owner = User.objects.get(pk=users_a["caseworker"].pk)
    services.note_add(actor=owner, case=case, body="pemilik")
    services.note_add(actor=User.objects.get(pk=users_a["supervisor"].pk), case=case, body="sup")
    c = Client()
    c.force_login(other)
    r = c.post(f"/cases/{case.pk}/notes/new/", {"body": "lewat web"})
    assert r.status_code in {200, 400, 403}
    assert "lewat web" not in [n.body for n in case.notes.all()]


def test_a_wrong_password_is_in_the_organisations_audit_log(
    users_a: dict[str, Any], users_b: dict[str, Any]
) -> None:
    """A supervisor sees someone trying a colleague's password; a name that is no account's is
    never stored and belongs to no organisation's log."""
    from lentera.web.audit.models import AuditEvent

    target = users_a["caseworker"]
    c = Client()
    c.post("/accounts/login/", {"username": target.username, "password": "salah"})
    c.post("/accounts/login/", {"username": "Siti Rahayu", "password": "salah"})
    rows = list(AuditEvent.objects.filter(action="login_failed").order_by("id"))
    assert [(r.organisation_id, r.object_id) for r in rows] == [
        (target.membership.organisation_id, str(target.pk)),
        (None, ""),
    ]
    assert not any("Siti" in str(r.detail) for r in rows)
    supervisor = Client()
    supervisor.force_login(users_a["supervisor"])
    page = supervisor.get("/audit/?action=login_failed").content.decode()
    assert "Gagal masuk" in page and "Tidak ada entri" not in page
    other = Client()
    other.force_login(users_b["supervisor"])
    assert "Tidak ada entri" in other.get("/audit/?action=login_failed").content.decode()
