"""A deletion in a case can be undone for ten minutes, by its author, giving back identical rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lentera.web.assessments.services import screening_save
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.models import CaseSurvivor, DeletedRow, Perpetrator, TraffickingEvent

pytestmark = pytest.mark.django_db


def _raw(table: str, pk: int) -> tuple[Any, ...]:
    """The stored row as the database holds it (ciphertexts compared after decryption below)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - a test table name
        return cur.fetchone()


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize(
    ("model", "related", "delete_url"),
    [
        (Perpetrator, "perpetrators", "/cases/perpetrators/{}/delete/"),
        (TraffickingEvent, "events", "/cases/events/{}/delete/"),
        (CaseSurvivor, "survivors", "/cases/survivors/{}/remove/"),
    ],
)
def test_delete_then_undo_gives_back_the_identical_row(
    users_a: dict[str, Any], build_case: Any, model: Any, related: str, delete_url: str
) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    row = getattr(case, related).first()
    if model is CaseSurvivor:  # a removal takes the survivor's screening with it
        screening_save(
            actor=worker, link=row, indicators=["adult_labour.D4.excessive_hours"], notes={}
        )
    before = _fields(model.objects.get(pk=row.pk))
    dependents = [s.pk for s in row.screenings.all()] if model is CaseSurvivor else []
    c = Client()
    c.force_login(worker)

    r = c.post(delete_url.format(row.pk), {"confirmed": "1"})
    assert r.status_code == 302 and not model.objects.filter(pk=row.pk).exists()
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "Batalkan" in page and "Anda dapat membatalkannya sampai pukul" in page
    copy = DeletedRow.objects.get()
    assert copy.deleted_by == worker and copy.object_id == row.pk
    with connection.cursor() as cur:
        cur.execute("SELECT rows FROM cases_deletedrow")
        assert cur.fetchone()[0].startswith("v1:")  # the kept copy is encrypted

    # another user of the organisation cannot undo it
    other = Client()
    other.force_login(users_a["supervisor"])
    assert other.post(f"/cases/deletions/{copy.pk}/undo/").status_code in {302, 404}
    assert not model.objects.filter(pk=row.pk).exists()

    r = c.post(f"/cases/deletions/{copy.pk}/undo/")
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert _fields(model.objects.get(pk=row.pk)) == before
    if dependents:
        assert [s.pk for s in model.objects.get(pk=row.pk).screenings.all()] == dependents
    assert not DeletedRow.objects.exists()
    assert AuditEvent.objects.filter(detail__undo="deletion", object_id=str(row.pk)).count() == 1
    assert "Batalkan" not in c.get(f"/cases/{case.pk}/").content.decode()


def test_undo_window_closes(users_a: dict[str, Any], build_case: Any) -> None:
    worker = users_a["caseworker"]
    case = build_case(worker)
    p = case.perpetrators.first()
    c = Client()
    c.force_login(worker)
    c.post(f"/cases/perpetrators/{p.pk}/delete/", {"confirmed": "1"})
    DeletedRow.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = c.post(f"/cases/deletions/{DeletedRow.objects.get().pk}/undo/")
    assert r.status_code == 404
    assert not Perpetrator.objects.filter(pk=p.pk).exists()
    assert not DeletedRow.objects.exists()  # an expired copy is not kept
