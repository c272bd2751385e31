"""The rows a case lists under it (journey steps, perpetrators): one way to build, add, edit
and delete them, so every kind is checked, versioned, audited and undoable alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from lentera.web.accounts.models import User
from lentera.web.audit.services import Versioned, save_created
from lentera.web.cases.models import Case, DeletedRow
from lentera.web.cases.services.deletions import delete_keeping_copy
from lentera.web.core.access import require_case_edit
from lentera.web.core.services import assign, clean

__all__ = ["CaseRows"]

R = TypeVar("R", bound=Any)


@dataclass(frozen=True)
class CaseRows(Generic[R]):
    """One kind of row of a case: its model, editable fields, field checks beyond the model's
    own, and the defaults derived on create and on every edit."""

    model: type[R]
    fields: tuple[str, ...]
    checks: Callable[[R], dict[str, Callable[[], object]]]
    defaults: Callable[[R], None]

    def build(self, case: Case, fields: Mapping[str, Any]) -> R:
        """A row of ``case``, validated but not saved."""
        row = self.model(case=case)
        assign(row, fields, self.fields)
        self.defaults(row)
        clean(row, self.checks(row), exclude=["case"])
        return row

    def add(self, actor: User, case: Case, fields: Mapping[str, Any]) -> R:
        """Check the authority, build, save and audit (the names of the fields given)."""
        require_case_edit(actor, case)
        row = self.build(case, fields)
        return save_created(
            actor=actor, obj=row, detail={"case": case.pk, "fields": sorted(fields)}
        )

    def _finish(self, row: R) -> None:
        self.defaults(row)
        clean(row, self.checks(row))

    def update(self, actor: User, row: R, version: int | None, fields: Mapping[str, Any]) -> R:
        """Edit a row; refuses a stale edit."""
        require_case_edit(actor, row.case)
        row, _changed = Versioned(self.fields, self._finish).edit(actor, row, version, fields)
        return row

    def delete(self, actor: User, row: R) -> DeletedRow:
        """Delete a row, keeping a copy its author can put back for a while."""
        require_case_edit(actor, row.case)
        return delete_keeping_copy(actor=actor, obj=row, case=row.case)
