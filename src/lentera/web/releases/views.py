"""The release wizard: request (with risk preview), second-person approval, download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.web.accounts.models import Role
from lentera.web.core.access import membership_for
from lentera.web.core.forms import run_action
from lentera.web.core.responses import download, form_page
from lentera.web.jobs.services import enqueue
from lentera.web.releases import selectors, services
from lentera.web.releases.forms import BudgetForm, ReleaseForm
from lentera.web.releases.models import ReleaseStatus


@login_required
def release_list(request: HttpRequest) -> HttpResponse:
    membership = services.require_role(
        request.user, services.REQUEST_ROLES, _("Your role may not make data releases.")
    )
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # the risk preview reads the whole snapshot: the worker computes it
        d = form.cleaned_data
        job = enqueue(
            "release_request",
            actor=request.user,
            params={
                "kind": d["kind"], "purpose": d["purpose"], "k": d.get("k"),
                "epsilon": d.get("epsilon"), "dimensions": d.get("dimensions"),
            },
        )  # fmt: skip
        return redirect("jobs:detail", job_id=job.pk)
    ledger = services.DbLedger(membership.organisation_id)
    code = membership.organisation.code
    return form_page(
        request,
        "releases/releases.html",
        {
            "form": form,
            "releases": selectors.release_list_for_user(actor=request.user),
            "budget": ledger.budget(code),
            "spent": ledger.spent(code),
            "budget_form": BudgetForm(initial={"total": ledger.budget(code)}),
            "can_approve": membership.role in services.APPROVE_ROLES,
            "is_admin": membership.role == Role.ORG_ADMIN,
            "hub_mode": settings.LENTERA_HUB,
        },
        form,
    )


@login_required
@require_POST
def release_decide(request: HttpRequest, release_id: int) -> HttpResponse:
    release = selectors.release_get_for_user(actor=request.user, release_id=release_id)
    if request.POST.get("approve") == "1":
        # approving builds and verifies the package: the worker does it
        role = membership_for(request.user).role
        if (
            role in services.APPROVE_ROLES
            and release.status == ReleaseStatus.PENDING
            and release.requested_by_id != request.user.pk
        ):
            job = enqueue(
                "release_build",
                actor=request.user,
                params={"release": release.pk, "note": request.POST.get("note", "")},
                key=f"release_build:{release.pk}",
            )
            return redirect("jobs:detail", job_id=job.pk)
    run_action(
        request,
        lambda: services.release_decide(
            actor=request.user, release=release, approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        ),
        _("Decision recorded."),
        reraise=("not_found",),
    )  # fmt: skip
    return redirect("releases:list")


@login_required
@require_GET
def release_download(request: HttpRequest, release_id: int) -> HttpResponse:
    content, name = services.release_file(
        actor=request.user,
        release=selectors.release_get_for_user(actor=request.user, release_id=release_id),
    )
    return download(content, name, "application/zip")


@login_required
@require_POST
def budget(request: HttpRequest) -> HttpResponse:
    form = BudgetForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.budget_set(actor=request.user, total=form.cleaned_data["total"]),
            _("ε budget saved."),
            reraise=("forbidden",),
        )
    else:
        messages.error(request, _("Enter a number above 0."))
    return redirect("releases:list")
