"""Imports through the Django side: writes via the case services, idempotent Kobo imports,
HTCDS and Lentera template round-trips, modes, duplicates, audit, views and the CLI.

All people, NIKs and phone numbers here are synthetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lentera import intake
from lentera.cli import main
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.models import (
    Case,
    CaseNote,
    CaseSurvivor,
    Consent,
    Perpetrator,
    Person,
    TraffickingEvent,
)
from lentera.web.imports import services
from lentera.web.imports.models import ImportedSubmission, ImportRun

FIXTURES = Path(__file__).resolve().parents[2] / "imports" / "fixtures"
MODELS = (Case, Person, CaseSurvivor, Perpetrator, TraffickingEvent, Consent, CaseNote)


def counts() -> dict[str, int]:
    out = {m.__name__: m.objects.count() for m in MODELS}
    out["ImportedSubmission"] = ImportedSubmission.objects.count()
    return out


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


LENTERA_HEADER = [
    "case_ref",
    "opened_on",
    "offence_date",
    "summary",
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "origin_province",
    "origin_regency",
    "phone",
    "exploitation_types",
    "means_of_control",
    "sector",
    "perpetrator_name",
    "perpetrator_roles",
    "recruitment_date",
    "recruitment_region",
    "exploitation_country",
    "consent_services",
    "consent_data_sharing",
]
LENTERA_ROWS = [
    [
        "K1",
        "01-03-2025",
        "5 November 2024",
        "Dijanjikan kerja (sintetis).",
        "Sintia Contoh",
        "5301054708990003",
        "07-08-1999",
        "perempuan",
        "53",
        "5301",
        "0812-3456-7890",
        "forced_labour; servitude",
        "false_promises; withholds_documents",
        "T",
        "Calo Rekaan",
        "recruiter_or_intermediary",
        "2024-11-05",
        "5301",
        "MY",
        "ya",
        "tidak",
    ],
    [
        "K1",
        "01-03-2025",
        "5 November 2024",
        "Dijanjikan kerja (sintetis).",
        "Rina Sintetis",
        "",
        "",
        "female",
        "Nusa Tenggara Timur",
        "Kabupaten Kupang",
        "",
        "forced_labour",
        "",
        "T",
        "Calo Rekaan",
        "recruiter_or_intermediary",
        "2024-11-05",
        "5301",
        "MY",
        "yes",
        "",
    ],
    [
        "K2",
        "",
        "",
        "",
        "Dewi Rekaan",
        "",
        "1990",
        "",
        "",
        "",
        "",
        "sexual_exploitation",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def test_lentera_template_round_trip(worker_a: Any) -> None:
    """Every value of the template arrives in the case store, decrypted identically, grouped by case_ref."""
    content = to_csv(LENTERA_HEADER, LENTERA_ROWS)
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.csv", content=content, mode="all"
    )
    assert outcome.ok, outcome.problems("en")
    assert outcome.written and outcome.cases_created == 2 and outcome.survivors_created == 3
    k1 = Case.objects.get(reference=outcome.case_references[0])
    assert k1.opened_on == dt.date(2025, 3, 1) and k1.offence_date == dt.date(2024, 11, 5)
    assert k1.summary == "Dijanjikan kerja (sintetis)."
    links = list(k1.survivors.select_related("person"))
    assert [link.person.full_name for link in links] == ["Sintia Contoh", "Rina Sintetis"]
    first = links[0].person
    assert first.nik == "5301054708990003" and first.birth_date == dt.date(1999, 8, 7)
    assert first.phone == "+6281234567890" and first.origin_regency_code == "5301"
    assert links[1].person.origin_regency_code == "5303"  # name resolved to the BPS code
    assert links[0].exploitation_types == ["forced_labour", "servitude"]
    assert links[0].means_of_control == ["false_promises", "withholds_documents"]
    assert k1.perpetrators.count() == 1  # the same perpetrator on two rows is added once
    assert sorted(k1.events.values_list("stage", flat=True)) == ["exploitation", "recruitment"]
    consents = {(c.person.full_name, c.purpose): c.granted for c in Consent.objects.all()}
    assert consents[("Sintia Contoh", "services")] is True
    assert consents[("Sintia Contoh", "data_sharing")] is False
    # personal data encrypted at rest: the raw column does not hold the name
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT full_name FROM cases_person")
        raw = [r[0] for r in cur.fetchall()]
    assert all("Sintia" not in str(v) for v in raw)
    # audited, without personal data
    event = AuditEvent.objects.filter(object_type="imports.importrun").get()
    assert event.action == "create"
    assert event.detail["survivors_created"] == 3
    assert event.detail["file_sha256"] == outcome.report.sha256
    assert "Sintia" not in json.dumps(event.detail) and "5301054708990003" not in json.dumps(
        event.detail
    )
    run = ImportRun.objects.get()
    assert run.written and run.format == "lentera" and run.mode == "all"


def test_lentera_template_xlsx_round_trip(worker_a: Any) -> None:
    """The downloadable .xlsx template, filled in, imports the same as the CSV."""
    from openpyxl import load_workbook

    vocab = services.build_vocabulary()
    book = load_workbook(io.BytesIO(intake.template_xlsx("lentera", vocab)))
    sheet = book["data"]
    header = [c.value for c in sheet[1]]
    for row in LENTERA_ROWS:
        data = dict(zip(LENTERA_HEADER, row, strict=True))
        sheet.append([data.get(h, "") for h in header])
    buf = io.BytesIO()
    book.save(buf)
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.xlsx", content=buf.getvalue(), mode="all"
    )
    assert outcome.ok, outcome.problems("en")
    assert outcome.survivors_created == 3
    names = sorted(p.full_name for p in Person.objects.all())
    assert names == ["Dewi Rekaan", "Rina Sintetis", "Sintia Contoh"]


HTCDS_HEADER = [
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_HighestLevelOfEducation",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_MailingState",
    "vic_TraffickingStatus",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_RelationshipToTrafficker",
    "per_RoleInProcess",
    "cas_Status",
    "hte_Type",
    "hte_Date",
    "hte_Country",
    "con_Consent",
    "cco_CaseComment",
    "org_Name",
]


def test_htcds_layout_round_trip(worker_a: Any) -> None:
    """HTCDS value names (CamelCase) map to Lentera codes; unmapped HTCDS columns are ignored with a warning."""
    rows = [
        [
            "Sintia",
            "Contoh",
            "1999-08-07",
            "Feminine",
            "LowerSecondaryEducation",
            "IDN",
            "5301054708990003",
            "Nusa Tenggara Timur",
            "ActualVictimOfTrafficking",
            "ThroughFriendsOrSocialEvents",
            "DebtBondage;ThreatsLawEnforcement",
            "ForcedLabour;ForcedMilitaryByNonStateActors",
            "T_ActivitiesOfHouseholdsAsEmployers",
            "Acquainted",
            "RecruiterOrIntermediary",
            "FollowUp",
            "Exploitation",
            "2024-12-20",
            "Malaysia",
            "TRUE",
            "Catatan sintetis.",
            "Yayasan Contoh",
        ]
    ]
    outcome = services.import_file(
        actor=worker_a,
        fmt="htcds",
        filename="h.csv",
        content=to_csv(HTCDS_HEADER, rows),
        mode="all",
    )
    assert outcome.ok, outcome.problems("en")
    assert [p["code"] for p in outcome.problems()] == ["ignored_column"]
    link = CaseSurvivor.objects.select_related("person", "case").get()
    assert link.person.full_name == "Sintia Contoh"
    assert link.person.gender == "feminine" and link.person.education == "lower_secondary"
    assert link.person.citizenship == "ID" and link.person.origin_province_code == "53"
    assert link.trafficking_status == "actual_victim"
    assert link.means_of_control == ["debt_bondage", "threat_of_law_enforcement"]
    assert link.exploitation_types == ["forced_labour", "forced_military"]
    assert link.sector == "T" and link.recruitment_method == "friends"
    assert link.case.status == "follow_up"
    p = Perpetrator.objects.get()
    assert p.relationship == "acquaintance" and p.roles == ["recruiter_or_intermediary"]
    e = TraffickingEvent.objects.get()
    assert (e.stage, e.date, e.country) == ("exploitation", dt.date(2024, 12, 20), "MY")
    assert Consent.objects.get().purpose == "services"
    assert CaseNote.objects.get().body == "Catatan sintetis."


KOBO_HEADER = [
    "start",
    "end",
    "survivor/full_name",
    "survivor/nik",
    "survivor/sex",
    "exploitation/exploitation_types",
    "exploitation/means_of_control/debt_bondage",
    "exploitation/means_of_control/threats",
    "consent/consent_services",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_index",
]


def kobo_csv(n: int = 3, start: int = 0) -> bytes:
    rows = []
    for i in range(start, start + n):
        rows.append(
            [
                "2025-01-10T08:00:00.000+07:00",
                "2025-01-10T08:30:00.000+07:00",
                f"Penyintas Sintetis {i}",
                "",
                "female",
                "forced_labour sexual_exploitation",
                "1",
                "0",
                "yes",
                str(100 + i),
                f"0000000{i}-aaaa-4bbb-8ccc-123456789abc",
                "2025-01-10T09:00:00",
                "",
                str(i + 1),
            ]
        )
    return ("\ufeff" + to_csv(KOBO_HEADER, rows).decode()).encode("utf-8")


def test_kobo_export_idempotent(worker_a: Any) -> None:
    """A Kobo export imported twice creates nothing the second time; each uuid maps to its case."""
    first = services.import_file(
        actor=worker_a, fmt="kobo", filename="k.csv", content=kobo_csv(3), mode="all"
    )
    assert first.ok and first.cases_created == 3, first.problems("en")
    link = CaseSurvivor.objects.order_by("id").first()
    assert link.means_of_control == ["debt_bondage"]  # one 0/1 column per option
    assert link.exploitation_types == ["forced_labour", "sexual_exploitation"]
    assert link.case.opened_on == dt.date(2025, 1, 10)  # from _submission_time
    before = counts()
    again = services.import_file(
        actor=worker_a, fmt="kobo", filename="k.csv", content=kobo_csv(3), mode="all"
    )
    assert counts() == before
    assert again.skipped_existing == 3 and not again.written
    assert {p["code"] for p in again.problems()} == {"already_imported"}
    # a later export with one new submission adds only that one
    later = services.import_file(
        actor=worker_a, fmt="kobo", filename="k.csv", content=kobo_csv(4), mode="all"
    )
    assert later.cases_created == 1 and later.skipped_existing == 3
    assert ImportedSubmission.objects.count() == 4


def test_kobo_api_pagination_and_idempotence(worker_a: Any) -> None:
    """Recorded API pages are followed through `next`; a second fetch imports nothing new."""
    pages = {
        "https://kobo.example.org/api/v2/assets/aSynthetic123/data/?format=json": (
            FIXTURES / "kobo_page1.json"
        ),
        "https://kobo.example.org/api/v2/assets/aSynthetic123/data/?format=json&limit=2&start=2": (
            FIXTURES / "kobo_page2.json"
        ),
    }
    seen: list[tuple[str, str]] = []

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        seen.append((url, headers["Authorization"]))
        return 200, pages[url].read_bytes()

    kwargs = {
        "actor": worker_a,
        "server_url": "https://kobo.example.org/",
        "asset_uid": "aSynthetic123",
        "token": "synthetic-token",
        "mode": "all",
        "fetch": fetch,
    }
    outcome = services.import_kobo_api(**kwargs)
    assert outcome.ok, outcome.problems("en")
    assert len(seen) == 2 and all(a == "Token synthetic-token" for _u, a in seen)
    assert outcome.cases_created == 3
    child = next(
        link
        for link in CaseSurvivor.objects.select_related("person")
        if link.person.birth_date == dt.date(2008, 3, 4)
    )
    assert child.sex_exploitation_types == ["prostitution"]
    assert Perpetrator.objects.get().roles == ["recruiter_or_intermediary"]
    before = counts()
    again = services.import_kobo_api(**kwargs)
    assert counts() == before and again.skipped_existing == 3


def test_kobo_api_refuses_next_on_other_host(worker_a: Any) -> None:
    """The token is never sent to a host other than the one the user named."""
    page = json.loads((FIXTURES / "kobo_page1.json").read_text())
    page["next"] = "https://evil.example.net/steal"

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        assert "evil" not in url
        return 200, json.dumps(page).encode()

    with pytest.raises(intake.KoboError) as exc:
        services.import_kobo_api(
            actor=worker_a,
            server_url="https://kobo.example.org",
            asset_uid="aSynthetic123",
            token="t",
            fetch=fetch,
        )
    assert exc.value.code == "kobo_next_host"


def test_valid_only_imports_good_rows_and_reports_bad(worker_a: Any) -> None:
    rows = [r[:] for r in LENTERA_ROWS]
    rows[2][6] = "31-02-1990"  # impossible birth date on the K2 row
    content = to_csv(LENTERA_HEADER, rows)
    before = counts()
    all_mode = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.csv", content=content, mode="all"
    )
    assert not all_mode.written and counts() == before
    bad = [p for p in all_mode.problems("en") if p["severity"] == "error"]
    assert [(p["row"], p["column"], p["code"]) for p in bad] == [
        (4, "birth_date", "date_impossible")
    ]
    valid = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.csv", content=content, mode="valid_only"
    )
    assert valid.written and valid.cases_created == 1 and valid.survivors_created == 2


def test_check_mode_writes_nothing_but_runs_the_case_store_checks(worker_a: Any) -> None:
    before = counts()
    outcome = services.import_file(
        actor=worker_a,
        fmt="lentera",
        filename="t.csv",
        content=to_csv(LENTERA_HEADER, LENTERA_ROWS),
        mode="check",
    )
    assert outcome.ok and not outcome.written and counts() == before
    assert ImportRun.objects.get().written is False
    assert not AuditEvent.objects.filter(object_type="imports.importrun").exists()


def test_possible_duplicate_of_existing_survivor_is_a_warning(
    worker_a: Any, build_case: Any
) -> None:
    """A NIK already recorded in the organisation is reported with the existing case's number."""
    existing = build_case(worker_a)
    content = to_csv(["full_name", "nik"], [["Sutinah Sintetis", "5301054708990003"]])
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="d.csv", content=content, mode="check"
    )
    warnings = [p for p in outcome.problems("en") if p["code"] == "possible_duplicate"]
    assert len(warnings) == 1 and existing.reference in warnings[0]["message"]
    assert warnings[0]["severity"] == "warning" and outcome.ok


