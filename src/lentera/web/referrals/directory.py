"""Service-directory import and export (CSV or XLSX), validated row by row.

The template's columns are documented in docs/admin-guide.md. An import is
checked completely first; nothing is written unless every row is valid, or the
user explicitly asks to import only the valid rows. Rows are matched to existing
entries by name (an import updates them). Cells that look like spreadsheet
formulas are refused on import and neutralised on export.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lentera import csvsafe, reference
from lentera.csvsafe import FORMULA_RE
from lentera.csvsafe import neutralise as _safe
from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import require_supervisor
from lentera.web.core.input import XML_UNSAFE, xml_safe
from lentera.web.referrals import choices
from lentera.web.referrals.models import ServiceProvider
from lentera.web.referrals.services import (
    PROVIDER_CONTACT_FIELDS,
    provider_errors,
    provider_indexes,
)

COLUMNS = (
    "name",
    "institution_type",
    "services",
    "nationwide",
    "provinces",
    "regencies",
    *PROVIDER_CONTACT_FIELDS,
    "active",
)
REQUIRED = ("name", "institution_type", "services")
#: Indonesian column names accepted as well
ALIASES = {
    "nama": "name",
    "jenis_lembaga": "institution_type",
    "layanan": "services",
    "nasional": "nationwide",
    "provinsi": "provinces",
    "kabupaten_kota": "regencies",
    "alamat": "address",
    "telepon": "phone",
    "surel": "email",
    "situs_web": "website",
    "narahubung": "contact_person",
    "bahasa": "languages",
    "jam_layanan": "opening_hours",
    "catatan": "notes",
    "aktif": "active",
}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 2000
TRUE = {"1", "y", "ya", "yes", "true", "benar", "x"}
FALSE = {"", "0", "n", "no", "tidak", "false", "salah"}


@dataclass
class RowProblem:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    created: int = 0
    updated: int = 0
    written: bool = False
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;,\n]", value or "") if v.strip()]


def _read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by canonical column name; raise LenteraError on an unreadable file."""
    if not content:
        raise LenteraError("empty_file", _("The file is empty."))
    if len(content) > MAX_BYTES:
        raise LenteraError("file_too_large", _("The file is larger than 5 MB."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LenteraError(
                "encoding",
                _("The file is not UTF-8 text (byte %(pos)s). Save it as “CSV UTF-8”.")
                % {"pos": exc.start + 1},
            ) from exc
        if "\x00" in text:
            raise LenteraError("binary", _("The file is not a CSV text file."))
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            table = list(reader)
        except csv.Error as exc:  # e.g. a cell over the csv module's 131,072 characters
            raise LenteraError(
                "csv_malformed",
                _("The CSV cannot be read (line %(line)s).") % {"line": reader.line_num or 1},
            ) from exc
    else:
        raise LenteraError("file_type", _("Upload a .csv or .xlsx file."))
    table = [row for row in table if any(str(c).strip() for c in row)]
    if not table:
        raise LenteraError("empty_file", _("The file has no rows."))
    header = [ALIASES.get(h, h) for h in (_norm_header(c) for c in table[0])]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise LenteraError(
            "unknown_columns",
            _("Unknown column(s): %(cols)s. Use the template's columns.")
            % {"cols": ", ".join(unknown)},
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LenteraError(
            "missing_columns",
            _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)},
        )
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise LenteraError(
            "duplicate_columns", _("Column(s) given twice: %(cols)s.") % {"cols": ", ".join(dupes)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise LenteraError("too_many_rows", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    rows = []
    for raw in table[1:]:
        cells = [_cell(c) for c in raw]
        cells += [""] * (len(header) - len(cells))
        rows.append({h: cells[i] for i, h in enumerate(header) if h})
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _norm_header(value: Any) -> str:
    return re.sub(r"[\s\-/]+", "_", str(value or "").strip().lower())


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    # openpyxl is heavy and only an .xlsx upload needs it
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many types on a corrupt workbook
        raise LenteraError(
            "xlsx_unreadable", _("The file is not a readable .xlsx workbook.")
        ) from exc
    return rows


def _province_lookup() -> dict[str, str]:
    out = {}
    for code, p in reference.provinces().items():
        out[code] = code
        out[p.name.lower()] = code
    return out


def _row_to_provider(
    organisation_id: int, row: dict[str, str], rownum: int, problems: list[RowProblem]
) -> ServiceProvider | None:
    start = len(problems)

    def bad(column: str, value: str, message: str) -> None:
        problems.append(RowProblem(rownum, column, value[:80], message))

    for column, value in row.items():
        if len(value) > MAX_CELL:
            bad(column, value, _("The cell is longer than %(n)s characters.") % {"n": MAX_CELL})
        elif FORMULA_RE.match(value):
            bad(
                column,
                value,
                _("The cell looks like a spreadsheet formula; formulas are not accepted."),
            )
        elif XML_UNSAFE.search(value):  # control characters, lone surrogates (finding 10)
            bad(
                column,
                xml_safe(value),
                _("The cell contains a character that cannot be stored (code %(code)s).")
                % {"code": f"U+{ord(XML_UNSAFE.search(value).group()):04X}"},  # type: ignore[union-attr]
            )
    if len(problems) > start:
        return None
    kind = row.get("institution_type", "").strip().lower()
    if kind not in choices.InstitutionType.values:
        bad(
            "institution_type",
            kind,
            _("Unknown institution type. Use one of the template's codes."),
        )
    provinces, lookup = [], _province_lookup()
    for p in _split(row.get("provinces", "")):
        code = lookup.get(p.lower())
        if code is None:
            bad("provinces", p, _("Unknown province (use the BPS code or the province name)."))
        else:
            provinces.append(code)
    flag = {}
    for column in ("nationwide", "active"):
        value = row.get(column, "").strip().lower()
        if (column == "active" and value == "") or value in TRUE:
            flag[column] = True
        elif value in FALSE:
            flag[column] = False
        else:
            flag[column] = False
            bad(column, value, _("Write ya/yes or tidak/no."))
    provider = ServiceProvider(
        organisation_id=organisation_id,
        name=row.get("name", "").strip(),
        institution_type=kind,
        services=[s.lower() for s in _split(row.get("services", ""))],
        nationwide=flag["nationwide"],
        province_codes=provinces,
        regency_codes=_split(row.get("regencies", "")),
        address=row.get("address", "").strip(),
        phone=row.get("phone", "").strip(),
        email=row.get("email", "").strip(),
        website=row.get("website", "").strip(),
        contact_person=row.get("contact_person", "").strip(),
        languages=[v.lower() for v in _split(row.get("languages", ""))],
        opening_hours=row.get("opening_hours", "").strip(),
        notes=row.get("notes", "").strip(),
        is_active=flag["active"],
    )
    column_of = {"province_codes": "provinces", "regency_codes": "regencies", "is_active": "active"}
    for fname, messages in provider_errors(provider).items():
        if fname == "institution_type" and any(
            p.column == "institution_type" for p in problems[start:]
        ):
            continue
        column = column_of.get(fname, fname)
        for m in messages:
            bad(column, str(row.get(column, "")), m)
    return provider if len(problems) == start else None


def directory_import(
    *,
    actor: User,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    valid_only: bool = False,
    keep_existing: bool = False,
) -> ImportReport:
    """Validate a directory file; write it (all rows, or only the valid ones if asked). With
    ``keep_existing`` a row whose name is already in the directory leaves that entry as it is."""
    membership = require_supervisor(actor)
    rows = _read_rows(filename, content)
    report = ImportReport(rows=len(rows))
    seen: dict[str, int] = {}
    good: list[ServiceProvider] = []
    for i, row in enumerate(rows, start=2):
        name_key = row.get("name", "").strip().lower()
        if name_key and name_key in seen:
            report.problems.append(
                RowProblem(
                    i,
                    "name",
                    row["name"][:80],
                    _("The same name is already on row %(row)s.") % {"row": seen[name_key]},
                )
            )
            continue
        seen[name_key] = i
        provider = _row_to_provider(membership.organisation_id, row, i, report.problems)
        if provider is not None:
            good.append(provider)
    report.valid = len(good)
    if dry_run or (report.problems and not valid_only) or not good:
        return report
    with transaction.atomic():
        existing = {
            p.name.lower(): p
            for p in ServiceProvider.objects.select_for_update().filter(
                organisation_id=membership.organisation_id
            )
        }
        for provider in good:
            old = existing.get(provider.name.lower())
            if old is not None and keep_existing:
                continue
            if old is not None:
                provider.pk, provider.version = old.pk, old.version + 1
                provider.created_at = old.created_at
                provider.linked_organisation_id = old.linked_organisation_id
                provider.name = old.name
                report.updated += 1
            else:
                report.created += 1
            provider_indexes(provider)
            provider.save()
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="referrals.serviceprovider",
            object_id="import",
            detail={
                "directory_import": True,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "skipped_invalid": len({p.row for p in report.problems}),
            },
        )
    report.written = True
    return report


def _provider_row(p: ServiceProvider) -> list[str]:
    return [
        _safe(v)
        for v in (
            p.name,
            p.institution_type,
            ";".join(p.services),
            "ya" if p.nationwide else "tidak",
            ";".join(p.province_codes),
            ";".join(p.regency_codes),
            p.address,
            p.phone,
            p.email,
            p.website,
            p.contact_person,
            ";".join(p.languages),
            p.opening_hours,
            p.notes,
            "ya" if p.is_active else "tidak",
        )
    ]


def directory_csv(providers: list[ServiceProvider]) -> bytes:
    buf = io.StringIO()
    writer = csvsafe.writer(buf)
    writer.writerow(COLUMNS)
    for p in providers:
        writer.writerow(_provider_row(p))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The import template: an empty sheet with the columns, and a sheet of the allowed codes."""
    # openpyxl is heavy and only the template download needs it
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "direktori"
    sheet.append(list(COLUMNS))
    codes = book.create_sheet("kode")
    codes.append(["column", "code", "label"])
    for column, vocab in (
        ("institution_type", choices.InstitutionType),
        ("services", choices.ServiceType),
        ("languages", choices.Language),
    ):
        for value, label in vocab.choices:
            codes.append([column, value, _safe(str(label))])
    for code, p in reference.provinces().items():
        codes.append(["provinces", code, p.name])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
