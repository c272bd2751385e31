"""Background jobs in the identity registry (see :mod:`lentera.web.core.identity`).

An import report or an upload kept for a retry can carry the values of the file, survivors'
names among them, and is not linked to a person. Anonymising any survivor of an organisation
therefore deletes that organisation's job files: they are working copies (a check can be run
again), while a survivor's identity left in one would outlive the anonymisation.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from lentera.web.core.identity import declare, declare_not_identity


def _job_files_of(model: str) -> Any:
    def select(person_ids: list[int], case_ids: list[int]) -> Any:
        # by app label: jobs sits below cases in the layers
        orgs = (
            apps.get_model("cases.Person")
            .objects.filter(pk__in=person_ids)
            .values("organisation_id")
        )
        return apps.get_model(model).objects.filter(job__organisation_id__in=orgs)

    return select


declare(
    "jobs.JobOutput",
    select=_job_files_of("jobs.JobOutput"),
    delete=True,
    why="import reports can carry the uploaded file's values: the organisation's are deleted",
)
declare(
    "jobs.JobInput",
    select=_job_files_of("jobs.JobInput"),
    delete=True,
    why="uploads kept for a retry carry the file's values: the organisation's are deleted",
)
declare_not_identity(
    ["jobs.Job.params", "jobs.Job.result", "jobs.Job.error_message"],
    "job parameters, counts and plain-language errors: codes, no survivor values",
)
