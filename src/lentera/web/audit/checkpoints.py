"""Signed checkpoints: the audit chain's head anchored outside the database.

A checkpoint records how many rows the log had, the id and hash of the last one,
and a *content digest* — a running SHA-256 over every row's id and fields that does
not depend on any key — signed with an HMAC under the audit key (derived from the
key ring, which never lives in the database). One is written to
``$LENTERA_DATA_DIR/audit-checkpoints/`` every ``LENTERA_AUDIT_CHECKPOINT_EVERY`` rows
and by ``lentera audit checkpoint [--out FILE]`` for off-site copies;
``lentera audit verify --against FILE`` then detects a log that was rewritten and
consistently re-chained, even by someone holding the keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent

logger = logging.getLogger(__name__)
SCHEMA = "lentera.audit-checkpoint/1"


class ContentDigest:
    """Running SHA-256 over (id, fields) of each row, in id order."""

    def __init__(self, start: str = "") -> None:
        self._hex = start or "0" * 64

    def add(self, event: AuditEvent) -> None:
        from lentera.web.audit.services import _fields, payload

        self._hex = hashlib.sha256(
            f"{self._hex}|{event.pk}|{payload(_fields(event))}".encode()
        ).hexdigest()

    def hexdigest(self) -> str:
        return self._hex


def checkpoint_dir() -> Path:
    return Path(settings.DATA_DIR) / "audit-checkpoints"


def _sign(body: dict[str, Any], key_id: str) -> str:
    from lentera.web.audit.services import audit_key

    message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(audit_key(key_id), message, hashlib.sha256).hexdigest()


def read_checkpoint(path: Path) -> dict[str, Any]:
    """A checkpoint file whose signature verifies; a clear error otherwise."""
    try:
        data = json.loads(Path(path).read_text())
        body = {k: v for k, v in data.items() if k != "signature"}
        if data.get("schema") != SCHEMA:
            raise ValueError("not a Lentera audit checkpoint")
        expected = _sign(body, data["key_id"])
    except KeyError as exc:
        raise LenteraError(
            "checkpoint_key", f"{path}: signed with a key that is not in the key ring ({exc})"
        ) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise LenteraError("checkpoint_invalid", f"{path}: {exc}") from exc
    if not hmac.compare_digest(expected, str(data.get("signature", ""))):
        raise LenteraError("checkpoint_forged", f"{path}: the signature does not verify")
    return data


def _latest() -> dict[str, Any] | None:
    folder = checkpoint_dir()
    if not folder.exists():
        return None
    for path in sorted(folder.glob("checkpoint-*.json"), reverse=True):
        try:
            return read_checkpoint(path)
        except LenteraError as exc:
            logger.warning("skipping audit checkpoint %s: %s", path, exc.message)
    return None


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
    tmp.replace(path)


def checkpoint_create(*, out: Path | None = None) -> dict[str, Any]:
    """Anchor the current head: continue the content digest from the latest checkpoint."""
    from lentera.web.audit.services import current_key_id

    start = _latest()
    digest = ContentDigest(start["content"] if start else "")
    rows = start["rows"] if start else 0
    last: AuditEvent | None = None
    qs = AuditEvent.objects.order_by("id")
    if start:
        qs = qs.filter(pk__gt=start["last_id"])
    for event in qs.iterator(chunk_size=2000):
        digest.add(event)
        rows += 1
        last = event
    if last is None and start is not None:
        body = {k: v for k, v in start.items() if k != "signature"}
    else:
        body = {
            "schema": SCHEMA,
            "at": timezone.now().isoformat(),
            "rows": rows,
            "last_id": last.pk if last else 0,
            "head": last.hash if last else "",
            "content": digest.hexdigest(),
            "key_id": current_key_id(),
        }
    data = {**body, "signature": _sign(body, body["key_id"])}
    _write(checkpoint_dir() / f"checkpoint-{data['last_id']:012d}.json", data)
    if out is not None:
        _write(Path(out), data)
    return data


def maybe_checkpoint(event: AuditEvent) -> None:
    """Every N rows, anchor the head once the transaction commits (never fails the request)."""
    every = int(getattr(settings, "LENTERA_AUDIT_CHECKPOINT_EVERY", 1000) or 0)
    if every <= 0 or event.pk % every:
        return

    def write() -> None:
        try:
            checkpoint_create()
        except Exception:
            logger.exception("could not write the audit checkpoint")

    transaction.on_commit(write)
