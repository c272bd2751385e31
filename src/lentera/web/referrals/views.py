"""Referral pages: directory, sending and following referrals, inbox, support
plans, legal-process timeline, dashboard and notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.access import require_case_role
from lentera.web.core.confirm import ask, confirm_first
from lentera.web.core.forms import run_service as _run
from lentera.web.referrals import directory, labels, selectors, services
from lentera.web.referrals.forms import (
    DirectoryImportForm,
    DirectorySearchForm,
    FollowUpForm,
    LegalStepForm,
    ProviderForm,
    ReferralForm,
    SupportActionForm,
    TransitionForm,
)
from lentera.web.referrals.letter import letter_file
from lentera.web.referrals.models import LegalStep, Notification, SupportAction


def _download(content: bytes, name: str, ctype: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- dashboard


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard_for_user(actor=request.user)
    return render(request, "referrals/dashboard.html", data)


# --------------------------------------------------------------------------- directory


@login_required
@require_GET
def directory_list(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = selectors.providers_for_user(
        actor=request.user,
        q=params.get("q", ""),
        region=params.get("region", ""),
        service=params.get("service", ""),
        active_only=request.GET.get("inactive") != "1",
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/directory.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def provider_edit(request: HttpRequest, provider_id: int | None = None) -> HttpResponse:
    provider = (
        selectors.provider_get_for_user(actor=request.user, provider_id=provider_id)
        if provider_id
        else None
    )
    require_case_role(request.user)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if provider is not None:
            data["version"] = request.POST.get("version") or provider.version
        saved = _run(
            form,
            lambda: services.provider_save(
                actor=request.user,
                data=data,
                provider=selectors.provider_get_for_user(
                    actor=request.user, provider_id=provider_id
                )
                if provider_id
                else None,
            ),
        )
        if saved:
            messages.success(request, _("Provider saved."))
            return redirect("referrals:directory")
    return render(
        request,
        "referrals/provider_form.html",
        {"form": form, "provider": provider, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    membership = require_case_role(request.user)
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    report, error, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mode = form.cleaned_data["mode"]
        try:
            report = directory.directory_import(
                actor=request.user,
                filename=upload.name,
                content=upload.read(directory.MAX_BYTES + 1),
                dry_run=mode == "check",
                valid_only=mode == "valid_only",
            )
        except LenteraError as exc:
            if exc.kind == "forbidden":
                raise
            error, status = exc.message, 400
        else:
            if report.written:
                messages.success(
                    request,
                    _("Directory imported: %(c)s new, %(u)s updated.")
                    % {"c": report.created, "u": report.updated},
                )
                if not report.problems:
                    return redirect("referrals:directory")
            status = 400 if report.problems else 200
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "referrals/directory_import.html",
        {"form": form, "report": report, "error": error, "can_import": membership.is_supervising},
        status=status,
    )


@login_required
@require_GET
def directory_template(request: HttpRequest, fmt: str) -> HttpResponse:
    require_case_role(request.user)
    if fmt not in {"xlsx", "csv"}:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    if fmt == "xlsx":
        return _download(
            directory.template_xlsx(),
            "lentera-direktori-layanan.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return _download(directory.directory_csv([]), "lentera-direktori-layanan.csv", "text/csv")


@login_required
@require_GET
def directory_export(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.providers_for_user(actor=request.user, active_only=False))
    return _download(directory.directory_csv(providers), "direktori-layanan.csv", "text/csv")


# --------------------------------------------------------------------------- referrals


@login_required
def referral_new(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    membership = require_case_role(request.user)
    region = request.GET.get("region", link.person.origin_province_code or "")
    service = request.GET.get("service", "")
    providers = selectors.providers_for_user(actor=request.user, region=region, service=service)
    consent = services.referral_consent(link)
    initial = {"shared_fields": list(consent.shared_fields) if consent else []}
    if request.GET.get("provider"):
        initial["provider"] = request.GET["provider"]
    form = ReferralForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = _run(
            form,
            lambda: services.referral_send(
                actor=request.user,
                link=link,
                provider=d["provider"],
                services=d["services"],
                reason=d["reason"],
                urgency=d["urgency"],
                due_date=d.get("due_date"),
                shared_fields=d.get("shared_fields") or [],
                override_reason=d.get("override_reason") or "",
            ),
        )
        if referral:
            messages.success(request, _("Referral %(n)s sent.") % {"n": referral.number})
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "link": link,
            "case": link.case,
            "consent": consent,
            "can_override": membership.is_supervising,
            "search": DirectorySearchForm(initial={"region": region, "service": service}),
            "provider_count": providers.count(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, side = selectors.referral_get_for_user(actor=request.user, referral_id=referral_id)
    return _referral_page(request, referral, side)


def _referral_page(
    request: HttpRequest, referral: Any, side: str, follow_form: FollowUpForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "referral": referral,
        "side": side,
        "payload": referral.payload_data,
        "events": list(referral.events.select_related("actor", "actor_organisation")),
        "allowed": services.allowed_transitions(referral, side),
        "today": timezone.localdate(),
    }
    if side == "sender":
        context["follow_ups"] = list(referral.follow_ups.select_related("author"))
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
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("referrals:detail", referral_id=referral.pk)
    try:
        services.referral_transition(
            actor=request.user,
            referral=referral,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
            version=form.cleaned_data.get("version"),
        )
    except LenteraError as exc:
        if exc.kind == "not_found":
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Referral updated."))
    return redirect("referrals:detail", referral_id=referral.pk)


def _record_follow_up(request: HttpRequest, **target: Any) -> FollowUpForm | None:
    """Record a follow-up on a referral or a support action. On a problem return the bound
    form, its message on the field and everything typed kept (a wrong date never empties the
    note); None when recorded."""
    form = FollowUpForm(request.POST)
    if form.is_valid() and _run(
        form, lambda: services.follow_up_add(actor=request.user, **target, **form.cleaned_data)
    ):
        messages.success(request, _("Follow-up recorded."))
        return None
    return form


@login_required
@require_POST
def referral_follow_up(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    if side != "sender":
        raise LenteraError("not_found", _("Referral not found."), kind="not_found")
    rejected = _record_follow_up(request, case=referral.case, referral=referral)
    if rejected is None:
        return redirect("referrals:detail", referral_id=referral.pk)
    return _referral_page(request, referral, side, follow_form=rejected)


@login_required
@require_GET
def referral_letter(request: HttpRequest, referral_id: int, fmt: str) -> HttpResponse:
    if fmt not in {"docx", "pdf"}:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    referral, _side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    content, name, ctype = letter_file(
        actor=request.user, referral=referral, fmt=fmt, lang=request.GET.get("lang", "id")
    )
    return _download(content, name, ctype)


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.sent_for_user(
        actor=request.user,
        status="" if status == "all" else status,
        mine=request.GET.get("mine") == "1",
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "referrals/referral_list.html", {"page": page, "status": status, "box": "sent"}
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.inbox_for_user(actor=request.user, status="" if status == "all" else status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "referrals/referral_list.html", {"page": page, "status": status, "box": "inbox"}
    )


# --------------------------------------------------------------------------- support plan


def _action_form(
    request: HttpRequest, link: CaseSurvivor, action: SupportAction | None, bound: bool = True
) -> Any:
    org = link.case.organisation_id
    return SupportActionForm(
        (request.POST or None) if bound else None,
        instance=action,
        users=User.objects.filter(membership__organisation_id=org, is_active=True),
        referrals=link.referrals.all(),
    )


@login_required
def support_plan(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    form = _action_form(request, link, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = _run(form, lambda: services.action_save(actor=request.user, link=link, data=data))
        if saved:
            messages.success(request, _("Support action added."))
            return redirect("referrals:plan", link_id=link.pk)
    return _plan_page(request, link, form=form)


def _plan_page(
    request: HttpRequest,
    link: Any,
    *,
    form: Any = None,
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
            "referrals": list(link.referrals.select_related("provider")),
            "today": timezone.localdate(),
        },
        status=400 if form.errors or follow_form is not None else 200,
    )


def _action_for_user(request: HttpRequest, action_id: int) -> SupportAction:
    membership = require_case_role(request.user)
    action = (
        SupportAction.objects.select_related("case_survivor__case", "case_survivor__person")
        .filter(pk=action_id, organisation_id=membership.organisation_id)
        .first()
    )
    if action is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    return action


@login_required
def support_action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_for_user(request, action_id)
    link = action.case_survivor
    form = _action_form(request, link, action)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["version"] = request.POST.get("version") or action.version
        fresh = _action_for_user(request, action_id)
        saved = _run(
            form,
            lambda: services.action_save(actor=request.user, link=link, data=data, action=fresh),
        )
        if saved:
            messages.success(request, _("Support action saved."))
            return redirect("referrals:plan", link_id=link.pk)
    return render(
        request,
        "referrals/action_form.html",
        {"form": form, "action": action, "link": link, "case": link.case},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def support_action_follow_up(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_for_user(request, action_id)
    rejected = _record_follow_up(request, case=action.case_survivor.case, action=action)
    if rejected is None:
        return redirect("referrals:plan", link_id=action.case_survivor_id)
    return _plan_page(request, action.case_survivor, follow_form=rejected, follow_for=action.pk)


# --------------------------------------------------------------------------- legal process


@login_required
def legal_process(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_get_for_user(actor=request.user, case_id=case_id)
    links = CaseSurvivor.objects.filter(case=case).select_related("person")
    form = LegalStepForm(request.POST or None, links=links)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        row = _run(
            form,
            lambda: services.legal_step_add(
                actor=request.user,
                case=case,
                step=d["step"],
                date=d["date"],
                link=d.get("survivor"),
                amount=d.get("amount"),
                reference_no=d.get("reference_no") or "",
                note=d.get("note") or "",
            ),
        )
        if row:
            messages.success(request, _("Step recorded."))
            return redirect("referrals:legal_process", case_id=case.pk)
    tl, rows = selectors.case_timeline(case)
    names = {link.pk: link.person.full_name for link in links}
    return render(
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
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@confirm_first(
    gettext_lazy("Delete this step of the legal process?"),
    consequence=gettext_lazy("The step is deleted from the case's legal process."),
    button=gettext_lazy("Yes, delete"),
)
def legal_step_delete(request: HttpRequest, step_id: int) -> HttpResponse:
    membership = require_case_role(request.user)
    row = LegalStep.objects.filter(pk=step_id, organisation_id=membership.organisation_id).first()
    if row is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    if page := ask(request):
        return page
    case_id = row.case_id
    services.legal_step_delete(actor=request.user, row=row)
    messages.success(request, _("Step deleted."))
    return redirect("referrals:legal_process", case_id=case_id)


# --------------------------------------------------------------------------- notifications


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("referrals:notifications")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    items = [(n, labels.notification_text(n)) for n in page.object_list]
    return render(request, "referrals/notifications.html", {"page": page, "items": items})


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    n = Notification.objects.filter(pk=notification_id, user=request.user).first()
    if n is None:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    if n.read_at is None:
        Notification.objects.filter(pk=n.pk).update(read_at=timezone.now())
    return redirect(n.url if n.url.startswith("/") and not n.url.startswith("//") else "/")
