"""Pages of prevention outreach: list with reach totals, record/edit, and the map.

Views parse input, call a selector or a service, and render; no ORM here.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lentera.web.core.access import membership_for, require_case_role
from lentera.web.core.confirm import ask_then, destructive
from lentera.web.core.forms import filter_values, form_data, list_page, run_service
from lentera.web.outreach import maps, selectors, services
from lentera.web.outreach.choices import AGE_BANDS, SEXES
from lentera.web.outreach.forms import ActivityFilterForm, ActivityForm


def _filters(request: HttpRequest) -> tuple[ActivityFilterForm, dict]:
    form = ActivityFilterForm(
        request.GET or None, years=selectors.years_for_user(actor=request.user)
    )
    return form, filter_values(form)


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    form, _params = _filters(request)

    def reach(activities: Any) -> dict[str, Any]:
        totals = selectors.reach_totals(activities)
        return {
            "totals": totals,
            "reach_rows": [
                (label, [totals[f"{sex}_{band}"] for band, _b in AGE_BANDS]) for sex, label in SEXES
            ],
            "bands": [label for _b, label in AGE_BANDS],
            "can_edit": membership_for(request.user).can_edit_cases,
        }

    return list_page(
        request,
        form,
        partial(selectors.activities_list_for_user, actor=request.user),
        "outreach/list.html",
        extra=reach,
        by_key=True,
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int | None = None) -> HttpResponse:
    activity = (
        selectors.activity_get_for_user(actor=request.user, activity_id=activity_id)
        if activity_id
        else None
    )
    require_case_role(request.user)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = form_data(form)
        if activity is None:
            saved = run_service(form, lambda: services.activity_create(actor=request.user, **data))
        else:
            version = form.cleaned_data.get("version")
            saved = run_service(
                form,
                lambda: services.activity_update(
                    actor=request.user, activity=activity, version=version, **data
                ),
            )
        if saved is not None:
            messages.success(request, _("Outreach activity saved."))
            return redirect("outreach:list")
    status = 400 if form.errors else 200
    return render(
        request, "outreach/form.html", {"form": form, "activity": activity}, status=status
    )


@destructive(
    gettext_lazy("Delete this outreach activity?"),
    consequence=gettext_lazy(
        "Its attendance is no longer counted in the reach totals or on the map."
    ),
    button=gettext_lazy("Yes, delete"),
)
def activity_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(actor=request.user, activity_id=activity_id)
    return ask_then(
        request,
        lambda: services.activity_delete(actor=request.user, activity=activity),
        _("Outreach activity deleted."),
        "outreach:list",
    )


@login_required
@require_GET
def where_next(request: HttpRequest) -> HttpResponse:
    form, params = _filters(request)
    data = selectors.where_next_for_user(actor=request.user, year=params.get("year"))
    return render(
        request,
        "outreach/map.html",
        {
            "form": form,
            "data": data,
            # SVG written by the analytics engine, every label escaped there
            "outreach_svg": mark_safe(maps.outreach_svg(data)),  # noqa: S308
            "survivors_svg": mark_safe(maps.survivors_svg(data)),  # noqa: S308
            "poverty_svg": mark_safe(maps.poverty_svg()),  # noqa: S308
            "without_shape": maps.regencies_without_shape(data),
        },
    )
