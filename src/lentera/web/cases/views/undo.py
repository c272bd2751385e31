"""Undo a deletion in a case (a removed survivor, a deleted perpetrator or event) within its
window; the case page offers the "Batalkan" button right under the deletion's message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.cases import services


@login_required
@require_POST
def deletion_undo(request: HttpRequest, deletion_id: int) -> HttpResponse:
    copy = services.deletion_undo(actor=request.user, deletion_id=deletion_id)
    messages.success(request, _("Undone: it is back as it was."))
    return redirect("cases:detail", case_id=copy.case_id)
