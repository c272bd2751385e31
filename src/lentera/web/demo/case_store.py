"""Deterministic synthetic demo data: two organisations, one user per role, ~300 cases.

The trafficking corridors the cases are drawn from, and their weights, are a table in
``corridors.yaml`` next to this module (data a reader scans, not logic).

Everything here is invented. Names come from :mod:`lentera.reference.names`
(synthetic name lists by ethnic group); NIKs follow the real layout (region
code, date of birth with +40 for women, serial) but belong to nobody.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from django.db import transaction

from lentera import reference
from lentera.reference import names
from lentera.web.accounts.models import Organisation, OrganisationType, Role, User
from lentera.web.accounts.services import organisation_create, user_create
from lentera.web.cases import services
from lentera.web.demo.contacts_outreach import load_contact_outreach_demo
from lentera.web.referrals.demo import load_referral_demo
from lentera.web.reintegration.demo import load_reintegration_demo

DEMO_PASSWORD = "lentera-demo"  # noqa: S105 - printed demo login, synthetic data only


@dataclass(frozen=True)
class Corridor:
    """A trafficking route pattern seen in Indonesia (weights are illustrative, not statistics)."""

    name: str
    weight: int
    destination: str
    destination_region: str
    origins: tuple[str, ...]
    female_share: float
    child_share: float
    exploitation: tuple[str, ...]
    sex_types: tuple[str, ...] = ()
    sector: str = ""
    transit: tuple[str, str] | None = None
    controls: tuple[str, ...] = ()
    recruitment: tuple[str, ...] = ("sponsor_local",)
    apps: tuple[str, ...] = ()
    migrant: bool = True
    perpetrators: tuple[str, ...] = ("individual_recruiter",)
    summary: tuple[str, ...] = field(default=())


def _corridors() -> tuple[Corridor, ...]:
    """The corridor table (``corridors.yaml``): one row per corridor, lists read as tuples."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("corridors.yaml").read_text("utf-8"))
    return tuple(
        Corridor(name, **{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
        for name, row in raw.items()
    )


CORRIDORS = _corridors()

USERS = (
    ("caseworker", Role.CASEWORKER),
    ("supervisor", Role.SUPERVISOR),
    ("legal", Role.LEGAL),
    ("analyst", Role.ANALYST),
    ("admin", Role.ORG_ADMIN),
)

ORGS = (
    ("Yayasan Lentera Kasih", "YLK", OrganisationType.NGO, "35", "ylk", 200),
    (
        "UPTD PPA Provinsi Nusa Tenggara Timur",
        "PPANTT",
        OrganisationType.UPTD_PPA,
        "53",
        "ntt",
        100,
    ),
)

#: consents a demo survivor may have given besides the one for services: (purpose, share of
#: survivors asked, share of those who agreed, what a referral consent lets pass, one drawn)
OPTIONAL_CONSENTS: tuple[tuple[str, float, float, tuple[tuple[str, ...], ...]], ...] = (
    (
        "referral",
        0.7,
        0.9,
        (("name", "sex_age", "contact"), ("sex_age",), ("name", "sex_age", "exploitation")),
    ),
    ("data_sharing", 0.4, 0.8, ()),
)

#: the organisation whose contact log and outreach the demo fills (see ``contacts_outreach``)
CONTACTS_ORG = "YLK"


def _weighted(rng: random.Random, corridors: tuple[Corridor, ...]) -> Corridor:
    return rng.choices(corridors, weights=[c.weight for c in corridors], k=1)[0]


def _regency_in(rng: random.Random, province: str) -> Any:
    options = sorted(reference.regencies_of(province), key=lambda r: r.code)
    return rng.choice(options) if options else None


def _nik(rng: random.Random, regency: Any, birth: dt.date, sex: str) -> str:
    region = getattr(regency, "kemendagri_code", "") or getattr(regency, "code", "3500")
    region = (region.replace(".", "") + "00")[:4]
    day = birth.day + (40 if sex == "female" else 0)
    return f"{region}{rng.randint(1, 25):02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"


def _phone(rng: random.Random) -> str:
    return f"08{rng.choice(['11', '12', '13', '21', '22', '52', '53', '57', '58', '77', '78', '81', '82', '95', '96'])}{rng.randint(10_000_000, 99_999_999)}"


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str, str]]
    cases: int


