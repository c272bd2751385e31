"""Queueing, running and following background jobs.

- :func:`job_kind` registers what a job does (one function per kind, in ``kinds``);
- :func:`enqueue` records a :class:`Job` and hands its id to the Tasks API backend once
  the transaction commits; an active job with the same key is returned instead of a
  second one (idempotent);
- :func:`execute` is the task body in the worker: it claims the job (so a job runs at
  most once even if delivered twice), runs it in the language and with the actor it
  was queued with, and records progress, the result or a plain-language error.

Nothing here runs a job in a web request: without a worker, jobs wait, and the pages
say so (:func:`worker_alive`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.core import crypto
from lentera.web.jobs.models import ACTIVE, Job, JobInput, JobOutput, JobStatus, WorkerHeartbeat
from lentera.web.jobs.selectors import HEARTBEAT_STALE, job_for_user, jobs_for_user, worker_alive

__all__ = [
    "KINDS",
    "JobContext",
    "JobKind",
    "enqueue",
    "execute",
    "job_for_user",
    "job_kind",
    "jobs_for_user",
    "retry",
    "worker_alive",
]

logger = logging.getLogger("lentera.jobs")

#: progress is written at most this often (each write is a short transaction)
PROGRESS_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Any  # lazy translation
    func: Callable[[JobContext], dict[str, Any] | None]
    #: "organisation": runs for one organisation; "instance": for the whole instance
    scope: str = "organisation"


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, label: Any, *, scope: str = "organisation") -> Callable[..., Any]:
    """Register ``func(ctx) -> result`` as the job kind ``name``."""

    def register(func: Callable[[JobContext], dict[str, Any] | None]) -> Any:
        KINDS[name] = JobKind(name=name, label=label, func=func, scope=scope)
        return func

    return register


class JobContext:
    """What a running job sees: its record, actor, organisation, input; progress reporting."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.actor = job.actor
        self.organisation = job.organisation
        self.params = dict(job.params)
        self._last = 0.0

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_EVERY_SECONDS:
            return
        self._last = now
        self.job.progress_done, self.job.progress_total = done, total
        Job.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)

    def input_bytes(self) -> bytes:
        item = JobInput.objects.filter(job=self.job).first()
        if item is None:
            raise LenteraError(
                "job_input_gone",
                _("The uploaded file is no longer kept. Please upload it again."),
                kind="not_found",
            )
        return base64.b64decode(crypto.decrypt(item.payload, context=_input_context(item.job_id)))

    def attach(self, name: str, content: bytes, content_type: str) -> None:
        """Keep a file the job made (encrypted) for the job page to offer."""
        JobOutput.objects.update_or_create(
            job=self.job,
            name=name,
            defaults={
                "content_type": content_type,
                "payload": crypto.encrypt(
                    base64.b64encode(content).decode("ascii"),
                    context=f"jobs.output:{self.job.pk}:{name}",
                ),
            },
        )

    @property
    def input_name(self) -> str:
        item = JobInput.objects.filter(job=self.job).only("name").first()
        return item.name if item else ""


def _input_context(job_id: int) -> str:
    return f"jobs.input:{job_id}"


def _organisation_of(actor: User | None) -> Any:
    membership = getattr(actor, "membership_or_none", None) if actor is not None else None
    return membership.organisation if membership is not None else None


def enqueue(
    kind: str,
    *,
    actor: User | None = None,
    organisation: Any = None,
    params: dict[str, Any] | None = None,
    key: str = "",
    schedule: str = "",
    content: bytes | None = None,
    filename: str = "",
    retry_of: Job | None = None,
) -> Job:
    """Queue a job (or return the active one with the same key). Never runs it here."""
    spec = KINDS.get(kind)
    if spec is None:
        raise LenteraError("job_unknown", _("Unknown job."), kind="not_found")
    params = dict(params or {})
    params.setdefault("lang", (get_language() or "id")[:2])
    if spec.scope == "organisation":
        organisation = organisation or _organisation_of(actor)
        if organisation is None:
            raise LenteraError(
                "job_needs_organisation",
                _("This job runs for one organisation."),
                kind="forbidden",
            )
    else:
        organisation = None
    if not key:
        shown = {k: v for k, v in params.items() if k != "lang"}
        key = f"{kind}:{organisation.pk if organisation else '-'}:" + json.dumps(
            shown, sort_keys=True, default=str
        )
    with transaction.atomic():
        existing = Job.objects.filter(key=key[:200], status__in=ACTIVE).first()
        if existing is not None:
            return existing
        by = actor if getattr(actor, "pk", None) else None
        job = save_created(
            actor=by,
            obj=Job(
                organisation=organisation,
                actor=by,
                actor_username=getattr(actor, "username", "") or "",
                kind=kind,
                params=params,
                key=key[:200],
                schedule=schedule,
                retry_of=retry_of,
            ),
            organisation=organisation,
            detail={
                "job": kind,
                "schedule": schedule,
                "retry_of": retry_of.pk if retry_of else None,
            },
        )
        if content is not None:
            JobInput.objects.create(
                job=job,
                name=filename[:255],
                payload=crypto.encrypt(
                    base64.b64encode(content).decode("ascii"), context=_input_context(job.pk)
                ),
            )
        transaction.on_commit(lambda: submit(job.pk))
    return job


