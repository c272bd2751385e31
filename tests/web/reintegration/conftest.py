from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.web.reintegration import services as ri


@pytest.fixture
def plan(worker_a: Any, build_case: Any) -> Any:
    case = build_case(worker_a)
    link = case.survivors.first()
    return ri.plan_create(
        actor=worker_a, person=link.person, case=case, return_date=dt.date(2025, 1, 31)
    )


FULL = {
    "economic.economic_satisfaction": "satisfied",
    "economic.food_insecurity": "rarely",
    "economic.can_borrow": "yes",
    "economic.debt_burden": "no_debt",
    "economic.work": "regular",
    "social.housing": "good",
    "social.children_schooling": "all",
    "social.health_care": "good",
    "social.identity_documents": "yes",
    "social.justice_access": "fair",
    "psychosocial.social_participation": "often",
    "psychosocial.support_network": "good",
    "psychosocial.physical_safety": "safe",
    "psychosocial.discrimination": "never",
    "psychosocial.distress": "rarely",
}
