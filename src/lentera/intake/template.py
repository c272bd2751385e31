"""Import templates: the Lentera layout (one column per intake field) and the HTCDS layout.

The .xlsx templates carry a sheet describing each column and a sheet of the
allowed codes with their labels in Bahasa Indonesia and English.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from lentera import csvsafe, reference
from lentera.csvsafe import neutralise
from lentera.intake.fields import Vocabulary, fields, formats

__all__ = [
    "HTCDS_COLUMNS",
    "LENTERA_COLUMNS",
    "neutralise",
    "rows_csv",
    "template_csv",
    "template_xlsx",
]

#: HTCDS v2.0 names as written in the standard, for the columns Lentera reads
HTCDS_COLUMNS = (
    "case_ref",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_MaritalStatus",
    "prs_NumberOfChildren",
    "prs_HighestLevelOfEducation",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingState",
    "vic_TraffickingStatus",
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "per_RoleInProcess",
    "cas_Status",
    "cco_CaseComment",
    "hte_Type",
    "hte_Date",
    "hte_Country",
    "hte_State",
    "hte_City",
    "hte_Description",
    "con_Consent",
)
LENTERA_COLUMNS = tuple(f.name for f in fields())


def rows_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV (UTF-8 with BOM, for spreadsheet programs) with every cell neutralised."""
    buf = io.StringIO()
    writer = csvsafe.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _columns(fmt: str) -> tuple[str, ...]:
    if fmt == "lentera":
        return LENTERA_COLUMNS
    if fmt == "htcds":
        return HTCDS_COLUMNS
    raise ValueError(f"no template for format {fmt!r}")


def template_csv(fmt: str) -> bytes:
    """An empty template: the header row only."""
    return rows_csv(_columns(fmt), [])


def _field_of_column(fmt: str, column: str) -> str:
    if fmt == "lentera":
        return column
    spec = formats()["htcds"]
    low = column.lower()
    for target, parts in spec.compose.items():
        if low in parts:
            return target
    return spec.columns.get(low, "")


def template_xlsx(fmt: str, vocab: Vocabulary) -> bytes:
    """The template workbook: the data sheet, a column guide and the allowed codes."""
    from openpyxl import Workbook

    by_name = {f.name: f for f in fields()}
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(list(_columns(fmt)))
    guide = book.create_sheet("kolom-columns")
    guide.append(["column", "field", "type", "required", "label (id)", "label (en)"])
    for column in _columns(fmt):
        f = by_name.get(_field_of_column(fmt, column))
        if f is None:
            continue
        guide.append(
            [
                column,
                f.name,
                f.type + (f" ({f.vocab})" if f.vocab else ""),
                "yes" if f.required else "",
                neutralise(f.label_id),
                neutralise(f.label_en),
            ]
        )
    codes = book.create_sheet("kode-codes")
    codes.append(["list", "code", "label (id)", "label (en)"])
    for name in sorted(vocab):
        for code, labels in vocab[name].items():
            codes.append(
                [name, code, neutralise(labels.get("id", "")), neutralise(labels.get("en", ""))]
            )
    for code, p in reference.provinces().items():
        codes.append(["province", code, p.name, p.name])
    for code, r in reference.regencies().items():
        codes.append(["regency", code, r.name, r.name])
    for c in reference.countries().values():
        codes.append(["country", c.alpha2, c.name_id, c.name_en])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
