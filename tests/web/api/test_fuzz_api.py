"""Property-based fuzzing of the REST API from its own OpenAPI document (schemathesis).

A bounded run in the suite; `benchmarks/fuzz_api.py` runs ≥ 10k requests
against a live server and writes the figure to docs/reliability.md.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lentera.web.api.api import api
from lentera.web.config.wsgi import application

# the served document needs a login (finding 15): load it from the API object itself
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def bearer(db: Any, worker_a: Any, build_case: Any) -> str:
    from lentera.web.accounts.services import api_token_issue

    build_case(worker_a)
    return api_token_issue(actor=None, user=worker_a)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=True)
def test_api_never_errors(case: Any, bearer: str) -> None:
    """No generated request, valid or not, makes the API answer 5xx."""
    response = case.call(headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        response.status_code,
        response.text[:500],
    )
