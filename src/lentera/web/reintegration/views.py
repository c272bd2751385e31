"""Reintegration pages: the survivor's plan, follow-ups, the RSS survey, later departures,
the due list, outcomes for supervisors, schedule settings and the submission import.

Views parse input, call a selector or a service, and render: no ORM here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lentera.errors import LenteraError
from lentera.web.cases import selectors as case_selectors
from lentera.web.core.forms import form_data, form_view, run_service, save_with_message
from lentera.web.core.i18n import current_lang
from lentera.web.core.responses import form_page
from lentera.web.jobs.services import enqueue
from lentera.web.reintegration import imports, outcomes, selectors, services, trajectory
from lentera.web.reintegration.forms import (
    ActionForm,
    DepartureForm,
    FollowUpForm,
    ImportForm,
    KoboFetchForm,
    PlanForm,
    SettingsForm,
)
from lentera.web.reintegration.models import PlanAction, ReintegrationPlan

GET_POST = require_http_methods(["GET", "POST"])


def _ids(data: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    """Turn the id choices of a form into the organisation's objects (None if not found)."""
    out = dict(data)
    if "provider" in out:
        out["provider"] = selectors.provider_get(actor=request.user, provider_id=out["provider"])
    if "referral" in out:
        out["referral"] = selectors.referral_get(actor=request.user, referral_id=out["referral"])
    if "case" in out:
        out["case"] = selectors.case_get(actor=request.user, case_id=out["case"])
    if "new_case" in out:
        out["new_case"] = selectors.case_get(actor=request.user, case_id=out["new_case"])
    return out


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    rows = selectors.due_followups_for_user(actor=request.user, mine=mine, limit=200)
    return render(request, "reintegration/due.html", {"rows": rows, "mine": mine})


@login_required
@GET_POST
def person_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    """The survivor's plan, or the form that opens it."""
    person = case_selectors.person_get_for_user(actor=request.user, person_id=person_id)
    plan = selectors.plan_for_person(actor=request.user, person=person)
    if plan is not None:
        return redirect("reintegration:plan", plan_id=plan.pk)
    choices_ = selectors.plan_form_choices(actor=request.user, person=person)
    form = PlanForm(request.POST or None, choices_=choices_)

    def create() -> ReintegrationPlan:
        data = _ids(form_data(form), request)
        return services.plan_create(
            actor=request.user, person=person, case=data["case"], referral=data["referral"],
            return_date=data["return_date"], notes=data["notes"],
        )  # fmt: skip

    return form_view(
        request,
        form,
        create,
        done=_("Reintegration plan opened."),
        then=lambda made: redirect("reintegration:plan", plan_id=made.pk),
        template="reintegration/plan_form.html",
        context={"person": person, "form": form, "plan": None},
    )


def _plan_page(
    request: HttpRequest, plan: ReintegrationPlan, form: ActionForm | None = None
) -> HttpResponse:
    form = form or ActionForm(choices_=selectors.action_form_choices(actor=request.user, plan=plan))
    scores = [f.score for f in plan.followups.all() if hasattr(f, "score")]
    return form_page(
        request,
        "reintegration/plan.html",
        {
            "plan": plan,
            "form": form,
            "today": timezone.localdate(),
            "chart": trajectory.chart(scores),
            "scores": sorted(scores, key=lambda s: s.visit_date),
            "change": trajectory.change(scores),
            "state": selectors.plan_outcome_state(plan),
            "support": selectors.support_plan_of(plan),
            "catalogue": selectors.catalogue_status(),
            "lang": current_lang(),
        },
        form,
    )


