"""Finding 1 (HIGH): the second factor cannot be skipped or replaced with the password alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lentera.web.accounts.models import RecoveryCode
from lentera.web.accounts.services import user_update
from lentera.web.accounts.twofactor import recovery_codes_issue
from lentera.web.audit.models import AuditEvent
from lentera.web.referrals.models import Notification

pytestmark = [
    pytest.mark.django_db,
]
REQUIRED = override_settings(LENTERA_2FA_REQUIRED_ROLES=("org_admin", "supervisor", "legal"))


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{t.token():06d}"


def _enrol(user: Any) -> tuple[Client, TOTPDevice, list[str]]:
    c = Client()
    c.force_login(user)
    c.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = c.post("/accounts/2fa/setup/", {"token": _code(device)})
    assert r.status_code == 200
    codes = list(r.context["codes"])
    device.refresh_from_db()
    assert device.confirmed
    return c, device, codes


@REQUIRED
def test_password_alone_cannot_re_enrol(users_a: dict[str, Any]) -> None:
    """The pen-test repro: a password-only session opens setup, enrols a new device, gets in."""
    sup = users_a["supervisor"]
    _c, victim_device, _codes = _enrol(sup)
    attacker = Client()
    attacker.force_login(sup)  # the password only
    r = attacker.get("/accounts/2fa/setup/")
    assert r.status_code == 302 and "/accounts/2fa/verify/" in r["Location"]
    r = attacker.post("/accounts/2fa/setup/", {"token": "123456"})
    assert r.status_code == 302 and "/accounts/2fa/verify/" in r["Location"]
    assert attacker.get("/cases/").status_code == 302
    assert attacker.get("/audit/").status_code == 302
    # the owner's device is untouched and no new one exists
    assert list(TOTPDevice.objects.filter(user=sup)) == [victim_device]


@REQUIRED
def test_only_verify_and_recover_open_before_verification(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    _enrol(sup)
    c = Client()
    c.force_login(sup)
    assert c.get("/accounts/2fa/verify/").status_code == 200
    assert c.get("/accounts/2fa/recover/").status_code == 200
    for path in ("/accounts/2fa/", "/accounts/2fa/setup/", "/accounts/users/", "/cases/"):
        r = c.get(path)
        assert r.status_code == 302 and "/accounts/2fa/verify/" in r["Location"], path


@REQUIRED
def test_replacing_needs_verified_session_and_password(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    c, old, _codes = _enrol(sup)
    Notification.objects.all().delete()
    assert c.get("/accounts/2fa/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=sup, confirmed=False)
    # right code, wrong password: refused, old device kept
    r = c.post("/accounts/2fa/setup/", {"token": _code(new), "password": "wrong"})
    assert r.status_code == 200 and "codes" not in r.context
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    r = c.post("/accounts/2fa/setup/", {"token": _code(new), "password": "x"})
    assert r.status_code == 200 and len(r.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=sup)) == [new]
    # the user and the org admin are told
    told = set(
        Notification.objects.filter(kind="security_2fa").values_list("user__username", flat=True)
    )
    assert told == {"a_supervisor", "a_org_admin"}
    assert AuditEvent.objects.filter(detail__2fa="replaced").exists()


@REQUIRED
@override_settings(
    LENTERA_EMAIL_ENABLED=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_device_change_is_emailed_when_email_configured(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    sup.email = "sup@example.org"
    sup.save()
    users_a["org_admin"].email = "admin@example.org"
    users_a["org_admin"].save()
    _enrol(sup)
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "sup@example.org"]


@REQUIRED
def test_recovery_codes_hashed_and_single_use(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    _c, _device, codes = _enrol(sup)
    stored = list(RecoveryCode.objects.filter(device__user=sup).values_list("code_hash", flat=True))
    assert len(stored) == 10
    plain = {code.replace("-", "") for code in codes}
    assert not plain & set(stored) and not any(p in h for p in plain for h in stored)
    c = Client()
    c.force_login(sup)
    assert c.post("/accounts/2fa/recover/", {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    assert c.get("/cases/").status_code == 302
    r = c.post("/accounts/2fa/recover/", {"code": codes[0].lower()})
    assert r.status_code == 302 and "/accounts/2fa/setup/" in r["Location"]
    assert c.get("/cases/").status_code == 200
    # the same code does not work twice
    c2 = Client()
    c2.force_login(sup)
    assert c2.post("/accounts/2fa/recover/", {"code": codes[0]}).status_code == 200
    assert c2.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(detail__2fa="recovery_used").count() == 1


@REQUIRED
def test_admin_reset_is_audited_and_notified(users_a: dict[str, Any]) -> None:
    sup = users_a["supervisor"]
    _enrol(sup)
    recovery_codes_issue(user=sup)
    user_update(actor=users_a["org_admin"], user=sup, reset_2fa=True)
    assert not TOTPDevice.objects.filter(user=sup).exists()
    assert not RecoveryCode.objects.filter(device__user=sup).exists()
    assert AuditEvent.objects.filter(actor=users_a["org_admin"], detail__2fa="reset").exists()
    assert Notification.objects.filter(
        user=sup, kind="security_2fa", params__event="reset"
    ).exists()
    # after the reset, enrolment is open again (the audited path for a lost phone without codes)
    c = Client()
    c.force_login(sup)
    assert c.get("/accounts/2fa/setup/").status_code == 200


def test_account_page_links_password_tokens_and_2fa(worker_a: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    page = c.get("/accounts/2fa/").content.decode()
    for url in ("/accounts/password/", "/accounts/tokens/", "/accounts/2fa/setup/"):
        assert url in page
    assert 'href="/accounts/2fa/"' in c.get("/cases/").content.decode()  # from the header


def test_a_right_code_refused_by_the_throttle_says_to_wait(users_a: dict[str, Any]) -> None:
    """After a wrong code django-otp refuses every code for a moment; the page says so instead
    of calling the right code wrong (ux-review, 2FA throttle)."""
    from django.utils import translation

    from lentera.errors import LenteraError
    from lentera.web.accounts.twofactor import totp_verify

    user = users_a["caseworker"]
    _enrol(user)
    translation.activate("en")
    with pytest.raises(LenteraError) as wrong:
        totp_verify(actor=user, token="000000")
    assert "wait" not in str(wrong.value.message).lower()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    with pytest.raises(LenteraError) as held:
        totp_verify(actor=user, token=_code(device))
    assert "Wait 1 second" in str(held.value.message)
    translation.deactivate()
