"""The legal memo for police, prosecutor or LPSK: one structure, rendered as DOCX and PDF
(:mod:`.documents`).

Pseudonymised by default ("Korban A"); the survivor's name and NIK appear only
when the actor asks for it and has a legal or supervising role. Every memo is
an audited export.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.law import Charge, QualificationResult, load_kb
from lentera.web.accounts.models import Role, User
from lentera.web.assessments import labels, selectors, services, words
from lentera.web.assessments.documents import (
    Block,
    pdf_styles,
    render_docx,
    render_pdf,
    text_size,
)
from lentera.web.assessments.models import LegalAssessment, RestitutionClaim
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import choices
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_case_role
from lentera.web.core.contradictions import human_date
from lentera.web.core.i18n import pick

#: Block and the renderers stay importable from here (the referral letter uses them)
__all__ = [
    "IDENTIFY_ROLES",
    "Block",
    "charge_penalty_text",
    "conclusion_blocks",
    "facts_1_1_rows",
    "memo_blocks",
    "memo_file",
    "memo_file_if_short",
    "pdf_styles",
    "penalty_notes",
    "perpetrator_lines",
    "render_docx",
    "render_pdf",
]

IDENTIFY_ROLES = {Role.LEGAL, Role.SUPERVISOR, Role.ORG_ADMIN}

#: a memo of more characters than this is written by the worker (a job), not in the request.
#: A one-survivor memo of the tests is 13,200 characters: DOCX 0.38 s, PDF 0.16 s on the
#: shared development machine at load 8.6; at 20,000 about 0.6 s and 0.25 s
#: (docs/benchmarks.md, "Background jobs, locks and import speed")
MEMO_INLINE_MAX_CHARS = int(os.environ.get("LENTERA_MEMO_INLINE_MAX_CHARS", "20000"))


def _rp(value: int | None) -> str:
    return "—" if value is None else "Rp" + f"{int(value):,}".replace(",", ".")


def _months(value: int | None, life: bool = False) -> str:
    if life and value is None:
        return _("life imprisonment")
    if value is None:
        return "—"
    years, months = divmod(int(value), 12)
    if months == 0:
        return _("%(y)s years") % {"y": years}
    return _("%(y)s years %(m)s months") % {"y": years, "m": months}


def penalty_notes(c: Charge) -> list[str]:
    """What a charge's range rests on: the cap, other readings, unverified texts, contested readings.

    Results stored before these fields existed simply have no notes (the defaults).
    """
    p = c.penalty
    notes: list[str] = []
    if p is not None and p.capped:
        notes.append(_("Maximum capped at 20 years (KUHP Pasal 68 ayat (4) jo. Pasal 187)."))
    if p is not None and p.regime == "uu_1_2026":
        notes.append(_("Penalty as adjusted by UU 1/2026 (offences from 2 January 2026)."))
    for alt in p.alternatives if p is not None else ():
        if alt.reading == "raised_minimum":
            notes.append(
                _(
                    "Contested reading: the 1/3 also raises the minimum, to %(m)s (KUHP 2023 Pasal 59 raises only the maximum; the aggravating articles say “ancaman pidananya ditambah 1/3” without saying which end)."
                )
                % {"m": _months(alt.prison_min_months)}
            )
        elif alt.reading == "as_enacted":
            notes.append(
                _(
                    "Unverified: the UU 1/2026 adjustment of this article was not read; the range covers both readings. As enacted: %(p)s."
                )
                % {"p": words.penalty_text(alt)}
            )
    if c.unverified:
        notes.append(
            _("Rests on statute text not verified against the statute: %(a)s.")
            % {"a": ", ".join(words.cite(a) for a in c.unverified)}
        )
    if "territory_place_of_act" in c.readings:
        notes.append(
            _(
                'Alternative charge: met only if "di wilayah negara Republik Indonesia" is read as the place of the act (the acts were done in Indonesia, the exploitation abroad), as prosecutors and courts often do; Pasal 4 covers the exploitation abroad.'
            )
        )
    return notes


def facts_1_1_rows(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """The case-facts 1.1 facts that are known (a /1 document has none)."""
    yes_no = {True: _("yes"), False: _("no")}
    p, v = facts.get("perpetrator", {}), facts.get("victim", {})
    e, c = facts.get("exploitation", {}), facts.get("circumstances") or {}
    rows: list[tuple[str, str]] = []
    if p.get("relations"):
        rows.append((_("Perpetrator's relation to the victim"), ", ".join(p["relations"])))
    for label, value in (
        (_("Official abused power, resulting in the trafficking"), p.get("abused_power")),
        (_("Two or more perpetrators acted together"), p.get("acted_jointly")),
        (_("Perpetrator convicted before of the same offence"), p.get("repeat_offender")),
        (_("Victim pregnant"), v.get("pregnant")),
        (_("Victim unconscious or helpless"), v.get("unconscious_or_helpless")),
        (_("Child marriage"), e.get("child_marriage")),
        (_("Work harmful to the child"), e.get("harmful_work")),
        (_("More than one victim"), c.get("more_than_one_victim")),
        (_("During an emergency, conflict, disaster or war"), c.get("disaster_or_conflict")),
        (_("Electronic means used"), c.get("electronic_means")),
    ):
        if value is not None:
            rows.append((label, yes_no[value]))
    return rows


def _met_text(met: bool | None) -> str:
    return (
        _("met")
        if met is True
        else _("not met")
        if met is False
        else _("undetermined (facts unknown)")
    )


def memo_blocks(
    *,
    link: CaseSurvivor,
    assessment: LegalAssessment,
    claim: RestitutionClaim | None,
    identify: bool,
) -> list[Block]:
    """The memo as a list of blocks in the active language."""
    kb = load_kb()
    result, facts = assessment.engine_result, assessment.facts
    case = link.case
    letter = selectors.survivor_letter(link)
    today = human_date(timezone.localdate())
    who = (
        f"{link.person.full_name} (NIK {link.person.nik or '—'})"
        if identify
        else _("Survivor %(l)s") % {"l": letter}
    )
    blocks: list[Block] = [
        ("h1", _("Legal analysis memorandum")),
        ("p", _("Case %(ref)s · %(who)s · prepared %(date)s by %(org)s") % {
            "ref": case.reference, "who": who, "date": today, "org": case.organisation.name}),
        ("p", _("Rule set %(rs)s, assessment no. %(n)s. Produced by Lentera from recorded facts; it supports, and does not replace, the judgement of a lawyer.") % {
            "rs": assessment.rule_set, "n": assessment.number}),
        ("h2", _("1. Summary of facts")),
    ]  # fmt: skip
    v, m = facts["victim"], facts["movement"]
    fact_rows = [
        (_("Offence date"), facts.get("offence_date") or _("unknown")),
        (
            _("Age at the time"),
            str(v.get("age_at_offence")) if v.get("age_at_offence") is not None else _("unknown"),
        ),
        (_("Sex"), words.fact_value("victim.sex", v.get("sex"))),
        (
            _("Movement"),
            f"{words.fact_value('movement.origin_country', m.get('origin_country'))} → "
            f"{words.fact_value('movement.destination_country', m.get('destination_country'))}",
        ),
        (_("Acts"), words.codes("acts", facts.get("acts") or [])),
        (_("Means"), words.codes("means", facts.get("means") or [])),
        (
            _("Purposes of exploitation"),
            words.codes("exploitation.purposes", facts["exploitation"].get("purposes") or []),
        ),
        (
            _("Exploitation occurred"),
            words.fact_value("exploitation.occurred", facts["exploitation"].get("occurred")),
        ),
        (_("Harm"), words.codes("harm", facts.get("harm") or [])),
        *facts_1_1_rows(facts),
    ]
    blocks.append(("table", [(_("Fact"), _("Recorded")), *fact_rows]))
    blocks.append(("p", _("Perpetrators, by their part in the case:")))
    blocks.append(("bullets", perpetrator_lines(case, identify=identify) or [_("None recorded.")]))
    pal = result.palermo
    blocks.append(("h2", _("2. Palermo Protocol (Art. 3)")))
    blocks.append(
        (
            "p",
            _("Trafficking under the Palermo Protocol: %(r)s.") % {"r": _met_text(pal.trafficking)},
        )
    )
    blocks.append(
        (
            "table",
            [(_("Element"), _("Finding"))]
            + [
                (str(labels.ELEMENTS.get(k, k)), str(labels.ELEMENT_VALUES[val]))
                for k, val in pal.elements.items()
            ],
        )
    )
    blocks.append(
        ("h2", _("3. Indonesian law: trafficking offences (UU 21/2007 / KUHP Pasal 455)"))
    )
    for key, charges in (
        ("charges", result.indonesia.charges),
        ("alternatives", result.indonesia.alternatives),
    ):
        if key == "alternatives":
            blocks.append(("h2", _("4. Other laws (alternative or cumulative charges)")))
        for c in charges:
            art = kb.article(c.id)
            title = pick(art, "title")
            if c.met is False:
                missing = ", ".join(str(labels.ELEMENTS.get(k, k)) for k in c.missing)
                blocks.append(
                    (
                        "p",
                        f"{art.cite_id} {kb.laws[art.law].short} — {title}: {_met_text(False)} ({missing}).",
                    )
                )
                continue
            blocks.append(
                ("p", f"{art.cite_id} {kb.laws[art.law].short} — {title}: {_met_text(c.met)}.")
            )
            rows = [
                (str(labels.ELEMENTS.get(k, k)), str(labels.ELEMENT_VALUES[val]))
                for k, val in c.elements.items()
            ]
            blocks.append(("table", [(_("Element"), _("Finding")), *rows]))
            pen = charge_penalty_text(c)
            if c.aggravations:
                pen += " — " + _("after aggravation by %(a)s") % {
                    "a": ", ".join(words.cite(a) for a in c.aggravations)
                }
            blocks.append(("p", _("Penalty: %(p)s.") % {"p": pen}))
            notes = penalty_notes(c)
            if notes:
                blocks.append(("bullets", notes))
    blocks.append(("h2", _("5. Gaps between Indonesian law and the Palermo Protocol")))
    if result.gaps:
        blocks.append(
            (
                "bullets",
                [
                    f"{labels.GAPS[g.code]} ({', '.join(words.cite(c) for c in g.charges)})"
                    for g in result.gaps
                ],
            )
        )
    else:
        blocks.append(("p", _("No gap found for these facts.")))
    blocks.append(("h2", _("6. Evidence still needed")))
    needed: list[str] = []
    for c in (*result.indonesia.charges, *result.indonesia.alternatives):
        for name, val in c.elements.items():
            if val in ("missing", "unknown"):
                for item in kb.evidence["elements"].get(name, []):
                    text = f"{labels.ELEMENTS.get(name, name)}: {pick(item, '')}"
                    if text not in needed:
                        needed.append(text)
    blocks.append(("bullets", needed[:25] + [pick(n, "text") for n in kb.evidence["notes"]]))
    blocks.append(
        ("h2", _("7. Restitution claim (UU 21/2007 Pasal 48; UU 31/2014 Pasal 7A; PP 7/2018)"))
    )
    sheet = selectors.restitution_sheet(claim)
    if sheet:
        head_labels = {h["code"]: pick(h) for h in kb.restitution["heads"]}
        rows = [(head_labels[k], _rp(vv)) for k, vv in sheet["heads"].items()]
        rows.append((_("Total"), _rp(sheet["total"])))
        blocks.append(("table", [(_("Head of loss"), _("Amount")), *rows]))
    else:
        blocks.append(("p", _("No restitution worksheet recorded yet.")))
    blocks.append(("bullets", [pick(s) for s in kb.restitution["steps"]]))
    notes = words.explanations(result.explanations)
    if notes:
        blocks.append(("h2", _("8. Notes")))
        blocks.append(("bullets", notes))
    blocks.append(("h2", _("9. Conclusion and suggested charges")))
    blocks.extend(conclusion_blocks(result))
    return blocks


def perpetrator_lines(case: Case, *, identify: bool) -> list[str]:
    """Each perpetrator by kind and role (named only in an identified memo)."""
    kinds = dict(choices.PerpetratorKind.choices)
    roles = dict(choices.PerpetratorRole.choices)
    relations = dict(choices.Relationship.choices)
    lines = []
    for n, p in enumerate(selectors.case_perpetrators(case), start=1):
        parts = [str(kinds.get(p.kind, p.kind or _("kind unknown")))]
        if p.roles:
            parts.append(_("role: %(r)s") % {"r": ", ".join(str(roles.get(r, r)) for r in p.roles)})
        if p.relationship:
            parts.append(
                _("relation to the survivor: %(r)s")
                % {"r": relations.get(p.relationship, p.relationship)}
            )
        label = _("Perpetrator %(n)s") % {"n": n}
        if identify and p.name:
            label = f"{label} ({p.name})"
        lines.append(f"{label}: " + "; ".join(parts))
    return lines


def charge_penalty_text(c: Charge) -> str:
    """A charge's penalty in words ("—" for a charge without one)."""
    return words.penalty_text(c.penalty) if c.penalty is not None else "—"


