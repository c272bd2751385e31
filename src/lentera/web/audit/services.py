"""Writing and verifying the audit log.

Each row's hash is an HMAC-SHA256 of the previous hash and the row's fields, under a
key derived from the field-encryption key ring (never stored in the database; rows
record which key id chained them, so a rotation keeps old rows verifiable). Someone
who can write to the database but does not hold the key ring cannot recompute a
consistent chain. The chain head is also anchored outside the database: signed
checkpoint files (see :mod:`lentera.web.audit.checkpoints`) detect a rewrite even by
someone who holds the keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import connection, transaction
from django.utils import timezone

from lentera.web.audit.models import AuditAction, AuditChainHead, AuditEvent
from lentera.web.core.services import assign, check_version

if TYPE_CHECKING:  # audit sits below accounts in the layers
    from lentera.web.accounts.models import User

GENESIS = "0" * 64

R = TypeVar("R", bound=Any)


@lru_cache(maxsize=16)
def _derive(key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lentera-audit-chain-v1"
    ).derive(key)


def audit_key(key_id: str) -> bytes:
    """The chain key for a key id of the field-encryption key ring."""
    from lentera.web.core import crypto

    return _derive(crypto.keyring().keys[key_id])


def current_key_id() -> str:
    from lentera.web.core import crypto

    return crypto.keyring().current


def payload(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def _row_hash(prev_hash: str, fields: dict[str, Any], key_id: str) -> str:
    message = f"{prev_hash}|{payload(fields)}".encode()
    return hmac.new(audit_key(key_id), message, hashlib.sha256).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
    }


@dataclass(frozen=True)
class AuditEntry:
    """One row for :func:`audit_log_many`: what :func:`audit_log` takes besides the actor."""

    action: str
    obj: Any | None = None
    object_type: str = ""
    object_id: str | int = ""
    detail: dict[str, Any] | None = None


def _organisation_of(actor: User | None, organisation: Any | None) -> Any | None:
    if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
        membership = getattr(actor, "membership_or_none", None)
        organisation = membership.organisation if membership else None
    return organisation


def _chain(
    actor: User | None, organisation: Any | None, entries: Sequence[AuditEntry]
) -> list[AuditEvent]:
    """Lock the chain head, link every entry to the one before in order, move the head."""
    # the head's hash only (no model instance), read under the lock; made on the first row
    head = AuditChainHead.objects.select_for_update().filter(pk=1)
    prev = head.values_list("last_hash", flat=True).first()
    if prev is None:
        prev = (
            AuditChainHead.objects.select_for_update()
            .get_or_create(pk=1, defaults={"last_hash": GENESIS})[0]
            .last_hash
        )
    key_id = current_key_id()
    actor_row = actor if actor is not None and getattr(actor, "pk", None) else None
    username = getattr(actor, "username", "") or ""
    events = []
    for entry in entries:
        object_type, object_id = entry.object_type, entry.object_id
        if entry.obj is not None:
            object_type = object_type or entry.obj._meta.label_lower
            object_id = object_id or entry.obj.pk
        event = AuditEvent(
            at=timezone.now(),
            actor=actor_row,
            actor_username=username,
            organisation=organisation,
            action=entry.action,
            object_type=object_type,
            object_id=str(object_id),
            detail=entry.detail or {},
            prev_hash=prev,
            key_id=key_id,
        )
        event.hash = prev = _row_hash(prev, _fields(event), key_id)
        events.append(event)
    if len(events) == 1:
        events[0].save()
    else:
        AuditEvent.objects.bulk_create(events)
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    from lentera.web.audit.checkpoints import maybe_checkpoint
    from lentera.web.core.reads import note_audit_row

    for event in events:
        note_audit_row(event.action)
        maybe_checkpoint(event)
    return events


@transaction.atomic
def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. ``detail`` must never contain personal data."""
    entry = AuditEntry(
        action=action, obj=obj, object_type=object_type, object_id=object_id, detail=detail
    )
    return _chain(actor, _organisation_of(actor, organisation), [entry])[0]


@transaction.atomic
def audit_log_many(
    *, actor: User | None, entries: Sequence[AuditEntry], organisation: Any | None = None
) -> list[AuditEvent]:
    """Append one audit row per entry, in order, as :func:`audit_log` would one by one.

    The chain head is locked once and moved once; each row's link is computed from the row
    before it, so the chain is the same as after as many ``audit_log`` calls (bulk writes:
    imports). ``detail`` must never contain personal data.
    """
    if not entries:
        return []
    return _chain(actor, _organisation_of(actor, organisation), entries)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    ok: bool
    problems: tuple[str, ...]


def save_edit(*, actor: User, obj: Any, changed: Iterable[str]) -> bool:
    """Store an edit of a versioned record when it changed anything: ``version`` + 1, save, and
    an ``UPDATE`` audit row naming the changed fields (never their values). Whether it changed.

    The service has already locked the row and checked the version the form read.
    """
    fields = sorted(set(changed))
    if not fields:
        return False
    obj.version += 1
    obj.save()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=obj, detail={"fields": fields})
    return True


