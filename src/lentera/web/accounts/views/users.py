"""User administration for organisation admins: the member list (and the organisation's
"caseworkers see only their assigned cases" switch and the referral inbox), new users, editing a member."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lentera.web.accounts import selectors
from lentera.web.accounts import services as account_services
from lentera.web.accounts.models import Role
from lentera.web.core.access import require_org_admin
from lentera.web.core.forms import run_action, save_with_message


class NewUserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters; the user should change it."),
    )


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "assigned_only":
        account_services.organisation_assigned_only_set(
            actor=request.user, assigned_only=request.POST.get("assigned_only") == "1"
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:users")
    if request.method == "POST" and request.POST.get("action") == "referral_inbox":
        account_services.organisation_referral_inbox_set(
            actor=request.user, accepts=request.POST.get("accepts_referrals") == "1"
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:users")
    members = selectors.members_for_admin(actor=request.user)
    return render(
        request,
        "accounts/user_list.html",
        {"members": members, "organisation": require_org_admin(request.user).organisation},
    )


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    organisation = require_org_admin(request.user).organisation  # the page is for admins only
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = save_with_message(
            request,
            form,
            lambda: account_services.user_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
            _("User created."),
        )
        if created is not None:
            return redirect("accounts:users")
    return render(request, "cases/form.html", {"form": form, "title": _("New user")})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    target = selectors.member_get_for_admin(actor=request.user, user_id=user_id)
    if request.method == "POST":
        run_action(
            request,
            lambda: account_services.user_update(
                actor=request.user,
                user=target.user,
                role=request.POST.get("role") or None,
                is_active={"1": True, "0": False}.get(request.POST.get("is_active", "")),
                reset_2fa=request.POST.get("reset_2fa") == "1",
                new_password=request.POST.get("new_password", ""),
            ),
            _("User saved."),
            reraise=("forbidden", "not_found"),
        )
        return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"target": target, "roles": Role.choices})
