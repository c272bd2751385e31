"""Key rotation and the key-ring file.

:func:`keys_rotate` adds a new field-encryption key and a new blind-index key, re-encrypts
every personal field, recomputes the survivors' blind indexes, re-encrypts attachment files
and (with ``retire_old``) re-chains the audit log under the new key, in one transaction.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from lentera.errors import LenteraError
from lentera.web.audit.services import audit_verify, rechain
from lentera.web.cases.blind_index import name_token_hashes, nik_hash
from lentera.web.cases.models import Person, PersonNameToken
from lentera.web.cases.services import reencrypt_all
from lentera.web.core import crypto
from lentera.web.core.backup import audit_maintenance, encrypted_fields

# --------------------------------------------------------------------------- key rotation


def _next_id(existing: dict[str, bytes], prefix: str) -> str:
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def write_ring(ring: crypto.KeyRing, path: Path) -> None:
    """Write a key ring as JSON, readable by the owner only (0600), replaced atomically."""
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
            write_ring(new, key_file)
            audit_maintenance(
                "keys_rotated",
                {"new_key": new_key_id, "new_index_key": new_index_id, "retired_old": retire_old},
            )
    except Exception:
        crypto.reset_keyring(old)
        raise
    return RotationReport(new_key_id, new_index_id, count, index_rows, str(key_file))


def rotate_attachments(old: crypto.KeyRing, new: crypto.KeyRing) -> int:
    """Re-encrypt attachment files (hook used by key rotation)."""
    return reencrypt_all(old, new)
