"""Pages for duplicate survivors: candidates with their evidence, merge, undo, not the same."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lentera.errors import LenteraError
from lentera.web.cases import selectors, services
from lentera.web.cases.models import Person
from lentera.web.core.access import require_case_role
from lentera.web.core.forms import run_action

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "full_name": gettext_lazy("name"),
    "birth_date": gettext_lazy("date of birth"),
    "dob": gettext_lazy("date of birth"),
    "sex": gettext_lazy("sex"),
    "nik": gettext_lazy("NIK"),
    "birth_place": gettext_lazy("place of birth"),
    "origin_regency_code": gettext_lazy("origin regency/city"),
    "regency": gettext_lazy("origin regency/city"),
    "phone": gettext_lazy("phone"),
    "place": gettext_lazy("origin or place of birth"),
    "father": gettext_lazy("father's name (bin/binti)"),
}


def evidence_rows(evidence: list[list[Any]]) -> list[tuple[str, str, str]]:
    """(field, verdict, css class) per field, strongest first; language-neutral weights → words.

    A level above "differs" (``level`` > 0) whose weight is not positive — one shared name
    token, the same year on another day, a name common in the pair's area — agrees in part:
    it is not shown as "differs".
    """
    rows = []
    for field, level, weight in sorted(evidence, key=lambda e: -abs(e[2])):
        label = str(FIELD_LABELS.get(field, field.replace("_", " ")))
        if level == -1:
            rows.append((label, _("missing on one side"), "muted"))
        elif weight >= 4:
            rows.append((label, _("agrees strongly"), "e-met"))
        elif weight > 0:
            rows.append((label, _("agrees"), "e-met"))
        elif level > 0 and weight > -4:  # one shared token, the same year, a crowded place
            rows.append((label, _("agrees in part, weak evidence"), "muted"))
        elif weight <= -4:
            rows.append((label, _("differs clearly"), "danger"))
        else:
            rows.append((label, _("differs"), "danger"))
    return rows


def _pair_cases(person: Person) -> list[str]:
    return [link.case.reference for link in selectors.person_links(person)]


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # comparing every survivor is a background job
        # jobs runs the cases services (jobs → cases), so the queue is reached lazily here
        from lentera.web.jobs.services import enqueue

        require_case_role(request.user)  # the job's service checks again when it runs
        job = enqueue("duplicates_refresh", actor=request.user)
        return redirect("jobs:detail", job_id=job.pk)
    candidates, merges = selectors.duplicate_review_for_user(actor=request.user)
    pairs = [
        {
            "c": c,
            "percent": round(c.probability * 100),
            "a_cases": _pair_cases(c.person_a),
            "b_cases": _pair_cases(c.person_b),
            "evidence": evidence_rows(c.evidence),
        }
        for c in candidates
    ]
    return render(
        request,
        "cases/duplicates.html",
        {
            "pairs": pairs,
            "merges": merges,
            "computed_at": candidates[0].computed_at if candidates else None,
        },
    )


@login_required
@require_POST
def duplicate_merge(request: HttpRequest) -> HttpResponse:
    kept = selectors.person_get_for_user(actor=request.user, person_id=request.POST.get("kept", ""))
    merged = selectors.person_get_for_user(
        actor=request.user, person_id=request.POST.get("merged", "")
    )
    try:
        services.person_merge(actor=request.user, kept=kept, merged=merged)
    except LenteraError as exc:
        if exc.kind == "not_found":
            raise
        messages.error(request, exc.message)
        return redirect("cases:duplicates")
    messages.success(request, _("Records merged. You can undo this on the survivor's page."))
    return redirect("cases:person", person_id=kept.pk)


@login_required
@require_POST
def duplicate_not_same(request: HttpRequest) -> HttpResponse:
    a = selectors.person_get_for_user(actor=request.user, person_id=request.POST.get("a", ""))
    b = selectors.person_get_for_user(actor=request.user, person_id=request.POST.get("b", ""))
    services.mark_not_same(actor=request.user, a=a, b=b)
    messages.success(
        request, _("Marked as different people; this pair will not be proposed again.")
    )
    return redirect("cases:duplicates")


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.merge_get_for_user(actor=request.user, merge_id=merge_id)
    run_action(
        request,
        lambda: services.merge_undo(actor=request.user, merge=merge),
        _("Merge undone: both records are back as they were."),
    )
    return redirect("cases:person", person_id=merge.kept_id)
