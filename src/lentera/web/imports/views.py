"""Import pages: upload a file (or fetch a KoboToolbox form), see the report, download
the templates and the intake XLSForm. Only case roles may import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lentera import intake
from lentera.errors import LenteraError
from lentera.web.core.access import require_case_role
from lentera.web.imports import services
from lentera.web.imports.forms import ImportFileForm, KoboImportForm
from lentera.web.imports.models import ImportRun
from lentera.web.imports.spec import build_vocabulary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, ctype: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _lang() -> str:
    return (get_language() or "id")[:2]


def _respond(
    request: HttpRequest, template: str, context: dict, outcome: services.ImportOutcome | None
) -> HttpResponse:
    if outcome is not None and request.POST.get("download") == "csv":
        return _download(services.report_csv(outcome, _lang()), "laporan-impor.csv", "text/csv")
    status = 200
    if outcome is not None:
        if outcome.written:
            messages.success(
                request,
                _("Imported: %(cases)s cases, %(survivors)s survivors.")
                % {"cases": outcome.cases_created, "survivors": outcome.survivors_created},
            )
        if not outcome.ok:
            status = 400
    membership = require_case_role(request.user)
    context.update(
        {
            "outcome": outcome,
            "problems": outcome.problems(_lang()) if outcome is not None else [],
            "runs": ImportRun.objects.filter(organisation_id=membership.organisation_id)[:10],
        }
    )
    return render(request, template, context, status=status)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require_case_role(request.user)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    outcome, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.import_file(
                actor=request.user,
                fmt=form.cleaned_data["format"],
                filename=upload.name,
                content=upload.read(intake.MAX_BYTES + 1),
                mode=form.cleaned_data["mode"],
            )
        except LenteraError as exc:
            if exc.kind == "forbidden":
                raise
            error = exc.message
    response = _respond(request, "imports/upload.html", {"form": form, "error": error}, outcome)
    if request.method == "POST" and (error or not form.is_valid()):
        response.status_code = 400
    return response


@login_required
def import_kobo(request: HttpRequest) -> HttpResponse:
    require_case_role(request.user)
    form = KoboImportForm(request.POST or None)
    outcome, error = None, None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outcome = services.import_kobo_api(
                actor=request.user,
                server_url=d["server_url"],
                asset_uid=d["asset_uid"],
                token=d["token"],
                mode=d["mode"],
            )
        except intake.KoboError as exc:
            error = intake.message(exc.code, _lang(), exc.params)
        except LenteraError as exc:
            if exc.kind == "forbidden":
                raise
            error = exc.message
    response = _respond(request, "imports/kobo.html", {"form": form, "error": error}, outcome)
    if request.method == "POST" and (error or not form.is_valid()):
        response.status_code = 400
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, fmt: str, ext: str) -> HttpResponse:
    require_case_role(request.user)
    if fmt not in {"lentera", "htcds"} or ext not in {"xlsx", "csv"}:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    name = f"lentera-templat-{fmt}.{ext}"
    if ext == "xlsx":
        return _download(intake.template_xlsx(fmt, build_vocabulary()), name, XLSX)
    return _download(intake.template_csv(fmt), name, "text/csv")


@login_required
@require_GET
def xlsform_download(request: HttpRequest) -> HttpResponse:
    require_case_role(request.user)
    return _download(intake.build_xlsform(build_vocabulary()), "lentera-intake-xlsform.xlsx", XLSX)
