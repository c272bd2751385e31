"""Pages of the report builder: choose and queue a build, list and download reports, and
add a custom template. Views parse input, call a selector or a service, render; no ORM."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lentera.web.core.forms import run_service
from lentera.web.core.responses import form_page
from lentera.web.jobs.services import worker_alive
from lentera.web.reporting import selectors, services
from lentera.web.reporting.forms import BuildForm, TemplateForm

#: the largest template file accepted from the upload field
MAX_UPLOAD = services.MAX_TEMPLATE_CHARS * 4


@login_required
def builder(request: HttpRequest) -> HttpResponse:
    services.require_report_role(request.user)
    form = BuildForm(
        request.POST or None,
        initial={"lang": "id", "fmt": "xlsx"},
        templates=selectors.template_choices_for_user(actor=request.user),
        periods=selectors.period_choices(),
    )
    if request.method == "POST" and form.is_valid():
        job = run_service(
            form,
            lambda: services.report_request(
                actor=request.user,
                template=form.cleaned_data["template"],
                period=form.chosen_period(),
                lang=form.cleaned_data["lang"],
                fmt=form.cleaned_data["fmt"],
            ),
        )
        if job is not None:
            messages.success(
                request, _("The report is being built. This page shows it when it is ready.")
            )
            return redirect("jobs:detail", job_id=job.pk)
    page = Paginator(selectors.reports_list_for_user(actor=request.user), 20).get_page(
        request.GET.get("page")
    )
    return form_page(
        request,
        "reporting/builder.html",
        {
            "form": form,
            "page": page,
            "building": selectors.active_builds_for_user(actor=request.user),
            "worker_alive": worker_alive(),
            "custom": selectors.custom_templates_for_user(actor=request.user),
        },
        form,
    )


@login_required
def template_new(request: HttpRequest) -> HttpResponse:
    services.require_report_role(request.user)
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data.get("text") or ""
        filename = "template.yaml"
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                form.add_error("upload", _("The file is too large."))
            else:
                text = upload.read().decode("utf-8", errors="replace")
                filename = upload.name
        if not form.errors:
            saved = run_service(
                form,
                lambda: services.template_save(actor=request.user, text=text, filename=filename),
            )
            if saved is not None:
                messages.success(
                    request,
                    _("Template %(id)s saved; choose it below.") % {"id": saved.template_id},
                )
                return redirect("reporting:builder")
    return form_page(
        request,
        "reporting/template_form.html",
        {"form": form},
        form,
    )


@login_required
@require_GET
def download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get_for_user(actor=request.user, report_id=report_id)
    content, name, ctype = services.report_download(actor=request.user, report=report)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
