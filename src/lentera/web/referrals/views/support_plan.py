"""Support-plan pages: the plan of one survivor, editing an action, following it up."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.cases import selectors as case_selectors
from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.forms import form_view, save_with_message
from lentera.web.referrals import selectors, services
from lentera.web.referrals.forms import FollowUpForm, SupportActionForm
from lentera.web.referrals.models import SupportAction
from lentera.web.referrals.views.common import record_follow_up


def _action_form(
    request: HttpRequest, link: CaseSurvivor, action: SupportAction | None, bound: bool = True
) -> SupportActionForm:
    return SupportActionForm(
        (request.POST or None) if bound else None,
        instance=action,
        users=selectors.workers_of_organisation(link.case.organisation_id),
        referrals=selectors.referrals_of_link(link),
    )


def _action_data(form: SupportActionForm) -> dict[str, Any]:
    # not form_data(): it would turn an empty responsible or referral (ModelChoiceFields) into ""
    return dict(form.cleaned_data)


@login_required
def support_plan(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    form = _action_form(request, link, None)
    if request.method == "POST" and form.is_valid():
        data = _action_data(form)
        saved = save_with_message(
            request,
            form,
            lambda: services.action_save(actor=request.user, link=link, data=data),
            _("Support action added."),
        )
        if saved:
            return redirect("referrals:plan", link_id=link.pk)
    return _plan_page(request, link, form=form)


def _plan_page(
    request: HttpRequest,
    link: CaseSurvivor,
    *,
    form: SupportActionForm | None = None,
    follow_form: FollowUpForm | None = None,
    follow_for: int | None = None,
) -> HttpResponse:
    """The support plan; a rejected follow-up is shown open under its action, text kept."""
    form = form if form is not None else _action_form(request, link, None, bound=False)
    return render(
        request,
        "referrals/support_plan.html",
        {
            "link": link,
            "case": link.case,
            "actions": selectors.support_actions_of(link),
            "form": form,
            "follow_form": FollowUpForm(),
            "rejected_follow_form": follow_form,
            "follow_for": follow_for,
            "referrals": list(selectors.referrals_of_link(link)),
            "today": timezone.localdate(),
        },
        status=400 if form.errors or follow_form is not None else 200,
    )


@login_required
def support_action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.support_action_get_for_user(actor=request.user, action_id=action_id)
    link = action.case_survivor
    form = _action_form(request, link, action)

    def save() -> Any:
        data = _action_data(form)
        data["version"] = request.POST.get("version") or action.version
        fresh = selectors.support_action_get_for_user(actor=request.user, action_id=action_id)
        return services.action_save(actor=request.user, link=link, data=data, action=fresh)

    return form_view(
        request,
        form,
        save,
        done=_("Support action saved."),
        then=lambda _saved: redirect("referrals:plan", link_id=link.pk),
        template="referrals/action_form.html",
        context={"form": form, "action": action, "link": link, "case": link.case},
    )


@login_required
@require_POST
def support_action_follow_up(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.support_action_get_for_user(actor=request.user, action_id=action_id)
    rejected = record_follow_up(request, case=action.case_survivor.case, action=action)
    if rejected is None:
        return redirect("referrals:plan", link_id=action.case_survivor_id)
    return _plan_page(request, action.case_survivor, follow_form=rejected, follow_for=action.pk)
