"""Incremental warehouse rebuilds from the case store: after random sequences of edits made
through the services (create, edit, delete and undo, referrals, legal steps, reintegration,
contacts, outreach) the updated warehouse equals a fresh full build table by table and the
dashboard figures are the same; each fallback says why; another organisation never enters."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from _rss import FULL
from django.utils import timezone

from _warehouse import content, figures
from lentera.analytics import warehouse_incremental as incremental
from lentera.analytics.warehouse import build_warehouse
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases import services as cases
from lentera.web.cases.models import Case
from lentera.web.cases.services.deletions import deletion_undo
from lentera.web.contacts import services as contacts
from lentera.web.core.warehouse import warehouse_path
from lentera.web.insights.changes import source_state
from lentera.web.insights.services import rebuild
from lentera.web.insights.snapshot import export_snapshot
from lentera.web.jobs import services as jobs
from lentera.web.outreach import services as outreach
from lentera.web.referrals import services as referrals
from lentera.web.reintegration import services as ri

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path / "data"


def full_build(org: Any, path: Path) -> Path:
    state, _pks = source_state(org)
    return build_warehouse(export_snapshot(organisation_codes=[org.code]), path, state=state)


class World:
    """An organisation's records and the edits a random sequence picks from."""

    def __init__(self, users: dict[str, Any], build_case: Any) -> None:
        self.worker, self.sup = users["caseworker"], users["supervisor"]
        self.build_case = build_case
        self.n = 0
        self.deletions: list[Any] = []
        self.provider = referrals.provider_save(
            actor=self.worker,
            data={"name": "UPTD PPA Kupang", "institution_type": "uptd_ppa",
                  "services": ["legal"], "province_codes": ["53"]},
        )  # fmt: skip
        for _ in range(4):
            self.new_case()
        case = self.cases()[0]
        link = case.survivors.first()
        self.plan = ri.plan_create(
            actor=self.worker, person=link.person, case=case, return_date=dt.date(2025, 1, 31)
        )
        self.contact = contacts.contact_create(
            actor=self.worker, channel="phone", reporter="family", concern="x"
        )
        self.activity = outreach.activity_create(
            actor=self.worker, kind="village", date=dt.date(2025, 3, 1), province="53",
            regency="5302", village="Oelbubuk", topics=["calo"], female_18_35=12,
        )  # fmt: skip

    def cases(self) -> list[Case]:
        return list(Case.objects.filter(organisation=self.worker.membership.organisation))

    def new_case(self) -> None:
        self.n += 1
        self.build_case(self.worker, name=f"Penyintas Uji {self.n}", nik="")

    def edits(self) -> dict[str, Callable[[random.Random], None]]:
        return {
            "create_case": lambda rng: self.new_case(),
            "edit_case": self.edit_case,
            "edit_person": self.edit_person,
            "delete_perpetrator": self.delete_perpetrator,
            "add_event": self.add_event,
            "delete_event": self.delete_event,
            "remove_survivor": self.remove_survivor,
            "undo_deletion": self.undo_deletion,
            "add_referral": self.add_referral,
            "add_legal_step": self.add_legal_step,
            "reintegration": self.reintegration,
            "edit_contact": self.edit_contact,
            "delete_activity": self.delete_activity,
        }

    def edit_case(self, rng: random.Random) -> None:
        case = rng.choice(self.cases())
        cases.case_update(
            actor=self.worker, case=case, offence_date=dt.date(2020 + rng.randint(0, 4), 6, 1)
        )

    def edit_person(self, rng: random.Random) -> None:
        links = [link for c in self.cases() for link in c.survivors.all()]
        if links:
            person = rng.choice(links).person
            cases.person_update(
                actor=self.worker, person=person, sex="male" if person.sex == "female" else "female"
            )

    def delete_perpetrator(self, rng: random.Random) -> None:
        rows = [p for c in self.cases() for p in c.perpetrators.all()]
        if rows:
            self.deletions.append(
                cases.perpetrator_delete(actor=self.worker, perpetrator=rng.choice(rows))
            )

    def add_event(self, rng: random.Random) -> None:
        cases.event_add(
            actor=self.worker, case=rng.choice(self.cases()), stage="exploitation",
            date=dt.date(2025, 1, 10), country=rng.choice(["SA", "MY", "KH"]),
        )  # fmt: skip

    def delete_event(self, rng: random.Random) -> None:
        """The case's oldest event: its latest modification time stays the same."""
        event = rng.choice(self.cases()).events.order_by("updated_at", "pk").first()
        if event is not None:
            self.deletions.append(cases.event_delete(actor=self.worker, event=event))

    def remove_survivor(self, rng: random.Random) -> None:
        links = [link for c in self.cases()[1:] for link in c.survivors.all()]  # not the plan's
        if links:
            self.deletions.append(
                cases.case_survivor_remove(actor=self.worker, link=rng.choice(links))
            )

    def undo_deletion(self, rng: random.Random) -> None:
        """Rows put back raw, with their old modification times."""
        if self.deletions:
            deletion_undo(actor=self.worker, deletion_id=self.deletions.pop().pk)

    def add_referral(self, rng: random.Random) -> None:
        links = [link for c in self.cases() for link in c.survivors.all()]
        if not links:
            return
        link = rng.choice(links)
        cases.consent_record(
            actor=self.worker, person=link.person, case=link.case, purpose="referral",
            granted=True, shared_fields=["name", "contact"], note="x",
        )  # fmt: skip
        referrals.referral_send(
            actor=self.worker, link=link, provider=self.provider, services=["legal"],
            reason="Butuh pendampingan hukum.", shared_fields=["name"],
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )  # fmt: skip

    def add_legal_step(self, rng: random.Random) -> None:
        referrals.legal_step_add(
            actor=self.worker, case=rng.choice(self.cases()), step="police_report",
            date=dt.date(2025, 4, 1),
        )  # fmt: skip

    def reintegration(self, rng: random.Random) -> None:
        plan = self.plan
        what = rng.choice(["followup", "action", "departure"])
        if what == "followup":
            f = plan.followups.filter(outcome="").order_by("due_date").first()
            if f is not None:
                ri.followup_record(
                    actor=self.worker, followup=f, outcome="reached", done_on=f.due_date
                )
                ri.score_record(actor=self.worker, followup=f, answers=FULL)
        elif what == "action":
            ri.action_save(
                actor=self.worker, plan=plan,
                data={"kind": "counselling", "cost": rng.randint(1, 9) * 100_000},
            )  # fmt: skip
        else:
            ri.departure_record(
                actor=self.worker, plan=plan,
                data={"kind": "re_migration", "departed_on": dt.date(2025, 8, 1)},
            )  # fmt: skip

    def edit_contact(self, rng: random.Random) -> None:
        contacts.contact_update(
            actor=self.worker, contact=self.contact, channel=rng.choice(["phone", "whatsapp"])
        )
        self.contact.refresh_from_db()

    def delete_activity(self, rng: random.Random) -> None:
        if self.activity is not None:
            outreach.activity_delete(actor=self.worker, activity=self.activity)
            self.activity = None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_rebuild_equals_a_full_build_after_random_edits(
    seed: int,
    users_a: dict[str, Any],
    users_b: dict[str, Any],
    build_case: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(incremental, "MAX_CHANGED_SHARE", 1.0)  # every round incremental
    rng = random.Random(seed)
    world = World(users_a, build_case)
    other = World(users_b, build_case)
    org = world.worker.membership.organisation
    first = rebuild(actor=world.sup)
    assert (first.mode, first.reason) == ("full", "no_warehouse")
    path = first.path
    for round_ in range(3):
        done = []
        for _ in range(rng.randint(2, 4)):
            name, fn = rng.choice(sorted(world.edits().items()))
            try:
                fn(rng)
            except LenteraError as exc:  # a refusal is an edit too: nothing changed
                name += f" (refused: {exc.code})"
            done.append(name)
        other.new_case()  # the other organisation changes too, every round
        other.edit_contact(rng)
        result = rebuild(actor=world.sup)
        assert result.mode == "incremental", (done, result.reason)
        ref = full_build(org, tmp_path / f"full{round_}.duckdb")
        assert content(path) == content(ref), done
        assert figures(path) == figures(ref), done
    con = duckdb.connect(str(path), read_only=True)
    orgs = {r[0] for r in con.execute("SELECT DISTINCT org_code FROM cases").fetchall()}
    orgs |= {r[0] for r in con.execute("SELECT DISTINCT org_code FROM contacts").fetchall()}
    con.close()
    assert orgs <= {org.code}


def test_an_edit_reaches_the_warehouse_and_the_job_says_which_path_ran(
    users_a: dict[str, Any], users_b: dict[str, Any], build_case: Any, run_worker: Any
) -> None:
    world = World(users_a, build_case)
    other = World(users_b, build_case)
    job = jobs.enqueue("warehouse_rebuild", actor=world.sup)
    run_worker()
    job.refresh_from_db()
    assert (job.result["mode"], job.result["reason"]) == ("full", "no_warehouse")
    # another organisation's edits change nothing here
    other.new_case()
    other.edit_contact(random.Random(1))
    quiet = rebuild(actor=world.sup)
    assert (quiet.mode, quiet.changed, quiet.removed) == ("incremental", 0, 0)
    world.edit_case(random.Random(2))
    job = jobs.enqueue("warehouse_rebuild", actor=world.sup)
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    assert (job.result["mode"], job.result["changed"], job.result["removed"]) == (
        "incremental", 1, 0,
    )  # fmt: skip
    audit = AuditEvent.objects.filter(object_type="insights.warehouse").order_by("-id").first()
    assert audit.detail["mode"] == "incremental" and audit.detail["changed"] == 1
    assert audit.detail["rows"]["cases"] == 1  # only the changed case was exported
    job = jobs.enqueue("warehouse_rebuild", actor=world.sup, params={"full": True})
    run_worker()
    job.refresh_from_db()
    assert (job.result["mode"], job.result["reason"]) == ("full", "forced")


def test_a_referral_past_its_due_date_changes_without_a_save(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(users_a, build_case)
    world.add_referral(random.Random(3))
    path = rebuild(actor=world.sup).path
    later = timezone.localdate() + dt.timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    result = rebuild(actor=world.sup)
    assert (result.mode, result.changed) == ("incremental", 1)
    ref = full_build(world.worker.membership.organisation, tmp_path / "ref.duckdb")
    assert content(path) == content(ref)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT bool_and(overdue) FROM referrals").fetchone() == (True,)
    con.close()


def test_fallbacks_say_why(
    users_a: dict[str, Any], build_case: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    world = World(users_a, build_case)
    assert rebuild(actor=world.sup).reason == "no_warehouse"
    assert rebuild(actor=world.sup).mode == "incremental"
    for _ in range(3):  # 3 of 7 units
        world.new_case()
    assert rebuild(actor=world.sup).reason == "too_many_changes"
    with monkeypatch.context() as m:
        m.setattr("lentera.analytics.warehouse.WAREHOUSE_VERSION", "lentera-analytics-warehouse/9")
        assert rebuild(actor=world.sup).reason == "engine_version"
    assert rebuild(actor=world.sup).reason == "engine_version"  # and back
    with monkeypatch.context() as m:
        m.setattr("lentera.reference.DATA_VERSION", "9999-01")
        assert rebuild(actor=world.sup).reason == "reference_data"
    assert rebuild(actor=world.sup).reason == "reference_data"
    assert rebuild(actor=world.sup).mode == "incremental"
    # a new pseudonym (blind-index) key: every opaque key differs
    from lentera.web.core import crypto

    with monkeypatch.context() as m:
        m.setattr(crypto, "blind_index", lambda value, purpose: f"other{value}{purpose}"[-40:])
        assert rebuild(actor=world.sup).reason == "source_changed"
    assert rebuild(actor=world.sup).reason == "source_changed"
    # an anonymisation drops the warehouse (the identity registry): the next build is full
    person = world.cases()[0].survivors.first().person
    cases.person_anonymise(actor=world.sup, person=person, reason="data_subject_request")
    path = warehouse_path(world.worker.membership.organisation.code)
    assert not path.exists()
    assert rebuild(actor=world.sup).reason == "no_warehouse"


def test_a_deleted_part_and_its_undo_each_reach_the_warehouse(
    users_a: dict[str, Any], build_case: Any, tmp_path: Path
) -> None:
    """Deleting a case's older event leaves its latest modification time as it was, and the
    undo puts the row back with its old time: both must still be seen."""
    world = World(users_a, build_case)
    org = world.worker.membership.organisation
    path = rebuild(actor=world.sup).path
    world.delete_event(random.Random(4))
    for step in ("deleted", "undone"):
        result = rebuild(actor=world.sup)
        assert (result.mode, result.changed, result.removed) == ("incremental", 1, 0), step
        assert content(path) == content(full_build(org, tmp_path / f"{step}.duckdb")), step
        world.undo_deletion(random.Random(5))
