"""The bulk write path of imports writes what the one-case-at-a-time services wrote.

An import's cases go through ``cases_prepare``/``cases_write`` (set-based inserts, one
audit row per record appended under one lock of the chain head). A batch the database
refuses as a whole is written again case by case through the services; both paths must
leave the same rows, the same audit trail and a chain that verifies. Synthetic people only.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import IntegrityError

from lentera.web.audit.models import AuditEvent
from lentera.web.audit.services import audit_verify
from lentera.web.cases.models import (
    Case,
    CaseNote,
    CaseSurvivor,
    CaseTag,
    Consent,
    Perpetrator,
    Person,
    PersonNameToken,
    TraffickingEvent,
)
from lentera.web.imports import services, writing

pytestmark = pytest.mark.django_db

HEADER = [
    "case_ref",
    "opened_on",
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "origin_province",
    "exploitation_types",
    "perpetrator_name",
    "perpetrator_roles",
    "recruitment_date",
    "recruitment_region",
    "exploitation_country",
    "consent_services",
    "consent_data_sharing",
    "summary",
]


def _content() -> bytes:
    rows = []
    for i in range(12):
        rows.append(
            [
                f"K{i // 3}",
                "01-03-2025",
                f"Sintia Contoh {i}",
                f"53010547089900{i + 10:02d}" if i % 2 else "",
                "07-08-1999" if i % 2 else "",
                "perempuan",
                ["53", "32"][i % 2],
                ["forced_labour; servitude", "sexual_exploitation"][i % 2],
                "Calo Rekaan" if i % 3 != 2 else "",
                "recruiter_or_intermediary" if i % 3 != 2 else "",
                "2024-11-05",
                "5301",
                ["MY", "SA"][i % 2],
                "ya",
                ["tidak", ""][i % 2],
                "Ringkasan sintetis.",
            ]
        )
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


MODELS = (Case, Person, CaseSurvivor, CaseTag, Consent, Perpetrator, TraffickingEvent, CaseNote)


def _snapshot(since: int) -> dict[str, Any]:
    trail = [
        (
            e.action,
            e.object_type,
            {k: v for k, v in e.detail.items() if k not in {"case", "person"}},
        )
        for e in AuditEvent.objects.filter(pk__gt=since).order_by("id")
        if e.object_type != "imports.importrun"
    ]
    return {
        "counts": {m.__name__: m.objects.count() for m in MODELS},
        "tags": sorted(CaseTag.objects.values_list("kind", "code")),
        "tokens": PersonNameToken.objects.count(),
        "niks": sorted(Person.objects.values_list("nik_index", flat=True)),
        "trail": trail,
        "references": sorted(Case.objects.values_list("reference", flat=True)),
    }


def _import(actor: Any) -> Any:
    return services.import_file(
        actor=actor, fmt="lentera", filename="b.csv", content=_content(), mode="all"
    )


def test_bulk_and_case_by_case_write_the_same(worker_a: Any, monkeypatch: Any) -> None:
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    out = _import(worker_a)
    assert out.written and out.cases_created == 4 and out.survivors_created == 12
    bulk = _snapshot(start)
    # every record has its own audit row: case, person, link, consents, perpetrator, event
    assert len(bulk["trail"]) == sum(bulk["counts"].values()) - bulk["counts"]["CaseTag"]
    # the filter tags include the (province, type) pairs the case list filters by
    assert any(kind == "province_type" for kind, _code in bulk["tags"])
    assert audit_verify().ok
    for model in (*MODELS, PersonNameToken):
        model.objects.all().delete()
    from lentera.web.cases.models import CaseCounter

    CaseCounter.objects.all().delete()

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise IntegrityError("refused as a whole (test)")

    monkeypatch.setattr(writing, "_write_bulk", refused)
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    out = _import(worker_a)
    assert out.written and out.cases_created == 4 and out.survivors_created == 12
    slow = _snapshot(start)
    assert bulk == slow
    assert audit_verify().ok


def test_bulk_import_is_idempotent_by_submission_uuid(worker_a: Any) -> None:
    """Kobo submissions already imported are skipped, the bulk path records new ones."""
    subs = [
        {
            "_uuid": f"uuid-bulk-{i}",
            "full_name": f"Rina Sintetis {i}",
            "sex": "female",
            "exploitation_types": "forced_labour",
        }
        for i in range(3)
    ]
    first = services.import_submissions(actor=worker_a, submissions=subs, mode="valid_only")
    again = services.import_submissions(actor=worker_a, submissions=subs, mode="valid_only")
    assert first.cases_created == 3
    assert again.cases_created == 0 and again.skipped_existing == 3
    assert audit_verify().ok