def test_duplicate_check_is_scoped_to_the_organisation(
    worker_a: Any, worker_b: Any, build_case: Any
) -> None:
    build_case(worker_b)
    content = to_csv(["full_name", "nik"], [["Sutinah Sintetis", "5301054708990003"]])
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="d.csv", content=content, mode="check"
    )
    assert not [p for p in outcome.problems() if p["code"] == "possible_duplicate"]


def test_only_case_roles_may_import(users_a: dict[str, Any]) -> None:
    content = to_csv(["full_name"], [["Sintetis"]])
    with pytest.raises(LenteraError) as exc:
        services.import_file(
            actor=users_a["analyst"], fmt="lentera", filename="a.csv", content=content
        )
    assert exc.value.kind == "forbidden"
    for role in ("caseworker", "supervisor", "legal", "org_admin"):
        out = services.import_file(
            actor=users_a[role], fmt="lentera", filename="a.csv", content=content, mode="check"
        )
        assert out.ok


def test_report_csv_neutralises_formulas(worker_a: Any) -> None:
    content = to_csv(["full_name", "other_names"], [['=HYPERLINK("http://x","klik")', "@SUM(A1)"]])
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="f.csv", content=content, mode="all"
    )
    text = services.report_csv(outcome, "en").decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://x","klik")' in cells and "'@SUM(A1)" in cells
    assert not any(c[:1] in {"=", "+", "@"} for c in cells)
    assert "-" not in {c[:1] for c in cells if not c.lstrip("-").isdigit()}


