"""Deployment files shipped with the package (systemd units); see docs/admin-guide.md."""

from __future__ import annotations

from pathlib import Path

SYSTEMD_DIR = Path(__file__).resolve().parent / "systemd"
