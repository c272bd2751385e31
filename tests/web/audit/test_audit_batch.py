"""A batched chain append (imports) writes the same chain as one ``audit_log`` per row."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from lentera.web.audit.models import AuditChainHead, AuditEvent
from lentera.web.audit.services import AuditEntry, audit_log, audit_log_many, audit_verify

pytestmark = pytest.mark.django_db


def test_batched_rows_chain_in_order_and_verify(worker_a: Any, audit_table_owner: Any) -> None:
    first = audit_log(actor=worker_a, action="create", object_type="x.one", object_id=1)
    events = audit_log_many(
        actor=worker_a,
        entries=[
            AuditEntry(action="create", object_type="x.two", object_id=n, detail={"n": n})
            for n in range(5)
        ],
    )
    audit_log(actor=worker_a, action="update", object_type="x.one", object_id=1)
    rows = list(AuditEvent.objects.filter(pk__gte=first.pk).order_by("id"))
    assert [e.pk for e in events] == [r.pk for r in rows[1:6]]
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    assert rows[3].detail == {"n": 2}
    assert rows[3].organisation_id == worker_a.membership.organisation_id
    assert rows[0].prev_hash == AuditEvent.objects.get(pk=first.pk - 1).hash
    assert AuditChainHead.objects.get(pk=1).last_hash == rows[-1].hash
    assert audit_verify().ok
    # tampering with a row written in a batch is detected like any other
    AuditEvent.objects.filter(pk=rows[3].pk).update(detail={"n": 9})
    assert not audit_verify().ok


def test_empty_batch_writes_nothing(worker_a: Any) -> None:
    before = AuditEvent.objects.count()
    assert audit_log_many(actor=worker_a, entries=[]) == []
    assert AuditEvent.objects.count() == before
