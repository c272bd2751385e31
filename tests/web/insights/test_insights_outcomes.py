"""The dashboard's reintegration outcomes section: filled from the warehouse metrics, suppressed
(no count from 1 to 4), with the non-randomised-comparison caveat, in both languages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from _rss import FULL
from django.test import Client

from lentera.web.reintegration import services as ri

pytestmark = pytest.mark.django_db(transaction=True)

CAVEAT = {
    "en": "These comparisons are not a randomised trial",
    "id": "Perbandingan antarkelompok ini bukan percobaan acak",
}


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path


def _section(html: str) -> str:
    start = html.index('id="reintegration-outcomes"')
    return html[start : html.index("</section>", start)]


def test_outcomes_section_suppressed_with_caveat_in_both_languages(
    users_a: dict[str, Any], build_case: Any, run_worker: Any
) -> None:
    worker = users_a["caseworker"]
    for i in range(6):
        case = build_case(worker, name=f"Sintetis Nomor {i}", nik=f"53010547089900{i + 40:02d}")
        plan = ri.plan_create(
            actor=worker,
            person=case.survivors.first().person,
            case=case,
            return_date=dt.date(2025, 1, 10),
        )
        for months, day, work in (
            (0, dt.date(2025, 1, 11), "none"),
            (3, dt.date(2025, 4, 12), "regular"),
        ):
            f = plan.followups.get(months=months)
            ri.followup_record(actor=worker, followup=f, outcome="reached", done_on=day)
            ri.score_record(actor=worker, followup=f, answers={**FULL, "economic.work": work})
        kind = "counselling" if i < 3 else "business_grant"  # 3 per support type: suppressed
        ri.action_save(actor=worker, plan=plan, data={"kind": kind, "cost": 1_000_000})
    client = Client()
    client.force_login(users_a["supervisor"])
    client.get("/insights/")
    run_worker()
    for lang in ("en", "id"):
        client.cookies["lentera_language"] = lang
        page = client.get("/insights/")
        assert page["Content-Language"] == lang
        html = _section(page.content.decode())
        assert CAVEAT[lang] in html
        cells = re.findall(r"<(?:strong|td class=\"num\")>([^<]*)<", html)
        assert "6" in cells  # six survivors with a plan
        assert not [c for c in cells if c.strip() in {"1", "2", "3", "4"}], cells
        assert ("suppressed" if lang == "en" else "ditekan") in cells  # 3 per support type
        assert ("0.8" if lang == "en" else "0,8") in html  # a score with two decimals


def test_outcomes_section_says_when_nothing_is_recorded(
    worker_a: Any, build_case: Any, run_worker: Any
) -> None:
    build_case(worker_a)
    client = Client()
    client.force_login(worker_a)
    client.cookies["lentera_language"] = "en"
    client.get("/insights/")
    run_worker()
    html = _section(client.get("/insights/").content.decode())
    assert "No reintegration plan in these figures yet." in html
