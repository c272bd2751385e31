"""Finding 15 (info): "denied attempts are logged under the attacker's organisation, so the
targeted organisation never sees them". A refused request for another organisation's record
now writes a DENIED row the targeted organisation sees (no actor, no username), a row under
the prober's organisation, and a line on the ``lentera.security`` logger."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from lentera.web.accounts.services import api_token_issue
from lentera.web.audit.models import AuditEvent
from lentera.web.audit.selectors import audit_events_for_user
from lentera.web.audit.services import audit_verify

pytestmark = pytest.mark.django_db


def _probes(org: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            organisation=org, action="denied", detail__probe="cross_organisation"
        )
    )


def test_a_denied_cross_org_lookup_is_logged_where_the_target_sees_it(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any, caplog: Any
) -> None:
    case = build_case(users_a["caseworker"])
    org_a = case.organisation
    prober = users_b["caseworker"]
    org_b = prober.membership.organisation
    client = Client()
    client.force_login(prober)
    with caplog.at_level(logging.WARNING, logger="lentera.security"):
        assert client.get(f"/cases/{case.pk}/").status_code == 404
    [row] = _probes(org_a)
    assert row.actor_id is None and row.actor_username == ""  # no identity of the prober
    assert (row.object_type, row.object_id) == ("cases.case", str(case.pk))
    assert row.detail == {
        "probe": "cross_organisation", "from_organisation": org_b.pk, "route": "cases:detail",
        "status": 404,
    }  # fmt: skip
    # the prober's organisation has its own row, with the actor, saying nothing of the target
    own = AuditEvent.objects.filter(organisation=org_b, action="denied", actor=prober)
    assert own.filter(object_type="cases.case", object_id=str(case.pk)).exists()
    assert not any("probe" in r.detail for r in own)
    assert any("cross-organisation probe" in r.getMessage() for r in caplog.records)
    # A's supervisor sees it in A's audit log; B's does not see A's row
    assert row in audit_events_for_user(actor=users_a["supervisor"])
    assert row not in audit_events_for_user(actor=users_b["supervisor"])
    assert audit_verify().ok


def test_api_probes_of_other_kinds_are_logged_and_misses_are_not(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any
) -> None:
    case = build_case(users_a["caseworker"])
    person_id = case.survivors.first().person_id
    token = api_token_issue(actor=None, user=users_b["caseworker"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/persons/{person_id}").status_code == 404
    assert api.get(f"/api/cases/{case.pk}").status_code == 404
    assert api.get("/api/cases/999999").status_code == 404  # exists nowhere: not a probe
    kinds = sorted((r.object_type, r.detail["route"]) for r in _probes(case.organisation))
    assert kinds == [("cases.case", "api:get_case"), ("cases.person", "api:get_person")]
    # the organisation admin's pages too (a user of A addressed by B's admin)
    admin = Client()
    admin.force_login(users_b["org_admin"])
    assert admin.get(f"/accounts/users/{users_a['caseworker'].pk}/").status_code == 404
    assert any(r.object_type == "accounts.membership" for r in _probes(case.organisation))
    # a request inside one's own organisation is never a cross-organisation probe
    own = Client()
    own.force_login(users_a["caseworker"])
    own.get(f"/accounts/users/{users_a['supervisor'].pk}/")  # 403 for a caseworker
    assert len(_probes(case.organisation)) == 3
    assert not _probes(users_b["caseworker"].membership.organisation)
