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
from lentera.web.releases import services
from lentera.web.releases.models import EpsilonSpend, Release

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


def test_pages_and_scope(users_a: dict[str, Any], users_b: dict[str, Any], cases: None) -> None:
    sup, admin = users_a["supervisor"], users_a["org_admin"]
    c = Client()
    c.force_login(sup)
    assert c.get("/releases/").status_code == 200
    resp = c.post("/releases/", {"kind": "ctdc_2024", "purpose": "CTDC global dataset", "k": 2})
    assert resp.status_code == 302
    r = Release.objects.get()
    other = Client()
    other.force_login(users_b["org_admin"])
    assert other.post(f"/releases/{r.pk}/decide/", {"approve": "1"}).status_code == 404
    assert other.get(f"/releases/{r.pk}/download/").status_code == 404
    a = Client()
    a.force_login(admin)
    a.post(f"/releases/{r.pk}/decide/", {"approve": "1"})
    assert a.get(f"/releases/{r.pk}/download/").status_code == 200
    cw = Client()
    cw.force_login(users_a["caseworker"])
    assert cw.get("/releases/").status_code == 403
