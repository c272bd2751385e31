"""Backup/restore round trip and key rotation, on whichever database the suite runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from lentera.errors import LenteraError
from lentera.web.audit.services import audit_verify
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases import services as case_services
from lentera.web.cases.models import Case, Person
from lentera.web.cases.selectors import CaseFilters, case_list_for_user
from lentera.web.core import crypto
from lentera.web.core.backup import backup_create, backup_restore, backup_verify
from lentera.web.core.keys import keys_rotate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: Any, settings: Any) -> Path:
    """Use a key file (not LENTERA_KEYS) so rotation can write the new ring."""
    ring = crypto.keyring()
    path = tmp_path / "keys.json"
    path.write_text(ring.to_json())
    monkeypatch.delenv("LENTERA_KEYS", raising=False)
    settings.LENTERA_KEY_FILE = path
    yield path
    crypto.reset_keyring(ring)


def test_backup_round_trip_loses_nothing(worker_a: Any, tmp_path: Path, build_case: Any) -> None:
    if connection.vendor == "postgresql":
        import shutil

        if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
            pytest.skip("pg_dump/pg_restore not installed")
    case = build_case(worker_a)
    att = case_services.attachment_add(
        actor=worker_a, case=case, filename="a.pdf", data=b"%PDF-1.4 Sutinah"
    )
    archive = tmp_path / "b.lentera-backup"
    manifest = backup_create(archive)
    blob = archive.read_bytes()
    for needle in (b"Sutinah", b"5301054708990003", b"ALFA-"):
        assert needle not in blob
    assert backup_verify(archive).tables == manifest.tables
    Case.objects.all().update(summary="changed after backup")
    backup_restore(archive)
    restored = Case.objects.get(pk=case.pk)
    assert restored.summary == "Dijanjikan kerja di Malaysia."
    assert Person.objects.get().full_name == "Sutinah binti Karto"
    assert (
        case_selectors.attachment_read(actor=worker_a, attachment_id=att.pk)[1]
        == b"%PDF-1.4 Sutinah"
    )
    assert audit_verify().ok


def test_tampered_backup_is_refused(worker_a: Any, tmp_path: Path, build_case: Any) -> None:
    if connection.vendor == "postgresql":
        import shutil

        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump not installed")
    build_case(worker_a)
    archive = tmp_path / "b.lentera-backup"
    backup_create(archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(LenteraError) as err:
        backup_verify(archive)
    assert err.value.code == "backup_corrupt"


def test_key_rotation_reencrypts_everything(worker_a: Any, key_file: Path, build_case: Any) -> None:
    case = build_case(worker_a)
    att = case_services.attachment_add(
        actor=worker_a, case=case, filename="a.pdf", data=b"%PDF-1.4 data"
    )
    old_ids = set(json.loads(key_file.read_text())["keys"])
    report = keys_rotate()
    ring = json.loads(key_file.read_text())
    assert ring["current"] == report.new_key and report.new_key not in old_ids
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, nik FROM cases_person")
        for full_name, nik in cursor.fetchall():
            assert full_name.split(":")[1] == report.new_key
            assert nik == "" or nik.split(":")[1] == report.new_key
    assert Person.objects.get().full_name == "Sutinah binti Karto"
    assert {
        c.reference for c in case_list_for_user(actor=worker_a, filters=CaseFilters(q="sutinah"))
    } == {case.reference}
    assert {
        c.reference
        for c in case_list_for_user(actor=worker_a, filters=CaseFilters(q="5301054708990003"))
    } == {case.reference}
    assert (
        case_selectors.attachment_read(actor=worker_a, attachment_id=att.pk)[1] == b"%PDF-1.4 data"
    )
    # retire the old keys: data still readable with only the new ring
    keys_rotate(retire_old=True)
    ring = json.loads(key_file.read_text())
    assert len(ring["keys"]) == 1 and len(ring["index_keys"]) == 1
    crypto.reset_keyring(crypto.KeyRing.from_json(key_file.read_text()))
    assert Person.objects.get().nik == "5301054708990003"
