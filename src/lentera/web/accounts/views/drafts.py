"""Discard a form draft kept when the session expired (see :mod:`lentera.web.accounts.drafts`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.accounts import drafts


@login_required
@require_POST
def draft_discard(request: HttpRequest) -> HttpResponse:
    draft = drafts.draft_for(actor=request.user, token=drafts.draft_token(request))
    back = draft.shown_on if draft is not None else "/"
    if draft is not None:
        drafts.draft_delete(actor=request.user, draft=draft, why="discarded")
        messages.info(request, _("The unsaved entries were discarded."))
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    response = redirect(back)
    response.delete_cookie(drafts.DRAFT_COOKIE, samesite="Lax")
    return response
