"""Hub mode (``LENTERA_HUB=1``): a coalition's Lentera imports the release packages of its member
organisations, verifies each manifest (hashes, k, DP table shape), merges them and shows the
national figures; with the members' Bloom-filter encodings it estimates unique survivors.

Nothing identifying arrives at the hub: packages hold k-anonymous CTDC rows and DP counts;
encodings are keyed Bloom filters the hub cannot reverse.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import membership_for
from lentera.web.releases.signing_keys import enrol_member_key, enrolled_keys

VIEW_ROLES = {"analyst", "supervisor", "org_admin"}
IMPORT_ROLES = {"supervisor", "org_admin"}
CTDC_COLUMNS = (
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "typeOfExploitConcatenated",
)


def hub_path() -> Path:
    return Path(settings.DATA_DIR) / "hub" / "hub.duckdb"


def _member(request: HttpRequest) -> Any:
    return _member_of(request.user)


def _member_of(actor: Any) -> Any:
    if not settings.LENTERA_HUB:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    membership = membership_for(actor)
    if membership.role not in VIEW_ROLES:
        raise LenteraError("role_forbidden", _("Your role may not open the hub."), kind="forbidden")
    return membership


def _check_uploader(path: Path, membership: Any) -> None:
    """A member uploads its own packages; the hub operator's staff may upload anyone's."""

    from lentera.disclosure.signing import manifest_bytes

    try:
        org = str(json.loads(manifest_bytes(path)[0]).get("organisation", ""))
    except (ValueError, OSError, LenteraError) as exc:
        raise LenteraError("package_invalid", _("This is not a release package.")) from exc
    own = membership.organisation.code
    if org != own and own != settings.LENTERA_HUB_OPERATOR:
        raise LenteraError(
            "wrong_uploader",
            _("This package is of %(org)s; only %(org)s or the hub operator may upload it.")
            % {"org": org},
            kind="forbidden",
        )


def _enrol(request: HttpRequest) -> None:
    try:
        row = enrol_member_key(
            actor=request.user,
            organisation_code=request.POST.get("organisation_code", ""),
            public_key=request.POST.get("public_key", ""),
        )
    except LenteraError as exc:
        messages.error(request, exc.message)
        return
    messages.success(
        request,
        _("Signing key of %(org)s enrolled (fingerprint %(fp)s).")
        % {"org": row.organisation_code, "fp": row.fingerprint},
    )


#: a hub upload waits for the worker as one stored zip of these members
PACKAGE_MEMBER, ENCODINGS_MEMBER = "package.zip", "encodings.jsonl"


def _import(request: HttpRequest, membership: Any) -> HttpResponse | None:
    """Queue the verification and merge of an uploaded package (the worker runs it)."""
    import hashlib
    import io
    import zipfile

    from lentera.web.jobs.services import enqueue

    _require_importer(membership)
    package = request.FILES.get("package")
    if package is None or not package.name.lower().endswith(".zip"):
        messages.error(request, _("Choose a release package (.zip)."))
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        bundle.writestr(PACKAGE_MEMBER, package.read())
        enc = request.FILES.get("encodings")
        if enc is not None:
            bundle.writestr(ENCODINGS_MEMBER, enc.read())
    content = buffer.getvalue()
    job = enqueue(
        "hub_import",
        actor=request.user,
        key=f"hub_import:{hashlib.sha256(content).hexdigest()}",
        content=content,
        filename=package.name,
    )
    return redirect("jobs:detail", job_id=job.pk)


def _require_importer(membership: Any) -> None:
    if membership.role not in IMPORT_ROLES:
        raise LenteraError(
            "role_forbidden",
            _("Only a supervisor or organisation admin may import packages."),
            kind="forbidden",
        )


def unique_path() -> Path:
    """The unique-survivor estimate, computed by the import job (not on every page view)."""
    return hub_path().with_name("unique.json")


def hub_import(*, actor: Any, bundle: bytes) -> dict[str, Any]:
    """Verify and merge one uploaded package (the ``hub_import`` job). Idempotent: the
    same release twice is refused by :func:`lentera.disclosure.import_package`."""
    import io
    import zipfile

    from lentera.disclosure import import_package

    membership = _member_of(actor)
    _require_importer(membership)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(bundle)) as parts:
        path = Path(tmp) / PACKAGE_MEMBER
        path.write_bytes(parts.read(PACKAGE_MEMBER))
        enc_path = None
        if ENCODINGS_MEMBER in parts.namelist():
            enc_path = Path(tmp) / ENCODINGS_MEMBER
            enc_path.write_bytes(parts.read(ENCODINGS_MEMBER))
        try:
            _check_uploader(path, membership)
            result = import_package(
                path, hub_path(), encodings=enc_path, public_keys=enrolled_keys()
            )
        except LenteraError as exc:
            audit_log(actor=actor, action=AuditAction.DENIED, object_type="hub.package",
                      detail={"refused": exc.code})  # fmt: skip
            raise LenteraError(
                exc.code, _("Package refused: %(why)s") % {"why": exc.message}, kind=exc.kind
            ) from exc
    audit_log(
        actor=actor, action=AuditAction.CREATE, object_type="hub.package",
        object_id=result.release_id,
        detail={"organisation": result.organisation, "ctdc_rows": result.ctdc_rows,
                "dp_cells": result.dp_cells, "encodings": result.encodings},
    )  # fmt: skip
    if result.encodings:
        unique_path().write_text(json.dumps(_unique_estimate()))
    return {
        "organisation": result.organisation,
        "ctdc_rows": result.ctdc_rows,
        "dp_cells": result.dp_cells,
        "encodings": result.encodings,
    }


def _unique_estimate() -> dict[str, Any]:
    """The unique-survivor estimate, or why it cannot be made (lentera-clk/1 and /2 mixed:
    the package is imported all the same, the page names who has to encode again)."""
    from lentera.disclosure import DisclosureError, unique_survivors

    try:
        return unique_survivors(hub_path()).as_dict()
    except DisclosureError as exc:
        if exc.code != "encoding_version_mix":
            raise
        return {"refused": exc.code, "old": exc.params["old"], "new": exc.params["new"]}


@login_required
def hub_dashboard(request: HttpRequest) -> HttpResponse:
    from lentera.analytics.suppress import suppress_counts
    from lentera.disclosure import national_ctdc_counts, national_dp_counts
    from lentera.disclosure.hub import open_hub
    from lentera.web.releases.models import HubMemberKey

    membership = _member(request)
    if request.method == "POST":
        if request.POST.get("action") == "enrol":
            _enrol(request)
        else:
            queued = _import(request, membership)
            if queued is not None:
                return queued
        return redirect("releases:hub")
    context: dict[str, Any] = {
        "can_import": membership.role in IMPORT_ROLES,
        "can_enrol": membership.role == "org_admin",
        "member_keys": HubMemberKey.objects.filter(revoked_at__isnull=True),
        "columns": CTDC_COLUMNS,
    }
    if not hub_path().exists():
        return render(request, "releases/hub.html", context)
    with open_hub(hub_path(), read_only=True) as con:
        context["packages"] = con.execute(
            "SELECT organisation, release_id, created_at, created_by, imported_at, epsilon_spent "
            "FROM releases ORDER BY imported_at DESC"
        ).fetchall()
        dim_sets = [
            r[0] for r in con.execute("SELECT DISTINCT dimensions FROM dp_cells").fetchall()
        ]
        has_encodings = con.execute("SELECT count(*) FROM encodings").fetchone()[0] > 0
    context["dim_sets"] = dim_sets
    dims = request.GET.get("dims") or (dim_sets[0] if dim_sets else "")
    if dims in dim_sets:
        frame = national_dp_counts(hub_path(), dims.split(","))
        context["dp"] = {"dims": dims.split(","), "rows": frame.to_dict("records")}
    by = request.GET.get("by", "gender")
    if by in CTDC_COLUMNS:
        frame = national_ctdc_counts(hub_path(), by=by).rename(columns={"rows": "count"})
        shown = suppress_counts(frame[["value", "count"]], ["value"], value="count")
        context["ctdc"] = {"by": by, "rows": shown.to_dict("records")}
    if has_encodings and unique_path().exists():
        context["unique"] = json.loads(unique_path().read_text())
    audit_log(actor=request.user, action=AuditAction.READ, object_type="hub.dashboard",
              detail={"dims": dims, "by": by})  # fmt: skip
    return render(request, "releases/hub.html", context)
