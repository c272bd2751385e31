"""Users, organisations and memberships (one organisation and one role per user)."""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from lentera.web.core.contradictions import ReadableConstraints
from lentera.web.core.fields import EncryptedTextField
from lentera.web.core.models import Created, code_field, organisation_fk, organisation_unique
from lentera.web.core.vocabulary import text_choices

OrganisationType = text_choices("organisation_type")
Role = text_choices("role")


#: roles that may read and write survivor records
CASE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.LEGAL, Role.ORG_ADMIN})
#: roles that may edit records they do not own
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ORG_ADMIN})


class Organisation(ReadableConstraints, Created):
    """An organisation using the instance; every survivor record belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short code used in case numbers, e.g. YLK."),
    )
    org_type = code_field(_("type"), OrganisationType, 32)
    province_code = models.CharField(_("province"), max_length=2, blank=True)
    retention_months = models.PositiveIntegerField(
        _("retention period (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Survivors whose cases have all been closed this long are anonymised by `lentera retention apply`. Empty: keep."
        ),
    )
    #: caseworkers may change only the cases they own (are assigned to) or that a member of
    #: one of their teams owns (:class:`Team`); supervisors, legal staff and admins still
    #: edit every case of the organisation
    caseworkers_assigned_only = models.BooleanField(
        _("caseworkers edit only their assigned cases"), default=False
    )
    #: other organisations of the instance may link a directory entry to this organisation and
    #: send referrals to its inbox; an admin who closes it stops new links and new referrals
    accepts_referrals = models.BooleanField(
        _("receives referrals from other organisations on this instance"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9]{2,8}$"), name="org_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in to Lentera."""

    preferred_language = models.CharField(max_length=8, default="id")
    #: set when an admin chose the password (new account, reset): changed at next login
    must_change_password = models.BooleanField(default=False)
    #: moved by every save or delete of one of the user's second-factor devices; a session
    #: reuses its "has a confirmed device" answer only while this is unchanged (accounts.devices)
    second_factor_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``second_factor_epoch`` is moved only by the device receivers (UPDATE … + 1): a full
        # save of a user read before a device changed must not write the old value back
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name != "second_factor_epoch"
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    @property
    def membership_or_none(self) -> Membership | None:
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None


class Membership(Created):
    """A user's organisation and role."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = organisation_fk(on_delete=models.PROTECT, related_name="memberships")
    role = code_field(_("role"), Role, 16)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_edit_cases(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def is_supervising(self) -> bool:
        return self.role in SUPERVISING_ROLES


class Team(Created):
    """A group of members of one organisation (a field office, a shelter's day shift).

    When the organisation restricts caseworkers to their assigned cases, a caseworker may
    also change the cases owned by a member of one of their teams. A member may be in
    several teams; a team never holds members of another organisation (the services
    check it).
    """

    organisation = organisation_fk(related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        Membership, related_name="teams", blank=True, verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [organisation_unique("name", name="team_name_per_org")]

    def __str__(self) -> str:
        return self.name


class ApiToken(Created):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: a token stops working at this time (None only for tokens issued before expiry existed)
    expires_at = models.DateTimeField(null=True, blank=True)
    #: a read-only token may only GET
    read_only = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class RecoveryCodeDevice(Device):
    """One-time recovery codes for a lost phone, as a django-otp device.

    Only a salted scrypt hash of each code is stored; a code works once.
    """

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token: str) -> bool:
        from lentera.web.accounts.twofactor import recovery_code_hash

        code = "".join(ch for ch in str(token).upper() if ch.isalnum())
        if not code:
            return False
        for row in self.codes.filter(used_at__isnull=True):
            if hmac.compare_digest(recovery_code_hash(code, row.salt), row.code_hash):
                used = RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
                return bool(used)
        return False


class RecoveryCode(models.Model):
    """One hashed recovery code; ``used_at`` is set the moment it is spent."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id}: {'used' if self.used_at else 'unused'}"


class FormDraft(models.Model):
    """What a user typed into a form when their session had expired, kept for them to finish.

    Captured by :mod:`lentera.web.accounts.drafts` before the expired POST reaches any view
    (nothing is written to a record); offered back, pre-filled, only to ``user`` after they sign
    in again in the same browser; deleted when they submit or discard it, or after ``EXPIRES``.
    The submitted fields are encrypted like the records they belong to.
    """

    #: who must sign in to see it (from the signed owner cookie set while they were signed in)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    #: SHA-256 of the random id held in the browser's signed draft cookie
    token_hash = models.CharField(max_length=64, unique=True)
    #: the address the submission was sent to (its form's ``action``)
    path = models.CharField(max_length=500)
    #: the page the form was shown on, where the draft is offered back and the user returns
    #: after signing in (a same-origin path; the same as ``path`` for a form that posts to its
    #: own page)
    page = models.CharField(max_length=500, blank=True, default="")
    #: ids from the page's address, to find the drafts about a case or a survivor on erasure
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: the submitted fields as JSON ``[[name, value], …]``
    data = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.path}"

    @property
    def shown_on(self) -> str:
        """The page to offer the draft on (drafts kept before ``page`` existed: ``path``)."""
        return self.page or self.path
