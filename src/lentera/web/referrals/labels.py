"""User-facing texts for notification kinds, legal-process codes and warnings (translatable)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.law.process import load_process_rules
from lentera.web.core.i18n import current_lang, pick
from lentera.web.referrals import choices
from lentera.web.referrals.models import Notification

Kind = choices.NotificationKind


def _status(code: str) -> str:
    try:
        return str(choices.ReferralStatus(code).label).lower()
    except ValueError:
        return code


def deadline_label(deadline_id: str) -> str:
    """A legal-process deadline's label in the reader's language (its id if unknown)."""
    for d in load_process_rules().deadlines:
        if d["id"] == deadline_id:
            return pick(d, "label")
    return deadline_id


def step_label(code: str) -> str:
    """A legal-process step's label in the reader's language (its code if unknown)."""
    rules = load_process_rules()
    return rules.label(code, current_lang()) if code in rules.steps else code


def step_help(code: str) -> str:
    """What a legal-process step means, in the reader's language ("" if unknown)."""
    rules = load_process_rules()
    if code not in rules.steps:
        return ""
    return pick(rules.steps[code], "help")


def _security_text(p: dict[str, Any]) -> str:
    texts = {
        "enrolled": _("%(username)s set up two-factor authentication."),
        "replaced": _("%(username)s replaced their authenticator app."),
        "recovery_used": _("%(username)s logged in with a recovery code."),
        "recovery_renewed": _("%(username)s made new recovery codes."),
        "reset": _("%(by)s reset the two-factor authentication of %(username)s."),
    }
    text = texts.get(
        p.get("event", ""), _("The two-factor authentication of %(username)s changed.")
    )
    return text % {"username": p.get("username", ""), "by": p.get("by", "")}


def _as_given(p: dict[str, Any]) -> dict[str, Any]:
    return p


def _with_status(p: dict[str, Any]) -> dict[str, Any]:
    """A referral's number, due date and status in words."""
    return {
        "number": p.get("number"),
        "due": p.get("due"),
        "status": _status(p.get("status", "")),
    }


def _with_deadline(p: dict[str, Any]) -> dict[str, Any]:
    """A case's number, due date and legal-process deadline in words."""
    return {
        "case": p.get("case"),
        "due": p.get("due"),
        "what": deadline_label(p.get("deadline", "")),
    }


#: the notification kinds whose text is one message with its params: kind → (message, params)
_TEXTS: dict[str, tuple[Any, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    Kind.REFERRAL_RECEIVED: (gettext_lazy("New referral %(number)s from %(from)s."), _as_given),
    Kind.REFERRAL_ANSWERED: (gettext_lazy("Referral %(number)s is now %(status)s."), _with_status),
    Kind.REFERRAL_CANCELLED: (
        gettext_lazy("Referral %(number)s was cancelled by the sender."),
        _as_given,
    ),
    Kind.REFERRAL_CONSENT_WITHDRAWN: (
        gettext_lazy(
            "The survivor withdrew consent for referral %(number)s: the survivor's data is no "
            "longer shared."
        ),
        _as_given,
    ),
    Kind.REFERRAL_OVERDUE: (
        gettext_lazy("Referral %(number)s is overdue (due %(due)s, still %(status)s)."),
        _with_status,
    ),
    Kind.INBOX_OVERDUE: (
        gettext_lazy("Referral %(number)s in your inbox awaits an answer (due %(due)s)."),
        _as_given,
    ),
    Kind.FOLLOW_UP_DUE: (
        gettext_lazy("A support-plan follow-up in case %(case)s is due (%(due)s)."),
        _as_given,
    ),
    Kind.LEGAL_DEADLINE_OVERDUE: (
        gettext_lazy("Case %(case)s: deadline passed on %(due)s — %(what)s."),
        _with_deadline,
    ),
    Kind.LEGAL_DEADLINE_SOON: (
        gettext_lazy("Case %(case)s: deadline on %(due)s — %(what)s."),
        _with_deadline,
    ),
    # contact log (lentera.web.contacts.reminders)
    "contact_follow_up_due": (
        gettext_lazy("Contact %(number)s: follow-up due on %(due)s."),
        _as_given,
    ),
    "contact_missing_check": (
        gettext_lazy(
            "Contact %(number)s: a missing person reported %(days)s days ago is still not found "
            "— check with the family (cycle due %(due)s)."
        ),
        _as_given,
    ),
}


def notification_text(n: Notification) -> str:
    """A notification's text in the active language, rendered from its kind and params."""
    p = n.params or {}
    kind = n.kind
    if kind in _TEXTS:
        message, params = _TEXTS[kind]
        return str(message) % params(p)
    if kind == Kind.SECURITY_2FA:
        return _security_text(p)
    if kind == Kind.RELEASE_PENDING:
        # releases sits above referrals in the layers: its vocabulary is read only here
        from lentera.web.releases.models import ReleaseKind

        layout = dict(ReleaseKind.choices).get(p.get("kind", ""), p.get("kind", ""))
        return _("A data release (%(layout)s) waits for your approval.") % {"layout": layout}
    if kind.startswith("reintegration_"):
        # the reintegration app owns its texts; it imports referrals, hence here
        from lentera.web.reintegration.reminders import notification_text as reintegration_text

        return reintegration_text(kind, p) or kind
    return kind


def warning_text(w: dict[str, Any]) -> str:
    code = w["code"]
    if code == "indictment_without_restitution":
        return _(
            "The tuntutan has no restitution amount. The prosecutor must state the victim's loss "
            "in the tuntutan (Penjelasan Pasal 48 ayat (1) UU 21/2007)."
        )
    if code == "verdict_without_restitution":
        return _(
            "Restitution was demanded but the verdict orders none: consider an appeal or an application to the court through LPSK."
        )
    if code == "partial_payment":
        return _("Only part of the restitution was paid; the payment deadline stays open.")
    if code == "future_date":
        return _("%(step)s is dated in the future.") % {"step": step_label(w["step"])}
    if code == "out_of_order":
        return _("%(step)s is dated before %(before)s: check the dates.") % {
            "step": step_label(w["step"]),
            "before": step_label(w["before"]),
        }
    return code
