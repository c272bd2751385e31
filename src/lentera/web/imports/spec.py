"""The intake vocabulary, built from the case store's choices with labels in id and en.

The intake engine (:mod:`lentera.intake`) is Django-free; it receives this plain
dict so its codes and labels never drift from the case store.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.translation import override

from lentera.web.cases import choices

__all__ = ["VOCABULARIES", "build_vocabulary"]

#: intake vocabulary name → the case store's choices
VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "case_status": choices.CaseStatus,
    "sex": choices.Sex,
    "gender": choices.Gender,
    "education": choices.Education,
    "marital_status": choices.MaritalStatus,
    "trafficking_status": choices.TraffickingStatus,
    "exploitation_type": choices.ExploitationType,
    "sex_exploitation_type": choices.SexExploitationType,
    "sector": choices.Sector,
    "recruitment_method": choices.RecruitmentMethod,
    "recruitment_app": choices.RecruitmentApp,
    "method_of_control": choices.MethodOfControl,
    "perpetrator_kind": choices.PerpetratorKind,
    "perpetrator_role": choices.PerpetratorRole,
    "relationship": choices.Relationship,
    "event_stage": choices.EventStage,
}


@cache
def build_vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    """Vocabulary name → code → {"id": label, "en": label}."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for name, enum in VOCABULARIES.items():
        entries: dict[str, dict[str, str]] = {}
        for member in enum:
            labels = {}
            for lang in ("id", "en"):
                with override(lang):
                    labels[lang] = str(member.label)
            entries[str(member.value)] = labels
        out[name] = entries
    return out
