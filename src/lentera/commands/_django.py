"""Start Django for verbs that need the case store, and read the analytics snapshot from it."""

from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lentera.errors import LenteraError

if TYPE_CHECKING:
    from lentera.analytics.snapshot import Snapshot

DEFAULT_SETTINGS = "lentera.web.config.settings.local"


def setup() -> None:
    """Configure Django once, honouring ``DJANGO_SETTINGS_MODULE`` when set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def run_reminders(module: str, args: argparse.Namespace) -> int:
    """The ``remind`` verbs: start Django, run ``module``'s ``run_reminders``, print the counts.

    ``module`` is named, not imported, because it may be imported only once Django is set up.
    """
    setup()
    reminders = importlib.import_module(module)
    result = reminders.run_reminders(today=args.date, email=args.email)
    print(f"reminders created: {result.created}; e-mailed: {result.emailed}")
    return 0


def snapshot_from(source: Path | None) -> Snapshot:
    """The analytics snapshot of a ``--from`` directory, or else of the case store.

    Exporting the case store starts Django; any failure there (no database yet, settings
    refusing to load) becomes one ``exporter_failed`` error line, not a traceback.
    """
    # heavy: pyarrow/duckdb, and Django for the case store — loaded only by the verbs that read
    from lentera.analytics.snapshot import load_snapshot_dir

    if source is not None:
        return load_snapshot_dir(source)
    try:
        setup()
        from lentera.web.insights.snapshot import export_snapshot  # Django is set up only now

        return export_snapshot()
    except LenteraError:
        raise
    except Exception as exc:  # e.g. no database yet: one line, not a traceback
        raise LenteraError(
            "exporter_failed", f"exporting the case store failed ({exc}); give --from SNAPSHOT_DIR"
        ) from exc
