"""Prevention outreach: services, selectors (reach, where next), views, the map, API."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.outreach import selectors, services

pytestmark = pytest.mark.django_db


def _activity(actor: Any, **extra: Any) -> Any:
    fields = {
        "kind": "village", "date": dt.date(2025, 3, 1), "province": "53", "regency": "5302",
        "village": "Oelbubuk", "topics": ["safe_migration", "calo"], "female_18_35": 12,
        "male_u18": 7,
    }  # fmt: skip
    return services.activity_create(actor=actor, **{**fields, **extra})


def test_create_counts_attendance_and_is_audited(worker_a: Any) -> None:
    a = _activity(worker_a)
    assert a.attendance == 19 and a.attendance_by_sex() == {"female": 12, "male": 7}
    assert AuditEvent.objects.filter(object_type="outreach.outreachactivity").count() == 1


def test_unknown_topic_wrong_regency_and_negative_counts_are_refused(worker_a: Any) -> None:
    with pytest.raises(LenteraError) as exc:
        _activity(worker_a, topics=["astrology"])
    assert exc.value.field == "topics"
    with pytest.raises(LenteraError) as exc:
        _activity(worker_a, province="31")
    assert exc.value.field == "regency"
    with pytest.raises(LenteraError):
        _activity(worker_a, male_u18=-1)


def test_scoped_to_the_organisation_and_analysts_read_only(
    users_a: dict[str, Any], worker_b: Any
) -> None:
    a = _activity(users_a["caseworker"])
    assert selectors.activities_list_for_user(actor=users_a["analyst"]).count() == 1
    with pytest.raises(LenteraError):
        _activity(users_a["analyst"])
    with pytest.raises(LenteraError) as exc:
        selectors.activity_get_for_user(actor=worker_b, activity_id=a.pk)
    assert exc.value.kind == "not_found"
    with pytest.raises(LenteraError):
        services.activity_update(actor=worker_b, activity=a, village="x")


def test_reach_totals_and_update_with_version(worker_a: Any) -> None:
    a = _activity(worker_a)
    _activity(worker_a, province="35", regency="", female_18_35=0, male_u18=0, male_60p=3)
    with CaptureQueriesContext(connection) as ctx:  # one aggregate, not a walk over every row
        totals = selectors.reach_totals(selectors.activities_list_for_user(actor=worker_a))
    assert len(ctx.captured_queries) == 1
    assert "SUM(" in ctx.captured_queries[-1]["sql"].upper()
    assert totals["activities"] == 2 and totals["people"] == 22 and totals["male_60p"] == 3
    services.activity_update(actor=worker_a, activity=a, version=1, village="Soe")
    with pytest.raises(LenteraError) as exc:
        services.activity_update(actor=worker_a, activity=a, version=1, village="Kupang")
    assert exc.value.code == "stale_version"


def test_where_next_without_figures_lists_nothing_and_says_so(worker_a: Any) -> None:
    from lentera.web.insights.services import warehouse_path

    # no warehouse yet for this organisation (another test of this worker may have built one)
    warehouse_path(worker_a.membership.organisation.code).unlink(missing_ok=True)
    _activity(worker_a)
    data = selectors.where_next_for_user(actor=worker_a)
    assert data.survivors_by_province is None and data.activities_by_province == {"53": 1}
    client = Client()
    client.force_login(worker_a)
    body = client.get("/outreach/map/").content.decode()
    assert 'data-bps="53"' in body and "<svg" in body
    # the activity names its regency, so the outreach map is drawn by regency
    assert data.level == "regency" and data.activities_by_regency == {"5302": 1}
    outreach = body.split('id="map-outreach"')[1].split("</figure>")[0]
    assert 'data-bps="5302"' in outreach
    # the province underneath carries what is recorded by province only (nothing yet)
    assert re.search(r'<path d="[^"]+" fill="#ffffff" data-bps="35">', outreach)
    _activity(worker_a, province="35", regency="")
    again = client.get("/outreach/map/").content.decode()
    outreach = again.split('id="map-outreach"')[1].split("</figure>")[0]
    assert re.search(r'fill="#c7e9c0" data-bps="35" fill-opacity="0.55">', outreach)
    assert "kabupaten/kota" in body.split('id="map-level"')[1].split("</p>")[0]


def test_where_next_falls_back_to_provinces_without_regencies(worker_a: Any) -> None:
    from lentera.web.insights.services import warehouse_path

    warehouse_path(worker_a.membership.organisation.code).unlink(missing_ok=True)
    _activity(worker_a, regency="")
    data = selectors.where_next_for_user(actor=worker_a)
    assert data.level == "province"
    client = Client()
    client.force_login(worker_a)
    body = client.get("/outreach/map/").content.decode()
    outreach = body.split('id="map-outreach"')[1].split("</figure>")[0]
    assert 'data-bps="53"' in outreach and 'data-bps="5302"' not in outreach


def test_where_next_puts_unreached_origins_first(worker_a: Any, build_case: Any) -> None:
    from lentera.web.insights.services import rebuild

    for i in range(6):
        build_case(worker_a, name=f"Korban Uji {i}", nik=f"53010547089900{i + 20:02d}")
    rebuild(actor=worker_a)
    data = selectors.where_next_for_user(actor=worker_a)
    assert data.survivors_by_province is not None
    origins = {a.code: a for a in data.provinces}
    assert origins and all(not a.reached for a in data.not_reached)
    code = next(iter(origins))
    _activity(worker_a, province=code, regency="")
    again = selectors.where_next_for_user(actor=worker_a)
    assert code not in {a.code for a in again.not_reached}
    client = Client()
    client.force_login(worker_a)
    body = client.get("/outreach/map/").content.decode()
    assert body.count("<svg xmlns") == 3
    table = body.split('id="not-reached"')[1].split("</table>")[0]
    shown = re.findall(
        r'</td><td class="num">([^<]*)</td><td class="num">[^<]*</td><td class="num">\d+</td></tr>',
        table,
    )
    assert shown and not set(shown) & {"1", "2", "3", "4"}, shown


def test_pages_record_and_list(worker_a: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    assert client.get("/outreach/new/").status_code == 200
    response = client.post(
        "/outreach/new/",
        {"kind": "school", "date": "2025-04-02", "province": "53", "regency": "",
         "topics": ["online_scams"], "female_u18": "30", "male_u18": "25"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    body = client.get("/outreach/").content.decode()
    assert ">55<" in body
    assert client.post("/outreach/new/", {"kind": "school"}).status_code == 400


def test_api_list_get_create(worker_a: Any, worker_b: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    created = client.post(
        "/api/outreach",
        json.dumps({"kind": "pre_departure", "date": "2025-05-01", "province": "52",
                    "topics": ["pmi_procedure"], "attendance": {"female_18_35": 40}}),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    aid = created.json()["id"]
    assert created.json()["people"] == 40
    assert client.get("/api/outreach").json()["count"] == 1
    assert client.get(f"/api/outreach/{aid}").json()["attendance"]["female_18_35"] == 40
    other = Client()
    other.force_login(worker_b)
    assert other.get(f"/api/outreach/{aid}").status_code == 404
    assert other.get("/api/outreach").json()["count"] == 0
