"""Issue 16: the referral forms keep what was typed when the session expired."""

from __future__ import annotations

from typing import Any

import pytest
from _drafts import draft_offered_back

pytestmark = pytest.mark.django_db


def test_a_provider_typed_after_the_session_expired_is_offered_back(
    users_a: dict[str, Any],
) -> None:
    typed = "Rumah Aman Draf Kupang"
    draft_offered_back(users_a["caseworker"], "/referrals/directory/new/", {"name": typed}, typed)
