"""Finding 15 (info): "any organisation can link a provider to any other organisation on the
instance and push referrals and notifications into its inbox; the form also lists every
organisation". An organisation admin now closes the inbox to others: no new directory link
to it, no new referral into it, and the form lists only open organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.services import consent_record
from lentera.web.referrals import services as rs
from lentera.web.referrals.forms import ProviderForm
from lentera.web.referrals.models import Referral

pytestmark = pytest.mark.django_db

PROVIDER = {"institution_type": "ngo_shelter", "services": ["shelter"], "province_codes": ["53"]}


def test_a_closed_inbox_takes_no_new_link_and_no_new_referral(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any
) -> None:
    worker = users_a["caseworker"]
    org_b = users_b["org_admin"].membership.organisation
    linked = rs.provider_save(
        actor=worker, data={"name": "Rumah B", **PROVIDER, "linked_organisation": org_b}
    )  # while B's inbox is open (the default, as before)
    admin = Client()
    admin.force_login(users_b["org_admin"])
    page = admin.get("/accounts/users/").content.decode()
    assert 'name="accepts_referrals"' in page
    admin.post("/accounts/users/", {"action": "referral_inbox"})  # unticked: closed
    org_b.refresh_from_db()
    assert org_b.accepts_referrals is False
    assert AuditEvent.objects.filter(
        object_type="accounts.organisation", detail__accepts_referrals=False
    ).exists()
    # the directory form no longer offers B; the service refuses a new link to B
    choices = [c for c, _ in ProviderForm().fields["linked_organisation"].choices if c]
    assert org_b.pk not in [int(str(c)) for c in choices]
    with pytest.raises(LenteraError) as exc:
        rs.provider_save(actor=worker, data={"name": "Rumah B2", **PROVIDER,
                                             "linked_organisation": org_b})  # fmt: skip
    assert exc.value.field == "linked_organisation"
    # the existing link stays, but a referral through it is refused and nothing is written
    case = build_case(worker)
    link = case.survivors.first()
    consent_record(actor=worker, person=link.person, case=case, purpose="referral",
                   granted=True, shared_fields=["name"])  # fmt: skip
    before = Referral.objects.count()
    with pytest.raises(LenteraError) as exc:
        rs.referral_send(actor=worker, link=link, provider=linked, services=["shelter"],
                         reason="Butuh rumah aman.")  # fmt: skip
    assert exc.value.code == "inbox_closed"
    assert Referral.objects.count() == before
    # opened again: the referral reaches B's inbox
    admin.post("/accounts/users/", {"action": "referral_inbox", "accepts_referrals": "1"})
    referral = rs.referral_send(actor=worker, link=link, provider=linked, services=["shelter"],
                                reason="Butuh rumah aman.")  # fmt: skip
    assert referral.receiving_organisation_id == org_b.pk


def test_only_the_org_admin_opens_or_closes_the_inbox(users_b: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users_b["supervisor"])
    assert c.post("/accounts/users/", {"action": "referral_inbox"}).status_code == 403
    users_b["supervisor"].membership.organisation.refresh_from_db()
    assert users_b["supervisor"].membership.organisation.accepts_referrals is True
