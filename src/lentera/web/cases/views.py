"""Case pages: parse the request, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.errors import LenteraError
from lentera.web.cases import selectors, services
from lentera.web.cases.choices import CaseStatus, ExploitationType
from lentera.web.cases.forms import (
    CaseFilterForm,
    CaseForm,
    CaseSurvivorForm,
    ConsentForm,
    EventForm,
    NoteForm,
    PerpetratorForm,
    PersonForm,
    province_choices,
    regency_choices,
)
from lentera.web.cases.models import Case
from lentera.web.core.confirm import ask, confirm_first
from lentera.web.core.forms import form_data as _data
from lentera.web.core.forms import run_service as _run
from lentera.web.referrals.selectors import referrals_of_case


def _lang() -> str:
    return (get_language() or "id")[:2]


def _options(choices: Any, selected: str) -> str:
    """``<option>`` tags for a filter select (much faster than widget templates on a hot page)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        filters = selectors.CaseFilters(**form.cleaned_data)
    qs = selectors.case_list_for_user(actor=request.user, filters=filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    page.object_list = selectors.with_survivor_counts(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "case_url": reverse("cases:list"),
        "status_options": _options(CaseStatus.choices, request.GET.get("status", "")),
        "exploitation_options": _options(
            ExploitationType.choices, request.GET.get("exploitation_type", "")
        ),
        "province_options": _options(province_choices()[1:], request.GET.get("province", "")),
    }
    template = (
        "cases/_case_rows.html"
        if request.htmx and request.htmx.target == "case-results"
        else "cases/case_list.html"
    )
    return render(request, template, context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = _run(form, lambda: services.case_open(actor=request.user, **_data(form)))
        if case:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("New case")})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Case, note_form: NoteForm | None = None) -> HttpResponse:
    """The case page; a rejected note comes back in its form with the message and the text."""
    survivors = list(case.survivors.all())
    consents_by_person = {}
    for consent in case.consents.all():
        consents_by_person.setdefault(consent.person_id, []).append(consent)
    context = {
        "case": case,
        "survivors": survivors,
        "perpetrators": list(case.perpetrators.all()),
        "events": list(case.events.all()),
        "notes": list(case.notes.all()),
        "consents": [c for c in case.consents.all() if c.withdrawn_at is None],
        "attachments": list(case.attachments.all()),
        "note_form": note_form or NoteForm(),
        "referrals": referrals_of_case(case),
    }
    status = 400 if note_form is not None and note_form.errors else 200
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = CaseForm(request.POST or None, instance=Case.objects.get(pk=case.pk))
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            lambda: services.case_update(
                actor=request.user,
                case=case,
                version=form.cleaned_data.get("version"),
                **_data(form),
            ),
        )
        if saved:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": case, "title": _("Edit case")})


def _possible_duplicates(request: HttpRequest, person_form: forms.Form) -> list[dict[str, Any]]:
    """Existing survivors the new one may be (intake check), with their evidence."""
    from lentera.web.cases.duplicate_views import evidence_rows
    from lentera.web.cases.duplicates import likely_duplicates

    found = likely_duplicates(actor=request.user, fields=_data(person_form))
    return [
        {
            "person": person,
            "percent": round(pair.probability * 100),
            "evidence": evidence_rows(
                [[e.field, e.level, e.match_weight] for e in pair.explanation]
            ),
            "cases": [lk.case.reference for lk in person.case_links.select_related("case")],
        }
        for person, pair in found
    ]


