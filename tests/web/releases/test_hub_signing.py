"""Finding 5 (MEDIUM): the hub refuses unsigned, misattributed and tampered packages.

The review's reproduction: take ALFA's CTDC package, duplicate its rows ×10, raise k,
recompute the SHA-256 in the manifest, keep organisation=ALFA, upload it as a BETA
supervisor — the hub accepted it as ALFA's.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lentera.disclosure.signing import generate_private_key, public_key_of, sign_package
from lentera.web.audit.models import AuditEvent
from lentera.web.jobs.models import Job
from lentera.web.jobs.services import execute
from lentera.web.releases import services
from lentera.web.releases.signing_keys import (
    enrol_member_key,
    organisation_private_key,
    organisation_public_key,
)

pytestmark = pytest.mark.django_db


def _package(users: dict[str, Any]) -> bytes:
    r = services.release_request(
        actor=users["supervisor"], kind="ctdc_2024", purpose="Coalition hub", k=11
    )
    services.release_decide(actor=users["org_admin"], release=r, approve=True)
    return services.release_file(actor=users["analyst"], release=r)[0]


def _forge(content: bytes, *, sign_with: bytes | None = None) -> bytes:
    """Rows ×10, k=11, manifest hashes recomputed, organisation kept; re-zipped."""
    src = zipfile.ZipFile(io.BytesIO(content))
    manifest = json.loads(src.read("manifest.json"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for entry in manifest["files"]:
            lines = src.read(entry["name"]).decode().splitlines()
            body = "\n".join([lines[0], *(lines[1:] * 10)]) + "\n"
            entry["rows"] *= 10
            entry["parameters"]["k"] = 11
            entry["sha256"] = hashlib.sha256(body.encode()).hexdigest()
            entry["bytes"] = len(body.encode())
            dst.writestr(entry["name"], body)
        manifest["created_by"] = "ALFA director (forged by BETA)"
        dst.writestr("manifest.json", json.dumps(manifest))
    data = out.getvalue()
    if sign_with is not None:
        path = Path(tempfile.mkdtemp()) / "p.zip"
        path.write_bytes(data)
        sign_package(path, sign_with)
        data = path.read_bytes()
    return data


def _upload(client: Client, content: bytes) -> None:
    """Upload, then run the queued merge as the worker would (the request only queues it)."""
    f = io.BytesIO(content)
    f.name = "package.zip"
    client.post("/releases/hub/", {"package": f})
    for job in Job.objects.filter(kind="hub_import", status="queued"):
        execute(job.pk)


@pytest.fixture
def hub(users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any, settings: Any) -> Any:
    for i in range(12):  # identical quasi-identifiers: one class of 12 ≥ k=11
        build_case(users_a["caseworker"], name=f"Sutinah {i}", nik="")
    settings.LENTERA_HUB = True
    settings.LENTERA_HUB_OPERATOR = ""
    for code in ("ALFA", "BETA"):
        enrol_member_key(
            actor=users_b["org_admin"], organisation_code=code,
            public_key=organisation_public_key(code)[0],
        )  # fmt: skip
    return _package(users_a)


def _accepted() -> int:
    return AuditEvent.objects.filter(object_type="hub.package", action="create").count()


def test_forged_package_is_refused(
    hub: bytes, users_a: dict[str, Any], users_b: dict[str, Any]
) -> None:
    beta = Client()
    beta.force_login(users_b["supervisor"])
    # the review's forgery, unsigned; then signed with BETA's own key; then with a fresh key
    _upload(beta, _forge(hub))
    _upload(beta, _forge(hub, sign_with=organisation_private_key("BETA")))
    _upload(beta, _forge(hub, sign_with=generate_private_key()))
    alfa = Client()
    alfa.force_login(users_a["supervisor"])
    _upload(alfa, _forge(hub, sign_with=generate_private_key()))
    assert _accepted() == 0
    refusals = list(
        AuditEvent.objects.filter(object_type="hub.package", action="denied").values_list(
            "detail__refused", flat=True
        )
    )
    assert refusals == ["wrong_uploader", "wrong_uploader", "wrong_uploader", "bad_signature"]


def test_unsigned_and_tampered_packages_are_refused(hub: bytes, users_a: dict[str, Any]) -> None:
    alfa = Client()
    alfa.force_login(users_a["supervisor"])
    archive = zipfile.ZipFile(io.BytesIO(hub))
    unsigned = io.BytesIO()
    with zipfile.ZipFile(unsigned, "w") as z:
        for name in archive.namelist():
            if name != "manifest.sig":
                z.writestr(name, archive.read(name))
    _upload(alfa, unsigned.getvalue())
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as z:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "manifest.json":
                data = data.replace(b'"created_by": "', b'"created_by": "X')
            z.writestr(name, data)
    _upload(alfa, tampered.getvalue())
    assert _accepted() == 0
    _upload(alfa, hub)  # the genuine package
    assert _accepted() == 1
    refused = AuditEvent.objects.filter(object_type="hub.package", action="denied")
    assert [e.detail["refused"] for e in refused] == ["unsigned", "bad_signature"]


def test_enrolment_is_an_audited_admin_act(users_b: dict[str, Any]) -> None:
    from lentera.errors import LenteraError

    key = base64.b64encode(public_key_of(generate_private_key())).decode()
    with pytest.raises(LenteraError):
        enrol_member_key(actor=users_b["supervisor"], organisation_code="GAMA", public_key=key)
    row = enrol_member_key(actor=users_b["org_admin"], organisation_code="gama", public_key=key)
    assert row.organisation_code == "GAMA"
    assert AuditEvent.objects.filter(object_type="releases.hubmemberkey", action="create").exists()
    with pytest.raises(LenteraError):
        enrol_member_key(actor=users_b["org_admin"], organisation_code="GAMA", public_key="abc")
