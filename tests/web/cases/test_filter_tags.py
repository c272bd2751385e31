"""The case list's filter tags (province, exploitation type and their pairs) stay in step with
the survivors through every service that writes them, and the filter reads them."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from lentera.web.cases import selectors, services
from lentera.web.cases.models import Case, CaseTag

pytestmark = pytest.mark.django_db


def _tags(case: Any) -> set[tuple[str, str]]:
    return set(CaseTag.objects.filter(case=case).values_list("kind", "code"))


def _expected(case: Any) -> set[tuple[str, str]]:
    """The tags the survivors call for, computed here independently of the services."""
    provinces, types = set(), set()
    for link in case.survivors.select_related("person"):
        types.update(link.exploitation_types or [])
        if link.person.origin_province_code:
            provinces.add(link.person.origin_province_code)
    return (
        {("province", p) for p in provinces}
        | {("exploitation", t) for t in types}
        | {("province_type", f"{p}:{t}") for p in provinces for t in types}
    )


def _filtered(actor: Any, province: str, exploitation_type: str) -> list[int]:
    page = selectors.case_page_for_user(
        actor=actor,
        filters=selectors.CaseFilters(province=province, exploitation_type=exploitation_type),
    )
    return [c.pk for c in page.object_list]


def test_tags_follow_create_edit_and_removal(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)  # a survivor from NTT (53), forced labour
    assert ("province_type", "53:forced_labour") in _tags(case)
    assert _tags(case) == _expected(case)
    assert _filtered(worker_a, "53", "forced_labour") == [case.pk]

    link = case.survivors.get()
    services.case_survivor_update(
        actor=worker_a, link=link, exploitation_types=["sexual_exploitation", "forced_labour"]
    )
    assert {"53:sexual_exploitation", "53:forced_labour"} <= {
        code for kind, code in _tags(case) if kind == "province_type"
    }
    assert _tags(case) == _expected(case)

    services.person_update(
        actor=worker_a, person=link.person, origin_province_code="31", origin_regency_code="3171"
    )
    assert _tags(case) == _expected(case)
    assert ("province_type", "53:forced_labour") not in _tags(case)
    assert _filtered(worker_a, "53", "forced_labour") == []
    assert _filtered(worker_a, "31", "sexual_exploitation") == [case.pk]
    assert _filtered(worker_a, "31", "") == [case.pk]
    assert _filtered(worker_a, "", "sexual_exploitation") == [case.pk]

    services.case_survivor_remove(actor=worker_a, link=case.survivors.get())
    assert _tags(case) == set()
    assert _filtered(worker_a, "31", "sexual_exploitation") == []


def test_a_province_and_a_type_of_different_cases_do_not_pair(
    worker_a: Any, build_case: Any
) -> None:
    first = build_case(worker_a)  # 53, forced labour
    second = build_case(worker_a, name="Maria Lede", nik="")
    link = second.survivors.get()
    services.case_survivor_update(actor=worker_a, link=link, exploitation_types=["child_labour"])
    services.person_update(
        actor=worker_a, person=link.person, origin_province_code="31", origin_regency_code="3171"
    )
    assert _filtered(worker_a, "53", "child_labour") == []
    assert _filtered(worker_a, "31", "forced_labour") == []
    assert _filtered(worker_a, "53", "forced_labour") == [first.pk]


def test_anonymising_keeps_the_tags_in_step(users_a: dict[str, Any], build_case: Any) -> None:
    case = build_case(users_a["caseworker"])
    before = _tags(case)
    services.person_anonymise(
        actor=users_a["supervisor"], person=case.survivors.get().person, reason="request"
    )
    # the origin province and the exploitation are kept for statistics, so are their tags
    assert _tags(case) == _expected(case) == before


def test_deleting_a_case_deletes_its_tags(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    assert _tags(case)
    Case.objects.filter(pk=case.pk).delete()
    assert not CaseTag.objects.filter(case_id=case.pk).exists()


def test_the_migration_backfills_the_pairs(worker_a: Any, build_case: Any) -> None:
    cases = [build_case(worker_a), build_case(worker_a, name="Maria Lede", nik="")]
    link = cases[1].survivors.get()
    services.case_survivor_update(
        actor=worker_a, link=link, exploitation_types=["child_labour", "forced_marriage"]
    )
    CaseTag.objects.filter(kind="province_type").delete()
    migration = importlib.import_module(
        "lentera.web.cases.migrations.0011_list_search_indexes_and_pair_tags"
    )
    migration.add_pair_tags(apps, None)
    for case in cases:
        assert _tags(case) == _expected(case)
    assert CaseTag.objects.filter(kind="province_type").count() == 3
