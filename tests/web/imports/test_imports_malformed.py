"""Hundreds of malformed import files, generated here: each gets a report naming the row and
column (or the file-level fault) and writes nothing to the case store.

All people and numbers are synthetic.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

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
from lentera.web.imports.models import ImportedSubmission

MODELS = (Case, Person, CaseSurvivor, Perpetrator, TraffickingEvent, Consent, CaseNote)
FILE_LEVEL = {
    "file_empty",
    "file_too_large",
    "file_type",
    "encoding",
    "encoding_utf16",
    "binary",
    "csv_malformed",
    "xlsx_unreadable",
    "json_unreadable",
    "json_shape",
    "no_rows",
    "too_many_rows",
}


@dataclass(frozen=True)
class Bad:
    """A malformed file and where its report must point."""

    label: str
    filename: str
    content: bytes
    fmt: str = "lentera"
    row: int | None = None  # expected row of an error (None: do not check)
    column: str | None = None  # expected column of an error
    code: str | None = None  # expected code of an error


HEADER = [
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "origin_province",
    "origin_regency",
    "exploitation_types",
    "means_of_control",
    "opened_on",
    "perpetrator_name",
    "recruitment_country",
    "recruitment_region",
    "estimated_age",
    "consent_services",
    "phone",
    "summary",
]
GOOD = {
    "full_name": "Sintia Contoh",
    "nik": "5301054708990003",
    "birth_date": "07-08-1999",
    "sex": "female",
    "origin_province": "53",
    "origin_regency": "5301",
    "exploitation_types": "forced_labour",
    "means_of_control": "false_promises",
    "opened_on": "2025-03-01",
    "perpetrator_name": "Calo Rekaan",
    "recruitment_country": "ID",
    "recruitment_region": "5301",
    "estimated_age": "",
    "consent_services": "ya",
    "phone": "081234567890",
    "summary": "Ringkasan sintetis.",
}
GOOD2 = {**GOOD, "full_name": "Rina Sintetis", "nik": "", "birth_date": "1 Mei 2000"}


def csv_bytes(rows: list[dict[str, str]], header: list[str] = HEADER, bom: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def with_cell(column: str, value: str, *, second_row: bool = True) -> bytes:
    """A valid first row, and a second row whose ``column`` holds ``value`` (row 3)."""
    rows = [GOOD, {**GOOD2, column: value}] if second_row else [{**GOOD, column: value}]
    return csv_bytes(rows)


def gen_encodings() -> Iterator[Bad]:
    words = ["José", "Müller", "Señora", "Fréd", "Dürr", "Çiçek", "Ångström", "naïve"]
    for i, w in enumerate(words):
        text = csv_bytes([GOOD, {**GOOD2, "full_name": w}]).decode()
        yield Bad(f"latin1-{i}", "a.csv", text.encode("latin-1", "replace"), code="encoding", row=3)
    for i, w in enumerate(["“kutip”", "–", "€100", "…"]):
        text = csv_bytes([GOOD, {**GOOD2, "summary": w}]).decode()
        yield Bad(f"cp1252-{i}", "a.csv", text.encode("cp1252"), code="encoding", row=3)
    text = csv_bytes([GOOD]).decode()
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        data = text.encode(codec)
        if codec in ("utf-16-le", "utf-16-be"):
            data = (b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff") + data
        yield Bad(f"{codec}", "a.csv", data)
    yield Bad(
        "shift-jis",
        "a.csv",
        csv_bytes([{**GOOD, "full_name": "山田"}]).decode().encode("shift_jis"),
        code="encoding",
    )
    yield Bad(
        "latin1-header", "a.csv", "full_name,naïve\nA,b\n".encode("latin-1"), code="encoding", row=1
    )


def gen_boms() -> Iterator[Bad]:
    yield Bad("bom-only", "a.csv", b"\xef\xbb\xbf", code="file_empty")
    yield Bad("bom-header-only", "a.csv", "\ufefffull_name,nik\n".encode(), code="no_rows")
    yield Bad(
        "double-bom",
        "a.csv",
        ("\ufeff" + csv_bytes([GOOD], bom=True).decode()).encode(),
        row=1,
        code="unknown_column",
    )
    yield Bad(
        "bom-bad-nik",
        "a.csv",
        csv_bytes([{**GOOD, "nik": "12"}], bom=True),
        row=2,
        column="nik",
        code="nik_format",
    )
    yield Bad(
        "bom-missing-col",
        "a.csv",
        csv_bytes([GOOD], header=["nik", "sex"], bom=True),
        row=1,
        column="full_name",
        code="missing_column",
    )
    yield Bad("bom-xlsx-json", "a.json", b"\xef\xbb\xbf[1, 2]", fmt="kobo", code="json_shape")


def gen_columns() -> Iterator[Bad]:
    for i, drop in enumerate(HEADER[:1]):
        yield Bad(
            f"missing-{i}",
            "a.csv",
            csv_bytes([GOOD], header=[h for h in HEADER if h != drop]),
            row=1,
            column=drop,
            code="missing_column",
        )
    for i, typo in enumerate(
        [
            "ful_name",
            "NIK number",
            "tanggal",
            "sexx",
            "province",
            "regency",
            "exploitation",
            "x",
            "nama",
            "umur",
        ]
    ):
        header = [*HEADER, typo]
        yield Bad(
            f"unknown-{i}",
            "a.csv",
            csv_bytes([GOOD], header=header),
            row=1,
            column=typo,
            code="unknown_column",
        )
    for i, dup in enumerate(["full_name", "nik", "sex", "birth_date", "phone"]):
        yield Bad(
            f"dup-col-{i}",
            "a.csv",
            csv_bytes([GOOD], header=[*HEADER, dup]),
            row=1,
            column=dup,
            code="duplicate_column",
        )
    yield Bad(
        "htcds-no-name",
        "h.csv",
        b"prs_Birthdate,prs_Gender\n1999-01-01,Feminine\n",
        fmt="htcds",
        row=1,
        column="prs_firstname",
        code="missing_column",
    )
    yield Bad(
        "htcds-dup",
        "h.csv",
        b"prs_FirstName,prs_FirstName\nA,B\n",
        fmt="htcds",
        row=1,
        column="prs_FirstName",
        code="duplicate_column",
    )
    yield Bad(
        "kobo-no-uuid",
        "k.csv",
        b"survivor/full_name,_id\nA,1\n",
        fmt="kobo",
        row=1,
        column="_uuid",
        code="missing_column",
    )
    yield Bad(
        "kobo-no-name",
        "k.csv",
        b"survivor/nik,_uuid\n,u1\n",
        fmt="kobo",
        row=1,
        column="full_name",
        code="missing_column",
    )
    yield Bad(
        "extra-cells", "a.csv", b"full_name,nik\nSintetis,,surplus\n", row=2, code="extra_cells"
    )


BAD_DATES = [
    "32-01-2000",
    "31-02-1999",
    "00-00-0000",
    "2000-13-01",
    "kemarin",
    "17 Agustos 1990",
    "1/2/3/4",
    "99999",
    "31 Juni 2001",
    "12.13.2001",
    "1850",
    "2999-01-01",
    "today",
    "12-2050",
]


def gen_dates() -> Iterator[Bad]:
    for column in ("birth_date", "opened_on"):
        for i, value in enumerate(BAD_DATES):
            yield Bad(f"date-{column}-{i}", "a.csv", with_cell(column, value), row=3, column=column)
    header = ["full_name", "offence_date", "recruitment_date"]
    for i, value in enumerate(BAD_DATES[:6]):
        yield Bad(
            f"date-offence-{i}",
            "a.csv",
            csv_bytes([{"full_name": "A", "offence_date": value}], header=header),
            row=2,
            column="offence_date",
        )


BAD_NIKS = [
    "123",
    "53010547089900031",
    "53010547O8990003",
    "5301053208990003",
    "5301054713990003",
    "5301054708990000",
    "0001054708990003",
    "abcdefghijklmnop",
    "5301 0547 0899 000",
    "5301054708990003x",
    "-",
    "5301059908990003",
]


def gen_niks() -> Iterator[Bad]:
    for i, nik in enumerate(BAD_NIKS):
        yield Bad(f"nik-{i}", "a.csv", with_cell("nik", nik), row=3, column="nik")
    yield Bad(
        "nik-dup",
        "a.csv",
        csv_bytes([GOOD, {**GOOD2, "nik": GOOD["nik"]}]),
        row=3,
        column="nik",
        code="duplicate_nik",
    )


def gen_codes() -> Iterator[Bad]:
    cases = [
        ("sex", "P"),
        ("sex", "F M"),
        ("exploitation_types", "forced_labor"),
        ("exploitation_types", "forced_labour;kerja"),
        ("means_of_control", "debt"),
        ("means_of_control", "false_promises, 42"),
        ("origin_province", "99"),
        ("origin_province", "Jawa Tengah Utara"),
        ("origin_regency", "9999"),
        ("origin_regency", "Kota Atlantis"),
        ("origin_regency", "3171"),
        ("recruitment_country", "XX"),
        ("recruitment_country", "Malaysiaa"),
        ("recruitment_region", "77"),
        ("estimated_age", "tiga puluh"),
        ("estimated_age", "130"),
        ("estimated_age", "12.5"),
        ("consent_services", "mungkin"),
        ("consent_services", "2"),
        ("phone", "12"),
        ("phone", "abc"),
    ]
    for i, (column, value) in enumerate(cases):
        yield Bad(f"code-{column}-{i}", "a.csv", with_cell(column, value), row=3, column=column)
    header = ["full_name", "recruitment_country", "recruitment_region"]
    yield Bad(
        "region-outside-id",
        "a.csv",
        csv_bytes(
            [{"full_name": "A", "recruitment_country": "MY", "recruitment_region": "5301"}],
            header=header,
        ),
        row=2,
        column="recruitment_region",
        code="region_outside_id",
    )
    yield Bad(
        "htcds-status",
        "h.csv",
        b"prs_FirstName,vic_TraffickingStatus\nA,MaybeVictim\n",
        fmt="htcds",
        row=2,
        column="vic_TraffickingStatus",
        code="code_unknown",
    )
    yield Bad(
        "htcds-sector",
        "h.csv",
        b"prs_FirstName,vic_ForcedLabourIndustry\nA,Z_Nothing\n",
        fmt="htcds",
        row=2,
        column="vic_ForcedLabourIndustry",
        code="code_unknown",
    )
    yield Bad(
        "htcds-event-no-stage",
        "h.csv",
        b"prs_FirstName,hte_Date\nA,2024-01-01\n",
        fmt="htcds",
        row=2,
        code="event_stage_missing",
    )
    yield Bad(
        "kobo-option-bad",
        "k.csv",
        b"survivor/full_name,_uuid,exploitation/means_of_control/threats\nA,u1,maybe\n",
        fmt="kobo",
        row=2,
        column="exploitation/means_of_control/threats",
        code="yes_no",
    )


FORMULAS = [
    '=HYPERLINK("http://example.invalid/x","klik")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "=1+1",
    " =IMPORTXML(A1)",
    "+A1",
    "-A1",
    '=WEBSERVICE("x")',
    "@A1",
]


def gen_formulas() -> Iterator[Bad]:
    columns = ["full_name", "summary", "perpetrator_name", "sex", "nik"]
    n = 0
    for value in FORMULAS:
        for column in columns[: 2 if n > 10 else len(columns)]:
            yield Bad(
                f"formula-{n}",
                "a.csv",
                with_cell(column, value),
                row=3,
                column=column,
                code="formula",
            )
            n += 1
    for i, value in enumerate(FORMULAS[:4]):
        yield Bad(
            f"formula-xlsx-{i}",
            "a.xlsx",
            xlsx_bytes([["full_name", "summary"], ["A", value]]),
            row=2,
            column="summary",
            code="formula",
        )


def gen_huge() -> Iterator[Bad]:
    for i, (column, size) in enumerate(
        [
            ("full_name", 201),
            ("full_name", 5000),
            ("summary", 4001),
            ("perpetrator_name", 300),
            ("phone", 3000),
            ("nik", 2001),
        ]
    ):
        yield Bad(
            f"huge-{i}",
            "a.csv",
            with_cell(column, "x" * size),
            row=3,
            column=column,
            code="cell_too_long",
        )
    yield Bad(
        "huge-csv-limit", "a.csv", with_cell("summary", "y" * 1_100_000), code="csv_malformed"
    )
    yield Bad("too-large", "a.csv", b"full_name\n" + b"A\n" * 6_000_000, code="file_too_large")
    yield Bad(
        "control-chars",
        "a.csv",
        with_cell("full_name", "Sin\x07tia"),
        row=3,
        column="full_name",
        code="control_chars",
    )
    yield Bad(
        "huge-xlsx",
        "a.xlsx",
        xlsx_bytes([["full_name"], ["z" * 300]]),
        row=2,
        column="full_name",
        code="cell_too_long",
    )


def gen_empty() -> Iterator[Bad]:
    for i, data in enumerate([b"", b"\n", b"\n\n\n", b" , , \n", b"\r\n\r\n"]):
        yield Bad(f"empty-{i}", "a.csv", data)
    yield Bad("header-only", "a.csv", b"full_name,nik\n", code="no_rows", row=1)
    yield Bad("header-blank-rows", "a.csv", b"full_name,nik\n,\n,\n", code="no_rows")
    yield Bad("empty-xlsx", "a.xlsx", xlsx_bytes([]), code="file_empty")
    yield Bad("empty-json", "a.json", b"[]", fmt="kobo", code="no_rows")
    yield Bad(
        "empty-required",
        "a.csv",
        b"full_name,nik\n,5301054708990003\n",
        row=2,
        column="full_name",
        code="required",
    )


def gen_duplicates() -> Iterator[Bad]:
    for i in range(4):
        rows = [GOOD2] * (i + 2)
        yield Bad(f"dup-row-{i}", "a.csv", csv_bytes(rows), row=3, code="duplicate_row")
    for i in range(4):
        lines = ["survivor/full_name,_uuid"] + [f"P{j},same-uuid-{i}" for j in range(i + 2)]
        yield Bad(
            f"dup-uuid-{i}",
            "k.csv",
            ("\n".join(lines) + "\n").encode(),
            fmt="kobo",
            row=3,
            column="_uuid",
            code="duplicate_uuid",
        )
    yield Bad(
        "missing-uuid",
        "k.csv",
        b"survivor/full_name,_uuid\nA,\n",
        fmt="kobo",
        row=2,
        column="_uuid",
        code="uuid_missing",
    )
    subs = [
        {"_uuid": "u-1", "survivor/full_name": "A"},
        {"_uuid": "u-1", "survivor/full_name": "B"},
    ]
    yield Bad(
        "dup-uuid-json",
        "k.json",
        json.dumps(subs).encode(),
        fmt="kobo",
        row=3,
        code="duplicate_uuid",
    )


def gen_truncated_xlsx() -> Iterator[Bad]:
    good = xlsx_bytes([HEADER, [GOOD[h] for h in HEADER]])
    for i, cut in enumerate(
        [2, 10, 30, 100, 500, 1000, len(good) // 2, len(good) - 200, len(good) - 22, len(good) - 1]
    ):
        yield Bad(f"trunc-xlsx-{i}", "a.xlsx", good[:cut], code="xlsx_unreadable")
    yield Bad("xlsx-is-csv", "a.xlsx", csv_bytes([GOOD]), code="xlsx_unreadable")
    yield Bad("xlsx-empty-zip", "a.xlsx", b"PK\x05\x06" + b"\x00" * 18, code="xlsx_unreadable")
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    yield Bad("xlsx-wrong-zip", "a.xlsx", buf.getvalue(), code="xlsx_unreadable")


def gen_garbage() -> Iterator[Bad]:
    rng = random.Random(20251126)
    for i in range(12):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(50, 3000)))
        ext = ("csv", "xlsx", "json")[i % 3]
        yield Bad(f"garbage-{i}", f"g.{ext}", data, fmt="kobo" if ext == "json" else "lentera")
    for i, ext in enumerate(["xls", "pdf", "docx", "txtx", ""]):
        yield Bad(f"type-{i}", f"a.{ext}" if ext else "a", csv_bytes([GOOD]), code="file_type")
    yield Bad("nul-in-csv", "a.csv", csv_bytes([GOOD]) + b"A\x00B,\n", code="binary", row=3)
    yield Bad("unclosed-quote", "a.csv", b'full_name,nik\n"Sintetis,1\n', code="csv_malformed")


def gen_json() -> Iterator[Bad]:
    for i, data in enumerate(
        [
            b"{",
            b'[{"_uuid": "a", ',
            b"42",
            b'"text"',
            b"[1, 2, 3]",
            b'{"results": 5}',
            b"null",
            b"[[]]",
        ]
    ):
        yield Bad(f"json-{i}", "k.json", data, fmt="kobo")
    yield Bad(
        "json-bad-nik",
        "k.json",
        json.dumps(
            {"results": [{"_uuid": "x", "survivor/full_name": "A", "survivor/nik": "1"}]}
        ).encode(),
        fmt="kobo",
        row=2,
        column="survivor/nik",
        code="nik_format",
    )
    yield Bad(
        "json-latin1",
        "k.json",
        '[{"_uuid": "x", "survivor/full_name": "José"}]'.encode("latin-1"),
        fmt="kobo",
        code="encoding",
    )


def gen_cross() -> Iterator[Bad]:
    yield Bad(
        "regency-province",
        "a.csv",
        with_cell("origin_regency", "3171"),
        row=3,
        column="origin_regency",
        code="regency_province_mismatch",
    )
    yield Bad(
        "regency-province-2",
        "a.csv",
        csv_bytes([{**GOOD, "origin_province": "31", "origin_regency": "5301"}]),
        row=2,
        column="origin_regency",
        code="regency_province_mismatch",
    )
    yield Bad(
        "future-opened",
        "a.csv",
        with_cell("opened_on", "2999-12-31"),
        row=3,
        column="opened_on",
        code="date_future",
    )


GENERATORS = {
    "encodings": gen_encodings,
    "boms": gen_boms,
    "columns": gen_columns,
    "dates": gen_dates,
    "niks": gen_niks,
    "codes": gen_codes,
    "formulas": gen_formulas,
    "huge": gen_huge,
    "empty": gen_empty,
    "duplicates": gen_duplicates,
    "truncated_xlsx": gen_truncated_xlsx,
    "garbage": gen_garbage,
    "json": gen_json,
    "cross": gen_cross,
}


def counts() -> dict[str, int]:
    out = {m.__name__: m.objects.count() for m in MODELS}
    out["ImportedSubmission"] = ImportedSubmission.objects.count()
    return out


def test_at_least_200_malformed_files() -> None:
    total = sum(len(list(g())) for g in GENERATORS.values())
    assert total >= 200, total


@pytest.mark.parametrize("category", sorted(GENERATORS))
def test_malformed_files_are_reported_and_write_nothing(
    category: str, worker_a: Any, build_case: Any
) -> None:
    build_case(worker_a)  # an existing case: counts must not move
    before = counts()
    for bad in GENERATORS[category]():
        outcome = services.import_file(
            actor=worker_a, fmt=bad.fmt, filename=bad.filename, content=bad.content, mode="all"
        )
        errors = [p for p in outcome.problems("en") if p["severity"] == "error"]
        where = f"{bad.label}: {errors}"
        assert errors, f"{bad.label}: no error reported"
        assert not outcome.written, where
        for p in errors:
            assert p["message"] and p["message"] != p["code"], where
            if p["code"] not in FILE_LEVEL:
                assert p["row"] is not None and p["row"] >= 1, where
        if bad.code is not None:
            assert any(p["code"] == bad.code for p in errors), where
        if bad.row is not None:
            assert any(p["row"] == bad.row for p in errors), where
        if bad.column is not None:
            assert any(p["column"].lower() == bad.column.lower() for p in errors), where
        # the report in Indonesian names the same places
        assert [p["row"] for p in outcome.problems("id")] == [
            p["row"] for p in outcome.problems("en")
        ]
        assert counts() == before, bad.label
