"""Importer fuzzing with the input classes of review finding 10 (issue 17): lone surrogates,
control characters, deeply nested JSON (KoboToolbox API payloads), huge numbers, formula
cells, wrong encodings, byte-order marks, empty and duplicate headers.

Every importer is fed them: the case import (``lentera.intake`` through
``imports.services.import_file``, CSV/XLSX/JSON, formats lentera and kobo), the KoboToolbox
API import (``import_submissions`` and ``import_kobo_api`` with a recorded fetch) and the
service-directory import (``referrals.directory.directory_import``). The properties:

- never an unhandled exception (a file-level fault is a report problem, or a
  ``LenteraError`` with a message, for the directory);
- a value that cannot be stored gives an error naming its row and column;
- when a file has an error, nothing is written.

All people and numbers are synthetic.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lentera.errors import LenteraError
from lentera.intake.reading import MAX_JSON_DEPTH
from lentera.web.cases.models import Case, CaseSurvivor, Person
from lentera.web.imports import services
from lentera.web.imports.models import ImportedSubmission
from lentera.web.referrals.directory import directory_import
from lentera.web.referrals.models import ServiceProvider

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: problems that concern the whole file (no row)
FILE_LEVEL = {
    "file_empty", "file_too_large", "file_type", "encoding", "encoding_utf16", "binary",
    "csv_malformed", "xlsx_unreadable", "json_unreadable", "json_shape", "no_rows",
    "too_many_rows", "json_too_deep", "number_too_large",
}  # fmt: skip

HEADER = ["full_name", "nik", "sex", "origin_province", "opened_on", "summary",
          "perpetrator_name", "estimated_age", "exploitation_types", "consent_services"]  # fmt: skip
GOOD = {
    "full_name": "Sintia Contoh", "nik": "5301054708990003", "sex": "female",
    "origin_province": "53", "opened_on": "2025-03-01", "summary": "Ringkasan sintetis.",
    "perpetrator_name": "Calo Rekaan", "estimated_age": "", "exploitation_types": "forced_labour",
    "consent_services": "ya",
}  # fmt: skip
TEXT_COLUMNS = ["full_name", "summary", "perpetrator_name"]
NUMBER_COLUMNS = ["nik", "estimated_age", "origin_province", "opened_on"]

# --------------------------------------------------------------------------- input classes

LONE_SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
CONTROL = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
)
PLAIN = st.text(alphabet="abcdefghij KLMNO", min_size=1, max_size=12)


def _inside(bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``bad`` somewhere inside ordinary text."""
    return st.tuples(PLAIN, bad, PLAIN).map("".join)


FORMULA = st.tuples(
    st.sampled_from(["=", "@", "+A", "-A", "=cmd|' /C calc'!", "=HYPERLINK(", "\t=", "\r="]),
    PLAIN,
).map("".join)
HUGE_NUMBER = st.one_of(
    st.integers(min_value=10**25, max_value=10**4000).map(str),
    st.integers(min_value=10**25, max_value=10**300).map(lambda n: f"-{n}"),
    st.sampled_from(["1e400", "-1e400", "inf", "-inf", "nan", "NaN", "Infinity", "1e-400"]),
)
#: a cell value that must be refused in a text column
BAD_TEXT = st.one_of(_inside(LONE_SURROGATE), _inside(CONTROL), FORMULA)


def _csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return buf.getvalue()


def _encode(text: str) -> bytes:
    """UTF-8, keeping lone surrogates as the (invalid) bytes a broken exporter would write."""
    return text.encode("utf-8", "surrogatepass")


def _counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "persons": Person.objects.count(),
        "links": CaseSurvivor.objects.count(),
        "submissions": ImportedSubmission.objects.count(),
        "providers": ServiceProvider.objects.count(),
    }


def _check(outcome: Any, before: dict[str, int], *, must_fail: bool, label: str) -> None:
    errors = [p for p in outcome.problems("en") if p["severity"] == "error"]
    for p in errors:
        assert p["message"] and p["message"] != p["code"], (label, p)
        if p["code"] not in FILE_LEVEL:
            assert p["row"] is not None and p["row"] >= 1, (label, p)
    if must_fail:
        assert errors, f"{label}: accepted"
    if errors:
        assert not outcome.written, (label, errors)
        assert _counts() == before, (label, errors)
    outcome.problems("id")  # the Indonesian report renders too


