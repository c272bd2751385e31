"""Deletions that can be undone for a few minutes: a copy of everything a deletion removes is
kept (encrypted), and the user who deleted may put it back, identical, within
:data:`UNDO_WINDOW`.

The copy holds the deleted row and every row Django's deletion takes with it (the screenings of
a removed survivor link, for instance), in the order they are put back; restoring writes them
raw (ids, versions and timestamps as they were). Expired copies are deleted whenever a deletion
or an undo happens, and with the survivor on anonymisation (``cases/identity.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.db.models import Model
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.models import Case, DeletedRow
from lentera.web.cases.services.cases import refresh_case_indexes
from lentera.web.core.access import require_case_edit
from lentera.web.core.services import invalid, not_found

__all__ = ["UNDO_WINDOW", "delete_keeping_copy", "deletion_undo"]

UNDO_WINDOW = dt.timedelta(minutes=10)


def _removed_rows(obj: Model) -> list[Model]:
    """``obj`` and every row its deletion removes, in the order they can be inserted back."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    collector.sort()  # deletion order: dependents first
    ordered = [row for rows in collector.data.values() for row in rows]
    fast = [row for rows in collector.fast_deletes for row in rows]
    updated = [
        row for groups in collector.field_updates.values() for rows in groups for row in rows
    ]
    return list(reversed(ordered)) + fast + updated


class _Exact(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _dump(rows: list[Model]) -> str:
    return json.dumps(
        [
            [
                row._meta.label,
                {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields},
            ]
            for row in rows
        ],
        cls=_Exact,
    )


def _load(text: str) -> list[Model]:
    out = []
    for label, values in json.loads(text):
        model = apps.get_model(label)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        out.append(model(**{k: fields[k].to_python(v) for k, v in values.items()}))
    return out


def delete_keeping_copy(
    *, actor: User, obj: Model, case: Case, person_id: int | None = None
) -> DeletedRow:
    """Delete ``obj`` (and what goes with it), keeping a copy the actor can restore; audited
    (the case and until when it can be undone)."""
    now = timezone.now()
    DeletedRow.objects.filter(expires_at__lt=now).delete()
    copy = DeletedRow.objects.create(
        case=case,
        person_id=person_id,
        deleted_by=actor,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        rows=_dump(_removed_rows(obj)),
        deleted_at=now,
        expires_at=now + UNDO_WINDOW,
    )
    pk = obj.pk
    obj.delete()
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type=copy.object_type,
        object_id=pk,
        detail={"case": case.pk, "undo_until": copy.expires_at.isoformat()},
    )
    return copy


def deletion_undo(*, actor: User, deletion_id: Any) -> DeletedRow:
    """Put back what a deletion removed (only its author, only within the window)."""
    DeletedRow.objects.filter(expires_at__lt=timezone.now()).delete()  # kept even if refused
    return _undo(actor=actor, deletion_id=deletion_id)


@transaction.atomic
def _undo(*, actor: User, deletion_id: Any) -> DeletedRow:
    copy = (
        DeletedRow.objects.select_related("case")
        .filter(pk=deletion_id if str(deletion_id).isdigit() else None, deleted_by=actor)
        .first()
    )
    if copy is None:
        raise not_found(_msg_gone())
    require_case_edit(actor, copy.case)
    restored = _load(copy.rows)
    first = restored[0]
    if type(first)._default_manager.filter(pk=first.pk).exists():
        raise invalid("undo_expired", _msg_gone())
    for row in restored:  # raw: ids, versions and timestamps as they were
        row.save_base(raw=True)
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=copy.object_type,
        object_id=copy.object_id,
        detail={"case": copy.case_id, "undo": "deletion", "rows": len(restored)},
    )
    copy.delete()
    if copy.object_type == "cases.casesurvivor":
        refresh_case_indexes(copy.case)
    return copy


def _msg_gone() -> str:
    return _("This deletion can no longer be undone.")
