"""Data releases in the web app: preview without output, four-eyes approval, ε budget on the
database ledger, verified packages, audited downloads, organisation scope."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lentera.disclosure import verify_package
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.jobs.models import Job
from lentera.web.releases import services
from lentera.web.releases.models import EpsilonSpend, Release, ReleaseStatus
from lentera.web.releases.signing_keys import organisation_public_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def cases(users_a: dict[str, Any], build_case: Any) -> None:
    for i in range(3):
        build_case(users_a["caseworker"], name=f"Sutinah {i}", nik="")


def test_ctdc_release_needs_a_second_person_and_meets_k(
    users_a: dict[str, Any], cases: None, tmp_path: Path
) -> None:
    analyst, sup, admin = users_a["analyst"], users_a["supervisor"], users_a["org_admin"]
    with pytest.raises(LenteraError) as exc:
        services.release_request(actor=users_a["caseworker"], kind="ctdc_2017", purpose="CTDC")
    assert exc.value.kind == "forbidden"
    r = services.release_request(actor=sup, kind="ctdc_2017", purpose="CTDC global dataset", k=2)
    assert (
        r.status == "pending"
        and r.preview["records_in"] == 3
        and not list((tmp_path).glob("releases/*"))
    )
    with pytest.raises(LenteraError) as exc:
        services.release_decide(actor=sup, release=r, approve=True)
    assert exc.value.code == "four_eyes"
    with pytest.raises(LenteraError) as exc:
        services.release_decide(actor=analyst, release=r, approve=True)
    assert exc.value.kind == "forbidden"
    r = services.release_decide(actor=admin, release=r, approve=True)
    assert r.status == "approved"
    content, _name = services.release_file(actor=analyst, release=r)
    path = tmp_path / "pkg.zip"
    path.write_bytes(content)
    check = verify_package(path)  # raises on a bad hash or a file that does not meet k
    assert check.manifest["release_id"] == r.release_id and check.k_checks
    text = zipfile.ZipFile(io.BytesIO(content)).read("ctdc_2017.csv").decode()
    assert "Sutinah" not in text and "5301054708990003" not in text
    assert AuditEvent.objects.filter(object_type="releases.release", action="export").count() == 2
    (tmp_path / "releases" / r.file_name).write_bytes(content + b"x")
    with pytest.raises(LenteraError) as exc:
        services.release_file(actor=analyst, release=r)
    assert exc.value.code == "tampered"


def test_dp_release_spends_budget_and_refuses_beyond(users_a: dict[str, Any], cases: None) -> None:
    sup, admin = users_a["supervisor"], users_a["org_admin"]
    services.budget_set(actor=admin, total=1.0)
    r1 = services.release_request(
        actor=sup, kind="dp", purpose="Donor report", epsilon=0.6, dimensions=["sex"]
    )
    assert r1.preview["error95"] >= 1 and EpsilonSpend.objects.count() == 0
    services.release_decide(actor=admin, release=r1, approve=True)
    assert EpsilonSpend.objects.get().epsilon == 0.6
    with pytest.raises(LenteraError) as exc:
        services.release_request(
            actor=sup, kind="dp", purpose="Second", epsilon=0.6, dimensions=["sex"]
        )
    assert exc.value.code == "epsilon_budget_exceeded"
    r2 = services.release_request(
        actor=sup, kind="dp", purpose="Second", epsilon=0.3, dimensions=["age_band"]
    )
    r3 = services.release_request(
        actor=sup, kind="dp", purpose="Third", epsilon=0.3, dimensions=["sex"]
    )
    services.release_decide(actor=admin, release=r2, approve=True)
    with pytest.raises(LenteraError) as exc:  # spent at approval: the third no longer fits
        services.release_decide(actor=admin, release=r3, approve=True)
    assert exc.value.code == "epsilon_budget_exceeded"
    assert Release.objects.get(pk=r3.pk).status == "pending"
    with pytest.raises(LenteraError) as exc:
        services.budget_set(actor=admin, total=0.5)
    assert exc.value.code == "below_spent"


@pytest.mark.django_db(transaction=True)
def test_pages_and_scope(
    users_a: dict[str, Any], users_b: dict[str, Any], cases: None, run_worker: Any
) -> None:
    sup, admin = users_a["supervisor"], users_a["org_admin"]
    c = Client()
    c.force_login(sup)
    assert c.get("/releases/").status_code == 200
    resp = c.post("/releases/", {"kind": "ctdc_2024", "purpose": "CTDC global dataset", "k": 2})
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/")
    assert not Release.objects.exists()  # the preview is computed by the worker
    run_worker()
    r = Release.objects.get()
    other = Client()
    other.force_login(users_b["org_admin"])
    assert other.post(f"/releases/{r.pk}/decide/", {"approve": "1"}).status_code == 404
    assert other.get(f"/releases/{r.pk}/download/").status_code == 404
    a = Client()
    a.force_login(admin)
    assert sup.pk == r.requested_by_id
    own = c.post(f"/releases/{r.pk}/decide/", {"approve": "1"})  # four eyes: refused at once
    assert own.status_code == 302 and own["Location"] == "/releases/"
    built = a.post(f"/releases/{r.pk}/decide/", {"approve": "1"})
    assert built.status_code == 302 and built["Location"].startswith("/jobs/")
    r.refresh_from_db()
    assert r.status == "pending"  # built by the worker, not the request
    run_worker()
    job = Job.objects.get(kind="release_build")
    assert job.status == "succeeded", job.error_message
    assert job.result["sha256"] and a.get(job.result["links"][0]["url"]).status_code == 200
    assert a.get(f"/releases/{r.pk}/download/").status_code == 200
    cw = Client()
    cw.force_login(users_a["caseworker"])
    assert cw.get("/releases/").status_code == 403


def test_hub_mode_imports_verified_packages_and_shows_national_figures(
    users_a: dict[str, Any],
    users_b: dict[str, Any],
    build_case: Any,
    settings: Any,
    tmp_path: Path,
    run_queued: Any,
) -> None:
    for users, prefix in ((users_a, "Sutinah"), (users_b, "Wayan")):
        for i in range(3):
            build_case(users["caseworker"], name=f"{prefix} {i}", nik="")
    packages = []
    for users in (users_a, users_b):
        r = services.release_request(
            actor=users["supervisor"], kind="dp", purpose="Coalition hub", epsilon=0.5,
            dimensions=["sex"],
        )  # fmt: skip
        services.release_decide(actor=users["org_admin"], release=r, approve=True)
        content, _n = services.release_file(actor=users["analyst"], release=r)
        packages.append(content)
    c = Client()
    c.force_login(users_a["org_admin"])
    settings.LENTERA_HUB = False
    assert c.get("/releases/hub/").status_code == 404
    settings.LENTERA_HUB = True
    settings.LENTERA_HUB_OPERATOR = "ALFA"
    for code in ("ALFA", "BETA"):
        key, _fp = organisation_public_key(code)
        c.post("/releases/hub/", {"action": "enrol", "organisation_code": code, "public_key": key})
    merged = AuditEvent.objects.filter(object_type="hub.package", action="create")
    for n, content in enumerate(packages):
        upload = io.BytesIO(content)
        upload.name = "package.zip"
        queued = c.post("/releases/hub/", {"package": upload})
        assert queued.status_code == 302 and queued["Location"].startswith("/jobs/")
        assert merged.count() == n  # merged by the worker, not in the request
        (job,) = run_queued()
        assert job.status == "succeeded" and job.result["dp_cells"] > 0, job.error_message
    again = io.BytesIO(packages[0])
    again.name = "package.zip"
    c.post("/releases/hub/", {"package": again})  # the same release twice is refused
    (refused,) = run_queued()
    assert refused.status == "failed" and "already in the hub" in refused.error_message
    assert AuditEvent.objects.filter(object_type="hub.package", action="denied").count() == 1
    tampered = bytearray(packages[1])
    tampered[-200] ^= 0xFF
    bad = io.BytesIO(bytes(tampered))
    bad.name = "package.zip"
    c.post("/releases/hub/", {"package": bad})
    run_queued()
    assert AuditEvent.objects.filter(object_type="hub.package", action="denied").count() == 2
    page = c.get("/releases/hub/?dims=sex&by=gender").content.decode()
    assert "ALFA" in page and "BETA" in page and "female" in page
    for secret in ("Sutinah", "Wayan"):
        assert secret not in page
    cw = Client()
    cw.force_login(users_a["caseworker"])
    assert cw.get("/releases/hub/").status_code == 403


def test_htcds_exchange_release(
    users_a: dict[str, Any], cases: None, tmp_path: Path, build_case: Any
) -> None:
    """Finding 14: record-level HTCDS rows unique on basic attributes are refused; with
    k identical survivors the file is released and verified k-anonymous."""
    from lentera.disclosure import read_htcds

    purpose = "Exchange with IOM under the 2026 agreement"
    with pytest.raises(LenteraError) as exc:
        services.release_request(actor=users_a["analyst"], kind="htcds", purpose=purpose)
    assert exc.value.code == "htcds_not_k_anonymous"
    assert not Release.objects.filter(kind="htcds").exists()
    for i in range(3, 11):
        build_case(users_a["caseworker"], name=f"Sutinah {i}", nik="")
    r = services.release_request(actor=users_a["analyst"], kind="htcds", purpose=purpose)
    assert r.preview["records_out"] == 11 and r.preview["rows_below_k"] == 0
    r = services.release_decide(actor=users_a["supervisor"], release=r, approve=True)
    content, _n = services.release_file(actor=users_a["analyst"], release=r)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert set(archive.namelist()) == {"htcds.xlsx", "manifest.json", "manifest.sig"}
    xlsx = tmp_path / "h.xlsx"
    xlsx.write_bytes(archive.read("htcds.xlsx"))
    assert b"Sutinah" not in archive.read("htcds.xlsx")
    rows = read_htcds(xlsx)
    assert rows is not None


def test_preview_says_which_columns_are_emptied_and_approvers_are_told(
    users_a: dict[str, Any], cases: None
) -> None:
    """The CTDC preview names columns generalisation blanks in every row; approvers are notified."""
    from lentera.web.referrals.labels import notification_text
    from lentera.web.referrals.models import Notification

    sup = users_a["supervisor"]
    r = services.release_request(actor=sup, kind="ctdc_2024", purpose="CTDC global dataset", k=3)
    assert "blank_columns" in r.preview and "kept_columns" in r.preview
    assert r.preview["blank_columns"], r.preview  # k=3 over three different people empties some
    told = Notification.objects.filter(kind="release_pending")
    assert {n.user_id for n in told} == {users_a["org_admin"].pk}  # not the requester
    assert "menunggu persetujuan" in notification_text(told[0]) or "approval" in notification_text(
        told[0]
    )


def test_a_decision_on_a_stale_copy_sees_the_status_under_the_lock(
    users_a: dict[str, Any], cases: None
) -> None:
    """Two approvers open the same pending release; the second decision is refused."""
    r = services.release_request(
        actor=users_a["analyst"], kind="ctdc_2017", purpose="CTDC global dataset", k=2
    )
    stale = Release.objects.get(pk=r.pk)
    services.release_decide(actor=users_a["supervisor"], release=r, approve=False)
    assert stale.status == ReleaseStatus.PENDING  # the second approver's copy
    with pytest.raises(LenteraError) as exc:
        services.release_decide(actor=users_a["org_admin"], release=stale, approve=True)
    assert exc.value.code == "decided"
    assert Release.objects.get(pk=r.pk).status == ReleaseStatus.REJECTED


def test_a_k_that_cannot_be_met_is_said_in_words(users_a: dict[str, Any], cases: None) -> None:
    """The walk's supervisor asked for k = 11 over a few records: the engine's English
    "no generalisation meets k=11 …" reached the job page; now the page's language says what
    to do."""
    from django.utils import translation

    with translation.override("id"), pytest.raises(LenteraError) as exc:
        services.release_request(
            actor=users_a["supervisor"], kind="ctdc_2024", purpose="CTDC global dataset", k=11
        )
    assert exc.value.code == "k_infeasible" and exc.value.field == "k"
    assert "generalisation" not in exc.value.message
    assert "k = 11" in exc.value.message and "3 catatan" in exc.value.message