def _import(actor: Any, filename: str, content: bytes, fmt: str = "lentera") -> Any:
    return services.import_file(
        actor=actor, fmt=fmt, filename=filename, content=content, mode="all"
    )


# --------------------------------------------------------------------------- case import, CSV


@FUZZ
@given(column=st.sampled_from(TEXT_COLUMNS), value=BAD_TEXT, bom=st.booleans())
# found by the fuzzer: a control character at a cell's edge was trimmed away as white space
@example(column=TEXT_COLUMNS[0], value="K\x0b ", bom=False)
@example(column=TEXT_COLUMNS[0], value="\x0cK", bom=False)
def test_csv_text_cells(worker_a: Any, column: str, value: str, bom: bool) -> None:
    before = _counts()
    text = ("\ufeff" if bom else "") + _csv([{**GOOD, column: value}])
    outcome = _import(worker_a, "a.csv", _encode(text))
    _check(outcome, before, must_fail=True, label=repr(value))
    problems = outcome.problems("en")
    # a cell fault names row 2 and the column; bytes no CSV may hold (invalid UTF-8 of a
    # lone surrogate, NUL, a bare CR inside a cell) are named as a fault of the file's line
    assert any(p["row"] == 2 and p["column"] == column for p in problems) or any(
        p["code"] in {"encoding", "binary", "csv_malformed"} and p["row"] for p in problems
    ), problems


@FUZZ
@given(column=st.sampled_from(NUMBER_COLUMNS), value=HUGE_NUMBER)
def test_csv_huge_numbers(worker_a: Any, column: str, value: str) -> None:
    before = _counts()
    outcome = _import(worker_a, "a.csv", _encode(_csv([{**GOOD, column: value}])))
    _check(outcome, before, must_fail=column != "estimated_age" or "e-" not in value, label=value)
    errors = [p for p in outcome.problems("en") if p["severity"] == "error"]
    if errors:
        assert any(p["row"] == 2 and p["column"] == column for p in errors), errors


@FUZZ
@given(
    encoding=st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]),
    name=st.sampled_from(["José", "Müller", "Çiçek", "Ångström", "Señora Año"]),
    bom=st.sampled_from(["", "\ufeff"]),
)
def test_csv_wrong_encodings_and_boms(worker_a: Any, encoding: str, name: str, bom: str) -> None:
    before = _counts()
    text = bom + _csv([{**GOOD, "full_name": name}])
    content = (
        text.encode(encoding) if encoding.startswith("utf") else text.encode(encoding, "ignore")
    )
    outcome = _import(worker_a, "a.csv", content)
    _check(outcome, before, must_fail=True, label=encoding)
    assert {p["code"] for p in outcome.problems("en")} & {"encoding", "encoding_utf16", "binary"}


@FUZZ
@given(boms=st.integers(1, 3), sep=st.sampled_from([",", ";"]))
def test_csv_one_or_more_boms(worker_a: Any, boms: int, sep: str) -> None:
    """One UTF-8 BOM is the "CSV UTF-8" Excel writes: accepted. More are never a crash."""
    before = _counts()
    text = "\ufeff" * boms + _csv([GOOD]).replace(",", sep)
    outcome = _import(worker_a, "a.csv", text.encode("utf-8"))
    _check(outcome, before, must_fail=False, label=f"{boms} BOMs")
    if boms == 1:
        assert outcome.ok, outcome.problems("en")


@FUZZ
@given(
    header=st.lists(
        st.one_of(st.sampled_from(HEADER), st.just(""), st.just(" "), st.just("\ufeff")),
        min_size=1,
        max_size=12,
    ),
    data=st.data(),
)
def test_csv_empty_and_duplicate_headers(worker_a: Any, header: list[str], data: Any) -> None:
    before = _counts()
    cells = data.draw(st.lists(PLAIN, min_size=len(header), max_size=len(header)))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerow(cells)
    outcome = _import(worker_a, "a.csv", buf.getvalue().encode("utf-8"))
    named = [h for h in header if h.strip().lstrip("\ufeff")]
    duplicated = len(named) != len(set(named))
    _check(outcome, before, must_fail=duplicated or not named, label=repr(header))


