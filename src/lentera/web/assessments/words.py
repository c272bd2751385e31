"""People's words for the codes of the facts contract and the law knowledge base.

Where a person reads (the legal page, the memo, the "what changed" list), no internal code or
rule id is shown: a fact code becomes its label, an article id becomes the citation as the
statute is cited ("Pasal 2 ayat (1) UU 21/2007"), a penalty reads as the statute does
("paling lama 10 tahun"). Every code of the contract's vocabularies has a label here (tested).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera import reference
from lentera.law import Explanation, PenaltyRange, PenaltyReading, load_kb
from lentera.screening import load_catalogue
from lentera.web.assessments import labels
from lentera.web.cases import choices
from lentera.web.core.i18n import pick

PURPOSES = {
    "prostitution": gettext_lazy("prostitution (pelacuran)"),
    "other_sexual_exploitation": gettext_lazy("other sexual exploitation"),
    "forced_labour": gettext_lazy("forced labour or services (kerja paksa)"),
    "slavery": gettext_lazy("slavery (perbudakan)"),
    "slavery_like_practice": gettext_lazy("practices similar to slavery"),
    "servitude": gettext_lazy("servitude (perhambaan)"),
    "organ_removal": gettext_lazy("removal of organs"),
    "forced_marriage": gettext_lazy("forced marriage"),
    "forced_criminality": gettext_lazy("forced criminal activity (e.g. online scams)"),
    "forced_begging": gettext_lazy("forced begging"),
    "labour_exploitation_for_gain": gettext_lazy("using a person's labour or abilities for gain"),
    "oppression": gettext_lazy("oppression (penindasan)"),
    "extortion": gettext_lazy("extortion (pemerasan)"),
}

_VOCABULARIES: dict[str, dict[str, Any]] = {
    "acts": dict(choices.LegalAct.choices),
    "means": dict(choices.LegalMeans.choices),
    "harm": dict(choices.Harm.choices),
    "exploitation.purposes": PURPOSES,
    "victim.sex": dict(choices.Sex.choices),
}

FACT_LABELS = {
    "offence_date": gettext_lazy("offence date"),
    "victim.age_at_offence": gettext_lazy("age at the time of the offence"),
    "victim.sex": gettext_lazy("sex"),
    "victim.citizenship": gettext_lazy("citizenship"),
    "victim.disability": gettext_lazy("disability"),
    "movement.origin_country": gettext_lazy("country of origin"),
    "movement.destination_country": gettext_lazy("country of destination"),
    "movement.origin_region": gettext_lazy("region of origin"),
    "movement.destination_region": gettext_lazy("region of destination"),
    "movement.crossed_regions_within_indonesia": gettext_lazy("moved between regions of Indonesia"),
    "acts": gettext_lazy("acts"),
    "means": gettext_lazy("means"),
    "exploitation.purposes": gettext_lazy("purposes of exploitation"),
    "exploitation.occurred": gettext_lazy("exploitation actually occurred"),
    "harm": gettext_lazy("harm suffered"),
    "perpetrator.state_official": gettext_lazy("a perpetrator is a state official"),
    "perpetrator.corporation": gettext_lazy("a perpetrator is a company or agency"),
    "perpetrator.organised_group": gettext_lazy("a perpetrator is part of an organised group"),
    "perpetrator.parent_or_guardian": gettext_lazy("a perpetrator is a parent or guardian"),
    "perpetrator.individual_placing_migrant_workers": gettext_lazy(
        "an individual placed migrant workers"
    ),
    "migrant_work.is_migrant_worker": gettext_lazy("migrant worker"),
    "migrant_work.documents_falsified": gettext_lazy("documents falsified"),
    "migrant_work.age_falsified": gettext_lazy("age falsified"),
    "migrant_work.job_differs_from_contract": gettext_lazy("job differs from the contract"),
    "migrant_work.placed_in_closed_country": gettext_lazy("placed in a closed country"),
    "indicators": gettext_lazy("screening indicators"),
}


def code_label(vocabulary: str, code: str) -> str:
    """The label of one code; an unknown code is spelled out, never shown raw."""
    label = _VOCABULARIES.get(vocabulary, {}).get(code)
    return str(label) if label is not None else code.replace("_", " ")


def fact_label(key: str) -> str:
    label = FACT_LABELS.get(key)
    if label is None:
        label = key.rsplit(".", 1)[-1].replace("_", " ")
    text = str(label)
    return text[:1].upper() + text[1:]


def fact_value(key: str, value: Any) -> str:
    """A fact's value in words (lists of codes, yes/no/unknown, countries, indicator titles)."""
    if value is None or value == "" or value == []:
        return _("unknown") if not isinstance(value, list) else "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(fact_value(key, v) for v in value)
    if key in _VOCABULARIES:
        return code_label(key, str(value))
    if key.endswith("_country"):
        country = reference.countries().get(str(value))
        if country is not None:
            return pick(country, "name")
    if key == "indicators":
        indicator = load_catalogue().get(str(value))
        if indicator is not None:
            return pick(indicator)
    if key.endswith("_region"):
        region = reference.regencies().get(str(value)) or reference.provinces().get(str(value))
        if region is not None:
            return region.name
    return str(value)


