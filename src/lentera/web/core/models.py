"""Core tables: one-time form tokens (idempotent submissions); the abstract bases and field
helpers the apps' models share: the per-year number counters of cases, referrals and contacts,
the owning organisation and the acting user as foreign keys, the organisation-scoped
uniqueness (:func:`organisation_unique`), the id-only text of personal rows (:class:`ShownById`),
creation stamps (:class:`Created`,
:class:`CreatedBy`) and optimistic locking (:class:`Versioned`, :class:`Edited`).

Core imports no higher app: the organisation is named by its label, ``accounts.Organisation``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def organisation_fk(
    *, on_delete: Any = models.CASCADE, related_name: str = "+", **kwargs: Any
) -> models.ForeignKey:
    """The organisation a row belongs to (no reverse accessor unless ``related_name`` names one)."""
    return models.ForeignKey(
        "accounts.Organisation", on_delete=on_delete, related_name=related_name, **kwargs
    )


def user_fk(
    *, on_delete: Any = models.PROTECT, related_name: str = "+", **kwargs: Any
) -> models.ForeignKey:
    """A user who acted on a row (created, recorded, decided …): by default the user is kept
    while the row refers to them (``PROTECT``), so every record stays attributable."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=on_delete, related_name=related_name, **kwargs
    )


def optional_fk(to: Any, *, related_name: str = "+", **kwargs: Any) -> models.ForeignKey:
    """A link that may be empty, and is emptied when the row it points to is deleted."""
    return models.ForeignKey(
        to, on_delete=models.SET_NULL, null=True, blank=True, related_name=related_name, **kwargs
    )


def code_field(
    verbose_name: Any,
    codes: type[models.TextChoices],
    max_length: int,
    *,
    optional: bool = False,
    **kwargs: Any,
) -> models.CharField:
    """A column holding one code of a closed list (``codes``, a vocabulary's choices class).

    ``optional``: the field may be left empty, stored as ``""`` (never NULL). Refuses, when the
    model is defined, a column too short for one of the codes.
    """
    longest = max(codes.values, key=len)
    if len(longest) > max_length:
        raise ImproperlyConfigured(
            f"{codes.__name__}: code {longest!r} is longer than max_length={max_length}"
        )
    if optional:
        kwargs.update(blank=True, default="")
    return models.CharField(verbose_name, max_length=max_length, choices=codes.choices, **kwargs)


def organisation_unique(*fields: str, name: str) -> models.UniqueConstraint:
    """One row per organisation and ``fields`` (a number, a name, a counter's year …): the
    uniqueness every organisation-scoped table declares, named ``name`` in the schema."""
    return models.UniqueConstraint(fields=["organisation", *fields], name=name)


class ShownById(models.Model):
    """A row whose text (``str()``: the admin, logs, error reports) is its kind and id only,
    ``"note #12"``, never its content: such rows hold a survivor's words or identity.
    The model names its kind in ``shown_as``."""

    shown_as: ClassVar[str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.shown_as} #{self.pk}"


class Created(models.Model):
    """A row stamped with the time it was created.

    Listed newest first (ties by id): a subclass keeps that order by deriving its ``Meta`` from
    ``Created.Meta``; one that declares a plain ``Meta`` chooses its own.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class CreatedBy(Created):
    """A row stamped with the time it was created and the user who created it."""

    created_by = user_fk()

    class Meta(Created.Meta):
        abstract = True


class Versioned(models.Model):
    """A row edited under optimistic locking: a form carries the ``version`` it was read at and
    :func:`lentera.web.core.services.check_version` refuses an edit made from an older one."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Modified(models.Model):
    """A row that keeps the time of its last save (the analytics warehouse's incremental build
    reads it: :mod:`lentera.web.insights.changes`). A queryset ``update()`` does not set it:
    pass ``updated_at=timezone.now()`` along."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Edited(Versioned, Modified):
    """A versioned row that also keeps the time of its last change."""

    class Meta:
        abstract = True


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

    organisation = organisation_fk()
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"
