"""The instance's data directory and the files in it that the CLI and the web app share.

``$LENTERA_DATA_DIR`` (default ``./var``) holds the database, keys, attachments, analytics
warehouses, releases and backups. The default lives here once: the web settings and the CLI
verbs read it through :func:`data_dir`. The environment is read on every call, so a test or
a verb may set it first. The engines never read it: they are given paths.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_DATA_DIR", "analytics_db", "data_dir", "disclosure_ledger"]

DEFAULT_DATA_DIR = "var"


def data_dir() -> Path:
    """``$LENTERA_DATA_DIR``, else ``./var`` (relative to the working directory, not resolved)."""
    return Path(os.environ.get("LENTERA_DATA_DIR", DEFAULT_DATA_DIR))


def analytics_db() -> Path:
    """``$LENTERA_ANALYTICS_DB``, else the instance-wide warehouse in the data directory (the
    web app keeps one warehouse per organisation beside it)."""
    explicit = os.environ.get("LENTERA_ANALYTICS_DB")
    if explicit:
        return Path(explicit)
    return data_dir() / "analytics" / "instance.duckdb"


def disclosure_ledger() -> Path:
    """The instance's ε ledger for releases made from the command line."""
    return data_dir() / "disclosure" / "ledger.json"
