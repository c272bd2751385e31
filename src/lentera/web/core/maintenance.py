"""Backup, restore and key rotation.

Backup archive (``.lentera-backup``): a tar of the database (SQLite online
backup, or ``pg_dump --format=custom`` for PostgreSQL), the encrypted attachment
files and a manifest (counts per table, SHA-256 of every member, key ids in
use — never key material), encrypted as a whole with AES-256-GCM in 1 MiB
chunks under a key derived (HKDF) from the current field-encryption key. The
key ring itself is NOT in the archive: keep it separately (``lentera keys export``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from lentera import __version__
from lentera.errors import LenteraError
from lentera.web.core import crypto
from lentera.web.core.fields import EncryptedTextField

MAGIC = b"LENTERA-BACKUP-1\n"
CHUNK = 1 << 20


# --------------------------------------------------------------------------- helpers


def _backup_key(ring: crypto.KeyRing, key_id: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lentera-backup-v1").derive(
        ring.keys[key_id]
    )


def _encrypt_stream(plain: bytes, ring: crypto.KeyRing) -> bytes:
    salt = secrets.token_bytes(16)
    key = AESGCM(_backup_key(ring, ring.current, salt))
    header = json.dumps({"key_id": ring.current, "salt": salt.hex(), "chunk": CHUNK}).encode()
    out = io.BytesIO()
    out.write(MAGIC)
    out.write(len(header).to_bytes(4, "big") + header)
    prefix = secrets.token_bytes(4)
    chunks = [plain[i : i + CHUNK] for i in range(0, len(plain), CHUNK)] or [b""]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        nonce = prefix + index.to_bytes(8, "big")
        ct = key.encrypt(nonce, chunk, f"{index}:{int(last)}".encode())
        out.write(nonce + len(ct).to_bytes(4, "big") + ct)
    return out.getvalue()


def _decrypt_stream(blob: bytes, ring: crypto.KeyRing) -> bytes:
    if not blob.startswith(MAGIC):
        raise LenteraError("not_a_backup", "this file is not a Lentera backup")
    pos = len(MAGIC)
    hlen = int.from_bytes(blob[pos : pos + 4], "big")
    header = json.loads(blob[pos + 4 : pos + 4 + hlen])
    pos += 4 + hlen
    if header["key_id"] not in ring.keys:
        raise LenteraError(
            "backup_key_missing",
            f"the backup was made with key {header['key_id']!r}, which is not in the current key ring",
        )
    key = AESGCM(_backup_key(ring, header["key_id"], bytes.fromhex(header["salt"])))
    parts = []
    index = 0
    while pos < len(blob):
        nonce = blob[pos : pos + 12]
        clen = int.from_bytes(blob[pos + 12 : pos + 16], "big")
        ct = blob[pos + 16 : pos + 16 + clen]
        pos += 16 + clen
        last = pos >= len(blob)
        try:
            parts.append(key.decrypt(nonce, ct, f"{index}:{int(last)}".encode()))
        except Exception as exc:
            raise LenteraError(
                "backup_corrupt",
                f"backup integrity check failed at chunk {index}: the file was altered or truncated",
            ) from exc
        index += 1
    return b"".join(parts)


def _table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                table = model._meta.db_table
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def _key_ids_in_use() -> list[str]:
    ids: set[str] = set()
    for model, fields in encrypted_fields().items():
        with connection.cursor() as cursor:
            for field in fields:
                cursor.execute(
                    f'SELECT "{field.column}" FROM "{model._meta.db_table}" WHERE "{field.column}" IS NOT NULL AND "{field.column}" != \'\''
                )
                for (value,) in cursor.fetchall():
                    kid = crypto.key_id_of(value)
                    if kid:
                        ids.add(kid)
    return sorted(ids)


def encrypted_fields() -> dict[type[models.Model], list[EncryptedTextField]]:
    out: dict[type[models.Model], list[EncryptedTextField]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            out[model] = fields
    return out


def _db_dump(target: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            raise LenteraError(
                "pg_dump_missing",
                "pg_dump is required to back up a PostgreSQL database",
                kind="unavailable",
            )
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        cmd = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            "-f",
            str(target),
            db["NAME"],
        ]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        return "postgresql"
    raise LenteraError(
        "unsupported_db", f"backup of {connection.vendor} is not supported", kind="unavailable"
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- backup / restore


@dataclass(frozen=True)
class BackupManifest:
    created_at: str
    lentera_version: str
    database: str
    tables: dict[str, int]
    files: dict[str, str]
    key_ids: list[str]


def backup_create(out: Path) -> BackupManifest:
    """Write an encrypted, integrity-checked backup archive to ``out``."""
    ring = crypto.keyring()
    with tempfile.TemporaryDirectory(prefix="lentera-backup-") as tmp:
        db_path = Path(tmp) / "database.bin"
        vendor = _db_dump(db_path)
        members: dict[str, bytes] = {"database.bin": db_path.read_bytes()}
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"attachments/{path.relative_to(media).as_posix()}"] = path.read_bytes()
        manifest = BackupManifest(
            created_at=dt.datetime.now(dt.UTC).isoformat(),
            lentera_version=__version__,
            database=vendor,
            tables=_table_counts(),
            files={name: _sha256(data) for name, data in members.items()},
            key_ids=_key_ids_in_use(),
        )
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for name, data in [
                ("manifest.json", json.dumps(manifest.__dict__, indent=2).encode()),
                *members.items(),
            ]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 0
                tar.addfile(info, io.BytesIO(data))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(out.suffix + ".tmp")
    fd = os.open(tmp_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_encrypt_stream(buf.getvalue(), ring))
    tmp_out.replace(out)
    _audit_maintenance(
        "backup_created", {"tables": len(manifest.tables), "files": len(manifest.files)}
    )
    return manifest


def _audit_maintenance(kind: str, detail: dict[str, Any]) -> None:
    """Backups, restores and key-ring exports are audited (actor: the command line)."""
    from lentera.web.audit.models import AuditAction
    from lentera.web.audit.services import audit_log

    action = (
        AuditAction.EXPORT if kind in {"backup_created", "keys_exported"} else AuditAction.UPDATE
    )
    audit_log(
        actor=None, action=action, object_type="core.maintenance", object_id=kind, detail=detail
    )


def _read_archive(path: Path) -> tuple[BackupManifest, dict[str, bytes]]:
    plain = _decrypt_stream(path.read_bytes(), crypto.keyring())
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r") as tar:
        for info in tar.getmembers():
            if not info.isfile() or info.name.startswith("/") or ".." in Path(info.name).parts:
                raise LenteraError("backup_corrupt", f"unexpected member {info.name!r} in backup")
            members[info.name] = tar.extractfile(info).read()  # type: ignore[union-attr]
    manifest = BackupManifest(**json.loads(members.pop("manifest.json")))
    for name, digest in manifest.files.items():
        if name not in members or _sha256(members[name]) != digest:
            raise LenteraError(
                "backup_corrupt", f"backup member {name} is missing or does not match its checksum"
            )
    return manifest, members


def backup_verify(path: Path) -> BackupManifest:
    manifest, _members = _read_archive(path)
    return manifest


def backup_restore(path: Path) -> BackupManifest:
    """Replace the current database and attachments with the archive's content."""
    manifest, members = _read_archive(path)
    db = settings.DATABASES["default"]
    if manifest.database != connection.vendor:
        raise LenteraError(
            "backup_vendor",
            f"this backup is of a {manifest.database} database; the current one is {connection.vendor}",
        )
    with tempfile.TemporaryDirectory(prefix="lentera-restore-") as tmp:
        dump = Path(tmp) / "database.bin"
        dump.write_bytes(members["database.bin"])
        if connection.vendor == "sqlite":
            connection.close()
            src = sqlite3.connect(str(dump))
            dst = sqlite3.connect(str(db["NAME"]))
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            connection.close()
            env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
            cmd = [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-h",
                db.get("HOST") or "127.0.0.1",
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                db.get("USER") or "postgres",
                "-d",
                db["NAME"],
                str(dump),
            ]
            subprocess.run(cmd, check=True, env=env, capture_output=True)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    for name, data in members.items():
        if name.startswith("attachments/"):
            target = media / name.removeprefix("attachments/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    counts = _table_counts()
    missing = {
        t: (n, counts.get(t))
        for t, n in manifest.tables.items()
        if counts.get(t) != n and t != "django_session"
    }
    if missing:
        raise LenteraError(
            "restore_mismatch", f"restored row counts differ from the backup: {missing}"
        )
    _audit_maintenance("backup_restored", {"backup_made": manifest.created_at})
    return manifest


# --------------------------------------------------------------------------- key rotation


def _next_id(existing: dict[str, bytes], prefix: str) -> str:
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def _write_ring(ring: crypto.KeyRing, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(ring.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def _iter_pks(model: type[models.Model]) -> Iterator[list[Any]]:
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(pks), 500):
        yield pks[i : i + 500]


@dataclass(frozen=True)
class RotationReport:
    new_key: str
    new_index_key: str
    values_reencrypted: int
    index_rows: int
    key_file: str | None


def keys_rotate(*, out: Path | None = None, retire_old: bool = False) -> RotationReport:
    """Add a new encryption key and a new blind-index key, re-encrypt every
    personal field and recompute every blind index, in one transaction."""
    old = crypto.keyring()
    new_key_id = _next_id(old.keys, "k")
    new_index_id = _next_id(old.index_keys, "i")
    new = crypto.KeyRing(
        current=new_key_id,
        keys={**old.keys, new_key_id: secrets.token_bytes(32)},
        index_current=new_index_id,
        index_keys={**old.index_keys, new_index_id: secrets.token_bytes(32)},
    )
    from_env = bool(os.environ.get(settings.LENTERA_KEYS_ENV))
    key_file = out or (None if from_env else Path(settings.LENTERA_KEY_FILE))
    if key_file is None:
        raise LenteraError(
            "keys_from_env",
            "the key ring comes from LENTERA_KEYS; give --out FILE to write the new ring, then update LENTERA_KEYS",
        )
    count = 0
    index_rows = 0
    try:
        with transaction.atomic():
            crypto.reset_keyring(old)
            plain: dict[tuple[type[models.Model], Any], dict[str, Any]] = {}
            fields_by_model = encrypted_fields()
            for model, fields in fields_by_model.items():
                for batch in _iter_pks(model):
                    for row in model._base_manager.filter(pk__in=batch).values(
                        "pk", *[f.attname for f in fields]
                    ):
                        plain[(model, row.pop("pk"))] = row
            crypto.reset_keyring(new)
            for (model, pk), values in plain.items():
                model._base_manager.filter(pk=pk).update(**values)
                count += sum(1 for v in values.values() if v not in (None, ""))
            from lentera.web.cases.blind_index import name_token_hashes, nik_hash
            from lentera.web.cases.models import Person, PersonNameToken

            for batch in _iter_pks(Person):
                for person in Person.objects.filter(pk__in=batch):
                    Person.objects.filter(pk=person.pk).update(nik_index=nik_hash(person.nik))
                    PersonNameToken.objects.filter(person=person).delete()
                    tokens = [
                        PersonNameToken(
                            person=person, organisation_id=person.organisation_id, token_hash=h
                        )
                        for h in sorted(name_token_hashes(person.full_name, person.other_names))
                    ]
                    PersonNameToken.objects.bulk_create(tokens)
                    index_rows += len(tokens) + 1
            rotate_attachments(old, new)
            if retire_old:
                # the audit chain is keyed by the ring: re-chain it under the new key before
                # the old one goes (checkpoints anchor key-independent content, so they still verify)
                from lentera.web.audit.services import audit_verify, rechain

                report = audit_verify()
                if not report.ok:
                    raise LenteraError(
                        "audit_tampered",
                        "the audit log does not verify; not re-chaining it (run lentera audit verify)",
                    )
                rechain(key_id=new.current)
                new = crypto.KeyRing(
                    current=new.current,
                    keys={new.current: new.keys[new.current]},
                    index_current=new.index_current,
                    index_keys={new.index_current: new.index_keys[new.index_current]},
                )
                crypto.reset_keyring(new)
            _write_ring(new, key_file)
            _audit_maintenance(
                "keys_rotated",
                {"new_key": new_key_id, "new_index_key": new_index_id, "retired_old": retire_old},
            )
    except Exception:
        crypto.reset_keyring(old)
        raise
    return RotationReport(new_key_id, new_index_id, count, index_rows, str(key_file))


def rotate_attachments(old: crypto.KeyRing, new: crypto.KeyRing) -> int:
    """Re-encrypt attachment files (hook used by key rotation)."""
    try:
        from lentera.web.cases.services import reencrypt_all
    except ImportError:  # pragma: no cover
        return 0
    return reencrypt_all(old, new)
