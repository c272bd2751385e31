"""Settings for the test suite: fast hashing, fixed keys, in-memory static storage."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LENTERA_KOBO_SERVERS = ["kobo.example.org", "kf.kobotoolbox.org"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_tmp = Path(tempfile.mkdtemp(prefix="lentera-test-"))
DATA_DIR = _tmp / "data"  # warehouse, releases, signing keys, audit checkpoints
MEDIA_ROOT = _tmp / "attachments"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()
LENTERA_KEY_FILE = _tmp / "keys.json"
# A fixed test key ring so tests never touch a developer's real keys.
os.environ.setdefault(
    "LENTERA_KEYS",
    '{"version": 1, "current": "k1", "keys": {"k1": "dGVzdC1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCE="}, '
    '"index_key": "dGVzdC1pbmRleC1rZXktMDAwMDAwMDAwMDAwMDAwMDA="}',
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so tests can inspect the raw bytes on disk.
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / "test.sqlite3")}  # noqa: F405

AXES_ENABLED = False  # enabled explicitly by the lockout tests
LENTERA_2FA_REQUIRED_ROLES: tuple[str, ...] = ()  # enabled explicitly by the 2FA tests
