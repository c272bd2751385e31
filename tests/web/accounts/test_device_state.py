"""The two-factor gate keeps its answer in the session only while the user's devices are
unchanged: a device confirmed (or removed) from any other session takes effect on the next
request, exactly as when the devices were looked up on every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from lentera.web.accounts.devices import SESSION_KEY, has_confirmed_device
from lentera.web.accounts.models import User
from lentera.web.accounts.twofactor import recovery_codes_issue, second_factor_reset

pytestmark = pytest.mark.django_db


def _epoch(user: Any) -> int:
    return User.objects.get(pk=user.pk).second_factor_epoch


def test_every_device_change_moves_the_epoch(users_a: dict[str, Any]) -> None:
    worker = users_a["caseworker"]
    start = _epoch(worker)
    device = TOTPDevice.objects.create(user=worker, name="phone", confirmed=False)
    assert _epoch(worker) == start + 1
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    assert _epoch(worker) == start + 2
    recovery_codes_issue(user=worker)  # recovery codes are a device too
    assert _epoch(worker) > start + 2
    before_reset = _epoch(worker)
    second_factor_reset(actor=users_a["org_admin"], user=worker)  # a queryset delete
    assert _epoch(worker) > before_reset
    assert not has_confirmed_device(worker)


def test_a_full_save_of_a_stale_user_keeps_the_epoch(users_a: dict[str, Any]) -> None:
    worker = User.objects.get(pk=users_a["caseworker"].pk)  # read before the device changes
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    moved = _epoch(worker)
    worker.first_name = "Ayu"
    worker.save()
    assert _epoch(worker) == moved
    assert User.objects.get(pk=worker.pk).first_name == "Ayu"


def test_a_device_confirmed_elsewhere_closes_an_unverified_session(
    users_a: dict[str, Any],
) -> None:
    worker = users_a["caseworker"]  # a role that need not verify while it has no device
    client = Client()
    client.force_login(worker)
    assert client.get("/cases/").status_code == 200
    assert client.session[SESSION_KEY] == [_epoch(worker), False]
    # the same account enrols an authenticator from another browser
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert "/accounts/2fa/verify/" in response["Location"]


def test_a_removed_device_reopens_the_pages_to_a_role_without_2fa(
    users_a: dict[str, Any],
) -> None:
    worker = users_a["caseworker"]
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    client = Client()
    client.force_login(worker)
    assert client.get("/cases/").status_code == 302
    second_factor_reset(actor=users_a["org_admin"], user=worker)
    assert client.get("/cases/").status_code == 200


def test_the_devices_are_not_asked_again_while_unchanged(users_a: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users_a["caseworker"])
    client.get("/cases/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/cases/").status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "otp_totp_totpdevice" not in tables
    assert "accounts_recoverycodedevice" not in tables