# --------------------------------------------------------------------------- views


def test_import_page_and_downloads(client: Any, worker_a: Any) -> None:
    client.force_login(worker_a)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    for fmt in ("lentera", "htcds"):
        for ext in ("xlsx", "csv"):
            r = client.get(reverse("imports:template", args=[fmt, ext]))
            assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("imports:template", args=["nope", "csv"])).status_code == 404
    x = client.get(reverse("imports:xlsform"))
    assert x.status_code == 200 and x.content[:2] == b"PK"


def _job_of(response: Any) -> Any:
    from lentera.web.jobs.models import Job

    assert response.status_code == 302 and "/jobs/" in response["Location"], response
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.mark.django_db(transaction=True)
def test_upload_runs_in_a_job_shows_report_and_writes_when_valid(
    client: Any, worker_a: Any, run_worker: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(worker_a)
    bad = SimpleUploadedFile("b.csv", to_csv(["full_name", "nik"], [["Sintetis", "123"]]))
    r = client.post(reverse("imports:upload"), {"file": bad, "format": "lentera", "mode": "all"})
    job = _job_of(r)
    assert job.status == "queued" and ImportRun.objects.count() == 0  # nothing ran in the request
    waiting = client.get(r["Location"]).content.decode()
    assert "lentera worker" in waiting  # no worker: the page says the job waits
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded" and Case.objects.count() == 0
    body = client.get(r["Location"]).content.decode()
    assert "nik" in body and "123" not in body  # the page shows no cell values
    report = client.get(f"/jobs/{job.pk}/files/laporan-impor.csv")
    assert report.status_code == 200 and "123" in report.content.decode("utf-8-sig")
    good = SimpleUploadedFile("g.csv", to_csv(LENTERA_HEADER, LENTERA_ROWS))
    r = client.post(reverse("imports:upload"), {"file": good, "format": "lentera", "mode": "all"})
    _job_of(r)
    run_worker()
    assert Case.objects.count() == 2
    csvfile = SimpleUploadedFile("b.csv", to_csv(["full_name"], [["=1+1"]]))
    r = client.post(
        reverse("imports:upload"), {"file": csvfile, "format": "lentera", "mode": "check"}
    )
    job = _job_of(r)
    run_worker()
    report = client.get(f"/jobs/{job.pk}/files/laporan-impor.csv")
    assert report["Content-Type"].startswith("text/csv")
    assert "'=1+1" in report.content.decode("utf-8-sig")


def test_import_pages_refuse_non_case_roles(client: Any, users_a: dict[str, Any]) -> None:
    client.force_login(users_a["analyst"])
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:xlsform")).status_code == 403
    assert client.get(reverse("imports:kobo")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_kobo_page_reports_unreachable_server(
    client: Any, worker_a: Any, monkeypatch: Any, run_worker: Any
) -> None:
    def refuse(url: str, headers: Any) -> tuple[int, bytes]:
        raise intake.KoboError("kobo_network", kind="unavailable", detail="offline")

    monkeypatch.setattr(intake.kobo, "urllib_fetch", refuse)
    monkeypatch.setattr("lentera.intake.kobo.urllib_fetch", refuse)
    client.force_login(worker_a)
    r = client.post(
        reverse("imports:kobo"),
        {
            "server_url": "https://kobo.example.org",
            "asset_uid": "aSynthetic123",
            "token": "t",
            "mode": "check",
        },
    )
    job = _job_of(r)
    assert "t" not in json.dumps(job.params.get("token", ""))  # the token waits encrypted
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "kobo_network"
    page = client.get(r["Location"]).content.decode()
    assert job.error_message and Case.objects.count() == 0
    assert 'role="alert"' in page
    assert (
        client.post(
            reverse("imports:kobo"),
            {"server_url": "https://evil.example", "asset_uid": "a", "token": "t", "mode": "check"},
        ).status_code
        == 400
    )


# --------------------------------------------------------------------------- CLI


@pytest.mark.django_db(transaction=True)
def test_cli_exit_codes(tmp_path: Path, users_a: dict[str, Any], capsys: Any) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(["full_name", "birth_date"], [["Sintetis", "32-01-2000"]]))
    assert main(["import", str(bad), "--format", "lentera", "--as", "a_caseworker"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:2: birth_date:" in err
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv(LENTERA_HEADER, LENTERA_ROWS))
    assert (
        main(["import", str(good), "--format", "lentera", "--as", "a_caseworker", "--dry-run"]) == 0
    )
    assert Case.objects.count() == 0
    assert main(["import", str(good), "--format", "lentera", "--as", "a_caseworker"]) == 0
    assert Case.objects.count() == 2
    assert main(["import", str(good), "--format", "lentera", "--as", "nobody"]) == 3
    assert main(["import", str(good), "--format", "lentera", "--as", "a_analyst"]) == 4
    assert main(["import", "--format", "lentera", "--as", "a_caseworker"]) == 2
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["import", str(empty), "--format", "kobo", "--as", "a_caseworker"]) == 2
    out = tmp_path / "intake.xlsx"
    assert main(["intake", "xlsform", "--out", str(out), "--check"]) == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.django_db(transaction=True)
def test_cli_kobo_api(tmp_path: Path, users_a: dict[str, Any], monkeypatch: Any) -> None:
    """`lentera import --kobo-url …` follows the recorded pages; a second run adds nothing."""
    pages = {
        "https://kobo.example.org/api/v2/assets/aSynthetic123/data/?format=json": "kobo_page1.json",
        "https://kobo.example.org/api/v2/assets/aSynthetic123/data/?format=json&limit=2&start=2": (
            "kobo_page2.json"
        ),
    }

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        return 200, (FIXTURES / pages[url]).read_bytes()

    monkeypatch.setattr("lentera.intake.kobo.urllib_fetch", fetch)
    token = tmp_path / "token"
    token.write_text("synthetic-token\n")
    argv = [
        "import",
        "--format",
        "kobo",
        "--kobo-url",
        "https://kobo.example.org",
        "--kobo-asset",
        "aSynthetic123",
        "--kobo-token-file",
        str(token),
        "--as",
        "a_caseworker",
    ]
    assert main(argv) == 0 and Case.objects.count() == 3
    assert main(argv) == 0 and Case.objects.count() == 3
    monkeypatch.setattr("lentera.intake.kobo.urllib_fetch", lambda u, h: (401, b""))
    assert main(argv) == 4
    assert main([*argv[:2], "lentera", *argv[3:]]) == 2  # the API needs --format kobo


def test_a_refusal_by_the_case_services_is_reported_on_its_row(
    worker_a: Any, monkeypatch: Any
) -> None:
    """If a case service refuses a row the checks passed, all-mode writes nothing and
    valid-only skips just that case; the report names the row and column."""
    from lentera.web.cases.services import bulk

    real = bulk.event_build  # the check of a journey step that event_add runs too

    def picky(*, case: Any, **fields: Any) -> Any:
        if fields.get("country") == "MY":
            raise LenteraError("invalid_field", "country: refused (test)", field="country")
        return real(case=case, **fields)

    monkeypatch.setattr(bulk, "event_build", picky)
    rows = [r[:] for r in LENTERA_ROWS]
    content = to_csv(LENTERA_HEADER, rows)
    before = counts()
    out = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.csv", content=content, mode="all"
    )
    assert not out.written and counts() == before
    (p,) = [p for p in out.problems("en") if p["code"] == "write_failed"]
    assert p["row"] == 2 and "refused (test)" in p["message"]
    out = services.import_file(
        actor=worker_a, fmt="lentera", filename="t.csv", content=content, mode="valid_only"
    )
    assert out.written and out.cases_created == 1  # K2 only; K1 refused as a whole
    assert Case.objects.count() == before["Case"] + 1


