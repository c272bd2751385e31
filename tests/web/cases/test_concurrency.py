"""50 concurrent editors of the same records: no lost update, every conflict reported."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from lentera.errors import LenteraError
from lentera.web.cases import services
from lentera.web.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_editors(worker_a: Any) -> None:
    # SQLite serialises writers; fewer threads keep the test quick there.
    editors = 20 if connection.vendor == "sqlite" else 50
    case = services.case_open(actor=worker_a)
    version = case.version
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(editors)

    def edit(i: int) -> None:
        try:
            barrier.wait()
            services.case_update(actor=worker_a, case=case, version=version, summary=f"edit {i}")
            result = f"ok {i}"
        except LenteraError as exc:
            result = f"conflict {exc.code}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(editors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("ok")]
    conflicts = [o for o in outcomes if o == "conflict stale_version"]
    assert len(winners) == 1, outcomes
    assert len(conflicts) == editors - 1, outcomes
    final = Case.objects.get(pk=case.pk)
    assert final.summary == f"edit {winners[0].split()[1]}"
    assert final.version == version + 1