@login_required
@GET_POST
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan; POST adds an action."""
    plan = selectors.plan_get_for_user(actor=request.user, plan_id=plan_id)
    if request.method != "POST":
        return _plan_page(request, plan)
    form = ActionForm(
        request.POST, choices_=selectors.action_form_choices(actor=request.user, plan=plan)
    )
    if form.is_valid():
        data = _ids(form_data(form), request)
        if save_with_message(
            request,
            form,
            lambda: services.action_save(actor=request.user, plan=plan, data=data),
            _("Action added."),
        ):
            return redirect("reintegration:plan", plan_id=plan.pk)
    return _plan_page(request, plan, form)


def _edit_in_plan(
    request: HttpRequest,
    form: Any,
    plan: ReintegrationPlan,
    save: Callable[..., Any],
    *,
    done: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Edit a versioned record of the plan (the plan itself or one of its actions) through
    ``form_view``: ``save`` gets the actor, the plan, the form's data and the version it was
    read at, and a saved edit goes back to the plan page."""
    return form_view(
        request,
        form,
        lambda: save(
            actor=request.user,
            plan=plan,
            data=_ids(form_data(form), request),
            version=form.cleaned_data["version"],
        ),
        done=done,
        then=lambda _saved: redirect("reintegration:plan", plan_id=plan.pk),
        template=template,
        context=context,
    )


@login_required
@GET_POST
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(actor=request.user, plan_id=plan_id)
    choices_ = selectors.plan_form_choices(actor=request.user, person=plan.person)
    initial = {
        "case": plan.case_id, "referral": plan.referral_id, "return_date": plan.return_date,
        "notes": plan.notes, "version": plan.version,
    }  # fmt: skip
    form = PlanForm(request.POST or None, initial=initial, choices_=choices_)
    return _edit_in_plan(
        request,
        form,
        plan,
        services.plan_update,
        done=_("Plan saved."),
        template="reintegration/plan_form.html",
        context={"person": plan.person, "form": form, "plan": plan},
    )


@login_required
@GET_POST
def action_edit(request: HttpRequest, plan_action_id: int) -> HttpResponse:
    action: PlanAction = selectors.action_get_for_user(actor=request.user, action_id=plan_action_id)
    plan = action.plan
    initial = {
        f: getattr(action, f"{f}_id" if f in ("provider", "referral") else f)
        for f in services.ACTION_FIELDS
    }
    initial["version"] = action.version
    choices_ = selectors.action_form_choices(actor=request.user, plan=plan)
    form = ActionForm(request.POST or None, initial=initial, choices_=choices_)
    return _edit_in_plan(
        request,
        form,
        plan,
        partial(services.action_save, action=action),
        done=_("Action saved."),
        template="reintegration/action_form.html",
        context={"plan": plan, "action": action, "form": form},
    )


