"""Synthetic reintegration data for the demo organisation: plans with actions, follow-up
histories scored with the RSS (most improving, some lost to follow-up, a few re-migrating)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from lentera.reintegration import load_catalogue
from lentera.web.accounts.models import Organisation, User
from lentera.web.cases.models import CaseSurvivor
from lentera.web.reintegration import choices, services
from lentera.web.reintegration.models import ReintegrationPlan

KINDS = list(choices.ActionKind.values)
DONORS = ("Dana hibah contoh A", "Dana hibah contoh B", "APBD (contoh)", "")


def _answers(rng: random.Random, level: float) -> dict[str, str]:
    """Answers whose expected score is about ``level`` (0..1)."""
    out = {}
    for ind in load_catalogue().indicators.values():
        scored = sorted(
            (o for o in ind.options.values() if o.score is not None), key=lambda o: o.score
        )
        target = min(1.0, max(0.0, level + rng.uniform(-0.25, 0.25)))
        out[ind.id] = min(scored, key=lambda o: abs(float(o.score) - target)).code
    return out


@transaction.atomic
def load_reintegration_demo(rng: random.Random, *, today: dt.date) -> int:
    """Plans for up to 40 YLK survivors (two in three); returns how many were created (0 if present)."""
    ylk = Organisation.objects.get(code="YLK")
    if ReintegrationPlan.objects.filter(organisation=ylk).exists():
        return 0
    sup = User.objects.get(username="ylk_supervisor")
    links = list(
        CaseSurvivor.objects.filter(case__organisation=ylk)
        .select_related("case", "person")
        .order_by("id")
    )
    seen: set[int] = set()
    made = 0
    for link in links:
        if link.person_id in seen or made >= 40:
            continue
        seen.add(link.person_id)
        if len(seen) % 3 == 0:  # a third of the survivors have no plan yet
            continue
        actor = link.case.owner if link.case.owner.is_active else sup
        returned = today - dt.timedelta(days=rng.randint(20, 800))
        plan = services.plan_create(
            actor=actor, person=link.person, case=link.case, return_date=returned,
            notes="Rencana contoh (data sintetis).",
        )  # fmt: skip
        made += 1
        for kind in rng.sample(KINDS, rng.randint(2, 4)):
            planned = returned + dt.timedelta(days=rng.randint(7, 120))
            done = planned < today and rng.random() < 0.7
            services.action_save(
                actor=actor, plan=plan,
                data={
                    "kind": kind,
                    "status": choices.ActionStatus.DONE if done else choices.ActionStatus.PLANNED,
                    "planned_date": planned,
                    "actual_date": planned if done else None,
                    "responsible": "Mitra contoh",
                    "cost": rng.choice([None, 500_000, 1_500_000, 3_000_000, 5_000_000]),
                    "donor": rng.choice(DONORS),
                },
            )  # fmt: skip
        lost_after = rng.choice([99, 99, 99, 1, 2])  # one in five is lost to follow-up
        level = rng.uniform(0.25, 0.55)
        for i, f in enumerate(plan.followups.order_by("months")):
            if f.due_date > today:
                break
            day = min(today, f.due_date + dt.timedelta(days=rng.randint(0, 10)))
            if i >= lost_after:
                services.followup_record(
                    actor=actor, followup=f, outcome=choices.Outcome.NOT_REACHED, done_on=day
                )
                continue
            services.followup_record(
                actor=actor, followup=f, outcome=choices.Outcome.REACHED, done_on=day
            )
            services.score_record(actor=actor, followup=f, answers=_answers(rng, level))
            level += rng.uniform(-0.05, 0.15)
        if rng.random() < 0.12:
            services.departure_record(
                actor=actor, plan=plan,
                data={
                    "kind": rng.choice(list(choices.DepartureKind.values)),
                    "departed_on": min(today, returned + dt.timedelta(days=rng.randint(90, 400))),
                    "channel": rng.choice(list(choices.Channel.values)),
                    "same_recruiter": rng.choice(list(choices.SameRecruiter.values)),
                    "destination_country": rng.choice(["MY", "SA", "HK", ""]),
                },
            )  # fmt: skip
    return made