def submit(job_id: int) -> None:
    """Hand the job to the Tasks API backend."""
    from lentera.web.jobs.tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def _claim(job_id: int) -> bool:
    return bool(
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
    )


def execute(job_id: int) -> Job | None:
    """Run one queued job to its end (the worker's task body). Idempotent."""
    if not _claim(job_id):
        return None  # already run, running elsewhere, or deleted
    job = Job.objects.select_related("actor", "organisation").get(pk=job_id)
    spec = KINDS.get(job.kind)
    ctx = JobContext(job)
    lang = job.params.get("lang") or "id"
    with translation.override(lang):
        try:
            if spec is None:
                raise LenteraError("job_unknown", _("Unknown job."), kind="not_found")
            result = spec.func(ctx) or {}
            job.status = JobStatus.SUCCEEDED
            job.result = result
            if job.progress_total:
                job.progress_done = job.progress_total
        except LenteraError as exc:
            job.status = JobStatus.FAILED
            job.error_code = exc.code[:60]
            job.error_message = exc.message
        except Exception:
            logger.exception("job #%s (%s) failed", job.pk, job.kind)
            job.status = JobStatus.FAILED
            job.error_code = "unexpected"
            job.error_message = ""
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "result",
            "error_code",
            "error_message",
            "progress_done",
            "progress_total",
            "finished_at",
        ]
    )
    if job.status == JobStatus.SUCCEEDED:
        JobInput.objects.filter(job=job).delete()  # the upload is not kept once it is used
    return job


def retry(*, actor: User, job: Job) -> Job:
    """Queue a failed job again (same kind, parameters and input)."""
    if job.status != JobStatus.FAILED:
        raise LenteraError(
            "job_not_failed", _("Only a failed job can be tried again."), kind="conflict"
        )
    item = JobInput.objects.filter(job=job).first()
    content = None
    if item is not None:
        content = base64.b64decode(crypto.decrypt(item.payload, context=_input_context(job.pk)))
    return enqueue(
        job.kind,
        actor=actor,
        organisation=job.organisation,
        params=dict(job.params),
        key=job.key,
        content=content,
        filename=item.name if item else "",
        retry_of=job,
    )


def output_for_user(*, actor: User, job_id: int, name: str) -> tuple[bytes, str]:
    """A file a job of the actor's organisation made (audited as an export)."""
    job = job_for_user(actor=actor, job_id=job_id)
    item = JobOutput.objects.filter(job=job, name=name).first()
    if item is None:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    content = base64.b64decode(crypto.decrypt(item.payload, context=f"jobs.output:{job.pk}:{name}"))
    audit_log(actor=actor, action=AuditAction.EXPORT, obj=job, detail={"file": name})
    return content, item.content_type


def recover_interrupted(*, worker_id: str) -> int:
    """Mark jobs left "running" by a worker that stopped mid-job as failed (retry offers a rerun).

    Only when no other worker is alive: a running job of a live worker is left alone.
    """
    others = WorkerHeartbeat.objects.exclude(worker_id=worker_id).filter(
        seen_at__gte=timezone.now() - HEARTBEAT_STALE
    )
    if others.exists():
        return 0
    return Job.objects.filter(status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        error_code="interrupted",
        error_message="",
        finished_at=timezone.now(),
    )


def resubmit_stale(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Hand jobs that have waited long to the backend again (a task lost with a flushed Redis,
    or queued while another backend was configured). Safe: a job runs once (:func:`execute`)."""
    stale = Job.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for job_id in stale:
        submit(job_id)
        count += 1
    return count


def heartbeat(*, worker_id: str, backend: str) -> None:
    import os
    import socket

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": timezone.now(),
            "pid": os.getpid(),
            "host": socket.gethostname()[:200],
            "backend": backend[:40],
        },
    )


def error_text(job: Job) -> str:
    """What went wrong, in plain language, and what to do."""
    if job.status != JobStatus.FAILED:
        return ""
    if job.error_code == "interrupted":
        return _(
            "The job was interrupted because the background worker stopped. "
            "Nothing is lost that was saved before; try again."
        )
    if job.error_code == "unexpected" or not job.error_message:
        return _(
            "The job stopped because of an unexpected error. It has been logged. "
            "Try again; if it fails again, tell your administrator the job number (#%(id)s)."
        ) % {"id": job.pk}
    return job.error_message
