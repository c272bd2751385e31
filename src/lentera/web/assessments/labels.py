"""Words for the engines' language-neutral codes, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OUTCOMES = {
    "trafficked": gettext_lazy("Indicates trafficking"),
    "exploited_not_trafficked": gettext_lazy("Exploited, trafficking not indicated"),
    "not_indicated": gettext_lazy("Trafficking not indicated"),
    "insufficient_information": gettext_lazy("Not enough information"),
}
LISTS = {
    "adult_labour": gettext_lazy("Adults, labour exploitation"),
    "adult_sexual": gettext_lazy("Adults, sexual exploitation"),
    "child_labour": gettext_lazy("Children, labour exploitation"),
    "child_sexual": gettext_lazy("Children, sexual exploitation"),
}
VERIFICATION = {
    "secondary": gettext_lazy(
        "ratings from a secondary source, not checked against the ILO original"
    ),
    "derived_unverified": gettext_lazy(
        "list not retrieved: derived by Lentera from the labour lists, unverified"
    ),
    "disputed": gettext_lazy("rating disputed between sources"),
    "unverified": gettext_lazy("unverified"),
    "verified": gettext_lazy("verified"),
}
STRENGTHS = {
    "strong": gettext_lazy("strong"),
    "medium": gettext_lazy("medium"),
    "weak": gettext_lazy("weak"),
}
ELEMENT_VALUES = {
    "met": gettext_lazy("met"),
    "missing": gettext_lazy("not shown"),
    "unknown": gettext_lazy("unknown"),
    "not_required": gettext_lazy("not required"),
}
ELEMENTS = {
    "act": gettext_lazy("act (perbuatan)"),
    "means": gettext_lazy("means (cara)"),
    "purpose": gettext_lazy("purpose of exploitation (tujuan)"),
    "result": gettext_lazy("exploitation occurred (akibat)"),
    "territory": gettext_lazy("exploitation in Indonesia"),
    "movement": gettext_lazy("movement across the border or between regions"),
    "victim_child": gettext_lazy("victim is a child"),
    "victim_citizen": gettext_lazy("victim is an Indonesian citizen (WNI)"),
    "tppo_victim": gettext_lazy("a trafficking offence is established"),
    "use_of_victim": gettext_lazy("the perpetrator used or profited from the victim"),
    "falsification": gettext_lazy("documents or data falsified"),
    "migrant_worker": gettext_lazy("victim is a migrant worker"),
    "individual_placement": gettext_lazy("placement by an individual (not a licensed company)"),
    "job_mismatch": gettext_lazy("job differs from the work agreement"),
    "closed_country": gettext_lazy("placed in a closed country"),
    "underage": gettext_lazy("under the minimum age"),
    "control": gettext_lazy("victim placed under another's power"),
    "abduction_sale_or_trafficking": gettext_lazy("abduction, sale or trafficking of a child"),
    "coercion_or_child_marriage": gettext_lazy("coercion or a child marriage"),
    "employed": gettext_lazy("the child was employed"),
    "intent_to_facilitate": gettext_lazy("intended to make the exploitation possible"),
    "marriage": gettext_lazy("a marriage"),
    "worst_form": gettext_lazy("one of the worst forms of child labour"),
}
GAPS = {
    "child_means_required": gettext_lazy(
        "Under the Palermo Protocol this child is a trafficking victim without any means, but Indonesia's core offence (UU 21/2007 Pasal 2 / KUHP Pasal 455) still requires means that the facts do not show."
    ),
    "means_not_in_national_law": gettext_lazy(
        "The only means shown is 'other forms of coercion', which Indonesian law does not list; it must be argued as abuse of vulnerability or threat of violence."
    ),
    "result_required": gettext_lazy(
        "A formal offence is met, but the result offence or the harm aggravation needs proof that exploitation actually occurred."
    ),
    "purpose_outside_palermo": gettext_lazy(
        "Indonesian law reaches a purpose of exploitation that the Palermo Protocol's minimum list does not name."
    ),
    "purpose_outside_national_law": gettext_lazy(
        "The purpose is exploitation under the Palermo Protocol but is not named in UU 21/2007 (for forced marriage, see UU 12/2022 Pasal 10)."
    ),
}
DIMENSION_REASONS = {
    "exploitation_positive": gettext_lazy("Exploitative conditions (D4) are shown."),
    "exploitation_not_established": gettext_lazy("Exploitative conditions (D4) are not shown."),
    "recruitment_means_positive": gettext_lazy(
        "Deception, coercion or abuse of vulnerability at recruitment (D1–D3) is shown."
    ),
    "recruitment_means_not_established": gettext_lazy(
        "No recruitment dimension (D1–D3) is positive."
    ),
    "destination_means_positive": gettext_lazy(
        "Coercion or abuse of vulnerability at destination (D5–D6) is shown."
    ),
    "destination_means_not_established": gettext_lazy(
        "No destination dimension (D5–D6) is positive."
    ),
    "child_means_not_required": gettext_lazy("Child: means are not required (Palermo Art. 3(c))."),
    "act_established": gettext_lazy("An act (recruitment, transport, harbouring…) is shown."),
    "act_not_established": gettext_lazy(
        "No act of recruitment, transport, harbouring or receipt is shown."
    ),
    "age_unknown": gettext_lazy("Age unknown: the adult rule was applied."),
    "child_rule_would_indicate_trafficked": gettext_lazy(
        "If the person is under 18, the child rule would indicate trafficking."
    ),
    "exploitation_type_unknown": gettext_lazy(
        "Type of exploitation unknown: the labour list was used."
    ),
    "no_indicators": gettext_lazy("No indicator has been recorded."),
    "outcome_rule_unverified": gettext_lazy(
        "The rule combining dimensions is a reconstruction, not verified against the ILO brochure."
    ),
}


def reason_text(code: str) -> str:
    """A reason code of ``lentera.screening/1`` in words."""
    name, _sep, param = code.partition(":")
    if name in DIMENSION_REASONS:
        return str(DIMENSION_REASONS[name])
    if name.endswith("_positive") and name[:2] in {"D1", "D2", "D3", "D4", "D5", "D6"}:
        return _("Dimension %(d)s is positive.") % {"d": name[:2]}
    if name == "indicator_not_in_list":
        return _("Indicator %(id)s is not in this list and was not counted.") % {"id": param}
    if name == "indicator_rating_disputed":
        return _("The rating of %(id)s is disputed between sources.") % {"id": param}
    if name == "disputed_rating_indicator":
        return _("%(id)s has another rating in a disputed source; it was also tried.") % {
            "id": param
        }
    if name == "disputed_rating_changes_outcome":
        return _(
            "Disputed: with the other rating of the disputed indicators the outcome would be: %(outcome)s."
        ) % {"outcome": OUTCOMES.get(param, param)}
    if name == "also_screened":
        lst, _s, outcome = param.partition(":")
        return _("Also screened against %(list)s: %(outcome)s.") % {
            "list": LISTS.get(lst, lst),
            "outcome": OUTCOMES.get(outcome, outcome),
        }
    if name.startswith("list_"):
        status = name.removeprefix("list_")
        return _("List %(list)s: %(status)s.") % {
            "list": LISTS.get(param, param),
            "status": VERIFICATION.get(status, status),
        }
    return code


def explanation_text(item: dict[str, Any]) -> str:
    """An explanation of ``lentera.qualification/1`` in words."""
    code, p = item["code"], item.get("params", {})
    if code == "offence_date_unknown":
        return _("No offence date: the rules in force on %(d)s were used.") % {
            "d": p.get("rules_as_of")
        }
    if code == "age_unknown":
        return _("The victim's age is unknown: child-specific articles stay undetermined.")
    if code == "victim_is_child":
        return _(
            "The victim was %(age)s at the time: a child under Palermo Art. 3(d) and UU 21/2007 Pasal 1 angka 5."
        ) % {"age": p.get("age")}
    if code == "palermo_child_means_not_required":
        return _("Palermo Art. 3(c): for a child, the means element is not required.")
    if code == "palermo_depends_on_age":
        return _("The Palermo result depends on the victim's age, which is unknown.")
    if code == "article_replaced":
        return _("%(a)s was replaced by %(b)s from %(d)s.") % {
            "a": p.get("article"),
            "b": p.get("by"),
            "d": p.get("from"),
        }
    if code == "article_not_in_force":
        return _("%(a)s was not in force on %(d)s (in force from %(f)s); it is not applied retroactively.") % {
            "a": p.get("article"), "d": p.get("offence_date"), "f": p.get("in_force_from")}  # fmt: skip
    if code == "aggravation_undetermined":
        return _("Aggravation %(g)s of %(c)s depends on unknown facts.") % {
            "g": p.get("aggravation"),
            "c": p.get("charge"),
        }
    if code == "aggravations_combined":
        return _(
            "Several aggravations were combined for %(c)s; how they combine is not verified."
        ) % {"c": p.get("charge")}
    if code == "penalty_unverified":
        return _(
            "The penalty of %(a)s rests on a reading that is not verified; both readings are listed."
        ) % {"a": p.get("article")}
    if code == "article_unverified":
        return _("%(c)s rests on statute text not verified against the statute: %(a)s.") % {
            "c": p.get("charge"), "a": ", ".join(p.get("articles", []))}  # fmt: skip
    if code == "territory_place_of_act":
        return _("%(c)s is met only if \"di wilayah negara Republik Indonesia\" is read as the place of the act: presented as an alternative charge.") % {
            "c": p.get("charge")}  # fmt: skip
    if code == "additional_measures":
        return _("%(c)s: the court may also order measures (%(m)s) under %(g)s.") % {
            "c": p.get("charge"), "m": ", ".join(p.get("measures", [])), "g": p.get("aggravation")}  # fmt: skip
    if code in ("charge_met", "charge_not_met", "charge_undetermined"):
        return ""
    return code
