"""The ``lentera link`` input CSV: reading it and checking the fields the engines would skip.

Header ``record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone``
(:data:`lentera.linkage.dedupe.INPUT_FIELDS`); any field but record_id may be empty. The
encodings written from these records are read back by :func:`lentera.linkage.pprl.read_encodings`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from lentera.errors import LenteraError
from lentera.linkage.dates import parse_date
from lentera.linkage.dedupe.features import INPUT_FIELDS

__all__ = ["check_link_record", "read_link_records"]


def read_link_records(path: Path) -> list[dict[str, str]]:
    """The rows of a ``lentera link`` input CSV (UTF-8, header exactly :data:`INPUT_FIELDS`).

    Values are stripped; :class:`LenteraError` names the file and line of a file that cannot
    be read, a wrong header, an empty or repeated record_id.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LenteraError(
            "not_utf8",
            f"{path} line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        ) from exc
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != list(INPUT_FIELDS):
        raise LenteraError(
            "bad_header",
            f"{path} line 1: the header must be exactly {','.join(INPUT_FIELDS)} (got {','.join(reader.fieldnames or [])})",
        )
    rows = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            raise LenteraError("missing_id", f"{path} line {line}: record_id is empty")
        if record_id in seen:
            raise LenteraError(
                "duplicate_id", f"{path} line {line}: record_id {record_id!r} appears twice"
            )
        seen.add(record_id)
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def check_link_record(path: Path, line: int, record: dict[str, str]) -> None:
    """Field checks that would otherwise fail silently: a birth date or sex we cannot read."""
    if record.get("birth_date"):
        try:
            parse_date(record["birth_date"])
        except LenteraError as exc:
            raise LenteraError(
                "bad_field", f"{path} line {line}: birth_date: {exc.message}"
            ) from exc
    sex = (record.get("sex") or "").lower()
    if sex and sex not in {
        "female",
        "male",
        "f",
        "m",
        "p",
        "l",
        "perempuan",
        "laki-laki",
        "wanita",
        "pria",
    }:
        raise LenteraError(
            "bad_field",
            f"{path} line {line}: sex: {record['sex']!r} (expected female/male, P/L or empty)",
        )
