"""Import pages: upload a file (or fetch a KoboToolbox form), see the report, download
the templates and the intake XLSForm. Only case roles may import."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lentera import intake
from lentera.errors import LenteraError
from lentera.web.core.access import require_case_role
from lentera.web.core.kobo import check_kobo_server
from lentera.web.core.responses import download
from lentera.web.imports.forms import ImportFileForm, KoboImportForm
from lentera.web.imports.selectors import import_runs_recent_for_user
from lentera.web.imports.spec import build_vocabulary
from lentera.web.jobs.services import enqueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["runs"] = import_runs_recent_for_user(actor=request.user)
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload: the file is checked (and imported) by a background job; its page shows the report."""
    require_case_role(request.user)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(intake.MAX_BYTES + 1)
        mode = form.cleaned_data["mode"]
        job = enqueue(
            "import_file",
            actor=request.user,
            params={"format": form.cleaned_data["format"], "mode": mode},
            key=f"import:{request.user.pk}:{hashlib.sha256(content).hexdigest()}:{mode}",
            content=content,
            filename=upload.name,
        )
        return redirect("jobs:detail", job_id=job.pk)
    return _page(request, "imports/upload.html", {"form": form})


@login_required
def import_kobo(request: HttpRequest) -> HttpResponse:
    """Fetch a KoboToolbox form's submissions in a background job (the token is kept encrypted)."""
    require_case_role(request.user)
    form = KoboImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check_kobo_server(d["server_url"])
        except LenteraError as exc:
            form.add_error("server_url", exc.message)
        else:
            job = enqueue(
                "import_kobo",
                actor=request.user,
                params={
                    "server_url": d["server_url"],
                    "asset_uid": d["asset_uid"],
                    "mode": d["mode"],
                },
                content=json.dumps({"token": d["token"]}).encode(),
            )
            return redirect("jobs:detail", job_id=job.pk)
    return _page(request, "imports/kobo.html", {"form": form})


@login_required
@require_GET
def template_download(request: HttpRequest, fmt: str, ext: str) -> HttpResponse:
    require_case_role(request.user)
    if fmt not in {"lentera", "htcds"} or ext not in {"xlsx", "csv"}:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    name = f"lentera-templat-{fmt}.{ext}"
    if ext == "xlsx":
        return download(intake.template_xlsx(fmt, build_vocabulary()), name, XLSX)
    return download(intake.template_csv(fmt), name, "text/csv")


@login_required
@require_GET
def xlsform_download(request: HttpRequest) -> HttpResponse:
    require_case_role(request.user)
    return download(intake.build_xlsform(build_vocabulary()), "lentera-intake-xlsform.xlsx", XLSX)
