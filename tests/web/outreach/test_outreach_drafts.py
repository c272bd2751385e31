"""Issue 16: the outreach form keeps what was typed when the session expired."""

from __future__ import annotations

from typing import Any

import pytest
from _drafts import draft_offered_back

pytestmark = pytest.mark.django_db


def test_an_outreach_activity_typed_after_the_session_expired_is_offered_back(
    users_a: dict[str, Any],
) -> None:
    typed = "Desa Draf Oelnasi"
    draft_offered_back(users_a["caseworker"], "/outreach/new/", {"village": typed}, typed)
