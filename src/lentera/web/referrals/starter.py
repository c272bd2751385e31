"""A starter directory: the national institutions every organisation refers survivors to.

Without it an organisation cannot send its first referral until someone has built a directory
(review, persona 3). The starter rows are names and what each institution does, never contacts
(an organisation adds the address, phone and person it actually works with): LPSK, the migrant
worker ministry and its BP3MI offices, the Kemensos RPTC, the national police's PPA-PPO
directorate, and one UPTD PPA per province. Loading it goes through the ordinary directory
import (validated, audited) and never changes an entry the organisation already has.
"""

from __future__ import annotations

import io

from lentera import csvsafe, reference
from lentera.web.accounts.models import User
from lentera.web.referrals.directory import ImportReport, directory_import

#: ``(name, institution type, services, nationwide)`` of the national institutions
NATIONAL = (
    ("LPSK (Lembaga Perlindungan Saksi dan Korban)", "lpsk", "protection;psychosocial;health;legal", True),
    ("Kementerian P2MI / BP3MI", "migrant_agency", "repatriation;documents;family_tracing", True),
    ("RPTC Kementerian Sosial", "rptc", "shelter;psychosocial;social_care;repatriation", True),
    ("Direktorat Tindak Pidana PPA-PPO Bareskrim Polri", "police", "protection;legal", True),
)  # fmt: skip
#: what a provincial UPTD PPA offers (Permen PPPA 4/2018: complaints, outreach, case management,
#: temporary shelter, mediation, accompaniment)
UPTD_SERVICES = "shelter;psychosocial;legal;social_care;protection"


def starter_rows() -> list[dict[str, str]]:
    """The starter directory as import rows."""
    rows = [
        {"name": name, "institution_type": kind, "services": services,
         "nationwide": "ya" if nationwide else "tidak", "provinces": ""}
        for name, kind, services, nationwide in NATIONAL
    ]  # fmt: skip
    for code, province in sorted(reference.provinces().items()):
        rows.append({
            "name": f"UPTD PPA Provinsi {province.name}", "institution_type": "uptd_ppa",
            "services": UPTD_SERVICES, "nationwide": "tidak", "provinces": code,
        })  # fmt: skip
    return rows


def directory_add_starter(*, actor: User) -> ImportReport:
    """Add the starter institutions the actor's directory does not have yet (a supervisor's or
    an organisation admin's step, like every import)."""
    rows = starter_rows()
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(rows[0])
    writer.writerows([row[h] for h in rows[0]] for row in rows)
    return directory_import(
        actor=actor,
        filename="starter.csv",
        content=out.getvalue().encode(),
        valid_only=True,
        keep_existing=True,
    )
