"""Finding 14/15: files the project creates are readable by the service account only."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_created_files_are_0600_and_directories_0700(
    users_a: dict[str, Any], build_case: Any, settings: Any, tmp_path: Path
) -> None:
    from lentera.web.cases import attachment_files
    from lentera.web.cases import services as case_services
    from lentera.web.insights.services import rebuild, warehouse_path

    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "attachments"
    case = build_case(users_a["caseworker"])
    att = case_services.attachment_add(
        actor=users_a["caseworker"], case=case, filename="a.txt", data=b"isi"
    )
    rebuild(actor=users_a["analyst"])
    files = [attachment_files.path_of(att.storage_name), warehouse_path("ALFA")]
    for f in files:
        assert _mode(f) == 0o600, f
        assert _mode(f.parent) == 0o700, f.parent
