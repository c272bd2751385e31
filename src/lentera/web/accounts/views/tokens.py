"""The user's own API tokens: create (shown once), see when each was used, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.accounts import selectors
from lentera.web.accounts import services as account_services
from lentera.web.core.forms import run_service


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name (what it is for)"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
    read_only = forms.BooleanField(label=_("Read only (can only fetch data)"), required=False)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create (shown once), see when each was used, revoke."""
    form = TokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        raw = (
            run_service(
                form,
                lambda: account_services.api_token_issue(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    read_only=form.cleaned_data["read_only"],
                    verified_session=request.user.is_verified(),
                ),
            )
            or ""
        )
    tokens = selectors.api_tokens_for_user(actor=request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": raw}
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_get_for_user(actor=request.user, token_id=token_id)
    account_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
