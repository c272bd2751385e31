"""Background jobs through Django's Tasks API: queued, never run in the request, run by
the worker once, idempotent, scoped to one organisation, with plain-language failures,
retry, the periodic schedule and both backends (database; RQ on the local Redis)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.jobs import schedule, services
from lentera.web.jobs.models import Job, JobInput, WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failing_kind() -> Any:
    calls: list[int] = []

    @services.job_kind("test_fails", "test")
    def fails(ctx: services.JobContext) -> dict[str, Any]:
        calls.append(ctx.job.pk)
        if len(calls) == 1:
            raise LenteraError("bad_thing", "Kolom 'nik' di baris 3 tidak valid.")
        return {"ok": True}

    @services.job_kind("test_crashes", "test")
    def crashes(ctx: services.JobContext) -> dict[str, Any]:
        raise RuntimeError("boom")

    yield calls
    services.KINDS.pop("test_fails")
    services.KINDS.pop("test_crashes")


def test_a_job_waits_for_the_worker_then_runs_once(worker_a: Any, run_worker: Any) -> None:
    job = services.enqueue("warehouse_rebuild", actor=worker_a)
    job.refresh_from_db()
    assert job.status == "queued" and job.task_id
    assert job.organisation_id == worker_a.membership.organisation_id
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded", (job.error_code, job.error_message)
    assert job.result["built_at"] and job.result["links"][0]["url"] == "/insights/"
    assert services.execute(job.pk) is None  # delivered twice: runs once


def test_enqueue_is_idempotent_while_a_job_is_active(worker_a: Any, run_worker: Any) -> None:
    first = services.enqueue("warehouse_rebuild", actor=worker_a)
    again = services.enqueue("warehouse_rebuild", actor=worker_a)
    assert again.pk == first.pk
    run_worker()
    later = services.enqueue("warehouse_rebuild", actor=worker_a)
    assert later.pk != first.pk


def test_jobs_are_scoped_to_the_organisation(worker_a: Any, worker_b: Any) -> None:
    job = services.enqueue("warehouse_rebuild", actor=worker_a)
    assert services.jobs_for_user(actor=worker_b).count() == 0
    with pytest.raises(LenteraError) as err:
        services.job_for_user(actor=worker_b, job_id=job.pk)
    assert err.value.kind == "not_found"


def test_failures_are_plain_and_can_be_retried(
    worker_a: Any, failing_kind: Any, run_worker: Any
) -> None:
    job = services.enqueue("test_fails", actor=worker_a, content=b"a,b\n1,2\n", filename="x.csv")
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert services.error_text(job) == "Kolom 'nik' di baris 3 tidak valid."
    assert JobInput.objects.filter(job=job).exists()  # kept so a retry can use it
    again = services.retry(actor=worker_a, job=job)
    assert again.retry_of_id == job.pk
    run_worker()
    again.refresh_from_db()
    assert again.status == "succeeded"
    assert not JobInput.objects.filter(job=again).exists()  # used, then deleted
    with pytest.raises(LenteraError):
        services.retry(actor=worker_a, job=again)
    crash = services.enqueue("test_crashes", actor=worker_a)
    run_worker()
    crash.refresh_from_db()
    assert crash.status == "failed" and crash.error_code == "unexpected"
    assert f"#{crash.pk}" in services.error_text(crash)


def test_uploads_wait_encrypted(worker_a: Any, failing_kind: Any) -> None:
    secret = b"full_name\nSiti Rahasia\n"
    job = services.enqueue("test_fails", actor=worker_a, content=secret, filename="a.csv")
    stored = JobInput.objects.get(job=job).payload
    assert b"Siti" not in stored.encode() and "U2l0aSBSYWhhc2lh" not in stored
    assert services.JobContext(job).input_bytes() == secret


def test_the_schedule_queues_each_periodic_job_once_per_slot(org_a: Any, org_b: Any) -> None:
    # a fixed moment hours from every slot: "five minutes later" must not cross one (the test
    # failed when it ran a few minutes before 01:00 local time)
    now = dt.datetime(2026, 6, 15, 5, 0, tzinfo=dt.UTC)  # 12:00 WIB
    queued = schedule.tick(now)
    per_org = [e for e in schedule.PERIODIC if e.per_organisation]
    instance = [e for e in schedule.PERIODIC if not e.per_organisation]
    assert len(queued) == 2 * len(per_org) + len(instance)
    assert schedule.tick(now + dt.timedelta(minutes=5)) == []
    assert {j.schedule for j in queued} == {e.name for e in schedule.PERIODIC}
    tomorrow = schedule.tick(now + dt.timedelta(days=1))
    assert len(tomorrow) == len(queued)


def test_worker_heartbeat(org_a: Any) -> None:
    assert not services.worker_alive()
    services.heartbeat(worker_id="w1", backend="db")
    assert services.worker_alive()
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(minutes=5))
    assert not services.worker_alive()


def test_the_cli_lists_runs_and_shows_history(worker_a: Any, capsys: Any) -> None:
    from lentera.cli import main

    assert main(["jobs", "list"]) == 0
    out = capsys.readouterr().out
    assert "nightly-warehouse" in out and "warehouse_rebuild" in out
    code = worker_a.membership.organisation.code
    assert main(["jobs", "run", "warehouse_rebuild", "--org", code, "--now"]) == 0
    assert "done" in capsys.readouterr().out
    assert main(["jobs", "history", "--org", code]) == 0
    assert "warehouse_rebuild" in capsys.readouterr().out
    assert main(["jobs", "run", "warehouse_rebuild"]) == 2
    assert Job.objects.filter(status="succeeded").count() == 1
    # the next rebuild updates what changed; --full rebuilds everything, and says so
    assert main(["jobs", "run", "warehouse_rebuild", "--org", code, "--now"]) == 0
    assert "'mode': 'incremental'" in capsys.readouterr().out
    assert main(["jobs", "run", "warehouse_rebuild", "--org", code, "--now", "--full"]) == 0
    assert "'reason': 'forced'" in capsys.readouterr().out
    assert main(["jobs", "run", "evidence_report", "--org", code, "--full"]) == 2


REDIS_URL = os.environ.get("LENTERA_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def test_the_rq_backend_runs_jobs_through_redis(worker_a: Any) -> None:
    import django_rq
    import redis
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    queues = {"default": {"URL": REDIS_URL}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(RQ_QUEUES=queues, TASKS=tasks):
        queue = django_rq.get_queue("default", job_class=RQJob)
        queue.empty()
        job = services.enqueue("warehouse_rebuild", actor=worker_a)
        job.refresh_from_db()
        assert job.status == "queued" and queue.count == 1
        SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)
        job.refresh_from_db()
        assert job.status == "succeeded", (job.error_code, job.error_message)
        assert queue.count == 0


def test_duplicates_refresh_is_a_job(worker_a: Any, build_case: Any, run_worker: Any) -> None:
    from django.test import Client

    build_case(worker_a)
    build_case(worker_a)  # the same survivor twice
    client = Client()
    client.force_login(worker_a)
    r = client.post("/cases/duplicates/")
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="duplicates_refresh")
    assert job.status == "queued"
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["pairs"] >= 1
    page = client.get(r["Location"]).content.decode()
    assert "/cases/duplicates/" in page
    assert client.get("/jobs/").status_code == 200


def test_the_job_history_per_organisation(users_a: dict[str, Any], worker_b: Any) -> None:
    from django.test import Client

    mine = services.enqueue("warehouse_rebuild", actor=users_a["caseworker"])
    scheduled = schedule.tick()[0]
    admin = Client()
    admin.force_login(users_a["org_admin"])
    page = admin.get("/jobs/").content.decode()
    assert f"/jobs/{mine.pk}/" in page
    if scheduled.organisation_id == users_a["org_admin"].membership.organisation_id:
        assert f"/jobs/{scheduled.pk}/" in page
    other = Client()
    other.force_login(users_a["legal"])
    assert f"/jobs/{mine.pk}/" not in other.get("/jobs/").content.decode()
    assert other.get(f"/jobs/{mine.pk}/").status_code == 404
    outsider = Client()
    outsider.force_login(worker_b)
    assert outsider.get(f"/jobs/{mine.pk}/").status_code == 404
    assert f"/jobs/{mine.pk}/" not in outsider.get("/jobs/").content.decode()


def test_jobs_interrupted_by_a_stopped_worker_are_failed_and_retryable(worker_a: Any) -> None:
    job = services.enqueue("warehouse_rebuild", actor=worker_a)
    Job.objects.filter(pk=job.pk).update(status="running")
    services.heartbeat(worker_id="other", backend="db")
    assert services.recover_interrupted(worker_id="me") == 0  # another worker may run it
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(minutes=5))
    assert services.recover_interrupted(worker_id="me") == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "interrupted"
    from django.utils import translation

    with translation.override("id"):
        assert "terputus" in services.error_text(job)
    assert services.retry(actor=worker_a, job=job).status == "queued"


def test_make_run_starts_a_worker_beside_the_server() -> None:
    from pathlib import Path

    from lentera.cli import build_parser

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "lentera serve" in run_recipe and "--with-worker" in run_recipe
    args = build_parser().parse_args(["serve", "--with-worker"])
    assert args.with_worker
    assert build_parser().parse_args(["worker", "--once"]).once


def test_a_job_whose_task_was_lost_is_handed_over_again(worker_a: Any, run_worker: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    job = services.enqueue("warehouse_rebuild", actor=worker_a)
    DBTaskResult.objects.all().delete()  # the backend lost the task
    run_worker()
    job.refresh_from_db()
    assert job.status == "queued"
    assert services.resubmit_stale(older_than=dt.timedelta(minutes=10)) == 0  # too recent
    assert services.resubmit_stale(older_than=dt.timedelta(0)) == 1
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded"