def test_kobo_api_refuses_servers_not_allowed(worker_a: Any) -> None:
    """The server fetches the URL, so only the configured KoboToolbox hosts are reachable."""

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        raise AssertionError("no request may be made")

    for url in (
        "http://127.0.0.1:5432",
        "https://192.168.1.10",
        "https://kobo.example.org.evil.net",
    ):
        with pytest.raises(LenteraError) as exc:
            services.import_kobo_api(
                actor=worker_a, server_url=url, asset_uid="aSynthetic123", token="t", fetch=fetch
            )
        assert exc.value.code == "kobo_host"


def test_import_warns_of_likely_duplicates_by_name_without_nik(
    worker_a: Any, build_case: Any
) -> None:
    """Old spelling, no NIK, phone in another format: the linkage model still finds the survivor."""
    build_case(worker_a, name="Soerjani binti Darmo", nik="")
    row = LENTERA_ROWS[0][:]
    row[4], row[5], row[6], row[10] = "Suryani Darmo", "", "07-08-1999", "+62 812-3456-7890"
    outcome = services.import_file(
        actor=worker_a, fmt="lentera", filename="d.csv", content=to_csv(LENTERA_HEADER, [row]),
        mode="check",
    )  # fmt: skip
    dupes = [p for p in outcome.problems("en") if p["code"] == "possible_duplicate"]
    assert dupes and dupes[0]["column"] == "full_name" and dupes[0]["severity"] == "warning"