def conclusion_blocks(result: QualificationResult) -> list[Block]:
    """Which offences are met (with the penalty), which are undetermined, and the gaps."""
    every = (*result.indonesia.charges, *result.indonesia.alternatives)
    met = [c for c in every if c.met is True]
    open_ = [c for c in every if c.met is None]
    out: list[Block] = []
    if met:
        out.append(("p", _("On the recorded facts these offences are met and may be charged:")))
        out.append(
            (
                "bullets",
                [f"{words.cite(c.id)}: {charge_penalty_text(c)}" for c in met],
            )
        )
    else:
        out.append(("p", _("On the recorded facts no offence is met yet.")))
    if open_:
        out.append(
            (
                "p",
                _("Undetermined until the missing facts are known: %(list)s.")
                % {"list": ", ".join(words.cite(c.id) for c in open_)},
            )
        )
    if result.gaps:
        out.append(("p", _("See section 5 for where Indonesian law differs from Palermo.")))
    return out


def memo_file(
    *, actor: User, link: CaseSurvivor, fmt: str, lang: str, identify: bool
) -> tuple[bytes, str, str]:
    """(content, filename, content type) of the memo; audited as an export."""
    made = memo_file_if_short(
        actor=actor, link=link, fmt=fmt, lang=lang, identify=identify, inline_max=None
    )
    assert made is not None  # no limit: always made
    return made