@login_required
def survivor_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    person_form = PersonForm(request.POST or None, prefix="p", lang=_lang())
    link_form = CaseSurvivorForm(request.POST or None, prefix="s")
    valid = request.method == "POST" and person_form.is_valid() and link_form.is_valid()
    possible = (
        _possible_duplicates(request, person_form)
        if valid and request.POST.get("confirm_new") != "1"
        else []
    )
    if valid and not possible:
        link = _run(
            person_form,
            lambda: services.case_survivor_create(
                actor=request.user,
                case=case,
                person_fields=_data(person_form),
                link_fields=_data(link_form),
            ),
            link_form,
        )
        if link:
            messages.success(request, _("Survivor added to the case."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/survivor_form.html",
        {
            "case": case,
            "person_form": person_form,
            "link_form": link_form,
            "title": _("Add a survivor"),
            "possible": possible,
        },
        status=409 if possible else 200,
    )


@login_required
def survivor_link_existing(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    if request.method == "POST":
        person = selectors.person_get_for_user(
            actor=request.user, person_id=request.POST.get("person", "")
        )
        try:
            services.case_survivor_add(actor=request.user, case=case, person=person)
            messages.success(request, _("Survivor added to the case."))
        except LenteraError as exc:
            messages.error(request, exc.message)
        return redirect("cases:detail", case_id=case.pk)
    q = request.GET.get("q", "")
    persons = list(selectors.person_list_for_user(actor=request.user, q=q)[:20]) if q else []
    return render(request, "cases/survivor_link.html", {"case": case, "persons": persons, "q": q})


@login_required
def survivor_edit(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    person_form = PersonForm(request.POST or None, instance=link.person, prefix="p", lang=_lang())
    link_form = CaseSurvivorForm(request.POST or None, instance=link, prefix="s")
    if request.method == "POST" and person_form.is_valid() and link_form.is_valid():
        saved = _run(
            person_form,
            lambda: services.case_survivor_edit(
                actor=request.user,
                link=link,
                person_fields=_data(person_form),
                person_version=person_form.cleaned_data.get("version"),
                link_fields=_data(link_form),
                link_version=link_form.cleaned_data.get("version"),
            ),
            link_form,
        )
        if saved:
            messages.success(request, _("Survivor saved."))
            return redirect("cases:detail", case_id=link.case_id)
    return render(
        request,
        "cases/survivor_form.html",
        {
            "case": link.case,
            "person_form": person_form,
            "link_form": link_form,
            "link": link,
            "title": _("Edit survivor"),
        },
    )


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Remove this survivor from the case?"),
    consequence=gettext_lazy(
        "The survivor's own record is kept and can be added to the case again."
    ),
    button=gettext_lazy("Yes, remove from the case"),
)
def survivor_remove(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    if page := ask(request):
        return page
    services.case_survivor_remove(actor=request.user, link=link)
    messages.success(request, _("Survivor removed from the case. The survivor's record is kept."))
    return redirect("cases:detail", case_id=link.case_id)


def _child_form_view(
    request: HttpRequest,
    *,
    case: Case,
    form: forms.Form,
    call: Callable[[], Any],
    title: str,
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        result = _run(form, call)
        if result is not None:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": case, "title": title})


@login_required
def perpetrator_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = PerpetratorForm(request.POST or None, lang=_lang())
    return _child_form_view(
        request,
        case=case,
        form=form,
        call=lambda: services.perpetrator_add(actor=request.user, case=case, **_data(form)),
        title=_("Add a perpetrator"),
        done=_("Perpetrator recorded."),
    )


@login_required
def perpetrator_edit(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    p = selectors.perpetrator_get_for_user(actor=request.user, perpetrator_id=perpetrator_id)
    form = PerpetratorForm(request.POST or None, instance=p, lang=_lang())
    return _child_form_view(
        request,
        case=p.case,
        form=form,
        call=lambda: services.perpetrator_update(
            actor=request.user,
            perpetrator=p,
            version=form.cleaned_data.get("version"),
            **_data(form),
        ),
        title=_("Edit perpetrator"),
        done=_("Perpetrator saved."),
    )


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Delete this perpetrator?"),
    consequence=gettext_lazy("Everything recorded about this perpetrator in the case is deleted."),
    button=gettext_lazy("Yes, delete"),
)
def perpetrator_delete(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    p = selectors.perpetrator_get_for_user(actor=request.user, perpetrator_id=perpetrator_id)
    if page := ask(request):
        return page
    services.perpetrator_delete(actor=request.user, perpetrator=p)
    messages.success(request, _("Perpetrator deleted."))
    return redirect("cases:detail", case_id=p.case_id)


@login_required
def event_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = EventForm(request.POST or None, lang=_lang())
    return _child_form_view(
        request,
        case=case,
        form=form,
        call=lambda: services.event_add(actor=request.user, case=case, **_data(form)),
        title=_("Add a trafficking event"),
        done=_("Event recorded."),
    )


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    e = selectors.event_get_for_user(actor=request.user, event_id=event_id)
    form = EventForm(request.POST or None, instance=e, lang=_lang())
    return _child_form_view(
        request,
        case=e.case,
        form=form,
        call=lambda: services.event_update(actor=request.user, event=e, **_data(form)),
        title=_("Edit trafficking event"),
        done=_("Event saved."),
    )


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Delete this event of the journey?"),
    consequence=gettext_lazy("The event is deleted from the case."),
    button=gettext_lazy("Yes, delete"),
)
def event_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    e = selectors.event_get_for_user(actor=request.user, event_id=event_id)
    if page := ask(request):
        return page
    services.event_delete(actor=request.user, event=e)
    messages.success(request, _("Event deleted."))
    return redirect("cases:detail", case_id=e.case_id)


@login_required
def consent_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    persons = case.organisation.persons.filter(case_links__case=case)
    form = ConsentForm(request.POST or None, persons=persons)

    def record_all() -> list[Any]:
        data = form.cleaned_data
        answers = [(p, True) for p in data.get("purposes") or []]
        answers += [(p, False) for p in data.get("refused") or []]
        with transaction.atomic():
            return [
                services.consent_record(
                    actor=request.user,
                    person=data["person"],
                    case=case,
                    purpose=purpose,
                    granted=granted,
                    note=data.get("note") or "",
                    shared_fields=(data.get("shared_fields") or [])
                    if purpose == "referral"
                    else [],
                    signed_by=data.get("signed_by") or "",
                    signer_name=data.get("signer_name") or "",
                )
                for purpose, granted in answers
            ]

    return _child_form_view(
        request,
        case=case,
        form=form,
        call=record_all,
        title=_("Record consent"),
        done=_("Consent recorded."),
    )


@login_required
@require_POST
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = NoteForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.note_add(actor=request.user, case=case, body=form.cleaned_data["body"]),
    ):
        messages.success(request, _("Note added."))
        return redirect("cases:detail", case_id=case.pk)
    full = selectors.case_get_for_user(actor=request.user, case_id=case.pk)
    return _case_page(request, full, note_form=form)


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province") or next(
        (v for k, v in request.GET.items() if k.endswith("origin_province_code")), ""
    )
    return render(request, "cases/_regency_options.html", {"choices": regency_choices(province)})


# --------------------------------------------------------------------------- survivor data rights

import json  # noqa: E402

from django.core.exceptions import PermissionDenied  # noqa: E402

from lentera.web.cases import rights  # noqa: E402
from lentera.web.cases.models import Consent  # noqa: E402
from lentera.web.core.access import require_case_role  # noqa: E402


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id)
    links = list(person.case_links.select_related("case"))
    consents = list(person.consents.select_related("recorded_by").order_by("-recorded_at", "-id"))
    from lentera.web.cases.models import PersonMerge

    merges = list(
        PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related("merged")
    )
    return render(
        request,
        "cases/person_detail.html",
        {"person": person, "links": links, "consents": consents, "merges": merges},
    )


@login_required
def person_export(request: HttpRequest, person_id: int, fmt: str) -> HttpResponse:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    data = rights.person_export_data(actor=request.user, person=person)
    if fmt == "pdf":
        response = HttpResponse(rights.person_export_pdf(data), content_type="application/pdf")
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
    membership = require_case_role(request.user)
    if not membership.is_supervising:
        raise PermissionDenied
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    if request.POST.get("confirm") != "ANONIM":
        messages.error(request, _("Type ANONIM to confirm."))
        return redirect("cases:person", person_id=person.pk)
    try:
        rights.person_anonymise(
            actor=request.user,
            person=person,
            reason=request.POST.get("reason", "data_subject_request"),
        )
        messages.success(
            request, _("The survivor's identity has been erased; statistics are kept.")
        )
    except LenteraError as exc:
        messages.error(request, exc.message)
    return redirect("cases:person", person_id=person.pk)


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Withdraw this consent?"),
    consequence=gettext_lazy("Sharing and referrals that depend on it stop."),
    button=gettext_lazy("Yes, withdraw"),
)
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    membership = require_case_role(request.user)
    consent = (
        Consent.objects.select_related("person")
        .filter(pk=consent_id, person__organisation_id=membership.organisation_id)
        .first()
    )
    if consent is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    if page := ask(request):
        return page
    try:
        rights.consent_withdraw(
            actor=request.user, consent=consent, note=request.POST.get("note", "")
        )
        messages.success(
            request, _("Consent withdrawn. Sharing and referrals that depend on it are stopped.")
        )
    except LenteraError as exc:
        messages.error(request, exc.message)
    return redirect("cases:person", person_id=consent.person_id)


