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