def memo_file_if_short(
    *,
    actor: User,
    link: CaseSurvivor,
    fmt: str,
    lang: str,
    identify: bool,
    inline_max: int | None,
) -> tuple[bytes, str, str] | None:
    """:func:`memo_file`, or ``None`` (nothing rendered, nothing audited) when the memo has
    more than ``inline_max`` characters: a request then queues the ``legal_memo`` job."""
    membership = require_case_role(actor)
    if identify and membership.role not in IDENTIFY_ROLES:
        raise LenteraError(
            "identify_forbidden",
            _("Only legal staff and supervisors may put the survivor's identity in a memo."),
            kind="forbidden",
        )
    if lang not in ("id", "en"):
        lang = "id"
    assessment, _previous = services.legal_assessment_get_or_open(actor=actor, link=link)
    claim = selectors.restitution_claim_for(link)
    with translation.override(lang):
        blocks = memo_blocks(link=link, assessment=assessment, claim=claim, identify=identify)
    if inline_max is not None and text_size(blocks) > inline_max:
        return None
    content = render_docx(blocks) if fmt == "docx" else render_pdf(blocks)
    audit_log(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=assessment,
        detail={"kind": "legal_memo", "format": fmt, "lang": lang, "identified": identify},
    )
    name = f"memo-{link.case.reference}-{assessment.number}.{fmt}".replace("/", "-")
    ctype = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    return content, name, ctype
