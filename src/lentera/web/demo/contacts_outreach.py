"""Demo contacts and outreach for ``lentera demo`` (synthetic; YLK, the demo NGO).

About 40 contacts over the year before ``today`` (some converted to cases, some missing-person
flags still open, most closed with an outcome) and about 25 outreach activities in East Java
and NTT, recorded through the services (so numbers, encryption and audit are the real ones).
Its own random generator: the rest of the demo does not change when this part does.
"""

from __future__ import annotations

import datetime as dt
import random

from lentera.web.accounts.models import User
from lentera.web.contacts import choices
from lentera.web.contacts.services import contact_close, contact_convert, contact_create
from lentera.web.outreach.choices import ATTENDANCE_FIELDS, ActivityKind, Topic
from lentera.web.outreach.services import activity_create

CONCERNS = (
    (choices.Concern.MISSING, "Keluarga tidak bisa menghubungi anaknya yang bekerja di luar negeri sejak beberapa bulan."),
    (choices.Concern.MIGRANT_WORKER, "Pekerja migran melapor gaji tidak dibayar dan paspor ditahan majikan."),
    (choices.Concern.RECRUITMENT_INFO, "Menanyakan apakah tawaran kerja dari sponsor di desa itu resmi."),
    (choices.Concern.ONLINE_SCAM, "Tawaran kerja lewat media sosial, diminta membayar biaya pelatihan."),
    (choices.Concern.LABOUR, "Bekerja di kapal ikan tanpa kontrak, tidak boleh pulang."),
    (choices.Concern.CHILD_MARRIAGE, "Anak perempuan 15 tahun akan dinikahkan dengan orang dari kota."),
    (choices.Concern.SEXUAL, "Perempuan muda dijanjikan kerja di restoran, dipaksa melayani tamu."),
)  # fmt: skip
REGENCIES = ("3505", "3506", "3522", "3526", "5302", "5303", "5309", "5310", "5201")
DESTINATIONS = ("MY", "SG", "HK", "SA", "TW", "")
AGENCIES = ("PT Sinar Abadi (sponsor lapangan)", "Agen di Johor, nama tidak diketahui", "")
VILLAGES = ("Oelbubuk", "Kuanfatu", "Wonokerto", "Sumberrejo", "Ngadirejo", "Nule", "Tupan")


def load_contact_outreach_demo(*, today: dt.date, seed: int = 21) -> int:
    """Contacts and outreach of YLK (idempotence is the caller's: ``load_demo`` runs once).

    Returns how many contacts were converted to cases (the caller counts them as cases)."""
    rng = random.Random(seed)
    workers = list(
        User.objects.filter(username__in=["ylk_caseworker", "ylk_supervisor", "ylk_legal"])
    )
    if not workers:
        return 0
    opened = 0
    for i in range(40):
        actor = rng.choice(workers)
        category, concern = rng.choice(CONCERNS)
        missing = category == choices.Concern.MISSING
        received = today - dt.timedelta(days=rng.randint(1, 360))
        contact = contact_create(
            actor=actor,
            received_on=received,
            channel=rng.choice(choices.Channel.values),
            reporter=rng.choice([choices.Reporter.FAMILY] * 3 + list(choices.Reporter.values)),
            regency=rng.choice(REGENCIES),
            concern=concern,
            concern_category=category,
            risk=rng.choice(choices.Risk.values),
            urgency=rng.choice(choices.Urgency.values),
            follow_up_due=received + dt.timedelta(days=rng.randint(2, 21)),
            missing_person=missing,
            destination_country=rng.choice(DESTINATIONS[:-1])
            if missing
            else rng.choice(DESTINATIONS),
            employer_agency=rng.choice(AGENCIES) if missing else "",
        )
        roll = rng.random()
        if i % 6 == 0 or roll < 0.12:
            contact_convert(actor=actor, contact=contact)
            opened += 1
        elif missing and roll < 0.6:
            continue  # a missing person still being looked for: stays open, reminded
        elif roll < 0.85:
            contact_close(
                actor=actor,
                contact=contact,
                outcome=rng.choice(
                    [
                        choices.Outcome.INFORMATION,
                        choices.Outcome.REFERRED,
                        choices.Outcome.NO_FURTHER_ACTION,
                    ]
                ),
                closed_on=min(today, received + dt.timedelta(days=rng.randint(0, 10))),
            )
    for _ in range(25):
        regency = rng.choice(REGENCIES[:7])
        counts = dict.fromkeys(ATTENDANCE_FIELDS, 0)
        for f in rng.sample(ATTENDANCE_FIELDS, 4):
            counts[f] = rng.randint(3, 40)
        activity_create(
            actor=rng.choice(workers),
            kind=rng.choice(ActivityKind.values),
            date=today - dt.timedelta(days=rng.randint(1, 360)),
            province=regency[:2],
            regency=regency,
            village=rng.choice(VILLAGES),
            partners=rng.choice(
                ["Pemerintah desa", "Disnaker kabupaten, BP3MI", "Gereja setempat", ""]
            ),
            topics=rng.sample([t for t in Topic.values if t != Topic.OTHER], rng.randint(1, 3)),
            materials=rng.choice(["Leaflet migrasi aman", "Video BP2MI", "Poster calo", ""]),
            **counts,
        )
    return opened
