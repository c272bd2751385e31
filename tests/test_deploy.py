"""The systemd units shipped in the package are valid (``systemd-analyze verify``) and run
the server and the worker from one environment file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lentera.deploy import SYSTEMD_DIR

UNITS = ("lentera.service", "lentera-worker.service")


def test_units_are_shipped_and_start_server_and_worker() -> None:
    server = (SYSTEMD_DIR / "lentera.service").read_text()
    worker = (SYSTEMD_DIR / "lentera-worker.service").read_text()
    assert "ExecStart=/opt/lentera/.venv/bin/lentera serve" in server
    assert "ExecStart=/opt/lentera/.venv/bin/lentera worker" in worker
    for text in (server, worker):
        assert "EnvironmentFile=/etc/lentera/lentera.env" in text
        assert "User=lentera" in text and "NoNewPrivileges=yes" in text
    env = (SYSTEMD_DIR / "lentera.env.example").read_text()
    assert "settings.production" in env and "DATABASE_URL=postgres://" in env


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing (.ci/run installs systemd)")
        pytest.skip("systemd-analyze not installed")
    lentera = str(Path(sys.executable).with_name("lentera"))
    for name in UNITS:  # verify checks that ExecStart exists: point it at this install
        text = (SYSTEMD_DIR / name).read_text().replace("/opt/lentera/.venv/bin/lentera", lentera)
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "lentera" not in done.stderr, done.stderr  # no warnings about our units
