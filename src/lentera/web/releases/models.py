"""De-identified data releases (CTDC k-anonymous files, DP count tables) with four-eyes
approval, and the organisation's ε budget ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.accounts.models import Organisation
from lentera.web.core.models import code_field, organisation_fk, user_fk
from lentera.web.core.vocabulary import text_choices

ReleaseKind = text_choices("release_kind")
ReleaseStatus = text_choices("release_status")


class EpsilonBudget(models.Model):
    """The organisation's total ε for differentially private releases (sequential composition)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    total = models.FloatField(_("total ε budget"), default=1.0)
    updated_by = user_fk(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation_id}: ε {self.total}"


class EpsilonSpend(models.Model):
    """One release's ε, spent from its organisation's budget (one row per release id; the
    sum of an organisation's rows is what :class:`EpsilonBudget` caps)."""

    organisation = organisation_fk()
    release_id = models.CharField(max_length=64, unique=True)
    epsilon = models.FloatField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.release_id}: ε {self.epsilon}"


class Release(models.Model):
    """A de-identified data release: requested with a preview of its risk figures (no file,
    no ε spent), approved or rejected by a second person, and — once approved — a signed
    package on disk whose SHA-256 is checked at every download."""

    organisation = organisation_fk(on_delete=models.PROTECT)
    release_id = models.CharField(max_length=64, unique=True)
    kind = code_field(_("layout"), ReleaseKind, 16)
    k = models.PositiveSmallIntegerField(_("k"), null=True, blank=True)
    epsilon = models.FloatField(_("ε"), null=True, blank=True)
    dimensions = models.JSONField(_("dimensions"), default=list, blank=True)
    purpose = models.CharField(_("recipient and purpose"), max_length=300)
    status = code_field(_("status"), ReleaseStatus, 12, default=ReleaseStatus.PENDING)
    preview = models.JSONField(default=dict)
    manifest = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=120, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    requested_by = user_fk()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = user_fk(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.release_id


class HubMemberKey(models.Model):
    """The hub's registry of member organisations' package-signing public keys (Ed25519).

    Enrolling a key is an audited admin act; a revoked key no longer verifies packages.
    """

    organisation_code = models.CharField(_("organisation code"), max_length=8)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    fingerprint = models.CharField(max_length=32)
    enrolled_by = user_fk()
    enrolled_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_code", "-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_code"],
                condition=models.Q(revoked_at__isnull=True),
                name="hub_member_key_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_code} {self.fingerprint}"
