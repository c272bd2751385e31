"""Default settings for ``make run`` and a single NGO: embedded SQLite, local secret.

DEBUG stays off unless ``LENTERA_DEBUG=1``. The secret key is generated once
into the data directory (never committed).
"""

from __future__ import annotations

import os
import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = os.environ.get("LENTERA_DEBUG") == "1"


def _local_secret_key() -> str:
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
