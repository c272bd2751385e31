"""Every edit of a case's records has the same optimistic lock (events included)."""

from __future__ import annotations

from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.web.cases import services

pytestmark = pytest.mark.django_db


def test_stale_event_edit_is_refused(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    event = services.event_add(actor=worker_a, case=case, stage="recruitment", place="Kupang")
    saved = services.event_update(actor=worker_a, event=event, version=1, place="Atambua")
    assert saved.version == 2
    with pytest.raises(LenteraError) as exc:
        services.event_update(actor=worker_a, event=event, version=1, place="Soe")
    assert exc.value.code == "stale_version" and exc.value.kind == "conflict"
    assert exc.value.params["fields"] == ["place"]
