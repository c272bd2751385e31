"""Finding 3 (MEDIUM): a database user cannot rewrite the audit log unnoticed.

The review's reproduction: delete rows, re-attribute a read, recompute every hash and
the chain head. Without the key ring the recomputed chain does not verify; with the
keys (an insider), ``verify --against`` a signed checkpoint still detects it.
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from lentera.cli import main
from lentera.errors import LenteraError
from lentera.web.audit.checkpoints import checkpoint_create, read_checkpoint
from lentera.web.audit.models import AuditChainHead, AuditEvent
from lentera.web.audit.services import GENESIS, _fields, _row_hash, audit_verify, payload

# the tampering is done by a role that owns the audit table (on PostgreSQL it can disable the
# append-only trigger; tests/web/audit/test_append_only.py shows the application's role cannot)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_table_owner")]


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def _tamper(worker: Any, other: Any, *, recompute: str) -> None:
    """Delete the EXPORT rows, re-attribute a READ, recompute the chain (``sha256``, ``wrong_key``
    — an attacker without the key ring — or ``real_key``, an insider who holds it)."""
    AuditEvent.objects.filter(action="create").delete()
    read = AuditEvent.objects.filter(action="read").first()
    AuditEvent.objects.filter(pk=read.pk).update(actor=other, actor_username=other.username)
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id"):
        message = f"{prev}|{payload(_fields(event))}".encode()
        if recompute == "sha256":
            new, key_id = hashlib.sha256(message).hexdigest(), ""
        elif recompute == "wrong_key":
            import hmac

            new, key_id = hmac.new(b"guess" * 7, message, hashlib.sha256).hexdigest(), event.key_id
        else:
            new, key_id = _row_hash(prev, _fields(event), event.key_id), event.key_id
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=new, key_id=key_id)
        prev = new
    AuditChainHead.objects.update(last_hash=prev)


def _activity(worker: Any, build_case: Any) -> None:
    from django.test import Client

    case = build_case(worker)
    client = Client()
    client.force_login(worker)
    client.get(f"/cases/{case.pk}/")


@pytest.mark.parametrize("recompute", ["sha256", "wrong_key"])
def test_recomputed_chain_without_the_key_is_detected(
    users_a: dict[str, Any], build_case: Any, recompute: str
) -> None:
    _activity(users_a["caseworker"], build_case)
    assert audit_verify().ok
    _tamper(users_a["caseworker"], users_a["supervisor"], recompute=recompute)
    assert not audit_verify().ok


def test_insider_recompute_is_detected_against_a_checkpoint(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path, capsys: Any
) -> None:
    _activity(users_a["caseworker"], build_case)
    off_site = tmp_path / "off-site.json"
    assert main(["audit", "checkpoint", "--out", str(off_site)]) == 0
    assert stat.S_IMODE(off_site.stat().st_mode) == 0o600
    assert main(["audit", "verify", "--against", str(off_site)]) == 0
    _tamper(users_a["caseworker"], users_a["supervisor"], recompute="real_key")
    assert audit_verify().ok  # consistent: only the anchor can tell
    capsys.readouterr()
    assert main(["audit", "verify", "--against", str(off_site)]) == 1
    assert "rewritten" in capsys.readouterr().out or "deleted" in capsys.readouterr().out


def test_checkpoints_written_at_intervals_and_signed(
    users_a: dict[str, Any], build_case: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LENTERA_AUDIT_CHECKPOINT_EVERY = 3
    with django_capture_on_commit_callbacks(execute=True):
        _activity(users_a["caseworker"], build_case)
    folder = Path(settings.DATA_DIR) / "audit-checkpoints"
    files = sorted(folder.glob("checkpoint-*.json"))
    assert files and stat.S_IMODE(folder.stat().st_mode) == 0o700
    data = read_checkpoint(files[-1])
    assert data["last_id"] == AuditEvent.objects.latest("id").pk
    assert audit_verify(against=data).ok
    forged = json.loads(files[-1].read_text())
    forged["rows"] += 1
    files[-1].write_text(json.dumps(forged))
    with pytest.raises(LenteraError, match="signature"):
        read_checkpoint(files[-1])
    # a later checkpoint continues from the previous one
    files[-1].unlink()
    first = checkpoint_create()
    _activity(users_a["caseworker"], build_case)
    second = checkpoint_create()
    assert second["rows"] > first["rows"] and audit_verify(against=first).ok


def test_backup_restore_and_key_export_are_audited(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path
) -> None:
    from lentera.web.core.backup import backup_create

    build_case(users_a["caseworker"])
    archive = tmp_path / "b.backup"
    backup_create(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert main(["keys", "export", str(tmp_path / "ring.json")]) == 0
    kinds = set(
        AuditEvent.objects.filter(object_type="core.maintenance").values_list(
            "object_id", flat=True
        )
    )
    assert {"backup_created", "keys_exported"} <= kinds


@pytest.mark.django_db(transaction=True)
def test_key_rotation_keeps_the_chain_and_checkpoints_verifiable(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path, monkeypatch: Any, settings: Any
) -> None:
    from lentera.web.core import crypto
    from lentera.web.core.keys import keys_rotate

    ring = crypto.keyring()
    key_file = tmp_path / "keys.json"
    key_file.write_text(ring.to_json())
    monkeypatch.delenv("LENTERA_KEYS", raising=False)
    settings.LENTERA_KEY_FILE = key_file
    try:
        _activity(users_a["caseworker"], build_case)
        before = checkpoint_create()
        keys_rotate(retire_old=True)
        assert set(crypto.keyring().keys) == {"k2"}
        assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"k2"}
        assert audit_verify().ok
        # the old checkpoint's signature key is retired, but its anchored content still matches
        assert audit_verify(against=before).ok
    finally:
        crypto.reset_keyring(ring)
