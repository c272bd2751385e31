"""Everything that can hold a survivor's identity, declared once.

Each app lists, in its ``identity.py`` module, the models and fields that can hold
something identifying a survivor (names, numbers, free text that may name them,
files) and how to reach the survivor from a row: either through the person
(``person=`` lookups, rows about that person only) or through the cases the person
is in (``case=`` lookup; narratives of a case name everyone in it). Fields that hold
no identity are declared too, with the reason, so that a new text, JSON or file
field on any model is either declared or fails
``tests/web/test_anonymise_everywhere.py``.

Anonymisation (:func:`lentera.web.cases.services.person_anonymise`) walks this registry:
it never lists places itself.

The same modules declare what must stop when a survivor withdraws a consent: a list
``CONSENT_HOOKS`` of :class:`ConsentHook` (a referral's shared payload, for the referral
consent). :func:`lentera.web.cases.services.consent_withdraw` calls every hook of the
consent's purpose, explicitly, inside its transaction — so the case store never imports the
apps that hold copies, and a reader of the withdrawal finds the list here rather than in a
signal receiver (ADR 0022).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

REDACTED = "[dihapus]"


@dataclass(frozen=True)
class IdentityHolder:
    """One model whose rows may hold a survivor's identity."""

    model: str  # "app_label.ModelName"
    #: text fields erased: replaced by ``[dihapus]`` when they held text
    fields: tuple[str, ...] = ()
    #: lookups from this model to the Person (any of them matches)
    person: tuple[str, ...] = ()
    #: lookup from this model to the Case (rows of every case the person is in)
    case: str = ""
    #: delete the matching rows instead of redacting fields
    delete: bool = False
    #: what an erased field becomes when it held text ("" for fields that hold JSON text)
    placeholder: str = REDACTED
    #: extra erasure for each matching row before the fields are redacted (files, payloads)
    scrub: Callable[[Any], None] | None = None
    #: the fields that ``scrub`` erases (declared, so the completeness test can check them)
    scrubbed: tuple[str, ...] = ()
    #: a custom selection of rows (person ids, case ids) when no lookup reaches them
    select: Callable[[list[int], list[int]], QuerySet[Any]] | None = None
    why: str = ""

    def model_class(self) -> Any:
        return apps.get_model(self.model)

    def rows(self, person_ids: list[int], case_ids: list[int]) -> QuerySet[Any]:
        model = self.model_class()
        if self.select is not None:
            return self.select(person_ids, case_ids)
        q = Q()
        for lookup in self.person:
            q |= Q(**{f"{lookup}__in": person_ids})
        if self.case:
            q |= Q(**{f"{self.case}__in": case_ids})
        if not q:
            return model.objects.none()
        return model.objects.filter(q).distinct()


@dataclass(frozen=True)
class ConsentHook:
    """What an app erases or stops when a consent of ``purpose`` is withdrawn.

    ``withdraw`` is called as ``withdraw(consent=…, actor=…)`` inside the withdrawal's
    transaction, after the consent is marked withdrawn; it writes its own audit rows.
    """

    purpose: str  # a ConsentPurpose value
    withdraw: Callable[..., None]
    why: str = ""


@dataclass
class _Registry:
    holders: dict[str, IdentityHolder] = field(default_factory=dict)
    #: "app_label.Model.field" -> why it holds no identity
    not_identity: dict[str, str] = field(default_factory=dict)
    #: non-database copies (files) erased or dropped: name -> function(organisation id)
    derived: dict[str, Callable[[int], None]] = field(default_factory=dict)
    loaded: bool = False


_REGISTRY = _Registry()


def declare(model: str, **kwargs: Any) -> IdentityHolder:
    """Declare that rows of ``model`` can hold a survivor's identity (see :class:`IdentityHolder`)."""
    holder = IdentityHolder(model=model, **kwargs)
    _REGISTRY.holders[model] = holder
    return holder


def declare_not_identity(fields: Iterable[str], why: str) -> None:
    """Declare fields (``app_label.Model.field``) that hold no survivor identity, and why."""
    for name in fields:
        _REGISTRY.not_identity[name] = why


def declare_derived(name: str, erase: Callable[[int], None]) -> None:
    """A copy outside the database (a file) that must be dropped when one of the
    organisation's survivors is anonymised (called with the organisation id)."""
    _REGISTRY.derived[name] = erase


def _load() -> _Registry:
    if not _REGISTRY.loaded:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("identity")
        _REGISTRY.loaded = True
    return _REGISTRY


def holders() -> list[IdentityHolder]:
    return list(_load().holders.values())


def not_identity() -> dict[str, str]:
    return dict(_load().not_identity)


def derived() -> dict[str, Callable[[int], None]]:
    return dict(_load().derived)


def consent_hooks(purpose: str | None = None) -> list[ConsentHook]:
    """The ``CONSENT_HOOKS`` declared in every app's ``identity.py`` (of ``purpose`` only, when
    given), in app order."""
    _load()
    hooks: list[ConsentHook] = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.identity")
        hooks.extend(getattr(module, "CONSENT_HOOKS", ()))
    return [h for h in hooks if purpose is None or h.purpose == purpose]


def erase(*, organisation_id: int, person_ids: list[int], case_ids: list[int]) -> dict[str, int]:
    """Erase every declared place for a group of person records (one human); rows touched per model."""
    touched: dict[str, int] = {}
    for holder in holders():
        objs = list(holder.rows(person_ids, case_ids))
        for obj in objs:
            if holder.scrub is not None:
                holder.scrub(obj)
            if holder.fields and not holder.delete:
                for name in holder.fields:
                    setattr(obj, name, holder.placeholder if getattr(obj, name) else "")
                obj.save(update_fields=list(holder.fields))
        if holder.delete and objs:
            holder.model_class().objects.filter(pk__in=[o.pk for o in objs]).delete()
        touched[holder.model] = len(objs)
    for erase_copy in derived().values():
        erase_copy(organisation_id)
    return touched
