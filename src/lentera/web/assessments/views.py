"""Screening, legal analysis, restitution and memo pages for one survivor in a case.

Views parse the request, call a selector (reads) or a service (writes) and render; the
words come from :mod:`.labels` and :mod:`.words`, bilingual data labels through
``core.i18n.pick``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.errors import LenteraError
from lentera.law import Charge, QualificationResult, load_kb
from lentera.screening import ScreeningResult, load_catalogue
from lentera.screening.catalogue import DIMENSIONS
from lentera.web.assessments import labels, memo, selectors, services, words
from lentera.web.assessments.models import LegalAssessment, RestitutionClaim, Screening
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases import services as case_services
from lentera.web.cases.choices import TraffickingStatus
from lentera.web.core.formfields import RupiahField
from lentera.web.core.forms import run_action
from lentera.web.core.i18n import current_lang, pick
from lentera.web.jobs.services import enqueue


def _dimension_rows(result: ScreeningResult) -> list[dict[str, Any]]:
    catalogue = load_catalogue()
    rows = []
    for d in DIMENSIONS:
        slot = result.dimensions[d]  # type: ignore[index]  # DIMENSIONS are the Literal's values
        meta = catalogue.dimensions[d]
        indicators = []
        for ind_id in slot.indicators:
            ind = catalogue.get(ind_id)
            if ind:
                indicators.append({
                    "label": pick(ind),
                    "strength": labels.STRENGTHS[ind.strength],
                    "verification": ind.verification,
                })  # fmt: skip
        rows.append({
            "code": d,
            "label": pick(meta),
            "positive": slot.positive,
            "strong": slot.strong, "medium": slot.medium, "weak": slot.weak,
            "indicators": indicators,
        })  # fmt: skip
    return rows


def _evidence_notes(notes: dict[str, str]) -> list[tuple[str, str]]:
    """(indicator title, note): the title a person reads, never the indicator's key."""
    catalogue = load_catalogue()
    rows = []
    for key, note in notes.items():
        ind = catalogue.get(key)
        label = pick(ind) if ind else key.rsplit(".", 1)[-1]
        rows.append((label, note))
    return rows


def _screening_context(screening: Screening) -> dict[str, Any]:
    result = screening.engine_result
    catalogue = load_catalogue()
    verification = catalogue.lists[result.list]["verification"]
    return {
        "screening": screening,
        "outcome": labels.OUTCOMES.get(result.outcome, result.outcome),
        "list_label": labels.LISTS.get(result.list, result.list),
        "list_verification": labels.VERIFICATION.get(verification, ""),
        "unverified_list": verification != "verified",
        "dimensions": _dimension_rows(result),
        "reasons": [t for t in (labels.reason_text(r) for r in result.reasons) if t],
        "notes": _evidence_notes(json.loads(screening.evidence or "{}")),
        "catalogue_title": pick(catalogue, "title"),
        "catalogue_source": catalogue.source,
    }


