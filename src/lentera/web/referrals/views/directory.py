"""Service-directory pages: search, add and edit a provider, import and export the directory."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lentera.errors import LenteraError
from lentera.web.core.access import require_case_role
from lentera.web.core.forms import form_view, list_page
from lentera.web.core.responses import download
from lentera.web.core.services import not_found
from lentera.web.referrals import directory, selectors, services, starter
from lentera.web.referrals.forms import DirectoryImportForm, DirectorySearchForm, ProviderForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def directory_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        DirectorySearchForm(request.GET or None),
        partial(
            selectors.providers_for_user,
            actor=request.user,
            active_only=request.GET.get("inactive") != "1",
        ),
        "referrals/directory.html",
    )


@login_required
def provider_edit(request: HttpRequest, provider_id: int | None = None) -> HttpResponse:
    def found() -> Any:  # the provider as stored now (read again for the save)
        if not provider_id:
            return None
        return selectors.provider_get_for_user(actor=request.user, provider_id=provider_id)

    provider = found()
    require_case_role(request.user)
    form = ProviderForm(request.POST or None, instance=provider)

    def save() -> Any:
        # not form_data(): it would turn an empty linked_organisation (a ModelChoiceField) into ""
        data = dict(form.cleaned_data)
        if provider is not None:
            data["version"] = request.POST.get("version") or provider.version
        return services.provider_save(actor=request.user, data=data, provider=found())

    return form_view(
        request,
        form,
        save,
        done=_("Provider saved."),
        then=lambda _provider: redirect("referrals:directory"),
        template="referrals/provider_form.html",
        context={"form": form, "provider": provider},
    )


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    membership = require_case_role(request.user)
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    report, error, status = None, None, 200
    if request.method == "POST" and request.POST.get("starter"):
        added = starter.directory_add_starter(actor=request.user)
        messages.success(
            request,
            _(
                "Starter directory added: %(c)s institutions. Add the address, phone and contact "
                "person of those you work with."
            )
            % {"c": added.created},
        )
        return redirect("referrals:directory")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mode = form.cleaned_data["mode"]
        try:
            report = directory.directory_import(
                actor=request.user,
                filename=upload.name,
                content=upload.read(directory.MAX_BYTES + 1),
                dry_run=mode == "check",
                valid_only=mode == "valid_only",
            )
        except LenteraError as exc:
            if exc.kind == "forbidden":
                raise
            error, status = exc.message, 400
        else:
            if report.written:
                messages.success(
                    request,
                    _("Directory imported: %(c)s new, %(u)s updated.")
                    % {"c": report.created, "u": report.updated},
                )
                if not report.problems:
                    return redirect("referrals:directory")
            status = 400 if report.problems else 200
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "referrals/directory_import.html",
        {"form": form, "report": report, "error": error, "can_import": membership.is_supervising},
        status=status,
    )


@login_required
@require_GET
def directory_template(request: HttpRequest, fmt: str) -> HttpResponse:
    require_case_role(request.user)
    if fmt == "xlsx":
        return download(directory.template_xlsx(), "lentera-direktori-layanan.xlsx", XLSX)
    if fmt == "csv":
        return download(directory.directory_csv([]), "lentera-direktori-layanan.csv", "text/csv")
    raise not_found()


@login_required
@require_GET
def directory_export(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.providers_for_user(actor=request.user, active_only=False))
    return download(directory.directory_csv(providers), "direktori-layanan.csv", "text/csv")
