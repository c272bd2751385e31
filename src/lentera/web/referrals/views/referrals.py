"""Referral pages: sending a referral, the referral itself (status, follow-ups, letter),
the sent list and the inbox."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.web.cases import selectors as case_selectors
from lentera.web.core.access import require_case_role
from lentera.web.core.forms import form_data, form_view, run_action_then
from lentera.web.core.responses import download, keyset_paginate
from lentera.web.core.services import not_found
from lentera.web.referrals import selectors, services
from lentera.web.referrals.forms import (
    DirectorySearchForm,
    FollowUpForm,
    ReferralForm,
    TransitionForm,
)
from lentera.web.referrals.letter import letter_file
from lentera.web.referrals.models import Referral
from lentera.web.referrals.selectors.referral import SENDER
from lentera.web.referrals.views.common import record_follow_up


@login_required
def referral_new(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    membership = require_case_role(request.user)
    region = request.GET.get("region", link.person.origin_province_code or "")
    service = request.GET.get("service", "")
    providers = selectors.providers_for_user(actor=request.user, region=region, service=service)
    consent = selectors.referral_consent(link)
    initial = {"shared_fields": list(consent.shared_fields) if consent else []}
    if request.GET.get("provider"):
        initial["provider"] = request.GET["provider"]
    form = ReferralForm(request.POST or None, providers=providers, initial=initial)
    return form_view(
        request,
        form,
        lambda: services.referral_send(actor=request.user, link=link, **form_data(form)),
        done=lambda referral: _("Referral %(n)s sent.") % {"n": referral.number},
        then=lambda referral: redirect("referrals:detail", referral_id=referral.pk),
        template="referrals/referral_form.html",
        context={
            "form": form,
            "link": link,
            "case": link.case,
            "consent": consent,
            "can_override": membership.is_supervising,
            "search": DirectorySearchForm(initial={"region": region, "service": service}),
            "provider_count": providers.count(),
        },
    )


@login_required
@require_GET
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, side = selectors.referral_get_for_user(actor=request.user, referral_id=referral_id)
    return _referral_page(request, referral, side)


def _referral_page(
    request: HttpRequest, referral: Referral, side: str, follow_form: FollowUpForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "referral": referral,
        "side": side,
        "payload": referral.payload_data,
        "events": selectors.referral_events(referral),
        "allowed": selectors.allowed_transitions(referral, side),
        "today": timezone.localdate(),
    }
    if side == SENDER:
        context["follow_ups"] = selectors.referral_follow_ups(referral)
        context["follow_form"] = follow_form or FollowUpForm()
    status = 400 if follow_form is not None else 200
    return render(request, "referrals/referral_detail.html", context, status=status)


@login_required
@require_POST
def referral_transition(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, _side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    form = TransitionForm(request.POST)
    return run_action_then(
        request,
        lambda: services.referral_transition(
            actor=request.user,
            referral=referral,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
            version=form.cleaned_data.get("version"),
        ),
        _("Referral updated."),
        "referrals:detail",
        refused="" if form.is_valid() else _("Choose a valid status."),
        reraise=("not_found",),
        referral_id=referral.pk,
    )


@login_required
@require_POST
def referral_follow_up(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    if side != SENDER:
        # the receiver does not see the sender's follow-ups: the same answer as a missing referral
        raise not_found(_("Referral not found."))
    rejected = record_follow_up(request, case=referral.case, referral=referral)
    if rejected is None:
        return redirect("referrals:detail", referral_id=referral.pk)
    return _referral_page(request, referral, side, follow_form=rejected)


@login_required
@require_GET
def referral_letter(request: HttpRequest, referral_id: int, fmt: str) -> HttpResponse:
    if fmt not in {"docx", "pdf"}:
        raise not_found()
    referral, _side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    content, name, ctype = letter_file(
        actor=request.user, referral=referral, fmt=fmt, lang=request.GET.get("lang", "id")
    )
    return download(content, name, ctype)


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.sent_for_user(
        actor=request.user,
        status="" if status == "all" else status,
        mine=request.GET.get("mine") == "1",
    )
    page, query = keyset_paginate(request, qs)
    return render(
        request,
        "referrals/referral_list.html",
        {"page": page, "query": query, "status": status, "box": "sent"},
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.inbox_for_user(actor=request.user, status="" if status == "all" else status)
    page, query = keyset_paginate(request, qs)
    return render(
        request,
        "referrals/referral_list.html",
        {"page": page, "query": query, "status": status, "box": "inbox"},
    )
