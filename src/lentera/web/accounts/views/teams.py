"""Teams, for organisation admins: the list with a form for a new team, and one team's page
(rename, members, delete). The rule teams widen is on the users page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lentera.web.accounts import selectors
from lentera.web.accounts import teams as team_services
from lentera.web.accounts.models import Team, User
from lentera.web.core.access import require_org_admin
from lentera.web.core.forms import form_view
from lentera.web.core.people import person_labels


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=team_services.TEAM_NAME_MAX)
    members = forms.MultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        members = list(selectors.members_for_admin(actor=actor))
        names = person_labels(m.user for m in members)
        self.fields["members"].choices = [
            (m.user_id, f"{names[m.user_id]} ({m.get_role_display()})") for m in members
        ]


def _team_page(
    request: HttpRequest,
    form: TeamForm,
    save: Callable[..., Any],
    done: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page with the team form: once it is valid, ``save`` (a team service) with the name and
    members, the message ``done`` and back to the teams; else the page again (400 while the form
    has errors, as every form page)."""
    return form_view(
        request,
        form,
        lambda: save(
            actor=request.user,
            name=form.cleaned_data["name"],
            member_ids=form.cleaned_data["members"],
        ),
        done=done,
        then=lambda _team: redirect("accounts:teams"),
        template=template,
        context=context,
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    organisation = require_org_admin(request.user).organisation  # the page is for admins only
    form = TeamForm(request.POST or None, actor=request.user)
    return _team_page(
        request,
        form,
        team_services.team_create,
        _("Team created."),
        "accounts/team_list.html",
        {
            "teams": selectors.teams_for_admin(actor=request.user),
            "form": form,
            "organisation": organisation,
        },
    )


@login_required
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team: Team = selectors.team_get_for_admin(actor=request.user, team_id=team_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        team_services.team_delete(actor=request.user, team=team)
        messages.success(request, _("Team deleted."))
        return redirect("accounts:teams")
    initial = {"name": team.name, "members": [m.user_id for m in team.members.all()]}
    form = TeamForm(request.POST or None, initial=initial, actor=request.user)
    return _team_page(
        request,
        form,
        partial(team_services.team_update, team=team),
        _("Team saved."),
        "accounts/team_edit.html",
        {"team": team, "form": form},
    )
