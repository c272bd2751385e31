"""Job pages: one job (progress polled with htmx, result links, a plain-language error,
retry) and the organisation's job history (everyone sees their own jobs; supervisors
and admins see the organisation's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from lentera.web.core.responses import download
from lentera.web.jobs import selectors, services
from lentera.web.jobs.models import Job, JobStatus

#: seconds between the job page's polls
POLL_SECONDS = 2


def job_context(job: Job) -> dict:
    spec = services.KINDS.get(job.kind)
    waiting_without_worker = job.status == JobStatus.QUEUED and not selectors.worker_alive()
    return {
        "job": job,
        "label": spec.label if spec else job.kind,
        "error": services.error_text(job),
        "links": job.result.get("links", []) if isinstance(job.result, dict) else [],
        "no_worker": waiting_without_worker,
        "poll": POLL_SECONDS if job.is_active else None,
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_for_user(actor=request.user, job_id=job_id)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, job_context(job))


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_for_user(actor=request.user, job_id=job_id)
    again = services.retry(actor=request.user, job=job)
    return redirect("jobs:detail", job_id=again.pk)


@login_required
@require_GET
def job_file(request: HttpRequest, job_id: int, name: str) -> HttpResponse:
    content, content_type = services.output_for_user(actor=request.user, job_id=job_id, name=name)
    return download(content, name, content_type)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.job_list_for_user(actor=request.user)
    rows = [
        (job, services.KINDS[job.kind].label if job.kind in services.KINDS else job.kind)
        for job in jobs
    ]
    return render(
        request,
        "jobs/list.html",
        {
            "rows": rows,
            "no_worker": any(j.status == JobStatus.QUEUED for j in jobs)
            and not selectors.worker_alive(),
        },
    )
