"""Data releases: request with a preview of the risk figures, approval by a second person
(supervisor or organisation admin), package built only on approval, ε spent from a
database ledger, every step and every download audited.

Who may request: analysts, supervisors, organisation admins. Who may approve: a
supervisor or organisation admin other than the requester.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.disclosure import (
    DEFAULT_K,
    DIMENSIONS,
    BudgetExceeded,
    DisclosureError,
    LedgerEntry,
    build_package,
    ctdc_release,
    dimension_domain,
    discrete_laplace_error95,
    dp_counts,
    htcds_frame,
    write_htcds,
)
from lentera.disclosure.kanon import verify_k
from lentera.disclosure.signing import sign_package
from lentera.errors import LenteraError
from lentera.web.accounts.models import SUPERVISING_ROLES, Membership, Role, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import membership_for
from lentera.web.core.people import person_name
from lentera.web.insights.snapshot import export_snapshot
from lentera.web.referrals.services import notify
from lentera.web.releases.models import (
    EpsilonBudget,
    EpsilonSpend,
    Release,
    ReleaseKind,
    ReleaseStatus,
)
from lentera.web.releases.selectors import approvers_for
from lentera.web.releases.signing_keys import organisation_private_key

#: who may request a release and download an approved one
REQUEST_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ORG_ADMIN})
#: who may approve (a second person: never the requester)
APPROVE_ROLES = SUPERVISING_ROLES
MAX_CELLS = 200_000

#: the CTDC layout (``lentera.disclosure.ctdc_release(layout=…)``) of each CTDC release kind
CTDC_LAYOUTS = {ReleaseKind.CTDC_2017: "2017", ReleaseKind.CTDC_2024: "2024"}


class DbLedger:
    """:class:`lentera.disclosure.BudgetLedger` on the database (row lock per organisation)."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id

    def _row(self) -> EpsilonBudget:
        row, _c = EpsilonBudget.objects.get_or_create(organisation_id=self.organisation_id)
        return row

    def budget(self, org: str) -> float:
        return float(self._row().total)

    def spent(self, org: str) -> float:
        total = EpsilonSpend.objects.filter(organisation_id=self.organisation_id).aggregate(
            s=Sum("epsilon")
        )["s"]
        return float(total or 0.0)

    def spend(self, org: str, epsilon: float, release_id: str) -> LedgerEntry:
        with transaction.atomic():
            EpsilonBudget.objects.get_or_create(organisation_id=self.organisation_id)
            budget = EpsilonBudget.objects.select_for_update().get(
                organisation_id=self.organisation_id
            )
            spent = Decimal(str(self.spent(org)))
            if spent + Decimal(str(epsilon)) > Decimal(str(budget.total)) + Decimal("1e-12"):
                raise BudgetExceeded(org, epsilon, spent, Decimal(str(budget.total)))
            if EpsilonSpend.objects.filter(release_id=release_id).exists():
                raise DisclosureError("duplicate_release", f"release {release_id} was spent before")
            row = EpsilonSpend.objects.create(
                organisation_id=self.organisation_id, release_id=release_id, epsilon=epsilon
            )
        return LedgerEntry(org=org, epsilon=epsilon, release_id=release_id, at=row.at.isoformat())


def releases_dir() -> Path:
    return Path(settings.DATA_DIR) / "releases"


def _snapshot(code: str) -> Any:
    return export_snapshot(organisation_codes=[code])


def require_role(actor: User, roles: frozenset[str], message: str) -> Membership:
    """The actor's membership if its role is one of ``roles``, else ``role_forbidden``."""
    membership = membership_for(actor)
    if membership.role not in roles:
        raise LenteraError("role_forbidden", message, kind="forbidden")
    return membership


