"""Consent withdrawal calls the hooks apps declare (``CONSENT_HOOKS`` in their identity.py).

Referrals declares its own hook (``referrals/identity.py``); its effect is tested in
``test_referrals.py`` (a withdrawn referral consent empties the shared payload). Here the
mechanism: the hooks of the consent's purpose run, with the consent and the actor, inside
the withdrawal; the others do not.
"""

from __future__ import annotations

from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.web.cases import identity as cases_identity
from lentera.web.cases import services
from lentera.web.cases.choices import ConsentPurpose
from lentera.web.cases.models import Consent
from lentera.web.core import identity
from lentera.web.core.identity import ConsentHook

pytestmark = pytest.mark.django_db


def _consent(worker: Any, build_case: Any, purpose: str) -> Consent:
    case = build_case(worker)
    person = case.survivors.first().person
    return services.consent_record(
        actor=worker, person=person, case=case, purpose=purpose, granted=True
    )


def test_withdrawal_calls_the_hooks_of_its_purpose_only(
    monkeypatch: pytest.MonkeyPatch, worker_a: Any, build_case: Any
) -> None:
    calls: list[tuple[str, int, int]] = []

    def hook(name: str) -> Any:
        def withdraw(*, consent: Consent, actor: Any) -> None:
            assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
            calls.append((name, consent.pk, actor.pk))

        return withdraw

    monkeypatch.setattr(
        cases_identity,
        "CONSENT_HOOKS",
        [
            ConsentHook(purpose=ConsentPurpose.DATA_SHARING, withdraw=hook("sharing"), why="t"),
            ConsentHook(purpose=ConsentPurpose.REPORTING, withdraw=hook("reporting"), why="t"),
        ],
        raising=False,
    )
    assert [h.why for h in identity.consent_hooks(ConsentPurpose.DATA_SHARING)] == ["t"]
    consent = _consent(worker_a, build_case, ConsentPurpose.DATA_SHARING)
    services.consent_withdraw(actor=worker_a, consent=consent)
    assert calls == [("sharing", consent.pk, worker_a.pk)]


def test_a_failing_hook_undoes_the_withdrawal(
    monkeypatch: pytest.MonkeyPatch, worker_a: Any, build_case: Any
) -> None:
    def refuse(*, consent: Consent, actor: Any) -> None:
        raise LenteraError("hook_failed", "the copy could not be erased")

    monkeypatch.setattr(
        cases_identity,
        "CONSENT_HOOKS",
        [ConsentHook(purpose=ConsentPurpose.DATA_SHARING, withdraw=refuse, why="t")],
        raising=False,
    )
    consent = _consent(worker_a, build_case, ConsentPurpose.DATA_SHARING)
    with pytest.raises(LenteraError):
        services.consent_withdraw(actor=worker_a, consent=consent)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
