"""A survivor's own page and their data rights (UU 27/2022): export, anonymisation."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.cases import selectors, services
from lentera.web.core.access import require_supervisor
from lentera.web.core.forms import run_action_then


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id)
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "links": selectors.person_links(person),
            "consents": selectors.person_consents(person),
            "merges": selectors.person_merges(person),
        },
    )


@login_required
def person_export(request: HttpRequest, person_id: int, fmt: str) -> HttpResponse:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    data = selectors.person_export_data(actor=request.user, person=person)
    if fmt == "pdf":
        response = HttpResponse(selectors.person_export_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="lentera-person-{person.pk}.pdf"'
    else:
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="lentera-person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def person_anonymise(request: HttpRequest, person_id: int) -> HttpResponse:
    # the service enforces the rule; asking first answers 403 before anything else is checked
    require_supervisor(request.user)
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    return run_action_then(
        request,
        lambda: services.person_anonymise(
            actor=request.user,
            person=person,
            reason=request.POST.get("reason", "data_subject_request"),
        ),
        _("The survivor's identity has been erased; statistics are kept."),
        "cases:person",
        refused="" if request.POST.get("confirm") == "ANONIM" else _("Type ANONIM to confirm."),
        person_id=person.pk,
    )
