"""Issue 16: the contact forms keep what was typed when the session expired."""

from __future__ import annotations

from typing import Any

import pytest
from _drafts import draft_offered_back

pytestmark = pytest.mark.django_db


def test_a_contact_typed_after_the_session_expired_is_offered_back(
    users_a: dict[str, Any],
) -> None:
    typed = "Ibu menelepon: anaknya dijanjikan kerja di Johor (draf)"
    draft_offered_back(users_a["caseworker"], "/contacts/new/", {"concern": typed}, typed)
