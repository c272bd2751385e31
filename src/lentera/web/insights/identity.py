"""The analytics warehouse is a copy of the case store: dropped when a survivor is anonymised."""

from __future__ import annotations

from lentera.web.core.identity import declare_derived


def _drop_warehouse(organisation_id: int) -> None:
    """Delete the organisation's DuckDB warehouse (and its write-ahead log) once the anonymisation
    commits; the next dashboard view rebuilds it from the anonymised records."""
    from django.db import transaction

    from lentera.web.accounts.models import Organisation
    from lentera.web.core.warehouse import warehouse_path

    path = warehouse_path(Organisation.objects.get(pk=organisation_id).code)

    def drop() -> None:
        for p in (path, path.with_name(path.name + ".wal")):
            p.unlink(missing_ok=True)

    transaction.on_commit(drop)


declare_derived("analytics warehouse", _drop_warehouse)
