"""Report templates: versioned YAML data files, validated with file and line in every error.

A template (format ``lentera-report-template/1``) names the figures and tables of a report;
every number comes from a metric of the analytics registry (``metrics.yaml``). Shipped
templates live in ``data/templates``; an organisation writes its own in the same format and
passes the file path. Layout::

    format: lentera-report-template/1
    id: my-report            # letters, digits, - and _
    version: 1               # raise when the content changes
    title: {id: ..., en: ...}
    description: {id: ..., en: ...}          # optional
    sources:                                 # optional: what the layout was modelled on
      - {title: ..., url: ..., verified: false, note: ...}
    sections:
      - id: survivors
        title: {id: ..., en: ...}
        text: {id: ..., en: ...}             # optional paragraph
        items:
          - metric: survivors                # no "by": one figure, compared with the
          - metric: survivors                #   previous period unless compare: false
            by: [sex, age_band]              # one or two dimensions: a table
            compare: true                    # tables: add the previous period's column
            title: {id: ..., en: ...}        # optional (default: the metric's title)
            filters: {sex: female}           # optional: sex, age_band, province,
                                             #   exploitation_type (a code or a list)
      - id: legal_stages
        title: {id: ..., en: ...}
        not_recorded: {id: ..., en: ...}     # a topic the warehouse does not hold (yet)

A template naming an unknown metric, a dimension the metric cannot be cut by, an unknown key
or code is refused with ``FILE:LINE: what is wrong``; all problems are listed at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lentera import reference
from lentera.analytics import metrics
from lentera.analytics.snapshot import codes
from lentera.errors import LenteraError

__all__ = [
    "FORMAT",
    "Item",
    "Section",
    "Template",
    "TemplateError",
    "load_template",
    "parse_template",
    "shipped_templates",
]

FORMAT = "lentera-report-template/1"
LANGS = ("id", "en")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_DIMS = 2
#: template filter → code list it takes (``province``: a BPS province code)
FILTERS = {"sex": "sex", "age_band": "age_band", "exploitation_type": "exploitation_type"}
FILTER_KEYS = (*FILTERS, "province")
TOP_KEYS = {"format", "id", "version", "title", "description", "sources", "sections"}
SECTION_KEYS = {"id", "title", "text", "items", "not_recorded"}
ITEM_KEYS = {"metric", "by", "compare", "title", "filters"}
SOURCE_KEYS = {"title", "url", "verified", "note"}


class TemplateError(LenteraError):
    """A template failed validation; ``errors`` holds every ``FILE:LINE: problem``."""

    def __init__(self, errors: Sequence[str]) -> None:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__("template_invalid", f"{errors[0]}{more}", params={"errors": list(errors)})
        self.errors = list(errors)


@dataclass(frozen=True)
class Item:
    """A figure (``by`` empty) or a table of one metric."""

    metric: str
    by: tuple[str, ...]
    compare: bool
    title: Mapping[str, str] | None
    filters: Mapping[str, tuple[str, ...]]
    line: int


@dataclass(frozen=True)
class Section:
    id: str
    title: Mapping[str, str]
    text: Mapping[str, str] | None
    items: tuple[Item, ...]
    not_recorded: Mapping[str, str] | None
    line: int


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: Mapping[str, str]
    description: Mapping[str, str] | None
    sections: tuple[Section, ...]
    sources: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    path: str = ""

    def metric_ids(self) -> list[str]:
        return sorted({i.metric for s in self.sections for i in s.items})


# --- YAML with line numbers -----------------------------------------------------------------


class _Checker:
    """Collects ``FILE:LINE: message`` problems while walking the composed YAML tree."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[str] = []
        self._scalar = SafeConstructor()

    def error(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(f"{self.path}:{line}: {message}")

    def scalar(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            return _NOT_SCALAR
        try:
            return self._scalar.construct_object(node)
        except ConstructorError:
            return _NOT_SCALAR

    def mapping(self, node: Node | None, where: str, allowed: set[str]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{where}: expected a mapping")
            return None
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.error(key_node, f"{where}: keys must be text")
                continue
            if key in out:
                self.error(key_node, f"{where}: key {key!r} appears twice")
                continue
            if key not in allowed:
                self.error(
                    key_node,
                    f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})",
                )
                continue
            out[key] = value_node
        return out

    def text(self, node: Node, where: str) -> str | None:
        value = self.scalar(node)
        if not isinstance(value, str) or not value.strip():
            self.error(node, f"{where}: expected non-empty text")
            return None
        return value

    def langs(self, node: Node | None, where: str) -> dict[str, str] | None:
        """A ``{id: ..., en: ...}`` pair; both languages are required."""
        fields = self.mapping(node, where, set(LANGS))
        if fields is None:
            return None
        out = {}
        for lang in LANGS:
            if lang not in fields:
                self.error(node, f"{where}: the {'Indonesian' if lang == 'id' else 'English'} "
                           f"text ({lang}) is missing")  # fmt: skip
                continue
            value = self.text(fields[lang], f"{where}.{lang}")
            if value is not None:
                out[lang] = value
        return out if len(out) == len(LANGS) else None

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{where}: expected a list")
            return None
        return list(node.value)


_NOT_SCALAR = object()


def _item(c: _Checker, node: Node, where: str) -> Item | None:
    fields = c.mapping(node, where, ITEM_KEYS)
    if fields is None:
        return None
    ok = True
    if "metric" not in fields:
        c.error(node, f"{where}: 'metric' is required")
        return None
    metric_id = c.scalar(fields["metric"])
    registry = metrics.registry()
    metric = registry.get(metric_id) if isinstance(metric_id, str) else None
    if metric is None:
        c.error(
            fields["metric"],
            f"{where}: unknown metric {metric_id!r} (metrics.yaml has: "
            f"{', '.join(m for m in registry if registry[m].kind != 'compare')})",
        )
        return None
    if metric.kind == "compare":
        c.error(fields["metric"], f"{where}: metric {metric_id!r} is a CTDC comparison, "
                "which report templates do not carry (use the evidence report)")  # fmt: skip
        return None
    by: list[str] = []
    if "by" in fields:
        nodes = c.sequence(fields["by"], f"{where}.by") or []
        if len(nodes) > MAX_DIMS:
            c.error(fields["by"], f"{where}.by: at most {MAX_DIMS} dimensions")
            ok = False
        for dim_node in nodes:
            dim = c.scalar(dim_node)
            if not isinstance(dim, str) or dim not in metric.dimensions:
                c.error(
                    dim_node,
                    f"{where}.by: metric {metric.id} cannot be cut by {dim!r} "
                    f"(allowed: {', '.join(metric.dimensions)})",
                )
                ok = False
            elif dim in by:
                c.error(dim_node, f"{where}.by: dimension {dim!r} is given twice")
                ok = False
            else:
                by.append(dim)
    compare = not by
    if "compare" in fields:
        value = c.scalar(fields["compare"])
        if not isinstance(value, bool):
            c.error(fields["compare"], f"{where}.compare: expected true or false")
            ok = False
        else:
            compare = value
    title = None
    if "title" in fields:
        title = c.langs(fields["title"], f"{where}.title")
        ok = ok and title is not None
    filters: dict[str, tuple[str, ...]] = {}
    if "filters" in fields:
        given = c.mapping(fields["filters"], f"{where}.filters", set(FILTER_KEYS))
        if given is None:
            ok = False
        for key, value_node in (given or {}).items():
            raw = c.scalar(value_node)
            values: list[Any]
            if isinstance(value_node, SequenceNode):
                values = [c.scalar(v) for v in value_node.value]
            else:
                values = [raw]
            allowed = (
                set(reference.provinces()) if key == "province" else set(codes()[FILTERS[key]])
            )
            bad = [v for v in values if not isinstance(v, str) or v not in allowed]
            if bad or not values:
                c.error(value_node, f"{where}.filters.{key}: {bad[0] if bad else 'nothing'!r} "
                        f"is not a {key} code")  # fmt: skip
                ok = False
            else:
                filters[key] = tuple(values)
    if compare and len(by) > 1:
        c.error(fields.get("compare", node), f"{where}: a comparison with the previous period "
                "needs a figure or a table of one dimension")  # fmt: skip
        ok = False
    if not ok:
        return None
    return Item(metric.id, tuple(by), compare, title, filters, node.start_mark.line + 1)


def _section(c: _Checker, node: Node, where: str, seen: set[str]) -> Section | None:
    if isinstance(node, MappingNode):  # name the section by its id in every message
        for key_node, value_node in node.value:
            value = c.scalar(value_node)
            if c.scalar(key_node) == "id" and isinstance(value, str):
                where = f"section {value!r}"
    fields = c.mapping(node, where, SECTION_KEYS)
    if fields is None:
        return None
    sid = c.scalar(fields["id"]) if "id" in fields else None
    if not isinstance(sid, str) or not ID_PATTERN.match(sid):
        c.error(fields.get("id", node), f"{where}: 'id' must be lower-case letters, digits, - or _")
        sid = None
    elif sid in seen:
        c.error(fields["id"], f"{where}: section id {sid!r} is used twice")
    else:
        seen.add(sid)
    title = c.langs(fields.get("title"), f"{where}.title") if "title" in fields else None
    if "title" not in fields:
        c.error(node, f"{where}: 'title' is required")
    text = c.langs(fields["text"], f"{where}.text") if "text" in fields else None
    has_items, has_gap = "items" in fields, "not_recorded" in fields
    if has_items == has_gap:
        c.error(node, f"{where}: give either 'items' or 'not_recorded'")
        return None
    items: list[Item] = []
    not_recorded = None
    if has_items:
        nodes = c.sequence(fields["items"], f"{where}.items")
        if nodes is not None and not nodes:
            c.error(fields["items"], f"{where}.items: the list is empty")
        for i, item_node in enumerate(nodes or [], 1):
            item = _item(c, item_node, f"{where} item {i}")
            if item is not None:
                items.append(item)
    else:
        not_recorded = c.langs(fields["not_recorded"], f"{where}.not_recorded")
    if sid is None or title is None:
        return None
    return Section(sid, title, text, tuple(items), not_recorded, node.start_mark.line + 1)


def parse_template(text: str, path: str = "<template>") -> Template:
    """Validate template text; raises :class:`TemplateError` listing every problem."""
    c = _Checker(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateError([f"{path}:{line}: not valid YAML: {problem}"]) from None
    if root is None:
        raise TemplateError([f"{path}:1: the template is empty"])
    top = c.mapping(root, "template", TOP_KEYS)
    if top is None:
        raise TemplateError(c.errors)
    for key in ("format", "id", "version", "title", "sections"):
        if key not in top:
            c.error(root, f"template: {key!r} is required")
    fmt = c.scalar(top["format"]) if "format" in top else None
    if "format" in top and fmt != FORMAT:
        c.error(top["format"], f"template: format must be {FORMAT!r}, not {fmt!r}")
    tid = c.scalar(top["id"]) if "id" in top else None
    if "id" in top and (not isinstance(tid, str) or not ID_PATTERN.match(tid)):
        c.error(top["id"], "template: 'id' must be lower-case letters, digits, - or _")
    version = c.scalar(top["version"]) if "version" in top else None
    if "version" in top and (
        not isinstance(version, int) or isinstance(version, bool) or version < 1
    ):
        c.error(top["version"], "template: 'version' must be a whole number from 1")
    title = c.langs(top["title"], "template.title") if "title" in top else None
    description = (
        c.langs(top["description"], "template.description") if "description" in top else None
    )
    sources: list[dict[str, Any]] = []
    for i, src_node in enumerate(
        (c.sequence(top["sources"], "template.sources") or []) if "sources" in top else [], 1
    ):
        fields = c.mapping(src_node, f"source {i}", SOURCE_KEYS)
        if fields is None:
            continue
        entry: dict[str, Any] = {}
        for key in ("title", "url", "note"):
            if key in fields:
                entry[key] = c.text(fields[key], f"source {i}.{key}")
        if "title" not in fields:
            c.error(src_node, f"source {i}: 'title' is required")
        verified = c.scalar(fields["verified"]) if "verified" in fields else None
        if not isinstance(verified, bool):
            c.error(fields.get("verified", src_node), f"source {i}: 'verified' must be true "
                    "or false (say whether the layout was checked against the form itself)")  # fmt: skip
        entry["verified"] = verified
        sources.append(entry)
    sections: list[Section] = []
    if "sections" in top:
        nodes = c.sequence(top["sections"], "template.sections")
        if nodes is not None and not nodes:
            c.error(top["sections"], "template.sections: the list is empty")
        seen: set[str] = set()
        for i, node in enumerate(nodes or [], 1):
            section = _section(c, node, f"section {i}", seen)
            if section is not None:
                sections.append(section)
    if c.errors:
        raise TemplateError(c.errors)
    assert isinstance(tid, str) and isinstance(version, int) and title is not None
    return Template(tid, version, title, description, tuple(sections), tuple(sources), path)


# --- files ----------------------------------------------------------------------------------


def _shipped_dir() -> Any:
    return resources.files("lentera.reports").joinpath("data/templates")


@cache
def shipped_templates() -> Mapping[str, Template]:
    """The templates shipped with Lentera, by id (validated; a broken one raises)."""
    out: dict[str, Template] = {}
    for entry in sorted(_shipped_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            template = parse_template(
                entry.read_text("utf-8"), f"lentera/reports/data/templates/{entry.name}"
            )
            out[template.id] = template
    return out


def load_template(name_or_path: str | Path) -> Template:
    """A shipped template by id, or a template file by path."""
    text = str(name_or_path)
    shipped = shipped_templates()
    if text in shipped:
        return shipped[text]
    path = Path(text)
    if not path.suffix and not path.exists():
        raise LenteraError(
            "unknown_template",
            f"no template {text!r} (shipped: {', '.join(sorted(shipped))}; "
            "or give the path of a .yaml template file)",
            kind="not_found",
            field="template",
        )
    try:
        content = path.read_text("utf-8")
    except FileNotFoundError:
        raise LenteraError(
            "unknown_template", f"template file {path} does not exist", kind="not_found"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LenteraError("template_unreadable", f"cannot read template {path}: {exc}") from exc
    return parse_template(content, str(path))