# --------------------------------------------------------------------------- case import, XLSX


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@FUZZ
@given(
    column=st.sampled_from(HEADER),
    value=st.one_of(
        FORMULA.filter(lambda v: v[0] not in "\t\r"),
        st.floats(min_value=1e16, max_value=1e308),
        st.floats(max_value=-1e16, min_value=-1e308),
        st.integers(min_value=10**17, max_value=10**18),
    ),
)
def test_xlsx_formulas_and_huge_numbers(worker_a: Any, column: str, value: Any) -> None:
    before = _counts()
    row = [value if h == column else GOOD[h] for h in HEADER]
    outcome = _import(worker_a, "a.xlsx", _xlsx([HEADER, row]))
    # a formula anywhere, a huge number in a coded, numeric or date column: refused (a number
    # typed as a name or a narrative is text, and stored as such)
    must_fail = isinstance(value, str) or column not in TEXT_COLUMNS
    _check(outcome, before, must_fail=must_fail, label=repr(value))
    if must_fail:
        errors = [p for p in outcome.problems("en") if p["severity"] == "error"]
        assert any(p["row"] == 2 and p["column"] == column for p in errors), errors


# --------------------------------------------------------------------------- KoboToolbox JSON

KOBO_GOOD = {
    "_id": 1001, "_uuid": "11111111-aaaa-4bbb-8ccc-000000000001",
    "_submission_time": "2025-01-10T08:15:00", "start": "2025-01-10T08:00:00.000+07:00",
    "survivor/full_name": "Sintia Contoh", "survivor/nik": "5301054708990003",
    "survivor/sex": "female", "survivor/origin_province": "53",
    "exploitation/exploitation_types": "forced_labour", "consent/consent_services": "yes",
}  # fmt: skip


@dataclass(frozen=True)
class Nest:
    """Groups in groups ``depth`` deep, built in the test (a short repr for hypothesis)."""

    depth: int

    def build(self) -> Any:
        value: Any = "x"
        for i in range(self.depth):
            value = {f"g{i % 3}": value} if i % 2 else [value]
        return value


def _value(value: Any) -> Any:
    return value.build() if isinstance(value, Nest) else value


KOBO_BAD = st.one_of(
    st.tuples(st.just("survivor/full_name"), BAD_TEXT),
    st.tuples(st.sampled_from(["survivor/nik", "survivor/origin_province"]), HUGE_NUMBER),
    st.tuples(
        st.sampled_from(["survivor/nik", "survivor/full_name", "survivor/birth_date"]),
        st.one_of(
            st.integers(min_value=10**25, max_value=10**4200),
            st.floats(allow_nan=True, allow_infinity=True).filter(
                lambda f: abs(f) > 1e20 or f != f
            ),
        ),
    ),
    st.tuples(st.just("survivor"), st.integers(MAX_JSON_DEPTH + 1, 600).map(Nest)),
    st.tuples(_inside(LONE_SURROGATE), st.just("x")),  # a key that cannot be stored
    st.tuples(_inside(CONTROL), st.just("x")),
)


def _kobo_bytes(submissions: list[dict[str, Any]]) -> bytes:
    """JSON as KoboToolbox would send it: lone surrogates as \\ud800 escapes."""
    return json.dumps({"results": submissions}, ensure_ascii=True, allow_nan=True).encode()


@FUZZ
@given(bad=KOBO_BAD)
def test_kobo_json_file(worker_a: Any, bad: tuple[str, Any]) -> None:
    key, value = bad
    before = _counts()
    content = (
        _kobo_bytes([{**KOBO_GOOD, key: _value(value)}])
        if not isinstance(value, int) or value < 10**4000
        else _kobo_bytes([KOBO_GOOD])[:-2] + b', "survivor/nik": ' + str(value).encode() + b"}]}"
    )
    outcome = _import(worker_a, "k.json", content, fmt="kobo")
    _check(outcome, before, must_fail=True, label=f"{key}={str(value)[:40]}")


@FUZZ
@given(bad=KOBO_BAD)
def test_kobo_api_submissions(worker_a: Any, bad: tuple[str, Any]) -> None:
    key, value = bad
    before = _counts()
    outcome = services.import_submissions(
        actor=worker_a, submissions=[{**KOBO_GOOD, key: _value(value)}], mode="all"
    )
    _check(outcome, before, must_fail=True, label=f"{key}={str(value)[:40]}")


