"""Pages of the contact log: list with filters, quick entry, detail, edit, close, open a case.

Views parse input, call a selector or a service, and render; no ORM here.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera import reference
from lentera.web.contacts import selectors, services
from lentera.web.contacts.forms import CloseForm, ContactFilterForm, ContactForm
from lentera.web.contacts.models import Contact
from lentera.web.core.access import require_case_role
from lentera.web.core.forms import form_data, list_page, save_with_message
from lentera.web.core.i18n import current_lang


def _detail(contact: Contact, close_form: CloseForm) -> dict[str, Any]:
    """What the detail page shows besides the contact: region and country by name."""
    region = ", ".join(
        n for n in (reference.region_name(c) for c in (contact.regency, contact.province) if c) if n
    )
    country = (
        reference.country_name(contact.destination_country, current_lang())
        if contact.destination_country
        else ""
    )
    return {"contact": contact, "close_form": close_form, "region": region, "country": country}


@login_required
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        ContactFilterForm(request.GET or None),
        partial(selectors.contacts_list_for_user, actor=request.user),
        "contacts/list.html",
        extra=lambda _contacts: {"counts": selectors.contact_counts_for_user(actor=request.user)},
        by_key=True,
    )


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    require_case_role(request.user)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = save_with_message(
            request,
            form,
            lambda: services.contact_create(actor=request.user, **form_data(form)),
            lambda contact: _("Contact %(number)s saved.") % {"number": contact.number},
        )
        if contact is not None:
            return redirect("contacts:detail", contact_id=contact.pk)
    status = 400 if form.errors else 200
    return render(request, "contacts/form.html", {"form": form, "contact": None}, status=status)


@login_required
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get_for_user(actor=request.user, contact_id=contact_id)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        saved = save_with_message(
            request,
            form,
            lambda: services.contact_update(
                actor=request.user, contact=contact, version=version, **form_data(form)
            ),
            _("Contact saved."),
        )
        if saved is not None:
            return redirect("contacts:detail", contact_id=contact.pk)
    status = 400 if form.errors else 200
    return render(request, "contacts/form.html", {"form": form, "contact": contact}, status=status)


@login_required
@require_GET
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get_for_user(actor=request.user, contact_id=contact_id)
    close_form = CloseForm(initial={"version": contact.version})
    return render(request, "contacts/detail.html", _detail(contact, close_form))


@login_required
@require_POST
def contact_close(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get_for_user(actor=request.user, contact_id=contact_id)
    if request.POST.get("reopen") == "1":
        services.contact_reopen(actor=request.user, contact=contact)
        messages.success(request, _("Contact reopened."))
        return redirect("contacts:detail", contact_id=contact.pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        closed = save_with_message(
            request,
            form,
            lambda: services.contact_close(
                actor=request.user, contact=contact, **form_data(form, exclude=())
            ),
            _("Contact closed."),
        )
        if closed is not None:
            return redirect("contacts:detail", contact_id=contact.pk)
    return render(request, "contacts/detail.html", _detail(contact, form), status=400)


@login_required
@require_POST
def contact_convert(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get_for_user(actor=request.user, contact_id=contact_id)
    case = services.contact_convert(actor=request.user, contact=contact)
    messages.success(
        request,
        _("Case %(reference)s opened from contact %(number)s. Add the survivor next.")
        % {"reference": case.reference, "number": contact.number},
    )
    return redirect("cases:detail", case_id=case.pk)
