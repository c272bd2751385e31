"""Reading a built analytics warehouse back in tests: every table's rows and the dashboard's
figures, so two builds (incremental and full, or a rebuild) can be compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from lentera.analytics import dashboard


def content(path: Path, *, any_order: bool = True) -> dict[str, list[Any]]:
    """Every table's rows but the build manifest's (it holds the build time); with
    ``any_order`` the rows are sorted, so builds that wrote them in another order compare
    equal."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name <> 'build_manifest' ORDER BY 1"
            ).fetchall()
        ]
        tables = {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}  # noqa: S608
    finally:
        con.close()
    if any_order:
        return {n: sorted(map(repr, rows)) for n, rows in tables.items()}
    return tables


def figures(path: Path) -> dict[str, Any]:
    """The dashboard's figures, table by table, as records."""
    return {k: v.to_dict("records") for k, v in dashboard(path).items()}