@login_required
@GET_POST
def followup_edit(request: HttpRequest, followup_id: int) -> HttpResponse:
    """Record what came of a follow-up; "reached" goes on to the survey."""
    followup = selectors.followup_get_for_user(actor=request.user, followup_id=followup_id)
    initial = {
        "outcome": followup.outcome or None,
        "done_on": followup.done_on or min(timezone.localdate(), followup.due_date),
        "mode": followup.mode,
        "note": followup.note,
        "version": followup.version,
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form_data(form)
        saved = run_service(
            form,
            lambda: services.followup_record(
                actor=request.user, followup=followup, version=form.cleaned_data["version"],
                **data,
            ),
        )  # fmt: skip
        if saved:
            if saved.outcome == "reached":
                return redirect("reintegration:score", followup_id=saved.pk)
            messages.success(request, _("Follow-up recorded."))
            return redirect("reintegration:plan", plan_id=saved.plan_id)
    return form_page(
        request,
        "reintegration/followup_form.html",
        {"followup": followup, "plan": followup.plan, "form": form},
        form,
    )


@login_required
@GET_POST
def score_form(request: HttpRequest, followup_id: int) -> HttpResponse:
    """The Reintegration Sustainability Survey of a reached follow-up, one question at a time
    down the page (radio buttons, large targets)."""
    followup = selectors.followup_get_for_user(actor=request.user, followup_id=followup_id)
    lang = request.GET.get("lang") or current_lang()
    lang = lang if lang in ("id", "en") else "id"
    groups = selectors.catalogue_questions(lang)
    keys = [i["key"] for g in groups for i in g["indicators"]]
    previous = followup.score.answers if hasattr(followup, "score") else {}
    answers = {k: request.POST.get(k, "") for k in keys} if request.method == "POST" else previous
    error = None
    if request.method == "POST":
        try:
            services.score_record(actor=request.user, followup=followup, answers=answers)
        except LenteraError as exc:
            error = exc
        else:
            messages.success(request, _("Survey scored."))
            return redirect("reintegration:plan", plan_id=followup.plan_id)
    return render(
        request,
        "reintegration/score_form.html",
        {
            "followup": followup,
            "plan": followup.plan,
            "groups": groups,
            "answers": answers,
            "error": error,
            "survey_lang": lang,
            "catalogue": selectors.catalogue_status(),
        },
        status=400 if error else 200,
    )


@login_required
@GET_POST
def departure_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(actor=request.user, plan_id=plan_id)
    cases = [
        (lnk.case_id, lnk.case.reference)
        for lnk in selectors.person_links(actor=request.user, person=plan.person)
    ]
    form = DepartureForm(request.POST or None, cases=cases)
    return form_view(
        request,
        form,
        lambda: services.departure_record(
            actor=request.user, plan=plan, data=_ids(form_data(form), request)
        ),
        done=_("Departure recorded."),
        then=lambda _departure: redirect("reintegration:plan", plan_id=plan.pk),
        template="reintegration/departure_form.html",
        context={"plan": plan, "form": form},
    )


@login_required
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    data = outcomes.outcomes_for_user(actor=request.user)
    return render(request, "reintegration/outcomes.html", {"o": data})


@login_required
@GET_POST
def settings_page(request: HttpRequest) -> HttpResponse:
    row, months, mode = selectors.settings_for_user(actor=request.user)
    initial = {
        "schedule_months": months,
        "default_mode": mode,
        "version": row.version if row else None,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and run_service(
        form,
        lambda: services.settings_save(
            actor=request.user, schedule_months=form.cleaned_data["schedule_months"],
            default_mode=form.cleaned_data["default_mode"],
            version=form.cleaned_data["version"],
        ),
    ):  # fmt: skip
        messages.success(request, _("Follow-up schedule saved."))
        return redirect("reintegration:settings")
    return form_page(request, "reintegration/settings.html", {"form": form}, form)


@login_required
@GET_POST
def import_page(request: HttpRequest) -> HttpResponse:
    """Import follow-up survey submissions, checked and written by the worker (a file of many
    rows is too long for a request; the job page shows the result): an export file, or
    (``source=kobo``) the submissions fetched here from the KoboToolbox API with a token used for
    that fetch only — never stored and never handed to the job."""
    from_kobo = request.method == "POST" and request.POST.get("source") == "kobo"
    form = ImportForm(None if from_kobo else request.POST or None, request.FILES or None)
    kobo = KoboFetchForm(request.POST if from_kobo else None)
    content, filename, dry_run = None, "", True
    if from_kobo and kobo.is_valid():
        d = kobo.cleaned_data
        content = run_service(
            kobo,
            lambda: imports.submissions_download(
                actor=request.user, server_url=d["server_url"], asset_uid=d["asset_uid"],
                token=d["token"],
            ),
        )  # fmt: skip
        filename, dry_run = imports.FETCHED_NAME, d["dry_run"]
    elif request.method == "POST" and not from_kobo and form.is_valid():
        upload = form.cleaned_data["file"]
        content, filename, dry_run = upload.read(), upload.name, form.cleaned_data["dry_run"]
    if content is not None:
        job = enqueue(
            "reintegration_import",
            actor=request.user,
            params={"dry_run": dry_run, "fetched": from_kobo},
            key=f"rss_import:{request.user.pk}:{hashlib.sha256(content).hexdigest()}:{dry_run}",
            content=content,
            filename=filename,
        )
        return redirect("jobs:detail", job_id=job.pk)
    return form_page(
        request,
        "reintegration/import.html",
        {"form": form, "kobo": kobo},
        kobo if from_kobo else form,
    )
