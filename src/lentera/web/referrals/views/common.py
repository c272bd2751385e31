"""What the referral pages share: recording a follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lentera.web.core.forms import form_data, run_service
from lentera.web.referrals import services
from lentera.web.referrals.forms import FollowUpForm


def record_follow_up(request: HttpRequest, **target: Any) -> FollowUpForm | None:
    """Record a follow-up on a referral or a support action. On a problem return the bound
    form, its message on the field and everything typed kept (a wrong date never empties the
    note); None when recorded."""
    form = FollowUpForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.follow_up_add(actor=request.user, **target, **form_data(form)),
    ):
        messages.success(request, _("Follow-up recorded."))
        return None
    return form
