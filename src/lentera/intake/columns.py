"""Checking an import, step 1: the columns — headers matched to the intake fields.

Each format's headers (``data/formats.yaml``) are matched to the intake fields: a field by
name or alias, a ``select_multiple`` option column (``group/field/option``), parts of a
composed field, the submission UUID and date. :class:`CodeLookup` resolves a code, label
or alias of the caller's vocabulary for the cells that follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lentera.intake.fields import FieldDef, FormatDef, Vocabulary, fields
from lentera.intake.models import Problem

__all__ = ["CodeLookup", "Column", "Columns", "key", "resolve_columns"]


def key(text: str) -> str:
    """Comparison key of a code, label or value name: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def _norm_header(header: str) -> str:
    return re.sub(r"\s+", "_", str(header or "").strip().lower())


class CodeLookup:
    """Code look-up for one format: codes, labels in both languages, and the format's aliases."""

    def __init__(self, vocab: Vocabulary, fmt: FormatDef) -> None:
        self.vocab = vocab
        self.fmt = fmt
        self._index: dict[str, dict[str, str]] = {}

    def index(self, name: str) -> dict[str, str]:
        if name not in self._index:
            entries = self.vocab.get(name)
            if entries is None:
                raise ValueError(f"the vocabulary has no list {name!r}")
            idx: dict[str, str] = {}
            for code, labels in entries.items():
                for text in (labels.get("en", ""), labels.get("id", "")):
                    if text:
                        idx.setdefault(key(text), code)
            for alias, code in self.fmt.aliases.get(name, {}).items():
                if code in entries:
                    idx[key(alias)] = code
            for code in entries:
                idx[key(code)] = code
            self._index[name] = idx
        return self._index[name]

    def resolve(self, name: str, value: str) -> str | None:
        pattern = self.fmt.value_patterns.get(name)
        if pattern and (m := re.match(pattern, value.strip())):
            value = m[1].upper()
        if value in self.vocab.get(name, {}):
            return value
        return self.index(name).get(key(value))


# --------------------------------------------------------------------------- columns


@dataclass
class Column:
    index: int
    header: str
    kind: str  # field | option | compose | uuid | submitted
    field: FieldDef | None = None
    option: str = ""


@dataclass
class Columns:
    columns: list[Column] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Column]:
        return [c for c in self.columns if c.kind == kind]


def _candidates(n: str) -> list[str]:
    out = [n]
    for sep in ("/", "-", ":", "."):
        if sep in n:
            out.append(n.rsplit(sep, 1)[1])
    return out


def resolve_columns(header: Sequence[str], fmt: FormatDef, vocab: CodeLookup) -> Columns:
    by_name = {f.name: f for f in fields()}
    compose_parts = {part: target for target, parts in fmt.compose.items() for part in parts}
    result = Columns()
    uuid_found: list[tuple[int, Column]] = []
    for i, raw in enumerate(header):
        n = _norm_header(raw)
        if not n:
            continue
        cands = _candidates(n)
        col: Column | None = None
        if fmt.uuid_columns and (hit := [c for c in cands if c in fmt.uuid_columns]):
            uuid_found.append((fmt.uuid_columns.index(hit[0]), Column(i, raw, "uuid")))
            continue
        if any(c in fmt.submitted_columns for c in cands):
            col = Column(i, raw, "submitted")
        elif n in fmt.ignore_columns or any(c in fmt.ignore_columns for c in cands[1:]):
            continue
        elif n in compose_parts:
            col = Column(i, raw, "compose", by_name[compose_parts[n]], option=n)
        else:
            target = next((fmt.columns[c] for c in cands if c in fmt.columns), None)
            if target is not None:
                col = Column(i, raw, "field", by_name[target])
            else:
                for sep in ("/", "-"):
                    parts = n.split(sep)
                    if len(parts) >= 2 and parts[-2] in fmt.columns:
                        f = by_name[fmt.columns[parts[-2]]]
                        if f.type == "select_multiple" and parts[-1] in vocab.vocab.get(
                            f.vocab, {}
                        ):
                            col = Column(i, raw, "option", f, option=parts[-1])
                            break
        if col is None:
            if fmt.name == "kobo" and n.startswith("_"):
                continue  # KoboToolbox metadata we do not use
            severity = "error" if fmt.unknown_columns == "error" else "warning"
            code = "unknown_column" if severity == "error" else "ignored_column"
            result.problems.append(Problem(row=1, column=raw, code=code, severity=severity))
            continue
        result.columns.append(col)
    if uuid_found:
        uuid_found.sort(key=lambda t: t[0])
        result.columns.append(uuid_found[0][1])
    # the same field twice
    seen: dict[tuple[str, str], Column] = {}
    for col in result.columns:
        ident = (
            (col.kind, col.field.name if col.field else "")
            if col.kind != "option"
            else ("option", f"{col.field.name if col.field else ''}/{col.option}")
        )
        if col.kind == "compose":
            ident = ("compose", col.option)
        if ident in seen:
            result.problems.append(Problem(row=1, column=col.header, code="duplicate_column"))
        else:
            seen[ident] = col
    present = {c.field.name for c in result.columns if c.field and c.kind in {"field", "compose"}}
    for name in fmt.required:
        if name not in present:
            shown = fmt.compose.get(name, (name,))[0]
            result.problems.append(
                Problem(row=1, column=shown, code="missing_column", params={"column": shown})
            )
    if fmt.uuid_columns and not uuid_found:
        result.problems.append(
            Problem(
                row=1,
                column=fmt.uuid_columns[0],
                code="missing_column",
                params={"column": fmt.uuid_columns[0]},
            )
        )
    return result