def save_created(
    *,
    actor: User | None,
    obj: R,
    detail: dict[str, Any] | None = None,
    organisation: Any | None = None,
) -> R:
    """Store a new record with its ``CREATE`` audit row (``detail``: ids and codes, never
    personal data; ``organisation`` as for :func:`audit_log`); the record. The service has
    already checked and validated it."""
    obj.save()
    audit_log(
        actor=actor, action=AuditAction.CREATE, obj=obj, organisation=organisation, detail=detail
    )
    return obj


def save_new_or_edited(*, actor: User, obj: R, detail: dict[str, Any] | None = None) -> R:
    """Store a record a create-or-edit service made or changed, with its ``CREATE`` or
    ``UPDATE`` audit row (an edit's version was moved on by
    :func:`lentera.web.core.services.new_or_checked`)."""
    if obj._state.adding:
        return save_created(actor=actor, obj=obj, detail=detail)
    obj.save()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=obj, detail=detail)
    return obj


@dataclass(frozen=True)
class Versioned(Generic[R]):
    """How one kind of versioned record is edited: the fields a caller may set, what
    ``finish`` derives and validates after they are assigned, and where its row is locked
    from (``rows``: a queryset factory; default the model's manager)."""

    allowed: tuple[str, ...]
    finish: Callable[[R], object]
    rows: Callable[[], Any] | None = None

    def edit(
        self, actor: User, obj: R, version: int | str | None, fields: Mapping[str, Any]
    ) -> tuple[R, bool]:
        """Lock the row, refuse a stale ``version`` naming what ``fields`` would change,
        assign the allowed fields, finish, then :func:`save_edit`. The locked row, and whether
        anything changed. The service has checked the authority."""
        rows = self.rows() if self.rows is not None else type(obj).objects
        row = rows.select_for_update().get(pk=obj.pk)
        check_version(row, version, fields)
        changed = assign(row, fields, self.allowed)
        self.finish(row)
        return row, save_edit(actor=actor, obj=row, changed=changed)


def audit_verify(*, against: dict[str, Any] | None = None) -> ChainReport:
    """Walk the chain and report altered, deleted or inserted rows.

    With ``against`` (a verified checkpoint), also check that the rows up to the
    checkpoint are exactly those it anchored.
    """
    from lentera.web.audit.checkpoints import ContentDigest

    problems: list[str] = []
    prev = GENESIS
    count = 0
    digest = ContentDigest()
    anchored = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != prev:
            problems.append(
                f"row {event.pk}: chain broken (a row before it was deleted or inserted)"
            )
        try:
            expected = _row_hash(event.prev_hash, _fields(event), event.key_id)
        except KeyError:
            problems.append(f"row {event.pk}: chained with key {event.key_id!r}, not in the ring")
            expected = event.hash
        if expected != event.hash:
            problems.append(f"row {event.pk}: content altered")
        prev = event.hash
        digest.add(event)
        if against is not None and event.pk == against["last_id"]:
            anchored = True
            if count != against["rows"] or digest.hexdigest() != against["content"]:
                problems.append(
                    f"the {against['rows']} rows up to row {against['last_id']} differ from the "
                    f"checkpoint of {against['at']}: the log was rewritten"
                )
    if against is not None and not anchored:
        problems.append(
            f"row {against['last_id']} of the checkpoint of {against['at']} is missing: "
            "rows were deleted"
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        problems.append("the last rows of the log were deleted")
    return ChainReport(rows=count, ok=not problems, problems=tuple(problems))


#: the transaction-local PostgreSQL setting that lets :func:`rechain` rewrite hashes (the
#: append-only trigger of migration ``audit.0003`` refuses every other UPDATE and every DELETE)
RECHAIN_SETTING = "lentera.audit_rechain"


@contextmanager
def rechaining() -> Iterator[None]:
    """Inside a transaction: allow rewriting the hash columns of audit rows (PostgreSQL).

    The trigger still refuses a change of what a row says and any DELETE. On SQLite (no
    trigger) this does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [RECHAIN_SETTING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [RECHAIN_SETTING])


@transaction.atomic
def rechain(*, key_id: str) -> int:
    """Recompute every row's HMAC under ``key_id`` (key rotation that retires the old key).

    The caller verifies the chain first; the content digest the checkpoints anchor does
    not depend on the key, so old checkpoints still verify afterwards. This is the only
    UPDATE of audit rows in Lentera, and it changes the hash columns only.
    """
    prev = GENESIS
    n = 0
    with rechaining():
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
            new_hash = _row_hash(prev, _fields(event), key_id)
            AuditEvent.objects.filter(pk=event.pk).update(
                prev_hash=prev, hash=new_hash, key_id=key_id
            )
            prev = new_hash
            n += 1
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev})
    return n
