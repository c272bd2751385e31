"""Pages: plan, follow-up, survey (phone-friendly), departure, outcomes, settings, isolation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from _rss import FULL
from django.test import Client

from lentera.web.audit.models import AuditEvent
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.models import PlanAction, ReintegrationPlan, RssScore

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_open_plan_from_person_page(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    c = _client(worker_a)
    page = c.get(f"/cases/persons/{person.pk}/").content.decode()
    assert f"/reintegration/persons/{person.pk}/" in page
    r = c.post(
        f"/reintegration/persons/{person.pk}/", {"case": case.pk, "return_date": "2025-02-01"}
    )
    assert r.status_code == 302
    plan = ReintegrationPlan.objects.get(person=person)
    assert plan.followups.count() == 4
    # a second visit goes to the plan
    assert c.get(f"/reintegration/persons/{person.pk}/")["Location"].endswith(f"/plans/{plan.pk}/")


def test_add_action_with_rupiah_written_the_indonesian_way(plan: Any, worker_a: Any) -> None:
    c = _client(worker_a)
    r = c.post(
        f"/reintegration/plans/{plan.pk}/",
        {"kind": "business_grant", "status": "planned", "cost": "Rp 5.300.000", "donor": "Donor X"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    a = PlanAction.objects.get(plan=plan)
    assert a.cost == 5_300_000 and a.domain == "economic"
    page = c.get(f"/reintegration/plans/{plan.pk}/").content.decode()
    assert "Rp5.300.000" in page and "Rp Rp" not in page and "Donor X" in page


def test_plan_page_shows_the_support_plan_it_builds_on(plan: Any, worker_a: Any) -> None:
    from lentera.web.referrals.services.support_plan import action_save

    c = _client(worker_a)
    section = c.get(f"/reintegration/plans/{plan.pk}/").content.decode()
    section = section.split('id="support-plan"')[1].split("</section>")[0]
    assert "<table" not in section and "/plan/" in section  # none yet; the link to add one
    link = plan.case.survivors.get(person=plan.person)
    action_save(
        actor=worker_a, link=link,
        data={"service_type": "shelter", "objective": "Tempat aman",
              "planned_end": dt.date(2025, 6, 1)},
    )  # fmt: skip
    page = c.get(f"/reintegration/plans/{plan.pk}/").content.decode()
    section = page.split('id="support-plan"')[1].split("</section>")[0]
    assert "<table" in section and "1 Jun 2025" in section
    assert f"/referrals/survivors/{link.pk}/plan/" in section


def test_follow_up_reached_goes_to_survey_then_trajectory(plan: Any, worker_a: Any) -> None:
    c = _client(worker_a)
    f = plan.followups.get(months=3)
    r = c.post(
        f"/reintegration/followups/{f.pk}/",
        {"outcome": "reached", "done_on": "2025-05-02", "mode": "visit", "version": f.version},
    )
    assert r["Location"].endswith(f"/followups/{f.pk}/survey/")
    survey = c.get(r["Location"]).content.decode()
    assert 'name="viewport"' in survey and 'type="radio"' in survey
    assert "Seberapa puas Anda" in survey  # Bahasa Indonesia by default
    assert "belum diverifikasi" in survey or "unverified" in survey
    assert "Rekonstruksi" in survey or "rekonstruksi" in survey or "reconstruct" in survey
    english = c.get(r["Location"] + "?lang=en").content.decode()
    assert "How satisfied are you" in english
    r = c.post(f"/reintegration/followups/{f.pk}/survey/", FULL)
    assert r.status_code == 302
    assert RssScore.objects.get(followup=f).composite is not None
    page = c.get(f"/reintegration/plans/{plan.pk}/").content.decode()
    assert "<svg" in page and "<polyline" in page
    # coordinates are never localised (Indonesian writes 16,5, which breaks SVG)
    assert re.search(r'<circle cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', page), page


def test_bad_survey_answer_keeps_page_and_writes_nothing(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=0)
    ri.followup_record(actor=worker_a, followup=f, outcome="reached", done_on=dt.date(2025, 2, 1))
    r = _client(worker_a).post(f"/reintegration/followups/{f.pk}/survey/", {"economic.work": "x"})
    assert r.status_code == 400
    assert not RssScore.objects.exists()


def test_could_not_reach_recorded_from_page(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=0)
    r = _client(worker_a).post(
        f"/reintegration/followups/{f.pk}/",
        {"outcome": "not_reached", "done_on": "2025-02-01", "mode": "call", "version": f.version},
    )
    assert r.status_code == 302
    page = _client(worker_a).get(f"/reintegration/plans/{plan.pk}/").content.decode()
    assert "lost to follow-up" in page or "hilang dari pemantauan" in page


def test_departure_form(plan: Any, worker_a: Any) -> None:
    r = _client(worker_a).post(
        f"/reintegration/plans/{plan.pk}/departure/",
        {"kind": "re_migration", "departed_on": "2025-06-01", "channel": "undocumented",
         "same_recruiter": "yes", "destination_country": "MY"},
    )  # fmt: skip
    assert r.status_code == 302
    assert plan.departures.count() == 1


def test_plan_read_is_audited(plan: Any, worker_a: Any) -> None:
    before = AuditEvent.objects.filter(object_type="reintegration.reintegrationplan").count()
    _client(worker_a).get(f"/reintegration/plans/{plan.pk}/")
    after = AuditEvent.objects.filter(object_type="reintegration.reintegrationplan").count()
    assert after > before


def test_other_organisation_gets_404(plan: Any, users_b: dict[str, Any]) -> None:
    c = _client(users_b["supervisor"])
    f = plan.followups.first()
    for url in (
        f"/reintegration/plans/{plan.pk}/",
        f"/reintegration/followups/{f.pk}/",
        f"/reintegration/followups/{f.pk}/survey/",
        f"/reintegration/persons/{plan.person_id}/",
    ):
        assert c.get(url).status_code == 404
        assert c.post(url, {}).status_code == 404


def test_due_list_and_dashboard_panel(plan: Any, worker_a: Any) -> None:
    c = _client(worker_a)
    page = c.get("/reintegration/").content.decode()
    assert plan.case.reference in page
    assert "Sutinah" not in page
    dash = c.get("/referrals/").content.decode()
    assert "/reintegration/followups/" in dash


def test_outcomes_for_supervisors_with_suppression(plan: Any, users_a: dict[str, Any]) -> None:
    assert _client(users_a["caseworker"]).get("/reintegration/outcomes/").status_code == 403
    from lentera.web.core.warehouse import warehouse_path
    from lentera.web.insights.services import rebuild

    supervisor = users_a["supervisor"]
    warehouse_path(supervisor.membership.organisation.code).unlink(missing_ok=True)
    page = _client(supervisor).get("/reintegration/outcomes/").content.decode()
    assert "/jobs/" in page and 'id="reintegration-outcomes"' not in page  # being built
    rebuild(actor=supervisor)
    page = _client(supervisor).get("/reintegration/outcomes/").content.decode()
    section = page.split('id="reintegration-outcomes"')[1]
    assert "&lt;5" in section  # one plan
    assert "acak" in section  # the non-randomised caveat
    assert "Angka per" in page.split('id="outcomes-source"')[1].split("</p>")[0]


def test_settings_page_for_org_admin(users_a: dict[str, Any]) -> None:
    assert _client(users_a["caseworker"]).get("/reintegration/settings/").status_code == 403
    c = _client(users_a["org_admin"])
    r = c.post("/reintegration/settings/", {"schedule_months": "0, 1, 3", "default_mode": "call"})
    assert r.status_code == 302
    r = c.post("/reintegration/settings/", {"schedule_months": "a, b", "default_mode": "call"})
    assert r.status_code == 400
