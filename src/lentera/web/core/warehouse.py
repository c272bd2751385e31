"""Where an organisation's analytics warehouse lives and when it was built.

One DuckDB file per organisation under ``$LENTERA_DATA_DIR/analytics/``. Here, at the bottom of
the web layers, so every app that reads the warehouse (analytics dashboard, reintegration
outcomes, outreach "where next", the worker's jobs) finds the same file; building it is
:func:`lentera.web.insights.services.rebuild`, queueing a rebuild :mod:`lentera.web.jobs.warehouse`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

#: a view of an older warehouse queues a rebuild (the worker also rebuilds it nightly)
MAX_AGE = dt.timedelta(hours=24)


def warehouse_path(org_code: str) -> Path:
    return Path(settings.DATA_DIR) / "analytics" / f"{org_code}.duckdb"


def built_at(path: Path) -> dt.datetime | None:
    if not path.exists():
        return None
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
