"""The web report builder: template check by line, roles, the background build (stored,
hashed, versioned, audited), downloads audited, no count from 1 to 4 in a generated report."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.jobs.models import Job
from lentera.web.reporting import selectors, services
from lentera.web.reporting.models import GeneratedReport

CUSTOM = """format: lentera-report-template/1
id: quarterly-board
version: 1
title: {id: Laporan Dewan, en: Board report}
sections:
  - id: s
    title: {id: Ringkasan, en: Summary}
    items:
      - metric: survivors
      - metric: survivors_per_day
"""


@pytest.mark.django_db
def test_custom_template_unknown_metric_is_refused_with_its_line(users_a: dict[str, Any]) -> None:
    with pytest.raises(LenteraError) as exc:
        services.template_save(actor=users_a["analyst"], text=CUSTOM, filename="board.yaml")
    errors = exc.value.params["errors"]["text"]
    assert any(e.startswith("board.yaml:10:") and "survivors_per_day" in e for e in errors), errors
    saved = services.template_save(
        actor=users_a["analyst"], text=CUSTOM.replace("      - metric: survivors_per_day\n", "")
    )
    assert saved.template_id == "quarterly-board"
    keys = [k for k, _label in selectors.template_choices_for_user(actor=users_a["analyst"])]
    assert keys[:2] == ["donor", "government"] and f"custom:{saved.pk}" in keys
    with pytest.raises(LenteraError):
        services.template_save(
            actor=users_a["analyst"], text=CUSTOM.replace("quarterly-board", "donor")
        )


@pytest.mark.django_db
def test_template_page_shows_every_problem_with_its_line(users_a: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users_a["supervisor"])
    response = client.post("/reports/templates/new/", {"text": CUSTOM})
    assert response.status_code == 400
    assert "template.yaml:10:" in response.content.decode()
    upload = io.BytesIO(CUSTOM.replace("      - metric: survivors_per_day\n", "").encode())
    upload.name = "board.yaml"
    assert client.post("/reports/templates/new/", {"upload": upload}).status_code == 302


@pytest.mark.django_db
def test_roles_caseworkers_may_not_build_reports(users_a: dict[str, Any]) -> None:
    with pytest.raises(LenteraError) as exc:
        services.report_request(
            actor=users_a["caseworker"], template="donor", period="2026-Q1", lang="id", fmt="xlsx"
        )
    assert exc.value.kind == "forbidden"
    client = Client()
    client.force_login(users_a["caseworker"])
    assert client.get("/reports/").status_code == 403
    for role in ("analyst", "supervisor", "org_admin"):
        client.force_login(users_a[role])
        assert client.get("/reports/").status_code == 200, role


@pytest.mark.django_db
def test_bad_choices_are_refused_before_queueing(users_a: dict[str, Any]) -> None:
    analyst = users_a["analyst"]
    for kwargs, field in (
        ({"period": "2026-Q5"}, "period"),
        ({"fmt": "odt"}, "fmt"),
        ({"lang": "fr"}, "lang"),
    ):
        args = {"template": "donor", "period": "2026-Q1", "lang": "id", "fmt": "xlsx", **kwargs}
        with pytest.raises(LenteraError) as exc:
            services.report_request(actor=analyst, **args)
        assert exc.value.field == field
    with pytest.raises(LenteraError) as exc:
        services.report_request(
            actor=analyst, template="custom:999", period="2026", lang="id", fmt="pdf"
        )
    assert exc.value.kind == "not_found"
    assert not Job.objects.exists()


def _cells(content: bytes) -> list[Any]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


@pytest.mark.django_db(transaction=True)
def test_build_runs_as_a_job_is_stored_versioned_audited_and_suppressed(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any, run_worker: Any
) -> None:
    analyst = users_a["analyst"]
    case = build_case(users_a["caseworker"])
    period = str(case.opened_on.year)
    client = Client()
    client.force_login(analyst)
    response = client.post(
        "/reports/",
        {"template": "donor", "period": "", "period_other": period, "lang": "id", "fmt": "xlsx"},
    )
    job = Job.objects.get(kind="report_build")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded", (job.error_code, job.error_message)
    report = GeneratedReport.objects.get()
    assert (report.version, report.period, report.fmt, report.job_id) == (1, period, "xlsx", job.pk)
    path = services.reports_dir(case.organisation.code) / report.file_name
    content = path.read_bytes()
    assert hashlib.sha256(content).hexdigest() == report.sha256 and report.size == len(content)
    built = AuditEvent.objects.get(
        object_type="reporting.generatedreport", action="create", object_id=str(report.pk)
    )
    assert built.detail == {
        "template": "donor",
        "template_version": report.template_version,
        "period": period,
        "version": 1,
        "format": "xlsx",
        "lang": "id",
        "sha256": report.sha256,
    }
    # one survivor: its count is hidden, and no cell shows a count from 1 to 4
    cells = _cells(content)
    assert "<5" in cells
    assert not [
        v
        for v in cells
        if isinstance(v, int | float) and not isinstance(v, bool) and v in (1, 2, 3, 4)
    ]
    # the same template and period again: version 2, a second file
    services.report_request(actor=analyst, template="donor", period=period, lang="en", fmt="pdf")
    run_worker()
    v2 = GeneratedReport.objects.get(version=2)
    assert v2.file_name.endswith("-v2-en.pdf") and v2.sha256 != report.sha256
    # the download is the stored file and is audited as an export
    downloaded = client.get(f"/reports/{report.pk}/download/")
    assert downloaded.status_code == 200 and downloaded.content == content
    assert downloaded["Content-Disposition"].endswith('.xlsx"')
    assert AuditEvent.objects.filter(
        object_type="reporting.generatedreport", action="export", object_id=str(report.pk)
    ).exists()
    page = client.get("/reports/").content.decode()
    assert "v2" in page and "v1" in page
    # another organisation cannot download it; a changed file is refused
    other = Client()
    other.force_login(users_b["analyst"])
    assert other.get(f"/reports/{report.pk}/download/").status_code == 404
    path.write_bytes(content + b"x")
    assert client.get(f"/reports/{report.pk}/download/").status_code == 409
