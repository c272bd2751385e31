"""The hub's unique-survivor estimate from members' encodings: lentera-clk/2 is counted, a
member's lentera-clk/1 encodings are imported but not mixed with /2 (the page says who has
to encode again)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from lentera.linkage import clk2, pprl
from lentera.web.jobs.models import Job
from lentera.web.jobs.services import execute
from lentera.web.releases import hub as hub_views
from lentera.web.releases import services
from lentera.web.releases.signing_keys import enrol_member_key, organisation_public_key

pytestmark = pytest.mark.django_db

KEY = b"a coalition secret of enough length"
PEOPLE = [("Siti Aminah", "1990-03-14", "F", "3201"), ("Dewi Lestari", "1988-11-02", "F", "3273"),
          ("Rudi Hartono", "1985-05-05", "M", "3578")]  # fmt: skip


def _package(users: dict[str, Any]) -> bytes:
    r = services.release_request(
        actor=users["supervisor"], kind="ctdc_2024", purpose="Coalition hub", k=11
    )
    services.release_decide(actor=users["org_admin"], release=r, approve=True)
    return services.release_file(actor=users["analyst"], release=r)[0]


def _encodings(version: int, prefix: str) -> bytes:
    rows = [{"record_id": f"{prefix}{i}", "full_name": n, "birth_date": d, "sex": s,
             "origin_regency_code": r} for i, (n, d, s, r) in enumerate(PEOPLE)]  # fmt: skip
    codes = clk2.encode(rows, KEY) if version == 2 else pprl.encode(rows, KEY)
    return "".join(json.dumps(e.to_json()) + "\n" for e in codes).encode()


def _upload(client: Client, package: bytes, encodings: bytes) -> None:
    f, e = io.BytesIO(package), io.BytesIO(encodings)
    f.name, e.name = "package.zip", "encodings.jsonl"
    client.post("/releases/hub/", {"package": f, "encodings": e})
    for job in Job.objects.filter(kind="hub_import", status="queued"):
        execute(job.pk)


@pytest.fixture
def members(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any, settings: Any
) -> dict[str, tuple[Client, bytes]]:
    settings.LENTERA_HUB = True
    settings.LENTERA_HUB_OPERATOR = ""
    out = {}
    for code, users in (("ALFA", users_a), ("BETA", users_b)):
        for i in range(12):  # identical quasi-identifiers: one class of 12 ≥ k=11
            build_case(users["caseworker"], name=f"Sutinah {i}", nik="")
        enrol_member_key(
            actor=users_b["org_admin"], organisation_code=code,
            public_key=organisation_public_key(code)[0],
        )  # fmt: skip
        client = Client()
        client.force_login(users["supervisor"])
        out[code] = (client, _package(users))
    return out


def test_v2_encodings_give_the_estimate(members: dict[str, tuple[Client, bytes]]) -> None:
    for code, (client, package) in members.items():
        _upload(client, package, _encodings(2, code))
    estimate = json.loads(hub_views.unique_path().read_text())
    assert estimate["version"] == clk2.ENCODING_VERSION
    assert (estimate["records"], estimate["unique"], estimate["organisations"]) == (6, 3, 2)
    page = members["ALFA"][0].get("/releases/hub/").content.decode()
    assert "6 catatan dari 2 organisasi diperkirakan merupakan 3 orang" in page
    assert "lentera-clk/1" not in page


def test_a_v1_member_is_imported_and_named_instead_of_mixed(
    members: dict[str, tuple[Client, bytes]],
) -> None:
    alfa, beta = members["ALFA"], members["BETA"]
    _upload(alfa[0], alfa[1], _encodings(2, "ALFA"))
    _upload(beta[0], beta[1], _encodings(1, "BETA"))
    assert Job.objects.filter(kind="hub_import", status="succeeded").count() == 2
    estimate = json.loads(hub_views.unique_path().read_text())
    assert estimate == {"refused": "encoding_version_mix", "old": ["BETA"], "new": ["ALFA"]}
    page = alfa[0].get("/releases/hub/").content.decode()
    assert "BETA" in page and "lentera-clk/1" in page and "lentera link encode" in page
