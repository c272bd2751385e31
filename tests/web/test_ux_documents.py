"""Documents and pages speak to people (issue 16): no internal code where a person reads."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from lentera.law import PenaltyRange
from lentera.web.assessments import words
from lentera.web.cases import services as case_services

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"\b[A-Z]+-\d{4}:\d")  # UU-21-2007:2.1, KUHP-2023:455.1
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # forced_labour, other_coercion


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _child_case(worker: Any, build_case: Any) -> Any:
    case = build_case(worker)
    link = case.survivors.first()
    case_services.case_survivor_edit(
        actor=worker, link=link,
        person_fields={"birth_date": None, "nik": "", "sex": "female"},
        link_fields={"age_at_offence": 16, "acts": ["recruitment", "transportation"],
                     "means": ["deception", "confinement"],
                     "exploitation_types": ["forced_labour"], "exploitation_occurred": None},
    )  # fmt: skip
    return case, link


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def test_every_contract_code_has_words() -> None:
    from lentera.facts import ACTS, HARMS, MEANS, PURPOSES, SEXES

    for vocabulary, codes in (("acts", ACTS), ("means", MEANS), ("harm", HARMS),
                              ("exploitation.purposes", PURPOSES), ("victim.sex", SEXES)):  # fmt: skip
        for code in codes:
            assert code in words._VOCABULARIES[vocabulary], code


def test_penalty_reads_like_the_statute() -> None:
    from django.utils import translation

    with translation.override("id"):
        text = words.penalty_text(PenaltyRange.model_validate({"prison_min_months": 0, "prison_max_months": 120,
                                   "fine_min_idr": 0, "fine_max_idr": 600_000_000,
                                   "life": False, "cumulative": False}))  # fmt: skip
        assert "paling lama 10 tahun" in text and "paling banyak Rp600.000.000" in text
        assert "0 tahun" not in text.replace("10 tahun", "") and "Rp0" not in text
        both = words.penalty_text(PenaltyRange.model_validate({"prison_min_months": 36, "prison_max_months": 180,
                                   "fine_min_idr": 120_000_000, "fine_max_idr": 600_000_000,
                                   "life": False, "cumulative": True}))  # fmt: skip
        assert "paling singkat 3 tahun dan paling lama 15 tahun" in both


def test_legal_page_opens_with_the_conclusion_and_shows_no_codes(
    worker_a: Any, build_case: Any
) -> None:
    _case, link = _child_case(worker_a, build_case)
    client = _client(worker_a)
    client.get(f"/assessments/survivors/{link.pk}/legal/")
    case_services.case_survivor_edit(actor=worker_a, link=link, person_fields={},
                                     link_fields={"exploitation_occurred": True})  # fmt: skip
    html = client.get(f"/assessments/survivors/{link.pk}/legal/").content.decode()
    text = _text(html)
    assert html.index('id="conclusion"') < html.index("Protokol Palermo")
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert "exploitation.occurred" not in text and "True" not in text
    assert " 0 tahun" not in text and "Rp0 " not in text
    # one line per aggravation, not one per charge it could aggravate (12 near-identical lines)
    heads = re.findall(r"Pemberatan menurut (.*?) bergantung pada fakta", text)
    assert len(heads) == len(set(heads)), heads


def test_memo_facts_name_perpetrators_and_end_with_a_conclusion(
    worker_a: Any, build_case: Any
) -> None:
    from django.utils import translation

    from lentera.web.assessments import memo, services

    _case, link = _child_case(worker_a, build_case)
    assessment, _prev = services.legal_assessment_get_or_open(actor=worker_a, link=link)
    with translation.override("id"):
        blocks = memo.memo_blocks(link=link, assessment=assessment, claim=None, identify=False)
    flat = []
    for _kind, payload in blocks:
        if isinstance(payload, str):
            flat.append(payload)
        else:
            for item in payload:
                flat.extend(item if isinstance(item, tuple) else [item])
    text = "\n".join(map(str, flat))
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert not SNAKE.search(text), SNAKE.search(text)
    assert "female" not in text and "Perempuan" in text
    assert "Pelaku 1" in text and "Pak Calo" not in text  # by role; named only when identified
    headings = [str(p) for k, p in blocks if k == "h2"]
    assert "Kesimpulan" in headings[-1]
    assert " 0 tahun" not in text and "Rp0 " not in text


def test_screening_result_shows_indicator_titles_not_keys(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    key = "adult_labour.D1.deceived_wages"
    response = client.post(
        f"/assessments/survivors/{link.pk}/screening/",
        {"indicator": [key], f"note:{key}": "Dijanjikan 6 juta, dibayar 1 juta."},
    )
    html = client.get(response["Location"]).content.decode()
    notes = html[html.index("evidence-notes") :]
    assert key not in notes and "Dijanjikan 6 juta" in notes


def test_no_two_options_of_a_list_read_the_same_in_indonesian() -> None:
    """'Penipuan (fraud)' beside 'Penipuan (tipu daya)' made people guess: every option of
    every choice list has its own words."""
    import inspect

    from django.db import models as dj_models
    from django.utils import translation

    from lentera.web.cases import choices
    from lentera.web.referrals import choices as referral_choices

    with translation.override("id"):
        for module in (choices, referral_choices):
            for _name, enum in inspect.getmembers(module, inspect.isclass):
                if not issubclass(enum, dj_models.TextChoices) or enum is dj_models.TextChoices:
                    continue
                heads = [str(label).split("(")[0].strip().lower() for _v, label in enum.choices]
                dupes = {h for h in heads if heads.count(h) > 1}
                assert not dupes, (enum.__name__, dupes)


def test_audit_log_names_records_in_words(users_a: dict[str, Any], build_case: Any) -> None:
    case = build_case(users_a["caseworker"])
    client = _client(users_a["supervisor"])
    client.get(f"/cases/{case.pk}/")
    text = _text(client.get("/audit/").content.decode())
    assert "cases.case #" not in text and "cases.person #" not in text
    assert "Kasus no." in text
    assert "{'" not in text


def test_referral_letter_has_subject_and_signature_block(
    users_a: dict[str, Any], build_case: Any
) -> None:
    from django.utils import translation

    from lentera.web.cases.services import consent_record
    from lentera.web.referrals import services as referral_services
    from lentera.web.referrals.letter import letter_blocks

    worker = users_a["caseworker"]
    case = build_case(worker)
    link = case.survivors.first()
    provider = referral_services.provider_save(
        actor=worker, data={"name": "Rumah Aman", "institution_type": "ngo_shelter",
                            "services": ["shelter"], "province_codes": ["53"]},
    )  # fmt: skip
    consent_record(actor=worker, person=link.person, case=case, purpose="referral", granted=True,
                   shared_fields=["name"])  # fmt: skip
    referral = referral_services.referral_send(actor=worker, link=link, provider=provider,
                                               services=["shelter"], reason="Butuh rumah aman.")  # fmt: skip
    with translation.override("id"):
        text = "\n".join(str(p) for _k, p in letter_blocks(referral) if isinstance(p, str))
    assert "Perihal:" in text and "Hormat kami," in text and "(tanda tangan dan cap)" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates in words


def test_every_element_of_the_law_has_words() -> None:
    """A new element in the law data without a label would show as a code on the page."""
    from lentera.law import load_kb
    from lentera.web.assessments.labels import ELEMENTS

    kb = load_kb()
    names = {str(e) for a in kb.articles.values() for e in (getattr(a, "elements", None) or [])}
    assert names and names <= set(ELEMENTS), sorted(names - set(ELEMENTS))


def test_penalty_notes_and_explanations_cite_articles_in_words_and_indonesian() -> None:
    """The legal page and the memo never print a rule id nor the engine's English source: an
    unverified article is cited as "Pasal 2 ayat (2) UU PTPPO", the contested 1/3 reading is
    explained in the page's language."""
    from types import SimpleNamespace

    from django.utils import translation

    from lentera.law import Explanation
    from lentera.web.assessments import memo, words

    alternative = SimpleNamespace(
        reading="raised_minimum",
        prison_min_months=48,
        source="Contested reading: … without naming the end.",
    )
    penalty = SimpleNamespace(capped=False, regime="", alternatives=[alternative])
    charge = SimpleNamespace(penalty=penalty, unverified=["UU-21-2007:2.2"], readings=[])
    with translation.override("id"):
        notes = "\n".join(memo.penalty_notes(charge))  # type: ignore[arg-type]
        said = "\n".join(words.explanations([Explanation(
            code="article_unverified",
            params={"charge": "UU-21-2007:2.2", "articles": ["UU-21-2007:2.2"]},
        )]))  # fmt: skip
    for text in (notes, said):
        assert not RULE_ID.search(text), text
        assert "Pasal 2 ayat (2)" in text
    assert "without naming" not in notes and "hanya menaikkan maksimum" in notes
