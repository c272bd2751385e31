"""Synthetic referral data for the demo: a small directory (institution types and
names only — no contact details are invented), referrals in every status
between the two demo organisations, support plans and legal-process steps."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from lentera.web.accounts.models import Organisation, User
from lentera.web.cases.models import CaseSurvivor
from lentera.web.referrals import selectors, services
from lentera.web.referrals.models import Referral, ReferralEvent

DIRECTORY = (
    # name, institution type, services, provinces, linked demo org code
    # (one provider a line, a table: fmt: skip keeps it readable)
    ("UPTD PPA Provinsi Nusa Tenggara Timur", "uptd_ppa",
     ["shelter", "psychosocial", "legal", "health", "repatriation"], ["53"], "PPANTT"),
    ("LPSK (contoh demo)", "lpsk", ["protection", "legal", "health", "psychosocial"], [], None),
    ("Subdit PPA-PPO Polda Jawa Timur (contoh demo)", "police", ["legal", "protection"], ["35"], None),
    ("RPTC Kemensos (contoh demo)", "rptc", ["shelter", "psychosocial", "reintegration"], [], None),
    ("BP3MI Jawa Timur (contoh demo)", "migrant_agency", ["repatriation", "documents", "livelihood"], ["35"], None),
    ("LBH mitra (contoh demo)", "legal_aid", ["legal"], ["35", "53"], None),
)  # fmt: skip

#: the legal process of a demo case: (step, days after the police report, recorded for the
#: survivor rather than the case, the restitution amounts (Rp) one is drawn from)
LEGAL_STEPS: tuple[tuple[str, int, bool, tuple[int, ...]], ...] = (
    ("police_report", 0, False, ()),
    ("lpsk_application", 20, True, ()),
    ("indictment", 150, True, (0, 45_000_000, 120_000_000)),
    ("verdict", 200, True, (0, 30_000_000, 90_000_000)),
)


def load_referral_demo(rng: random.Random, *, today: dt.date) -> None:
    """Directory for YLK, ~25 referrals, support actions and legal steps (all synthetic)."""
    ylk = Organisation.objects.get(code="YLK")
    ntt = Organisation.objects.filter(code="PPANTT").first()
    sup = User.objects.get(username="ylk_supervisor")
    cw = User.objects.get(username="ylk_caseworker")
    providers = []
    for name, kind, offered, provinces, linked in DIRECTORY:
        providers.append(
            services.provider_save(
                actor=sup,
                data={
                    "name": name,
                    "institution_type": kind,
                    "services": offered,
                    "nationwide": not provinces,
                    "province_codes": provinces,
                    "linked_organisation": ntt if linked == "PPANTT" else None,
                    "languages": ["id"],
                    "notes": "Entri contoh untuk demo; isi kontak dari direktori Anda sendiri.",
                },
            )
        )
    links = list(
        CaseSurvivor.objects.filter(case__organisation=ylk)
        .select_related("case", "person")
        .order_by("id")[:60]
    )
    now = timezone.now()
    ntt_user = User.objects.filter(username="ntt_caseworker").first()
    for i, link in enumerate(links[:25]):
        provider = providers[i % len(providers)]
        consent = selectors.referral_consent(link)
        referral = services.referral_send(
            actor=sup if consent is None else cw,
            link=link,
            provider=provider,
            services=provider.services[:2],
            reason="Rujukan contoh (data sintetis).",
            urgency=rng.choice(["high", "normal", "normal", "low"]),
            override_reason=""
            if consent
            else "Demo: anak dalam bahaya, persetujuan belum tercatat.",
        )
        sent = now - dt.timedelta(days=rng.randint(2, 60))
        due = sent.date() + dt.timedelta(days=rng.choice([3, 7, 14]))
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent, due_date=due)
        ReferralEvent.objects.filter(referral=referral).update(at=sent)
        fate = rng.random()
        if fate < 0.25:
            continue  # stays "sent" (several will be overdue)
        actor = ntt_user if referral.is_internal and ntt_user else cw
        services.referral_transition(
            actor=actor,
            referral=referral,
            to_status="declined" if fate < 0.35 else "accepted",
            reason="Di luar wilayah layanan (contoh)." if fate < 0.35 else "",
        )
        answered = sent + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 20))
        Referral.objects.filter(pk=referral.pk).update(answered_at=answered)
        ReferralEvent.objects.filter(referral=referral).exclude(to_status="sent").update(
            at=answered
        )
        if fate > 0.6:
            services.referral_transition(actor=actor, referral=referral, to_status="in_service")
        if fate > 0.8:
            services.referral_transition(actor=actor, referral=referral, to_status="completed")
    for link in links[:15]:
        services.action_save(
            actor=cw,
            link=link,
            data={
                "service_type": rng.choice(["psychosocial", "health", "livelihood", "legal"]),
                "objective": "Tujuan contoh (data sintetis).",
                "planned_start": today - dt.timedelta(days=60),
                "planned_end": today + dt.timedelta(days=rng.randint(-20, 60)),
                "status": rng.choice(["planned", "in_progress"]),
                "next_follow_up": today - dt.timedelta(days=rng.randint(-10, 10)),
                "responsible": cw,
            },
        )
    for link in links[30:36]:
        start = today - dt.timedelta(days=300)
        for step, days, on_survivor, amounts in LEGAL_STEPS:
            services.legal_step_add(
                actor=sup,
                case=link.case,
                step=step,
                date=start + dt.timedelta(days=days),
                link=link if on_survivor else None,
                amount=rng.choice(amounts) if amounts else None,
            )
        services.legal_step_add(
            actor=sup,
            case=link.case,
            step="final_judgment_notified",
            date=today - dt.timedelta(days=rng.randint(5, 40)),
            link=link,
        )