def demo_present() -> bool:
    return Organisation.objects.filter(code__in=[o[1] for o in ORGS]).exists()


def demo_logins() -> list[tuple[str, str, str, str]]:
    rows = []
    for _name, code, _type, _prov, prefix, _n in ORGS:
        for suffix, role in USERS:
            rows.append((code, f"{prefix}_{suffix}", DEMO_PASSWORD, str(role.label)))
    return rows


@transaction.atomic
def load_demo(*, seed: int = 2026, scale: float = 1.0, today: dt.date | None = None) -> DemoResult:
    """Create the demo organisations, users and cases unless they already exist."""
    if demo_present():
        return DemoResult(False, demo_logins(), 0)
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 1)
    total = 0
    for name, code, org_type, province, prefix, n_cases in ORGS:
        org = organisation_create(
            actor=None, name=name, code=code, org_type=org_type, province_code=province
        )
        users: dict[str, User] = {}
        for suffix, role in USERS:
            users[suffix] = user_create(
                actor=None,
                username=f"{prefix}_{suffix}",
                password=DEMO_PASSWORD,
                organisation=org,
                role=role,
                first_name=names.synthetic_name(rng, rng.choice(["female", "male"])).split()[0],
                check_password=False,
            )
        workers = [users["caseworker"], users["supervisor"], users["legal"]]
        # Contacts converted to cases are cases of the organisation too: they count in its
        # share, so ``scale`` still decides how many cases the demo holds (and reports).
        opened = load_contact_outreach_demo(today=today) if code == CONTACTS_ORG else 0
        total += opened
        for _ in range(max(0, int(n_cases * scale) - opened)):
            _demo_case(rng, org_code=code, actor=rng.choice(workers), workers=workers, today=today)
            total += 1
    load_referral_demo(rng, today=today)
    load_reintegration_demo(rng, today=today)
    return DemoResult(True, demo_logins(), total)


