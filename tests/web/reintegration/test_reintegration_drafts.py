"""Issue 16: the reintegration forms keep what was typed when the session expired."""

from __future__ import annotations

from typing import Any

import pytest
from _drafts import draft_offered_back

pytestmark = pytest.mark.django_db


def test_a_plan_typed_after_the_session_expired_is_offered_back(
    users_a: dict[str, Any], build_case: Any
) -> None:
    worker = users_a["caseworker"]
    person = build_case(worker).survivors.get().person
    typed = "Catatan rencana draf: pulang ke Soe"
    draft_offered_back(worker, f"/reintegration/persons/{person.pk}/", {"notes": typed}, typed)
