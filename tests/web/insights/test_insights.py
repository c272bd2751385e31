"""Analytics in the web app: the de-identified snapshot, the dashboard, map and report —
organisation-scoped, suppressed, and free of personal data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lentera.analytics import report as analytics_report
from lentera.web.core.warehouse import MAX_AGE
from lentera.web.insights import selectors, services
from lentera.web.insights.snapshot import export_snapshot, opaque_key
from lentera.web.jobs.models import Job
from lentera.web.referrals.choices import InstitutionType
from lentera.web.referrals.models import ServiceProvider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path


def test_snapshot_has_no_personal_data_and_only_the_org(
    worker_a: Any, worker_b: Any, build_case: Any, tmp_path: Path, planted_secrets: tuple[str, ...]
) -> None:
    build_case(worker_a)
    build_case(worker_b, name="Wayan Sari", nik="")
    snap = export_snapshot(organisation_codes=["ALFA"])
    assert len(snap.tables["cases"]) == 1 and len(snap.tables["survivors"]) == 1
    out = snap.write_dir(tmp_path / "snap")
    blob = b"".join(p.read_bytes() for p in out.iterdir())
    for secret in [*planted_secrets, "Wayan"]:
        assert secret.encode() not in blob
    row = snap.tables["survivors"].to_pylist()[0]
    assert row["age_band"] in {"24-26", "21-23"} and row["destination_country"] == "MY"


def test_dashboard_suppressed_scoped_and_report(
    worker_a: Any,
    worker_b: Any,
    build_case: Any,
    tmp_path: Path,
    run_worker: Any,
    planted_secrets: tuple[str, ...],
) -> None:
    build_case(worker_a)
    build_case(worker_b, name="Wayan Sari", nik="")
    build_case(worker_b, name="Made Sari", nik="")
    client = Client()
    client.force_login(worker_a)
    client.cookies["lentera_language"] = "en"
    waiting = client.get("/insights/")  # never built: queued for the worker, not built here
    assert waiting.status_code == 200 and not services.warehouse_path("ALFA").exists()
    assert "Rebuilding…" in client.get("/insights/").content.decode()
    assert client.get("/insights/report.pdf").status_code == 503
    run_worker()
    page = client.get("/insights/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "&lt;5" in html
    for secret in planted_secrets:
        assert secret not in html
    # no raw count 1–4 in any KPI card or table cell
    cells = re.findall(r"<(?:strong|td class=\"num\")>([^<]*)<", html)
    assert not [c for c in cells if c.strip() in {"1", "2", "3", "4"}], cells
    assert services.warehouse_path("ALFA").exists() and not services.warehouse_path("BETA").exists()
    client.cookies["lentera_language"] = "id"  # the method line in the page's language
    indonesian = client.get("/insights/").content.decode()
    assert "korelasi Spearman" in indonesian and "spearman(poverty_pct" not in indonesian
    client.cookies["lentera_language"] = "en"
    bad = client.get("/insights/?province=99&period_from=garbage")
    assert bad.status_code == 200 and 'class="error' in bad.content.decode()
    queued = client.get("/insights/report.pdf")  # the PDF is always the worker's
    assert queued.status_code == 302 and queued["Location"].startswith("/jobs/")
    run_worker()
    job = Job.objects.get(kind="evidence_report")
    assert job.status == "succeeded", job.error_message
    pdf = client.get(job.result["links"][0]["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html_report = client.get("/insights/report.html?lang=en").content.decode()
    for secret in planted_secrets:
        assert secret not in html_report
    assert client.get("/insights/report.exe").status_code == 404
    refresh = client.post("/insights/refresh/")
    assert refresh.status_code == 302
    assert "Rebuilding" in client.get("/insights/").content.decode()
    assert Job.objects.filter(kind="warehouse_rebuild", status="queued").count() == 1


def test_a_stale_warehouse_is_shown_while_a_rebuild_waits(
    worker_a: Any, build_case: Any, tmp_path: Path, run_worker: Any
) -> None:
    import os

    build_case(worker_a)
    services.rebuild(actor=worker_a)
    path = services.warehouse_path("ALFA")
    old = path.stat().st_mtime - MAX_AGE.total_seconds() - 60
    os.utime(path, (old, old))
    client = Client()
    client.force_login(worker_a)
    client.cookies["lentera_language"] = "en"
    page = client.get("/insights/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert "Rebuilding…" in page.content.decode()
    assert path.stat().st_mtime == old  # not rebuilt in the request
    run_worker()
    assert path.stat().st_mtime > old


def test_snapshot_codes_match_the_web_vocabularies() -> None:
    from lentera.analytics.snapshot import codes
    from lentera.web.cases import choices as case_choices
    from lentera.web.referrals import choices

    c = codes()
    assert set(c["provider_type"]) == set(choices.InstitutionType.values)
    assert set(c["referral_status"]) == set(choices.ReferralStatus.values)
    assert set(c["referral_open_status"]) == set(choices.OPEN_STATUSES)
    assert set(c["case_status"]) == set(case_choices.CaseStatus.values)


def test_snapshot_carries_legal_steps_and_perpetrators_without_text(
    worker_a: Any, worker_b: Any, build_case: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from lentera.web.referrals import services as referral_services

    case = build_case(worker_a)
    build_case(worker_b, name="Wayan Sari", nik="")
    link = case.survivors.first()
    referral_services.legal_step_add(
        actor=worker_a, case=case, step="police_report", date=dt.date(2025, 3, 4),
        reference_no="LP/B/123/III/2025", note="Catatan rahasia",
    )  # fmt: skip
    referral_services.legal_step_add(
        actor=worker_a, case=case, step="verdict", date=dt.date(2025, 9, 20), link=link,
        amount=25_000_000,
    )  # fmt: skip
    snap = export_snapshot(organisation_codes=["ALFA"])
    assert set(snap.provided) >= {"legal_steps", "perpetrators"}
    steps = sorted(snap.tables["legal_steps"].to_pylist(), key=lambda r: r["month"])
    assert [(r["step"], r["month"], r["amount"]) for r in steps] == [
        ("police_report", dt.date(2025, 3, 1), None),
        ("verdict", dt.date(2025, 9, 1), 25_000_000),
    ]
    assert steps[0]["survivor_key"] is None and steps[1]["survivor_key"]
    (perpetrator,) = snap.tables["perpetrators"].to_pylist()  # only ALFA's case
    assert perpetrator["kind"] == "individual_recruiter"
    assert perpetrator["is_state_official"] is False
    blob = b"".join(p.read_bytes() for p in snap.write_dir(tmp_path / "snap").iterdir())
    for secret in ("Pak Calo", "LP/B/123", "Catatan rahasia"):
        assert secret.encode() not in blob


def test_a_large_evidence_report_is_written_by_the_worker(
    worker_a: Any, build_case: Any, monkeypatch: pytest.MonkeyPatch, run_worker: Any
) -> None:
    build_case(worker_a)
    services.rebuild(actor=worker_a)
    monkeypatch.setattr(selectors, "REPORT_INLINE_MAX", 0)
    client = Client()
    client.force_login(worker_a)
    # no filter: one survivor in one province is a filter the small-population guard refuses
    r = client.get("/insights/report.html")
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="evidence_report")
    assert job.params["filters"] == {} and job.status == "queued"
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    html = client.get(job.result["links"][0]["url"])
    assert html.status_code == 200 and html.content.startswith(b"<!DOCTYPE html>")


def test_the_internal_evidence_report_names_the_organisations_own_providers(
    worker_a: Any, build_case: Any, org_a: Any, org_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = ServiceProvider.objects.create(organisation=org_a, name="Rumah Aman Kupang",
                                         institution_type=InstitutionType.UPTD_PPA)  # fmt: skip
    other = ServiceProvider.objects.create(organisation=org_b, name="LBH Denpasar",
                                           institution_type=InstitutionType.UPTD_PPA)  # fmt: skip
    build_case(worker_a)
    path = services.rebuild(actor=worker_a).path
    seen: dict[str, Any] = {}
    real = services.build_report

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "build_report", spy)
    content, _name, _ctype = services.evidence_report(
        actor=worker_a, path=path, fmt="html", lang="id", filters={}
    )
    assert content.startswith(b"<!DOCTYPE html>")
    assert seen["provider_names"] == {opaque_key("provider", own.pk): "Rumah Aman Kupang"}
    assert opaque_key("provider", other.pk) not in seen["provider_names"]
    # a de-identified export (no names given) keeps the letters
    keys = [opaque_key("provider", own.pk)]
    assert analytics_report.provider_labels(keys, "id") == {keys[0]: "Penyedia A"}
    assert analytics_report.provider_labels(keys, "id", seen["provider_names"]) == {
        keys[0]: "Rumah Aman Kupang"
    }
