"""The one task every Lentera job runs through (Django's Tasks API).

On Django 5.2 the API comes from the ``django-tasks`` backport; on Django 6 the same
code runs on the built-in ``django.tasks``. The task carries only the job's id: the
:class:`~lentera.web.jobs.models.Job` row holds the organisation, the actor and the
parameters, so any backend (database, RQ) can carry it.
"""

from __future__ import annotations

try:  # Django >= 6.0
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2: the backport
    from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from lentera.web.jobs.services import execute

    execute(job_id)