def codes(vocabulary: str, values: Iterable[str]) -> str:
    return ", ".join(code_label(vocabulary, v) for v in values) or "—"


def cite(article_id: str | None) -> str:
    """ "Pasal 2 ayat (1) UU 21/2007" for a knowledge-base article id."""
    if not article_id:
        return "—"
    kb = load_kb()
    try:
        article = kb.article(article_id)
    except (KeyError, LookupError):
        return article_id
    law = kb.laws.get(article.law)
    return f"{article.cite_id} {law.short}" if law else article.cite_id


def _years(months: int) -> str:
    years, rest = divmod(int(months), 12)
    if rest == 0:
        return _("%(y)s years") % {"y": years}
    if years == 0:
        return _("%(m)s months") % {"m": rest}
    return _("%(y)s years %(m)s months") % {"y": years, "m": rest}


def _rupiah(value: int) -> str:
    return "Rp" + f"{int(value):,}".replace(",", ".")


def _range(low: int | None, high: int | None, unit: Any, life: bool = False) -> str:
    """As the statute reads: "paling singkat 3 tahun dan paling lama 15 tahun"."""
    low = low or None  # a minimum of zero is no minimum
    top = _("life imprisonment") if life and high is None else (unit(high) if high else None)
    if low and top:
        return _("at least %(a)s and at most %(b)s") % {"a": unit(low), "b": top}
    if top:
        return _("at most %(b)s") % {"b": top}
    if low:
        return _("at least %(a)s") % {"a": unit(low)}
    return ""


def _fine_range(low: int | None, high: int | None) -> str:
    """As the statute reads: "paling sedikit Rp120.000.000 dan paling banyak Rp600.000.000"."""
    low = low or None
    if low and high:
        return _("not less than %(a)s and not more than %(b)s") % {
            "a": _rupiah(low),
            "b": _rupiah(high),
        }
    if high:
        return _("not more than %(b)s") % {"b": _rupiah(high)}
    if low:
        return _("not less than %(a)s") % {"a": _rupiah(low)}
    return ""


def penalty_text(p: PenaltyRange | PenaltyReading) -> str:
    """A penalty range (or another reading of it) as the statute words it."""
    prison = _range(p.prison_min_months, p.prison_max_months, _years, bool(p.life))
    if prison and p.life and p.prison_max_months is not None:
        prison = _("%(range)s, or life imprisonment") % {"range": prison}
    if p.death:
        prison = _("death, %(range)s") % {"range": prison}
    fine = _fine_range(p.fine_min_idr, p.fine_max_idr)
    parts = []
    if prison:
        parts.append(_("imprisonment %(range)s") % {"range": prison})
    if fine:
        parts.append(_("a fine of %(range)s") % {"range": fine})
    if not parts:
        return _("no penalty recorded")
    if len(parts) == 1:
        return parts[0]
    combination = p.combination or ("dan" if p.cumulative else "dan/atau")
    joiner = {"dan": _("and"), "dan/atau": _("and/or"), "atau": _("or")}.get(combination, "/")
    return f"{parts[0]} {joiner} {parts[1]}"


def explanations(items: Iterable[Explanation]) -> list[str]:
    """The engine's explanations in words; rule ids as citations, and one line per
    aggravation instead of one per charge it could aggravate."""
    out: list[str] = []
    undetermined: dict[str, list[str]] = {}
    for item in items:
        p = item.params
        if item.code == "aggravation_undetermined":
            undetermined.setdefault(p.get("aggravation", ""), []).append(cite(p.get("charge")))
            continue
        cited = {
            "code": item.code,
            "params": {k: cite(v) if k in {"article", "by", "charge", "aggravation"}
                       else [cite(a) for a in v] if k == "articles" else v
                       for k, v in p.items()},
        }  # fmt: skip
        text = labels.explanation_text(cited)
        if text:
            out.append(text)
    for aggravation, charges in undetermined.items():
        out.append(
            _("Aggravation under %(g)s depends on facts not yet known (for %(c)s).")
            % {"g": cite(aggravation), "c": ", ".join(dict.fromkeys(charges))}
        )
    return out


def diff_rows(diff: dict[str, Any]) -> list[str]:
    """The "what changed since assessment #n" list in words."""

    def met(value: Any) -> str:
        return {True: _("met"), False: _("not met")}.get(value, _("undetermined"))

    rows = [
        f"{fact_label(f['field'])}: {fact_value(f['field'], f['old'])} → "
        f"{fact_value(f['field'], f['new'])}"
        for f in diff.get("facts", [])
        if f["field"] != "schema"
    ]
    rows += [f"{cite(c['id'])}: {met(c['old'])} → {met(c['new'])}" for c in diff.get("charges", [])]
    rows += [_("New gap: %(g)s") % {"g": labels.GAPS.get(g, g)} for g in diff.get("gaps_added", [])]
    rows += [
        _("Gap resolved: %(g)s") % {"g": labels.GAPS.get(g, g)}
        for g in diff.get("gaps_removed", [])
    ]
    return rows
