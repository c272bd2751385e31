"""Writes of prevention outreach: keyword-only, ``actor`` first, atomic, audited.

Staff who record cases record outreach (:func:`lentera.web.core.access.require_case_role`);
every member of the organisation, analysts included, may read it (no identity here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import Versioned, audit_log, save_created
from lentera.web.core.access import require_case_role, require_own_organisation
from lentera.web.core.services import assign, clean, codes, invalid
from lentera.web.core.validators import validate_not_future
from lentera.web.outreach import choices
from lentera.web.outreach.models import OutreachActivity

__all__ = ["ACTIVITY_FIELDS", "activity_create", "activity_delete", "activity_update"]

ACTIVITY_FIELDS = (
    "kind",
    "date",
    "province",
    "regency",
    "village",
    "partners",
    "topics",
    "materials",
    *choices.ATTENDANCE_FIELDS,
)
#: one activity cannot plausibly reach more people than this
MAX_ATTENDANCE = 100_000


def _checks(a: OutreachActivity) -> dict[str, Any]:
    def province() -> None:
        if a.province not in reference.provinces():
            raise ValidationError(_("Unknown province."), code="province_unknown")

    def regency() -> None:
        if a.regency and reference.province_of(a.regency) != a.province:
            raise ValidationError(
                _("This regency/city is not in the chosen province."), code="regency_province"
            )

    return {"date": lambda: validate_not_future(a.date), "province": province, "regency": regency}


def _prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "topics" in out:
        out["topics"] = codes(out["topics"] or [], choices.Topic.values, "topics")
    for name in ("village", "partners", "materials"):
        if name in out:
            out[name] = (out[name] or "").strip()
    for name in choices.ATTENDANCE_FIELDS:
        if name in out and out[name] is None:
            out[name] = 0
    if out.get("regency") and not out.get("province"):
        out["province"] = reference.province_of(out["regency"]) or ""
    return out


def _finish(a: OutreachActivity) -> None:
    clean(a, _checks(a), exclude=["organisation"])
    if a.attendance > MAX_ATTENDANCE:
        raise invalid(
            "too_many", _("The attendance adds up to more than %(n)s.") % {"n": MAX_ATTENDANCE}
        )


_EDIT = Versioned(ACTIVITY_FIELDS, _finish)


def _own(actor: User, activity: OutreachActivity) -> None:
    require_own_organisation(actor, activity.organisation_id, message=_("Activity not found."))


@transaction.atomic
def activity_create(*, actor: User, **fields: Any) -> OutreachActivity:
    """Record an outreach activity of the actor's organisation."""
    membership = require_case_role(actor)
    activity = OutreachActivity(organisation=membership.organisation, created_by=actor)
    assign(activity, _prepare(fields), ACTIVITY_FIELDS)
    _finish(activity)
    detail = {"kind": activity.kind, "attendance": activity.attendance}
    return save_created(actor=actor, obj=activity, detail=detail)


@transaction.atomic
def activity_update(
    *, actor: User, activity: OutreachActivity, version: int | str | None = None, **fields: Any
) -> OutreachActivity:
    """Edit an activity; refuses a stale edit (``stale_version``)."""
    _own(actor, activity)
    activity, _changed = _EDIT.edit(actor, activity, version, _prepare(fields))
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: OutreachActivity) -> None:
    """Delete an activity recorded by mistake."""
    _own(actor, activity)
    audit_log(actor=actor, action=AuditAction.DELETE, obj=activity, detail={"kind": activity.kind})
    activity.delete()