@login_required
def screening_form(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    group, lists = selectors.screening_lists(link)
    group_lists = [f"{group}_labour", f"{group}_sexual"]
    list_name = request.GET.get("list") or request.POST.get("list") or lists[0]
    if list_name not in group_lists:
        list_name = lists[0]
    catalogue = load_catalogue()
    error = None
    if request.method == "POST":
        ticked = request.POST.getlist("indicator")
        notes = {
            k.removeprefix("note:"): v for k, v in request.POST.items() if k.startswith("note:")
        }
        try:
            row = services.screening_save(
                actor=request.user, link=link, indicators=ticked, notes=notes
            )
        except LenteraError as exc:
            error = exc.message
            selected, prefill_notes, source = ticked, notes, "form"
        else:
            messages.success(request, _("Screening saved."))
            return redirect("assessments:screening", screening_id=row.pk)
    else:
        selected, prefill_notes, source = selectors.screening_prefill(link, list_name)
    groups = []
    for d in DIMENSIONS:
        meta = catalogue.dimensions[d]
        items = []
        for ind in catalogue.indicators(list_name):
            if ind.dimension != d:
                continue
            items.append({
                "id": ind.id,
                "label": pick(ind),
                # the catalogue has no English help: English readers get the label
                "help": pick(ind, "help", fallback="label"),
                "strength": ind.strength,
                "strength_label": labels.STRENGTHS[ind.strength],
                # the list's status is said once above; flag only an indicator that differs
                "unverified": ind.verification
                not in {"verified", catalogue.lists[list_name]["verification"]},
                "verification": labels.VERIFICATION.get(ind.verification, ""),
                "checked": ind.id in selected,
                "note": prefill_notes.get(ind.id, ""),
            })  # fmt: skip
        groups.append(
            {
                "code": d,
                "label": pick(meta),
                "items": items,
            }
        )
    return render(
        request,
        "assessments/screening_form.html",
        {
            "link": link,
            "case": link.case,
            "groups": groups,
            "list_name": list_name,
            "list_label": labels.LISTS[list_name],
            "list_verification": labels.VERIFICATION.get(
                catalogue.lists[list_name]["verification"], ""
            ),
            "other_lists": [(n, labels.LISTS[n]) for n in group_lists if n != list_name],
            "prefill_source": source,
            "error": error,
            "history": selectors.screening_history(link),
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def screening_detail(request: HttpRequest, screening_id: int) -> HttpResponse:
    screening = selectors.screening_get_for_user(actor=request.user, screening_id=screening_id)
    context = _screening_context(screening)
    context["link"] = screening.case_survivor
    context["case"] = screening.case_survivor.case
    context["offer_status"] = (
        screening.outcome == "trafficked"
        and screening.case_survivor.trafficking_status == TraffickingStatus.POSSIBLE
        and selectors.screening_is_latest(screening)
    )
    template = (
        "assessments/screening_print.html"
        if request.GET.get("print")
        else "assessments/screening_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def trafficking_status_update(request: HttpRequest, link_id: int) -> HttpResponse:
    """The offer after a positive screening: record the survivor as a victim (one tap)."""
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    status = request.POST.get("status", "")
    if status not in TraffickingStatus.values:
        raise LenteraError("invalid_field", _("Choose a valid status."), field="status")
    run_action(
        request,
        lambda: case_services.case_survivor_update(
            actor=request.user,
            link=link,
            version=int(request.POST["version"]) if request.POST.get("version") else None,
            trafficking_status=status,
        ),
        _("The survivor's trafficking status was updated."),
    )
    return redirect("cases:detail", case_id=link.case_id)


class RestitutionForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.IntegerField) and name not in {"months_worked", "version"}:
                self.fields[name] = RupiahField(
                    label=field.label,
                    required=False,  # an empty head is no loss of that kind: Rp0
                    help_text=field.help_text,
                    min_value=0,
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, RupiahField) and cleaned.get(name, 0) is None:
                cleaned[name] = 0
        return cleaned

    class Meta:
        model = RestitutionClaim
        fields = list(selectors.RESTITUTION_FIELDS)
        widgets = {
            "final_judgment_notified_on": forms.DateInput(attrs={"type": "date"}),
            "court_warning_on": forms.DateInput(attrs={"type": "date"}),
            "paid_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


def _charge_rows(charges: list[Charge]) -> list[dict[str, Any]]:
    kb = load_kb()
    evidence = kb.evidence
    rows = []
    for c in charges:
        art = kb.article(c.id)
        guidance = []
        for name, value in c.elements.items():
            if value in ("missing", "unknown"):
                items = list(evidence["elements"].get(name, []))
                guidance.append(
                    {
                        "element": labels.ELEMENTS.get(name, name),
                        "items": [pick(i, "") for i in items],
                    }
                )
        penalty = c.penalty
        # a result stored before penalties carried their verification: the article's
        verification = (
            penalty.verification
            if penalty is not None and "verification" in penalty.model_fields_set
            else art.penalty_verification
        )
        rows.append({
            "id": c.id,
            "law": kb.laws[art.law].short,
            "cite": art.cite_id,
            "title": pick(art, "title"),
            "met": c.met,
            "elements": [(labels.ELEMENTS.get(k, k), v, labels.ELEMENT_VALUES[v]) for k, v in c.elements.items()],
            "aggravations": [words.cite(a) for a in c.aggravations],
            "penalty": penalty,
            "unverified": verification != "verified" or bool(c.unverified),
            "notes": memo.penalty_notes(c),
            "note": art.note,
            "guidance": guidance,
        })  # fmt: skip
    return rows


#: "gaps" where Indonesian law reaches further than Palermo: not a shortcoming
REACHES_FURTHER = {"purpose_outside_palermo"}


def _conclusion(result: QualificationResult) -> dict[str, Any]:
    """The top of the legal page: offences met (with penalty), undetermined, evidence to seek."""
    kb = load_kb()
    ind = result.indonesia
    every = [*ind.charges, *ind.alternatives]
    seek: list[str] = []
    for c in every:
        if c.met is not None:
            continue
        for name, value in c.elements.items():
            if value == "unknown":
                for item in kb.evidence["elements"].get(name, [])[:2]:
                    text = pick(item, "")
                    if text not in seek:
                        seek.append(text)
    return {
        "met": [
            {"cite": words.cite(c.id), "penalty": memo.charge_penalty_text(c)}
            for c in every
            if c.met is True
        ],
        "undetermined": [words.cite(c.id) for c in every if c.met is None],
        "seek": seek[:6],
    }


def legal_context(assessment: LegalAssessment) -> dict[str, Any]:
    result = assessment.engine_result
    kb = load_kb()
    palermo = result.palermo
    return {
        "assessment": assessment,
        "result": result,
        "palermo_elements": [
            (labels.ELEMENTS.get(k, k), v, labels.ELEMENT_VALUES[v])
            for k, v in palermo.elements.items()
        ],
        "charges": _charge_rows(result.indonesia.charges),
        "alternatives": _charge_rows(result.indonesia.alternatives),
        "gaps": [
            {
                "code": g.code,
                "text": labels.GAPS[g.code],
                "charges": [words.cite(c) for c in g.charges],
            }
            for g in result.gaps
            if g.code not in REACHES_FURTHER
        ],
        "reaches_further": [
            {
                "code": g.code,
                "text": labels.GAPS[g.code],
                "charges": [words.cite(c) for c in g.charges],
            }
            for g in result.gaps
            if g.code in REACHES_FURTHER
        ],
        "explanations": words.explanations(result.explanations),
        "conclusion": _conclusion(result),
        "evidence_notes": [pick(n, "text") for n in kb.evidence["notes"]],
        "means_guidance": [
            (code, [pick(i, "") for i in kb.evidence["by_means"].get(code, [])])
            for code in kb.guidance_means  # law/data/evidence.yaml: means_guidance
            if palermo.elements.get("means") != "met" or code in assessment.facts.get("means", [])
        ],
        "rule_set": kb.rule_set,
    }


@login_required
def legal_analysis(request: HttpRequest, link_id: int) -> HttpResponse:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    current, previous = services.legal_assessment_get_or_open(actor=request.user, link=link)
    claim = selectors.restitution_claim_for(link)
    form = RestitutionForm(
        request.POST or None, instance=claim, initial={"version": claim.version if claim else None}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.restitution_save(
                    actor=request.user,
                    link=link,
                    fields=data,
                    version=form.cleaned_data.get("version"),
                )
            except LenteraError as exc:
                form.add_error(None, exc.message)
                status = 409 if exc.kind == "conflict" else 400
            else:
                messages.success(request, _("Restitution worksheet saved."))
                return redirect("assessments:legal", link_id=link.pk)
        else:
            status = 400
    claim = selectors.restitution_claim_for(link)
    last_diff_base = previous or selectors.legal_assessment_before(link, current.number)
    diff = selectors.assessment_diff(last_diff_base, current)
    context = {
        **legal_context(current),
        "link": link,
        "case": link.case,
        "diff": diff,
        "diff_rows": words.diff_rows(diff),
        "just_updated": previous is not None,
        "history": selectors.legal_assessment_history(link),
        "form": form,
        "sheet": selectors.restitution_sheet(claim),
        "restitution_steps": [pick(s) for s in load_kb().restitution["steps"]],
    }
    return render(request, "assessments/legal.html", context, status=status)


@login_required
@require_GET
def memo_download(request: HttpRequest, link_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise LenteraError("not_found", _("Unknown format."), kind="not_found")
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    lang = request.GET.get("lang") or current_lang()
    identify = request.GET.get("identify") == "1"
    made = memo.memo_file_if_short(
        actor=request.user,
        link=link,
        fmt=fmt,
        lang=lang,
        identify=identify,
        inline_max=memo.MEMO_INLINE_MAX_CHARS,
    )
    if made is None:  # a long memo: the worker writes it, the job page offers it
        job = enqueue(
            "legal_memo",
            actor=request.user,
            params={"link": link.pk, "format": fmt, "lang": lang, "identify": identify},
        )
        return redirect("jobs:detail", job_id=job.pk)
    content, filename, ctype = made
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
