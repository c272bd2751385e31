"""Legal-process pages: the timeline of a case, recording and deleting steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.web.cases import selectors as case_selectors
from lentera.web.core.confirm import ask_then, destructive
from lentera.web.core.forms import form_data, save_with_message
from lentera.web.core.responses import form_page
from lentera.web.referrals import labels, selectors, services
from lentera.web.referrals.forms import LegalStepForm


@login_required
def legal_process(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_get_for_user(actor=request.user, case_id=case_id)
    links = selectors.survivors_of_case(case)
    form = LegalStepForm(request.POST or None, links=links)
    if request.method == "POST" and form.is_valid():
        data = form_data(form)
        row = save_with_message(
            request,
            form,
            lambda: services.legal_step_add(
                actor=request.user, case=case, link=data.pop("survivor"), **data
            ),
            _("Step recorded."),
        )
        if row:
            return redirect("referrals:legal_process", case_id=case.pk)
    tl, rows = selectors.case_timeline(case)
    names = {link.pk: link.person.full_name for link in links}
    return form_page(
        request,
        "referrals/legal_process.html",
        {
            "case": case,
            "form": form,
            "rows": rows,
            "timeline": tl,
            "deadlines": [
                (d, labels.deadline_label(d.id), names.get(d.survivor)) for d in tl.deadlines
            ],
            "warnings": [
                (labels.warning_text(w), names.get(w.get("survivor"))) for w in tl.warnings
            ],
            "next_steps": [
                (names.get(k), [labels.step_label(c) for c in v])
                for k, v in tl.next_steps.items()
                if v
            ],
            "restitution": [(names.get(k), v) for k, v in tl.restitution.items()],
            "step_help": [
                (labels.step_label(c), labels.step_help(c)) for c, _l in form.fields["step"].choices
            ],
        },
        form,
    )


@destructive(
    gettext_lazy("Delete this step of the legal process?"),
    consequence=gettext_lazy("The step is deleted from the case's legal process."),
    button=gettext_lazy("Yes, delete"),
)
def legal_step_delete(request: HttpRequest, step_id: int) -> HttpResponse:
    row = selectors.legal_step_get_for_user(actor=request.user, step_id=step_id)
    return ask_then(
        request,
        lambda: services.legal_step_delete(actor=request.user, row=row),
        _("Step deleted."),
        "referrals:legal_process",
        case_id=row.case_id,
    )
