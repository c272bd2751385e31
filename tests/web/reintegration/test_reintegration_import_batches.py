"""The survey import checks every row first, then writes in short transactions, each row once.

Issue 22: the import used to write a whole file in one transaction, holding SQLite's write
lock for all of it. Now: one bad row anywhere and nothing is written (the message names the
row and the field); the write goes in transactions of ``imports.BATCH_ROWS`` rows between
which another connection writes; a job retried after stopping midway skips the rows its
first try wrote (their submission keys are recorded with them).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from _rss import FULL
from django.db import connection, connections
from django.utils import timezone

from lentera.web.audit.models import AuditEvent
from lentera.web.cases import services as case_services
from lentera.web.cases.models import Case
from lentera.web.core import batching
from lentera.web.jobs.services import enqueue, retry
from lentera.web.reintegration import imports
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.models import ImportedVisit, ReintegrationFollowUp, RssScore


def _plans(actor: Any, build_case: Any, n: int) -> list[Any]:
    plans = []
    for i in range(n):
        case = build_case(actor, name=f"Sintetis Orang {i}", nik=f"53010547089900{i + 10:02d}")
        link = case.survivors.first()
        plans.append(
            ri.plan_create(
                actor=actor, person=link.person, case=case, return_date=dt.date(2025, 1, 31)
            )
        )
    return plans


def _rows(plans: list[Any], n: int) -> list[dict[str, str]]:
    """``n`` rows filling the follow-ups of ``plans`` by code: every other one a reached
    visit with a full survey."""
    followups = [f for p in plans for f in p.followups.order_by("months")][:n]
    assert len(followups) == n
    rows = []
    for i, f in enumerate(followups):
        row = {"survivor": f"RF-{f.pk}", "visit_date": "2025-02-02", "outcome": "refused"}
        if i % 2 == 0:
            row["outcome"] = "completed"
            row.update({k.replace(".", "/"): v for k, v in FULL.items()})
        rows.append(row)
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = sorted({k for r in rows for k in r})
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _recorded() -> int:
    return ReintegrationFollowUp.objects.exclude(outcome="").count()


@pytest.mark.django_db
def test_a_bad_row_anywhere_writes_nothing_and_is_named(
    worker_a: Any, build_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    rows = _rows(_plans(worker_a, build_case, 2), 8)
    rows[5]["visit_date"] = (timezone.localdate() + dt.timedelta(days=3)).isoformat()  # file row 7
    report = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=_csv(rows), dry_run=False
    )
    assert [(p.row, p.field) for p in report.problems] == [(7, "visit_date")]
    assert "future" in report.problems[0].message or "depan" in report.problems[0].message
    assert not report.written and report.written_rows == 0
    assert _recorded() == 0 and not RssScore.objects.exists()
    assert not ImportedVisit.objects.exists()


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_the_services_own_checks(
    worker_a: Any, build_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check runs what the write's services would refuse (a visit long before the
    return date), not only the form's checks, so all bad rows come in one report and none
    is found halfway through the write."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    rows = _rows(_plans(worker_a, build_case, 2), 6)
    rows[1]["visit_date"] = "2024-11-01"  # file row 3: months before the return date
    rows[4]["economic/work"] = "kadang"  # file row 6: not an answer code of the survey
    report = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=_csv(rows), dry_run=False
    )
    assert [(p.row, p.field) for p in report.problems] == [(3, "visit_date"), (6, "economic.work")]
    assert not report.written and _recorded() == 0 and not ImportedVisit.objects.exists()


@pytest.mark.django_db
def test_a_job_retried_after_a_crash_midway_writes_each_row_once(
    worker_a: Any, build_case: Any, run_queued: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    plans = _plans(worker_a, build_case, 2)
    content = _csv(_rows(plans, 6))
    real = ri.followup_record
    calls = {"n": 0}

    def crash_on_the_fourth(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:  # the second row of the second transaction
            raise RuntimeError("the worker's machine lost power")
        return real(**kwargs)

    monkeypatch.setattr(ri, "followup_record", crash_on_the_fourth)
    enqueue(
        "reintegration_import",
        actor=worker_a,
        params={"dry_run": False},
        content=content,
        filename="rss.csv",
    )
    (first,) = run_queued()
    assert first.status == "failed" and first.error_code == "unexpected"
    assert _recorded() == 2  # the first transaction stays; the second rolled back whole
    assert ImportedVisit.objects.count() == 2

    monkeypatch.setattr(ri, "followup_record", real)
    retry(actor=worker_a, job=first)
    (second,) = run_queued()
    assert second.status == "succeeded", second.error_message
    assert second.result["skipped"] == 2 and second.result["written_rows"] == 4
    assert second.result["problems"] == []
    assert _recorded() == 6 and ImportedVisit.objects.count() == 6
    assert RssScore.objects.count() == 3
    # each follow-up was recorded once: one audited update each
    updates = AuditEvent.objects.filter(
        object_type="reintegration.reintegrationfollowup", action="update"
    )
    assert updates.count() == 6
    assert sorted(updates.values_list("object_id", flat=True)) == sorted(
        str(f.pk) for f in ReintegrationFollowUp.objects.exclude(outcome="")
    )
    # and the same file once more: every row skipped, nothing written, no problem
    again = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=content, dry_run=False
    )
    assert again.skipped == 6 and not again.problems and not again.written


@pytest.mark.django_db
def test_the_submission_key_is_its_own_id_or_a_digest_of_its_cells() -> None:
    a = {"_uuid": "abc-1", "survivor": "RF-1"}
    assert imports.submission_key(a) == "abc-1"
    assert imports.submission_key({"meta/instanceID": "uuid:abc-2"}) == "abc-2"
    b = {"survivor": "RF-1", "visit_date": "2025-02-02", "outcome": "refused", "x": ""}
    c = {"outcome": "refused ", "visit_date": "2025-02-02", "survivor": "RF-1"}
    assert imports.submission_key(b) == imports.submission_key(c)
    assert imports.submission_key(b) != imports.submission_key({**c, "outcome": "not_reached"})


@pytest.mark.django_db(transaction=True)
def test_another_connection_writes_between_the_batches(
    worker_a: Any, worker_b: Any, build_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write lock is held per batch only: at each pause between two of the import's
    transactions another connection (another organisation's user, its own thread) writes at
    once and already sees the rows committed before it. One transaction for the whole file
    has no such pause, and the other writer would wait for the lock until the end."""
    options = connections.settings["default"].setdefault("OPTIONS", {})
    if connection.vendor == "sqlite":
        monkeypatch.setitem(options, "timeout", 1)  # a writer blocked longer fails
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    rows = _rows(_plans(worker_a, build_case, 2), 6)
    seen: list[tuple[int, str]] = []
    real_pause = batching.yield_to_other_writers

    def other_organisation_writes() -> None:
        try:
            visible = _recorded()
            case_services.case_open(actor=worker_b, summary=f"tulis {len(seen)}")
            seen.append((visible, "ok"))
        except Exception as exc:  # what the other writer met is the finding
            seen.append((-1, repr(exc)))
        finally:
            connections.close_all()

    def pause(since: float) -> None:
        thread = threading.Thread(target=other_organisation_writes)
        thread.start()
        thread.join(30)
        real_pause(since)

    monkeypatch.setattr(batching, "yield_to_other_writers", pause)
    report = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=_csv(rows), dry_run=False
    )
    assert report.written and report.written_rows == 6 and not report.problems
    assert seen == [(0, "ok"), (2, "ok"), (4, "ok")]  # three transactions of two rows
    assert Case.objects.filter(organisation=worker_b.membership.organisation).count() == 3
