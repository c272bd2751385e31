"""Core tables: one-time form tokens (idempotent submissions), and the base of the per-year
number counters of cases, referrals and contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SubmissionOnce(models.Model):
    """A form submission already received from this user: a replay returns its first result."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    #: where the first submission led (empty while it is being processed)
    location = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_once_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.token[:6]}…"


class YearCounter(models.Model):
    """The last number issued per organisation and year (case, referral, contact numbers …).

    Abstract: each numbered record has its own table (and its own unique constraint, named in the
    subclass). :func:`lentera.web.core.services.next_number` issues the next number.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"
