"""The referral status machine, the sender and receiver sides, inbox isolation."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from _referral_kit import NAME, NIK, PHONE, record_consent, send_referral
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.accounts.services import organisation_create, user_create
from lentera.web.referrals import choices, services
from lentera.web.referrals.models import (
    Notification,
    ReferralEvent,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- status machine


def _path_to(status: str) -> list[str]:
    return {
        "sent": [],
        "accepted": ["accepted"],
        "declined": ["declined"],
        "in_service": ["accepted", "in_service"],
        "completed": ["accepted", "completed"],
        "cancelled": ["cancelled"],
    }[status]


@pytest.mark.parametrize(
    ("start", "target"), list(itertools.product(choices.TRANSITIONS, choices.TRANSITIONS))
)
def test_status_machine_allows_exactly_the_declared_transitions(
    setup: dict[str, Any], start: str, target: str
) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, ["name"])
    r = send_referral(worker, link, setup["external"], services=["legal"])
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
    record_consent(worker, link, ["name"])
    r = send_referral(worker, link, setup["external"], services=["legal"])
    with pytest.raises(LenteraError, match="required"):
        services.referral_transition(actor=worker, referral=r, to_status="declined")
    with pytest.raises(LenteraError) as exc:
        services.referral_transition(actor=worker, referral=r, to_status="accepted", version=99)
    assert exc.value.code == "stale_version"
    r = services.referral_transition(actor=worker, referral=r, to_status="accepted", version=1)
    assert r.answered_at is not None and r.version == 2
    event = r.events.last()
    assert event.recorded_for_provider is True


def test_sides_internal_referral(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    receiver = setup["b"]["caseworker"]
    record_consent(worker, link, ["name"])
    r = send_referral(worker, link, setup["internal"])
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

    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, ["name", "nik"])
    to_b = send_referral(worker, link, setup["internal"])
    send_referral(worker, link, setup["external"], services=["legal"])
    org_c = organisation_create(actor=None, name="Gamma", code="GAMA", org_type="ngo")
    users_c = {
        "supervisor": user_create(
            actor=None,
            username="c_sup",
            password="x",
            organisation=org_c,
            role="supervisor",
            check_password=False,
        )
    }
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
