"""Fixtures of the referral tests: English service messages and a world with two providers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _referral_kit import add_provider
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service-level messages in English here; pages are requested in the default (id)."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup(users_a: dict[str, Any], users_b: dict[str, Any], org_b: Any, build_case: Any) -> Any:
    worker = users_a["caseworker"]
    case = build_case(worker)
    link = case.survivors.first()
    internal = add_provider(worker, linked=org_b)
    external = add_provider(
        worker, name="LBH Kupang", institution_type="legal_aid", services=["legal"]
    )
    return {
        "a": users_a,
        "b": users_b,
        "case": case,
        "link": link,
        "internal": internal,
        "external": external,
    }
