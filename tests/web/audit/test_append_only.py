"""Finding 3, the database side: on PostgreSQL the audit table is append-only for the
application's role (migration ``audit.0003``). An UPDATE or DELETE of an audit row, through
the ORM or raw SQL, is refused by the database; the one legitimate rewrite (re-chaining the
hashes after a key rotation that retires the old key) may change the hash columns only.

Run on PostgreSQL with ``make test-pg`` (or ``DATABASE_URL=postgres://… pytest
tests/web/audit``); on SQLite the database-level tests are skipped (the migration is a no-op
there) and only the application-level check runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from lentera.web.audit.models import AuditAction, AuditEvent
from lentera.web.audit.services import audit_log, audit_verify, rechain, rechaining

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _refused(attempt: Callable[[], Any]) -> str:
    """Run ``attempt`` in a savepoint; it must fail in the database. The error's text."""
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        attempt()
    return str(exc.value)


@pytest.fixture
def rows(worker_a: Any) -> list[AuditEvent]:
    for n in range(3):
        audit_log(actor=worker_a, action=AuditAction.READ, object_type="cases.case", object_id=n)
    return list(AuditEvent.objects.order_by("id"))


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgresql_only
def test_update_and_delete_are_refused_through_the_orm_and_raw_sql(
    rows: list[AuditEvent], users_a: dict[str, Any]
) -> None:
    row = rows[1]
    other = users_a["supervisor"]
    attempts: dict[str, Callable[[], Any]] = {
        "orm save": lambda: (setattr(row, "action", "delete"), row.save()),
        "orm queryset update": lambda: AuditEvent.objects.filter(pk=row.pk).update(
            actor=other, actor_username=other.username
        ),
        "orm bulk update": lambda: AuditEvent.objects.update(detail={}),
        "orm instance delete": lambda: AuditEvent.objects.get(pk=row.pk).delete(),
        "orm queryset delete": lambda: AuditEvent.objects.filter(action="read").delete(),
        "raw update": lambda: _raw(
            "UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["999", row.pk]
        ),
        "raw hash update": lambda: _raw(
            "UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["0" * 64, row.pk]
        ),
        "raw delete": lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [row.pk]),
    }
    for name, attempt in attempts.items():
        message = _refused(attempt)
        assert "append-only" in message, (name, message)
    after = list(AuditEvent.objects.order_by("id").values())
    assert after == list(AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).values())
    assert [r["hash"] for r in after] == [r.hash for r in rows]
    assert AuditEvent.objects.get(pk=row.pk).actor_id == row.actor_id
    assert audit_verify().ok


@postgresql_only
def test_the_rechain_setting_allows_the_hashes_only_never_content_or_delete(
    rows: list[AuditEvent], users_a: dict[str, Any]
) -> None:
    row = rows[0]
    with transaction.atomic(), rechaining():
        # what a row says stays refused, even while re-chaining
        assert "append-only" in _refused(
            lambda: AuditEvent.objects.filter(pk=row.pk).update(action="login")
        )
        assert "append-only" in _refused(
            lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
        )
    # the setting is transaction-local and switched off again afterwards
    assert "append-only" in _refused(
        lambda: AuditEvent.objects.filter(pk=row.pk).update(hash="1" * 64)
    )
    # the legitimate rewrite: every row re-chained, content untouched, the chain verifies
    assert rechain(key_id=row.key_id) == len(rows)
    assert audit_verify().ok


@postgresql_only
def test_the_trigger_is_installed_by_the_migration() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'lentera_audit_append_only' "
            "AND tgrelid = 'audit_auditevent'::regclass"
        )
        assert cursor.fetchone() == ("O",)  # enabled (origin)


def test_appending_still_works_and_nothing_in_lentera_rewrites_a_row(
    rows: list[AuditEvent],
) -> None:
    """Appending is unaffected; Lentera's own writes are INSERTs (the re-chain aside)."""
    n = AuditEvent.objects.count()
    audit_log(actor=None, action=AuditAction.EXPORT, object_type="x", object_id=1)
    assert AuditEvent.objects.count() == n + 1
    assert audit_verify().ok
