"""The perpetrators and the trafficking journey (events) of a case: add, edit, delete."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.web.cases import selectors, services
from lentera.web.cases.forms import EventForm, PerpetratorForm
from lentera.web.cases.views.common import child_form_view
from lentera.web.core.confirm import ask_then, destructive
from lentera.web.core.forms import form_data
from lentera.web.core.i18n import current_lang


@login_required
def perpetrator_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = PerpetratorForm(request.POST or None, lang=current_lang())
    return child_form_view(
        request,
        case=case,
        form=form,
        call=lambda: services.perpetrator_add(actor=request.user, case=case, **form_data(form)),
        title=_("Add a perpetrator"),
        done=_("Perpetrator recorded."),
    )


@login_required
def perpetrator_edit(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    p = selectors.perpetrator_get_for_user(actor=request.user, perpetrator_id=perpetrator_id)
    form = PerpetratorForm(request.POST or None, instance=p, lang=current_lang())
    return child_form_view(
        request,
        case=p.case,
        form=form,
        call=lambda: services.perpetrator_update(
            actor=request.user,
            perpetrator=p,
            version=form.cleaned_data.get("version"),
            **form_data(form),
        ),
        title=_("Edit perpetrator"),
        done=_("Perpetrator saved."),
    )


@destructive(
    gettext_lazy("Delete this perpetrator?"),
    consequence=gettext_lazy("Everything recorded about this perpetrator in the case is deleted."),
    button=gettext_lazy("Yes, delete"),
)
def perpetrator_delete(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    p = selectors.perpetrator_get_for_user(actor=request.user, perpetrator_id=perpetrator_id)
    return ask_then(
        request,
        lambda: services.perpetrator_delete(actor=request.user, perpetrator=p),
        _("Perpetrator deleted."),
        "cases:detail",
        case_id=p.case_id,
    )


@login_required
def event_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = EventForm(request.POST or None, lang=current_lang())
    return child_form_view(
        request,
        case=case,
        form=form,
        call=lambda: services.event_add(actor=request.user, case=case, **form_data(form)),
        title=_("Add a trafficking event"),
        done=_("Event recorded."),
    )


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    e = selectors.event_get_for_user(actor=request.user, event_id=event_id)
    form = EventForm(request.POST or None, instance=e, lang=current_lang())
    return child_form_view(
        request,
        case=e.case,
        form=form,
        call=lambda: services.event_update(
            actor=request.user,
            event=e,
            version=form.cleaned_data.get("version"),
            **form_data(form),
        ),
        title=_("Edit trafficking event"),
        done=_("Event saved."),
    )


@destructive(
    gettext_lazy("Delete this event of the journey?"),
    consequence=gettext_lazy("The event is deleted from the case."),
    button=gettext_lazy("Yes, delete"),
)
def event_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    e = selectors.event_get_for_user(actor=request.user, event_id=event_id)
    return ask_then(
        request,
        lambda: services.event_delete(actor=request.user, event=e),
        _("Event deleted."),
        "cases:detail",
        case_id=e.case_id,
    )
