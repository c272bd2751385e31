"""Consents (record, withdraw) and the notes of a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lentera.web.cases import selectors, services
from lentera.web.cases.forms import ConsentForm, NoteForm
from lentera.web.cases.views.cases import case_page
from lentera.web.cases.views.common import child_form_view
from lentera.web.core.confirm import ask, destructive
from lentera.web.core.forms import run_action, run_service


@login_required
def consent_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = ConsentForm(request.POST or None, persons=selectors.case_persons(case))

    def record() -> object:
        data = form.cleaned_data
        return services.consents_record(
            actor=request.user,
            person=data["person"],
            case=case,
            agreed=data.get("purposes") or [],
            refused=data.get("refused") or [],
            note=data.get("note") or "",
            shared_fields=data.get("shared_fields") or [],
            signed_by=data.get("signed_by") or "",
            signer_name=data.get("signer_name") or "",
        )

    return child_form_view(
        request,
        case=case,
        form=form,
        call=record,
        title=_("Record consent"),
        done=_("Consent recorded."),
    )


@destructive(
    gettext_lazy("Withdraw this consent?"),
    consequence=gettext_lazy("Sharing and referrals that depend on it stop."),
    button=gettext_lazy("Yes, withdraw"),
)
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(actor=request.user, consent_id=consent_id)
    if page := ask(request):
        return page
    run_action(
        request,
        lambda: services.consent_withdraw(
            actor=request.user, consent=consent, note=request.POST.get("note", "")
        ),
        _("Consent withdrawn. Sharing and referrals that depend on it are stopped."),
    )
    return redirect("cases:person", person_id=consent.person_id)


@login_required
@require_POST
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = NoteForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.note_add(actor=request.user, case=case, body=form.cleaned_data["body"]),
    ):
        messages.success(request, _("Note added."))
        return redirect("cases:detail", case_id=case.pk)
    full = selectors.case_get_for_user(actor=request.user, case_id=case.pk)
    return case_page(request, full, note_form=form)
