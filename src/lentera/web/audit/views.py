"""The audit viewer for supervisors and organisation admins (their organisation's rows only)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lentera.web.audit.models import AuditAction
from lentera.web.audit.selectors import audit_events_for_user
from lentera.web.core.forms import list_page


def _record_types() -> list[tuple[str, str]]:
    """Every kind of record of the apps, by its translated name (not "cases.person")."""
    kinds = [
        (m._meta.label_lower, capfirst(m._meta.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("lentera.web.")
    ]
    return [("", _("All records")), *sorted(kinds, key=lambda kv: str(kv[1]))]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Record type"), required=False, choices=_record_types)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        AuditFilterForm(request.GET or None),
        lambda **filters: audit_events_for_user(actor=request.user, filters=filters),
        "audit/audit_list.html",
        per_page=50,
        by_key=True,
    )