# --------------------------------------------------------------------------- attachments

from lentera.web.cases import attachments as attachment_services  # noqa: E402


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


@login_required
def attachment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > attachment_services.MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            saved = _run(
                form,
                lambda: attachment_services.attachment_add(
                    actor=request.user,
                    case=case,
                    filename=upload.name,
                    data=upload.read(),
                    description=form.cleaned_data["description"],
                ),
            )
            if saved:
                messages.success(request, _("File attached."))
                return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Attach a file"), "multipart": True},
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, data = attachment_services.attachment_read(
        actor=request.user, attachment_id=attachment_id
    )
    response = HttpResponse(data, content_type=attachment.content_type)
    safe = "".join(ch for ch in attachment.filename if ch.isalnum() or ch in "._- ")[:100] or "file"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Delete this file?"),
    consequence=gettext_lazy("The file is deleted for good."),
    button=gettext_lazy("Yes, delete"),
)
def attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    membership = require_case_role(request.user)
    attachment = (
        attachment_services.Attachment.objects.select_related("case")
        .filter(pk=attachment_id, case__organisation_id=membership.organisation_id)
        .first()
    )
    if attachment is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    if page := ask(request):
        return page
    attachment_services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("File deleted."))
    return redirect("cases:detail", case_id=attachment.case_id)