def _blanked(frame: Any) -> dict[str, list[str]]:
    """Columns generalisation emptied in every row, and the columns that still say something:
    the approver sees what the release destroys before approving it."""
    blank, kept = [], []
    for column in frame.columns:
        values = frame[column]
        empty = values.isna() | (values.astype(str).str.strip() == "")
        (blank if len(frame) and bool(empty.all()) else kept).append(str(column))
    return {"blank_columns": blank, "kept_columns": kept}


def _notify_approvers(release: Release, membership: Membership) -> None:
    """Everyone who may approve (a second person) gets a notification with a link."""
    approvers = [
        user
        for user in approvers_for(organisation_id=membership.organisation_id, roles=APPROVE_ROLES)
        if user.pk != release.requested_by_id
    ]
    notify(
        approvers,
        kind="release_pending",
        params={"kind": release.kind},
        url=reverse("releases:list") + f"#release-{release.pk}",
        key=f"release_pending:{release.pk}",
    )


@transaction.atomic
def release_request(
    *, actor: User, kind: str, purpose: str, k: int | None = None,
    epsilon: float | None = None, dimensions: list[str] | None = None,
) -> Release:  # fmt: skip
    """Check the parameters, compute the preview (no file, no ε spent) and queue for approval."""
    membership = require_role(
        actor,
        REQUEST_ROLES,
        _("Only analysts, supervisors and organisation admins may request a release."),
    )
    purpose = (purpose or "").strip()
    if len(purpose) < 5:
        raise LenteraError("required", _("Say who receives the data and why."), field="purpose")
    code = membership.organisation.code
    release = Release(
        organisation_id=membership.organisation_id, release_id=uuid.uuid4().hex, kind=kind,
        purpose=purpose[:300], requested_by=actor,
    )  # fmt: skip
    if kind in CTDC_LAYOUTS:
        k = int(k or DEFAULT_K)
        if not 2 <= k <= 100:
            raise LenteraError("bad_k", _("k must be between 2 and 100."), field="k")
        try:
            built = ctdc_release(_snapshot(code), layout=CTDC_LAYOUTS[ReleaseKind(kind)], k=k)
        except DisclosureError as exc:
            if exc.code != "k_infeasible":
                raise
            raise LenteraError(
                "k_infeasible",
                _(
                    "With k = %(k)s these %(n)s records cannot be released: more than 5%% of "
                    "them would have to be left out. Choose a smaller k, or release when more "
                    "cases are recorded."
                )
                % {"k": k, "n": (exc.params or {}).get("records", "?")},
                field="k",
            ) from exc
        release.k = k
        release.preview = built.kanon.summary() | {
            "columns": len(built.frame.columns),
            **_blanked(built.frame),
        }
    elif kind == ReleaseKind.DP:
        dims = [d for d in (dimensions or []) if d]
        unknown = sorted(set(dims) - set(DIMENSIONS))
        if not dims or unknown:
            raise LenteraError(
                "bad_dimensions", _("Choose one to three known dimensions."), field="dimensions"
            )
        if len(dims) > 3:
            raise LenteraError("bad_dimensions", _("At most three dimensions."), field="dimensions")
        if epsilon is None or not (0 < float(epsilon) <= 10):
            raise LenteraError(
                "bad_epsilon", _("ε must be above 0 and at most 10."), field="epsilon"
            )
        cells = math.prod(len(dimension_domain(d)) for d in dims)
        if cells > MAX_CELLS:
            raise LenteraError(
                "too_many_cells", _("Too many cells; choose fewer dimensions."), field="dimensions"
            )
        ledger = DbLedger(membership.organisation_id)
        release.epsilon, release.dimensions = float(epsilon), dims
        release.preview = {
            "cells": cells,
            "scale": 1 / float(epsilon),
            "error95": discrete_laplace_error95(1 / float(epsilon)),
            "budget": ledger.budget(code),
            "spent": ledger.spent(code),
        }
        if release.preview["spent"] + float(epsilon) > release.preview["budget"] + 1e-12:
            raise LenteraError(
                "epsilon_budget_exceeded",
                _("This release would exceed your organisation's ε budget (%(spent)s of %(budget)s spent).")
                % {"spent": round(release.preview["spent"], 3), "budget": release.preview["budget"]},
                kind="conflict", field="epsilon",
            )  # fmt: skip
    elif kind == ReleaseKind.HTCDS:
        frame = htcds_frame(_snapshot(code))
        check = _htcds_k_check(frame)
        release.preview = {
            "records_out": len(frame), "columns": len(frame.columns), "k": check.k,
            "smallest_class": check.smallest_class, "rows_below_k": check.violating_rows,
        }  # fmt: skip
    else:
        raise LenteraError("bad_kind", _("Unknown layout."), field="kind")
    release.save()
    _notify_approvers(release, membership)
    audit_log(
        actor=actor, action=AuditAction.CREATE, obj=release,
        detail={"kind": kind, "k": release.k, "epsilon": release.epsilon, "dimensions": release.dimensions},
    )  # fmt: skip
    return release


