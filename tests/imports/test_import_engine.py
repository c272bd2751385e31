"""The intake engine on its own: reading, header matching, typed cells, row checks, messages,
and the KoboToolbox client against recorded pages. Synthetic data only."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from lentera import intake
from lentera.intake import checks, kobo, messages
from lentera.intake.fields import fields, formats

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def vocab() -> Any:
    from lentera.web.imports.spec import build_vocabulary

    return build_vocabulary()


def check(text: str, fmt: str = "lentera", vocab: Any = None, name: str = "a.csv") -> Any:
    return intake.check_file(text.encode("utf-8"), name, fmt, vocab, today=TODAY)


def codes(report: Any) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.code) for p in report.sorted_problems()]


def test_engine_imports_no_django() -> None:
    """The engine package must not pull in Django or the web layer."""
    src = Path(intake.__file__).parent
    for path in src.glob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
        assert "lentera.web" not in text, path


def test_data_files_load_and_are_consistent() -> None:
    names = [f.name for f in fields()]
    assert len(names) == len(set(names))
    assert set(formats()) == {"kobo", "htcds", "lentera"}
    for code, texts in messages.messages().items():
        assert texts["id"] and texts["en"], code


def test_every_vocab_named_by_a_field_exists(vocab: Any) -> None:
    assert {f.vocab for f in fields() if f.vocab} <= set(vocab)


def test_valid_row_becomes_typed_records(vocab: Any) -> None:
    report = check(
        "full_name,nik,birth_date,sex,origin_province,origin_regency,exploitation_types,"
        "age_at_offence,consent_referral,recruitment_country,exploitation_region\n"
        "Sintia Contoh,5301.0547.0899.0003,7 Agustus 1999,Perempuan,NTT?,Kupang,"
        "Forced labour; servitude,17,tidak,Indonesia,Kota Batam\n",
        vocab=vocab,
    )
    # NTT? is not a province name; "Kupang" is both a kabupaten and a kota
    assert codes(report) == [
        (2, "origin_province", "province_unknown"),
        (2, "origin_regency", "regency_ambiguous"),
    ]
    report = check(
        "full_name,nik,birth_date,sex,origin_province,exploitation_types,age_at_offence,"
        "consent_referral,recruitment_country,exploitation_region\n"
        "Sintia Contoh,5301.0547.0899.0003,7 Agustus 1999,Perempuan,Nusa Tenggara Timur,"
        "Forced labour; servitude,17,tidak,Indonesia,Kota Batam\n",
        vocab=vocab,
    )
    assert report.ok and not report.problems, codes(report)
    (rec,) = report.records
    assert rec.person.nik == "5301054708990003" and rec.person.birth_date == dt.date(1999, 8, 7)
    assert rec.person.sex == "female" and rec.person.origin_province_code == "53"
    assert rec.survivor.exploitation_types == ["forced_labour", "servitude"]
    assert rec.survivor.age_at_offence == 17
    assert rec.consents == (intake.ConsentRecord(purpose="referral", granted=False),)
    stages = {e.stage: e for e in rec.events}
    assert stages["recruitment"].country == "ID" and stages["exploitation"].region_code == "2171"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17-08-1990", dt.date(1990, 8, 17)),
        ("17/8/90", dt.date(1990, 8, 17)),
        ("17 Agustus 1990", dt.date(1990, 8, 17)),
        ("1990-08-17", dt.date(1990, 8, 17)),
        ("1990-08-17T10:00:00.000+07:00", dt.date(1990, 8, 17)),
        ("Agustus 1990", dt.date(1990, 8, 1)),
    ],
)
def test_dates_in_indonesian_formats(vocab: Any, value: str, expected: dt.date) -> None:
    report = check(f"full_name,offence_date\nA,{value}\n", vocab=vocab)
    assert report.ok, codes(report)
    assert report.records[0].case.offence_date == expected


def test_imprecise_birth_date_is_a_warning(vocab: Any) -> None:
    report = check("full_name,birth_date\nA,1990\n", vocab=vocab)
    assert report.ok and [p.code for p in report.warnings] == ["date_imprecise"]


def test_nik_consistency_warnings(vocab: Any) -> None:
    report = check(
        "full_name,nik,birth_date,sex\nA,5301054708990003,1999-08-08,male\n", vocab=vocab
    )
    assert report.ok
    assert sorted(p.code for p in report.warnings) == ["nik_birth_mismatch", "nik_sex_mismatch"]


def test_kobo_headers_group_paths_and_option_columns(vocab: Any) -> None:
    text = (
        "survivor-full_name,group_a/group_b/sex,exploitation/means_of_control,"
        "exploitation/means_of_control/threats,exploitation/means_of_control/debt_bondage,"
        "_uuid,_submission_time,meta/instanceID,_unknown_meta,my_extra_question\n"
        "A,female,false_promises,1,0,uuid-1,2025-02-03T04:05:06,uuid:uuid-1,x,y\n"
    )
    report = check(text, "kobo", vocab)
    assert report.ok, codes(report)
    assert codes(report) == [(1, "my_extra_question", "ignored_column")]
    rec = report.records[0]
    assert rec.person.sex == "female" and rec.source_uuid == "uuid-1"
    assert rec.survivor.means_of_control == ["false_promises", "threats"]
    assert rec.case.opened_on == dt.date(2025, 2, 3) and rec.case_key == "uuid:uuid-1"


def test_kobo_instance_id_is_the_key_without_uuid_column(vocab: Any) -> None:
    report = check("full_name,meta/instanceID\nA,uuid:abc\n", "kobo", vocab)
    assert report.ok and report.records[0].source_uuid == "abc"


def test_htcds_values_and_compose(vocab: Any) -> None:
    text = (
        "prs_FirstName,prs_MiddleName,prs_SecondName,prs_Gender,vic_MethodsOfControl,"
        "vic_ForcedLabourIndustry,vic_RecruitmentWebsitesAndApps,spl_Type\n"
        "Siti,Nur,Contoh,NonSpecifiedUnknown,PhysicalThreats;PsychoactiveSubstance,"
        "A_AgricultureForestryAndFishing,FacebookMessenger;Viber,Health\n"
    )
    report = check(text, "htcds", vocab)
    assert report.ok, codes(report)
    rec = report.records[0]
    assert rec.person.full_name == "Siti Nur Contoh" and rec.person.gender == "unknown"
    assert rec.survivor.means_of_control == ["threats", "psychoactive_substances"]
    assert rec.survivor.sector == "A"
    assert rec.survivor.recruitment_apps == ["facebook_messenger", "other"]
    assert [p.code for p in report.warnings] == ["ignored_column"]


def test_case_ref_groups_rows_and_warns_on_differing_case_data(vocab: Any) -> None:
    text = "case_ref,full_name,summary\nK,A,satu\nK,B,dua\nL,C,\n"
    report = check(text, vocab=vocab)
    assert report.ok
    assert [r.case_key for r in report.records] == ["ref:K", "ref:K", "ref:L"]
    assert [(p.row, p.code) for p in report.warnings] == [(3, "case_fields_differ")]


def test_group_with_a_bad_row_is_skipped_whole(vocab: Any) -> None:
    report = check("case_ref,full_name,nik\nK,A,\nK,B,123\nL,C,\n", vocab=vocab)
    assert not report.ok
    assert [r.row for r in report.records] == [4]
    assert (2, "group_skipped") in [(p.row, p.code) for p in report.warnings]


def test_messages_in_both_languages(vocab: Any) -> None:
    report = check("full_name,nik\nA,12\n", vocab=vocab)
    (p,) = report.errors
    assert p.message("en") == "A NIK must be exactly 16 digits."
    assert p.message("id") == "NIK harus tepat 16 digit."
    assert intake.message("duplicate_row", "en", {"row": 4}) == "This row is the same as row 4."


def test_semicolon_csv_and_leading_blank_lines(vocab: Any) -> None:
    report = check("\n\nfull_name;sex\nA;female\n", vocab=vocab)
    assert report.ok and report.records[0].row == 4  # as a spreadsheet numbers it


def test_progress_is_reported(vocab: Any) -> None:
    seen: list[tuple[int, int]] = []
    rows = "".join(f"P{i}\n" for i in range(5))
    intake.check_file(
        f"full_name\n{rows}".encode(),
        "a.csv",
        "lentera",
        vocab,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (5, 5) and len(seen) == 5


def test_neutralise() -> None:
    for bad in ("=1+1", "+A1", "-A1", "@x", "\t=1", " =1"):
        assert intake.neutralise(bad).startswith("'"), bad
    for ok in ("-12", "+62 812 3456", "1-2", "Siti", "", "-1.5", "(021) 555"):
        assert intake.neutralise(ok) == ok, ok


def test_templates_have_the_columns(vocab: Any) -> None:
    import io

    from openpyxl import load_workbook

    for fmt in ("lentera", "htcds"):
        book = load_workbook(io.BytesIO(intake.template_xlsx(fmt, vocab)))
        header = [c.value for c in book["data"][1]]
        assert header and "kode-codes" in book.sheetnames
        csv_header = intake.template_csv(fmt).decode("utf-8-sig").strip().split(",")
        assert csv_header == header
        # an empty template is a valid (row-less) file with the right header
        report = intake.check_file(intake.template_csv(fmt), "t.csv", fmt, vocab)
        assert [p.code for p in report.errors] == ["no_rows"]


# --------------------------------------------------------------------------- Kobo API


def recorded(pages: dict[str, Path]) -> Any:
    calls: list[str] = []

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        calls.append(url)
        assert headers["Authorization"] == "Token tok"
        return 200, pages[url].read_bytes()

    fetch.calls = calls  # type: ignore[attr-defined]
    return fetch


BASE = "https://kobo.example.org/api/v2/assets/aSynthetic123/data/?format=json"


def test_kobo_pagination_follows_next() -> None:
    fetch = recorded(
        {
            BASE: FIXTURES / "kobo_page1.json",
            BASE + "&limit=2&start=2": FIXTURES / "kobo_page2.json",
        }
    )
    subs = kobo.fetch_submissions("https://kobo.example.org", "aSynthetic123", "tok", fetch=fetch)
    assert [s["_uuid"][-1] for s in subs] == ["1", "2", "3"]
    assert fetch.calls == [BASE, BASE + "&limit=2&start=2"]


def test_kobo_submissions_check(vocab: Any) -> None:
    subs = json.loads((FIXTURES / "kobo_page1.json").read_text())["results"]
    report = intake.check_submissions(subs, vocab, today=TODAY)
    assert report.ok, codes(report)
    assert len(report.records) == 2 and report.records[0].person.full_name == "Sintia Contoh"


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, "forbidden"), (403, "forbidden"), (404, "unavailable"), (500, "unavailable")],
)
def test_kobo_http_errors(status: int, kind: str) -> None:
    with pytest.raises(intake.KoboError) as exc:
        kobo.fetch_submissions(
            "https://kobo.example.org", "aSynthetic123", "tok", fetch=lambda u, h: (status, b"")
        )
    assert exc.value.code == "kobo_http" and exc.value.kind == kind


@pytest.mark.parametrize(
    ("url", "asset", "token", "code"),
    [
        ("ftp://kobo.example.org", "aSynthetic123", "t", "kobo_url"),
        ("kobo.example.org", "aSynthetic123", "t", "kobo_url"),
        ("https://kobo.example.org", "../../etc", "t", "kobo_url"),
        ("https://kobo.example.org", "aSynthetic123", " ", "kobo_token"),
    ],
)
def test_kobo_refuses_bad_input(url: str, asset: str, token: str, code: str) -> None:
    with pytest.raises(intake.KoboError) as exc:
        kobo.fetch_submissions(url, asset, token, fetch=lambda u, h: (200, b"{}"))
    assert exc.value.code == code


def test_kobo_bad_json_page() -> None:
    with pytest.raises(intake.KoboError) as exc:
        kobo.fetch_submissions(
            "https://kobo.example.org", "aSynthetic123", "t", fetch=lambda u, h: (200, b"<html>")
        )
    assert exc.value.code == "json_unreadable"


def test_urllib_fetch_without_network(monkeypatch: Any) -> None:
    """The default HTTP call sends the token header; urlopen is replaced, nothing leaves the machine."""
    import urllib.request

    sent: dict[str, Any] = {}

    class Response:
        status = 200

        def __enter__(self) -> Response:
            return self

        def __exit__(self, *a: Any) -> None:
            return None

        def read(self) -> bytes:
            return b'{"results": [], "next": null}'

    def fake_urlopen(request: Any, timeout: float) -> Response:
        sent["url"], sent["auth"] = request.full_url, request.get_header("Authorization")
        return Response()

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert kobo.fetch_submissions("https://kobo.example.org", "aSynthetic123", "tok") == []
    assert sent == {"url": BASE, "auth": "Token tok"}


def test_engine_module_is_reloadable_without_django(monkeypatch: Any) -> None:
    """Importing the engine with Django made unimportable still works."""
    import lentera

    monkeypatch.setattr(lentera, "intake", intake)  # restored afterwards, like sys.modules
    monkeypatch.setitem(sys.modules, "django", None)
    for name in [m for m in sys.modules if m.startswith("lentera.intake")]:
        monkeypatch.delitem(sys.modules, name)
    module = importlib.import_module("lentera.intake")
    assert module.check_file is not None
    assert checks.key("Forced Labour") == "forcedlabour"


def test_case_facts_1_1_columns_import(vocab: Any) -> None:
    """The template and the Kobo export carry the case-facts 1.1 facts (unknown stays empty)."""
    report = check(
        "full_name,age_at_offence,child_marriage,harmful_work,victim_pregnant,"
        "perpetrators_acted_jointly,electronic_means,perpetrator_relationship,"
        "perpetrator_abused_power,perpetrator_repeat_offender\n"
        "Ani Contoh,15,ya,,tidak,ya,,caregiver,tidak,ya\n",
        vocab=vocab,
    )
    assert report.ok and not report.problems, codes(report)
    (rec,) = report.records
    s = rec.survivor
    assert (s.child_marriage, s.harmful_work, s.victim_pregnant) == (True, None, False)
    assert (s.perpetrators_acted_jointly, s.electronic_means) == (True, None)
    p = rec.perpetrator
    assert p is not None
    assert (p.relationship, p.abused_power, p.repeat_offender) == ("caregiver", False, True)
