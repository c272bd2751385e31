"""Personal data never reaches the database in plaintext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

NAME = "Sutinah binti Karto"
NIK = "5301054708990003"


@pytest.mark.django_db(transaction=True)
def test_plaintext_absent_from_database_storage(worker_a: Any, build_case: Any) -> None:
    build_case(worker_a, name=NAME, nik=NIK)
    needles = [
        NAME.encode(),
        b"Sutinah",
        NIK.encode(),
        b"081234567890",
        b"Catatan rahasia",
        b"Pak Calo",
        b"Dijanjikan kerja",
    ]
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        assert path.exists(), "the test database must be a file for this check"
        connection.close()
        blob = path.read_bytes()
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            blob += wal.read_bytes()
    elif connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump not installed")
        s = connection.settings_dict
        cmd = [
            "pg_dump",
            "-h",
            s["HOST"] or "127.0.0.1",
            "-p",
            str(s["PORT"] or 5432),
            "-U",
            s["USER"] or "postgres",
            s["NAME"],
        ]
        blob = subprocess.run(cmd, check=True, capture_output=True).stdout
    else:  # pragma: no cover
        pytest.skip("unsupported database")
    assert len(blob) > 10_000
    for needle in needles:
        assert needle not in blob, needle
    assert b"ALFA-" in blob  # the case number is not personal and is stored in clear
