"""User-facing texts for notification kinds, legal-process codes and warnings (translatable)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lentera.law.process import load_process_rules
from lentera.web.referrals import choices


def _status(code: str) -> str:
    try:
        return str(choices.ReferralStatus(code).label).lower()
    except ValueError:
        return code


def deadline_label(deadline_id: str) -> str:
    lang = (get_language() or "id")[:2]
    for d in load_process_rules().deadlines:
        if d["id"] == deadline_id:
            return str(d["label_en" if lang == "en" else "label_id"])
    return deadline_id


def step_label(code: str) -> str:
    rules = load_process_rules()
    return rules.label(code, (get_language() or "id")[:2]) if code in rules.steps else code


def step_help(code: str) -> str:
    rules = load_process_rules()
    if code not in rules.steps:
        return ""
    return str(rules.steps[code]["help_en" if (get_language() or "id")[:2] == "en" else "help_id"])


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


def notification_text(n: Any) -> str:
    p = n.params or {}
    kind = n.kind
    if kind == "security_2fa":
        return _security_text(p)
    if kind == "referral_received":
        return _("New referral %(number)s from %(from)s.") % p
    if kind == "referral_answered":
        return _("Referral %(number)s is now %(status)s.") % {
            "number": p.get("number"),
            "status": _status(p.get("status", "")),
        }
    if kind == "referral_cancelled":
        return _("Referral %(number)s was cancelled by the sender.") % p
    if kind == "referral_consent_withdrawn":
        return (
            _(
                "The survivor withdrew consent for referral %(number)s: the survivor's data is no "
                "longer shared."
            )
            % p
        )
    if kind == "referral_overdue":
        return _("Referral %(number)s is overdue (due %(due)s, still %(status)s).") % {
            "number": p.get("number"),
            "due": p.get("due"),
            "status": _status(p.get("status", "")),
        }
    if kind == "inbox_overdue":
        return _("Referral %(number)s in your inbox awaits an answer (due %(due)s).") % p
    if kind == "follow_up_due":
        return _("A support-plan follow-up in case %(case)s is due (%(due)s).") % p
    if kind == "legal_deadline_overdue":
        return _("Case %(case)s: deadline passed on %(due)s — %(what)s.") % {
            "case": p.get("case"),
            "due": p.get("due"),
            "what": deadline_label(p.get("deadline", "")),
        }
    if kind == "release_pending":
        from lentera.web.releases.models import ReleaseKind

        layout = dict(ReleaseKind.choices).get(p.get("kind", ""), p.get("kind", ""))
        return _("A data release (%(layout)s) waits for your approval.") % {"layout": layout}
    # contact log (lentera.web.contacts.reminders)
    if kind == "contact_follow_up_due":
        return _("Contact %(number)s: follow-up due on %(due)s.") % p
    if kind == "contact_missing_check":
        return (
            _(
                "Contact %(number)s: a missing person reported %(days)s days ago is still not found "
                "— check with the family (cycle due %(due)s)."
            )
            % p
        )
    if kind == "legal_deadline_soon":
        return _("Case %(case)s: deadline on %(due)s — %(what)s.") % {
            "case": p.get("case"),
            "due": p.get("due"),
            "what": deadline_label(p.get("deadline", "")),
        }
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