@transaction.atomic
def release_decide(*, actor: User, release: Release, approve: bool, note: str = "") -> Release:
    """Approve (build the package now, spend ε) or reject; never by the requester.

    The release row is locked while deciding: two approvers (or an approval and a rejection)
    racing on one release cannot both pass the "still pending" check.
    """
    membership = require_role(
        actor, APPROVE_ROLES, _("Only a supervisor or organisation admin may approve a release.")
    )
    if release.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    # re-read under a row lock: the status another decision may have written meanwhile
    release.refresh_from_db(from_queryset=Release.objects.select_for_update())
    if release.requested_by_id == actor.pk:
        raise LenteraError(
            "four_eyes",
            _("A second person must approve a release you requested."),
            kind="forbidden",
        )
    if release.status != ReleaseStatus.PENDING:
        raise LenteraError("decided", _("This release was already decided."), kind="conflict")
    release.decided_by, release.decided_at = actor, timezone.now()
    release.decision_note = (note or "").strip()[:500]
    if not approve:
        release.status = ReleaseStatus.REJECTED
        release.save()
        audit_log(actor=actor, action=AuditAction.UPDATE, obj=release, detail={"rejected": True})
        return release
    code = membership.organisation.code
    snapshot = _snapshot(code)
    target = releases_dir() / f"{release.release_id}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    author = person_name(actor)
    if release.kind == ReleaseKind.HTCDS:
        manifest = _htcds_package(target, snapshot, release, code, author)
    elif release.kind == ReleaseKind.DP:
        table = dp_counts(snapshot, by=release.dimensions, epsilon=float(release.epsilon or 0))
        manifest = build_package(
            target, organisation=code, created_by=author, release_id=release.release_id,
            dp=[("_".join(release.dimensions), table)], ledger=DbLedger(membership.organisation_id),
        )  # fmt: skip
    else:
        built = ctdc_release(
            snapshot, layout=CTDC_LAYOUTS[ReleaseKind(release.kind)], k=int(release.k or DEFAULT_K)
        )
        manifest = build_package(
            target, organisation=code, created_by=author, release_id=release.release_id,
            ctdc=[built],
        )  # fmt: skip
    sign_package(target, organisation_private_key(code))
    release.status = ReleaseStatus.APPROVED
    release.manifest = manifest
    release.file_name = target.name
    release.sha256 = hashlib.sha256(target.read_bytes()).hexdigest()
    release.save()
    audit_log(
        actor=actor, action=AuditAction.EXPORT, obj=release,
        detail={"approved": True, "kind": release.kind, "sha256": release.sha256,
                "epsilon": release.epsilon, "k": release.k},
    )  # fmt: skip
    return release


#: the HTCDS columns someone could know about a survivor (the review found 240 of 242 rows
#: unique on them): the same k as CTDC releases is required over these
HTCDS_QUASI_IDENTIFIERS = (
    "prs_Gender", "prs_MailingState", "prs_MailingCity", "x_lentera_age_band",
    "x_lentera_opened_month",
)  # fmt: skip