@FUZZ
@given(
    payload=st.one_of(
        st.integers(1000, 100_000).map(lambda n: b'{"results": [' + b"[" * n + b"]" * n + b"]}"),
        st.integers(4301, 20_000).map(
            lambda n: b'{"results": [{"_uuid": "a", "n": ' + b"9" * n + b"}]}"
        ),
        st.just(b'{"results": [{"_uuid": "a", "survivor/full_name": "\\ud800"}]}'),
        st.just(b'{"results": [{"_uuid": "a", "survivor/full_name": "A\\u0001B"}]}'),
        st.just(b'\xef\xbb\xbf{"results": []}'),
        st.just('{"results": [{"survivor/full_name": "José"}]}'.encode("latin-1")),
    )
)
def test_kobo_api_fetch(worker_a: Any, payload: bytes) -> None:
    """The API answer itself (a recorded fetch): deep nesting, huge numbers, escapes, BOM,
    wrong encoding. A refusal is a ``LenteraError`` with a message, or a report error."""
    before = _counts()

    def fetch(url: str, headers: Any) -> tuple[int, bytes]:
        return 200, payload

    refused: LenteraError | None = None
    try:
        outcome = services.import_kobo_api(
            actor=worker_a, server_url="https://kobo.example.org/", asset_uid="aSynth",
            token="t", mode="all", fetch=fetch,
        )  # fmt: skip
    except LenteraError as exc:
        refused = exc
    if refused is not None:
        assert refused.message and refused.message != refused.code
        assert _counts() == before
        return
    _check(outcome, before, must_fail=True, label=payload[:60].decode(errors="replace"))


# --------------------------------------------------------------------------- service directory

DIR_HEADER = ["name", "institution_type", "services", "provinces", "phone", "notes"]
DIR_GOOD = {"name": "Rumah Aman Contoh", "institution_type": "ngo_shelter",
            "services": "shelter", "provinces": "53", "phone": "0380123456", "notes": "Buka."}  # fmt: skip


@pytest.fixture
def supervisor_a(users_a: dict[str, Any]) -> Any:
    return users_a["supervisor"]


def _directory(actor: Any, filename: str, content: bytes) -> tuple[Any, str]:
    try:
        return directory_import(actor=actor, filename=filename, content=content), ""
    except LenteraError as exc:
        refused = exc
    assert refused.message and refused.message != refused.code
    return None, refused.code


@FUZZ
@given(
    column=st.sampled_from(["name", "phone", "notes"]),
    value=st.one_of(BAD_TEXT, st.integers(131_073, 300_000).map(lambda n: "a" * n)),
)
# found by the fuzzer: DEL was refused by the case import and accepted by the directory's
@example(column="notes", value="iKfic\x7fiKfic")
def test_directory_text_cells(supervisor_a: Any, column: str, value: str) -> None:
    before = _counts()
    text = _csv([{**DIR_GOOD, column: value}], DIR_HEADER)
    report, code = _directory(supervisor_a, "d.csv", _encode(text))
    assert _counts() == before, (column, value[:40])
    if report is not None:
        assert report.problems and not report.written, value[:40]
        assert any(p.row == 2 and p.column == column for p in report.problems), report.problems
    else:
        assert code


@FUZZ
@given(
    encoding=st.sampled_from(["latin-1", "utf-16", "utf-32", "cp1252"]),
    boms=st.integers(0, 2),
    header=st.lists(st.sampled_from([*DIR_HEADER, "", " "]), min_size=1, max_size=8),
)
def test_directory_encodings_boms_and_headers(
    supervisor_a: Any, encoding: str, boms: int, header: list[str]
) -> None:
    before = _counts()
    wrong = "\ufeff" * boms if encoding.startswith("utf") else ""  # latin-1 has no BOM
    for content in (
        (wrong + _csv([{**DIR_GOOD, "name": "Señora Año"}], DIR_HEADER)).encode(encoding),
        ("\ufeff" * boms + _csv([DIR_GOOD], header)).encode("utf-8"),
    ):
        report, _code = _directory(supervisor_a, "d.csv", content)
        if report is not None and report.problems:
            assert not report.written
        if report is None or report.problems:
            assert _counts() == before
