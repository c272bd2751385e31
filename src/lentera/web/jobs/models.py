"""Background jobs: what was asked, by whom, for which organisation, and how it went.

A :class:`Job` is Lentera's record of one piece of long work; the Tasks API backend
(database or RQ) only carries its id to a worker. Parameters and results never hold
personal data; an uploaded file waits, encrypted, in :class:`JobInput` and is deleted
when the job ends.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.core.models import code_field, optional_fk, organisation_fk, user_fk
from lentera.web.core.vocabulary import text_choices

JobStatus = text_choices("job_status")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    organisation = organisation_fk(on_delete=models.PROTECT, null=True, blank=True)
    actor = user_fk(on_delete=models.SET_NULL, null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True, default="")
    kind = models.CharField(_("job"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    #: an active job with the same key is not queued twice (idempotent enqueue)
    key = models.CharField(max_length=200, blank=True, default="", db_index=True)
    schedule = models.CharField(max_length=40, blank=True, default="")
    status = code_field(_("status"), JobStatus, 12, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=60, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    retry_of = optional_fk("self")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["organisation", "kind", "status"], name="job_org_kind")]

    def __str__(self) -> str:
        return f"job #{self.pk} {self.kind} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class JobInput(models.Model):
    """A file a job works on (an import upload), encrypted, deleted when the job ends."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="input")
    name = models.CharField(max_length=255, blank=True, default="")
    payload = models.TextField()

    def __str__(self) -> str:
        return f"input of job #{self.job_id}"


class JobOutput(models.Model):
    """A file a job produced (an import report with the file's values), encrypted."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="outputs")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    payload = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="job_output_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} of job #{self.job_id}"


class WorkerHeartbeat(models.Model):
    """Each running ``lentera worker`` writes here every few seconds."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=200, blank=True, default="")
    pid = models.PositiveIntegerField(default=0)
    backend = models.CharField(max_length=40, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker {self.worker_id}"