def _htcds_k_check(frame: Any) -> Any:
    """Verify k over the HTCDS quasi-identifiers; refuse (with the reason) when not met.

    The HTCDS file is record-level and not generalised, so a small group on these columns
    can be recognised by anyone who knows the survivor; Lentera refuses such a file rather
    than exchange it. Organisations then release the k-anonymous CTDC file or DP counts."""
    check = verify_k(frame, k=DEFAULT_K, qi_columns=list(HTCDS_QUASI_IDENTIFIERS))
    if not check.ok:
        raise LenteraError(
            "htcds_not_k_anonymous",
            _(
                "The HTCDS exchange file is record-level: %(rows)s of %(total)s survivors are in "
                "groups smaller than %(k)s by sex, province, regency/city, age band and month "
                "opened, so they could be recognised. Lentera refuses it; release the "
                "k-anonymous CTDC file or differentially private counts instead."
            )
            % {"rows": check.violating_rows, "total": check.rows, "k": check.k},
            kind="conflict",
            field="kind",
        )
    return check


def _htcds_package(
    target: Path, snapshot: Any, release: Release, code: str, author: str
) -> dict[str, Any]:
    """A zip with the HTCDS workbook and a manifest (SHA-256 of the workbook)."""
    _htcds_k_check(htcds_frame(snapshot))  # the data may have changed since the request
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "htcds.xlsx"
        rows = write_htcds(snapshot, xlsx)
        content = xlsx.read_bytes()
    manifest = {
        "schema": "lentera-htcds-release/1",
        "release_id": release.release_id,
        "organisation": code,
        "created_by": author,
        "created_at": timezone.now().isoformat(),
        "purpose": release.purpose,
        "files": {"htcds.xlsx": {"sha256": hashlib.sha256(content).hexdigest(), "rows": rows}},
        "k": DEFAULT_K,
        "qi_columns": list(HTCDS_QUASI_IDENTIFIERS),
        "note": "De-identified HTCDS v2.0 exchange file, verified k-anonymous over the listed quasi-identifiers: for exchange under a data-sharing agreement, not for publication.",
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("htcds.xlsx", content)
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def release_file(*, actor: User, release: Release) -> tuple[bytes, str]:
    membership = require_role(actor, REQUEST_ROLES, _("Your role may not download releases."))
    if release.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    if release.status != ReleaseStatus.APPROVED:
        raise LenteraError("not_approved", _("This release is not approved."), kind="conflict")
    content = (releases_dir() / release.file_name).read_bytes()
    if hashlib.sha256(content).hexdigest() != release.sha256:
        raise LenteraError(
            "tampered",
            _("The release file changed since approval; it is not served."),
            kind="conflict",
        )
    audit_log(actor=actor, action=AuditAction.EXPORT, obj=release, detail={"download": True})
    return content, f"lentera-release-{membership.organisation.code}-{release.release_id[:8]}.zip"


@transaction.atomic
def budget_set(*, actor: User, total: float) -> EpsilonBudget:
    """An organisation admin sets the ε budget (never below what was already spent)."""
    membership = require_role(
        actor, frozenset({Role.ORG_ADMIN}), _("Only an organisation admin may set the ε budget.")
    )
    if not (0 < float(total) <= 100):
        raise LenteraError("bad_epsilon", _("ε must be above 0 and at most 100."), field="total")
    spent = DbLedger(membership.organisation_id).spent(membership.organisation.code)
    if float(total) < spent:
        raise LenteraError(
            "below_spent",
            _("The budget cannot be lower than what was already spent."),
            field="total",
        )
    row, _c = EpsilonBudget.objects.get_or_create(organisation_id=membership.organisation_id)
    row.total, row.updated_by = float(total), actor
    row.save()
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=row, detail={"epsilon_budget": float(total)}
    )
    return row