def _demo_case(
    rng: random.Random, *, org_code: str, actor: User, workers: list[User], today: dt.date
) -> None:
    corridor = _weighted(rng, CORRIDORS)
    offence = today - dt.timedelta(days=rng.randint(30, 5 * 365))
    opened = min(today, offence + dt.timedelta(days=rng.randint(7, 180)))
    status = rng.choices(
        ["active", "follow_up", "closed", "closed_referred"], weights=[45, 25, 20, 10]
    )[0]
    closed = (
        min(today, opened + dt.timedelta(days=rng.randint(30, 400)))
        if status.startswith("closed")
        else None
    )
    case = services.case_open(
        actor=actor,
        opened_on=opened,
        offence_date=offence if rng.random() > 0.1 else None,
        status=status,
        closed_on=closed,
        summary=rng.choice(corridor.summary) if corridor.summary else "",
        owner=rng.choice(workers),
    )
    n_survivors = 1 if rng.random() < 0.85 else rng.randint(2, 3)
    origin_province = rng.choice(corridor.origins)
    for _ in range(n_survivors):
        sex = "female" if rng.random() < corridor.female_share else "male"
        child = rng.random() < corridor.child_share
        age = rng.randint(12, 17) if child else rng.randint(18, 45)
        birth = offence - dt.timedelta(days=age * 365 + rng.randint(10, 350))
        regency = _regency_in(rng, origin_province)
        group = names.group_for_province(origin_province)
        person_fields: dict[str, Any] = {
            "full_name": names.synthetic_name(rng, sex, group),
            "sex": sex,
            "gender": "feminine" if sex == "female" else "masculine",
            "citizenship": "ID",
            "origin_province_code": origin_province,
            "origin_regency_code": regency.code if regency else "",
            "education": rng.choice(
                ["primary", "lower_secondary", "lower_secondary", "upper_secondary", "none"]
            ),
            "marital_status": "single"
            if child
            else rng.choice(["single", "married", "married", "divorced", "married_unregistered"]),
            "number_of_children": 0 if child else rng.choice([0, 0, 1, 2, 3]),
            "disability": rng.choice([None, False, False, False, True]),
            "phone": _phone(rng) if rng.random() < 0.7 else "",
            "origin_address": f"Dusun {rng.randint(1, 9)}, RT {rng.randint(1, 12):02d}/RW {rng.randint(1, 8):02d}",
        }
        if rng.random() < 0.75:
            person_fields["birth_date"] = birth
            if rng.random() < 0.8:
                person_fields["nik"] = _nik(rng, regency, birth, sex)
        else:
            person_fields["estimated_age"] = min(120, age + (today.year - offence.year))
        controls = (
            rng.sample(corridor.controls, k=min(len(corridor.controls), rng.randint(1, 4)))
            if corridor.controls
            else []
        )
        link_fields: dict[str, Any] = {
            "trafficking_status": rng.choices(
                ["possible_victim", "actual_victim", "not_victim"], weights=[50, 45, 5]
            )[0],
            "exploitation_types": list(corridor.exploitation),
            "sex_exploitation_types": list(corridor.sex_types),
            "exploitation_occurred": rng.choice([True, True, True, None]),
            "sector": corridor.sector,
            "recruitment_method": rng.choice(corridor.recruitment),
            "recruitment_apps": rng.sample(
                corridor.apps, k=min(len(corridor.apps), rng.randint(0, 2))
            )
            if corridor.apps
            else [],
            "means_of_control": controls,
            "is_migrant_worker": corridor.migrant or None,
        }
        if corridor.migrant:
            link_fields["documents_falsified"] = rng.choice([True, False, None])
            link_fields["job_differs_from_contract"] = rng.choice([True, None])
            if child:
                link_fields["age_falsified"] = True
        link = services.case_survivor_create(
            actor=actor, case=case, person_fields=person_fields, link_fields=link_fields
        )
        services.consent_record(
            actor=actor, person=link.person, case=case, purpose="services", granted=True
        )
        for purpose, given, granted, shared in OPTIONAL_CONSENTS:
            if rng.random() < given:
                services.consent_record(
                    actor=actor,
                    person=link.person,
                    case=case,
                    purpose=purpose,
                    granted=rng.random() < granted,
                    shared_fields=list(rng.choice(shared)) if shared else None,
                )
    origin_regency = _regency_in(rng, origin_province)
    services.event_add(
        actor=actor,
        case=case,
        stage="recruitment",
        date=offence,
        country="ID",
        region_code=origin_regency.code if origin_regency else origin_province,
    )
    if corridor.transit:
        country, region = corridor.transit
        services.event_add(
            actor=actor,
            case=case,
            stage="transit",
            date=min(today, offence + dt.timedelta(days=rng.randint(1, 20))),
            country=country,
            region_code=region,
        )
    services.event_add(
        actor=actor,
        case=case,
        stage="exploitation",
        date=min(today, offence + dt.timedelta(days=rng.randint(15, 120))),
        country=corridor.destination,
        region_code=corridor.destination_region,
    )
    roles_for = {
        "individual_recruiter": ["recruiter_or_intermediary"],
        "unlicensed_agency": ["recruiter_or_intermediary", "harboured_individual"],
        "licensed_agency": ["broker_travel_agent"],
        "corporation": ["exploiter", "controlled_individual"],
        "individual": ["exploiter"],
    }
    for kind in corridor.perpetrators[: rng.randint(1, len(corridor.perpetrators))]:
        services.perpetrator_add(
            actor=actor,
            case=case,
            name=names.synthetic_name(rng, rng.choice(["female", "male"]))
            if kind.startswith("individual")
            else f"PT {rng.choice(['Maju', 'Sejahtera', 'Jaya', 'Abadi', 'Mandiri'])} {rng.choice(['Karya', 'Sentosa', 'Makmur', 'Bersama'])}",
            kind=kind,
            roles=roles_for[kind],
            relationship=rng.choice(
                ["neighbour", "acquaintance", "stranger", "friend", "other_family", "unknown"]
            )
            if kind.startswith("individual")
            else "unknown",
            sex=rng.choice(["female", "male"]),
            nationality="ID"
            if kind != "corporation" or corridor.destination == "ID"
            else corridor.destination,
            is_state_official=rng.choice([False, False, False, None])
            if rng.random() > 0.03
            else True,
            is_organised_group=rng.choice([None, True, False]),
        )
    if rng.random() < 0.6:
        services.note_add(
            actor=actor,
            case=case,
            body=rng.choice(
                [
                    "Asesmen awal selesai; penyintas dalam kondisi stabil.",
                    "Keluarga dihubungi; penyintas ingin pulang ke kampung halaman.",
                    "Pendampingan psikososial dijadwalkan minggu depan.",
                    "Laporan polisi sedang disiapkan bersama paralegal.",
                ]
            ),
        )
