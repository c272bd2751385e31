#!/usr/bin/env python3
"""Structural rules of the code base that ruff and import-linter cannot express (issue 19).

Three checks, each failing with ``path:line: CODE message`` (stdlib only, a second or two):

* ``S1`` — no ORM in web view and API endpoint modules (``lentera/web/*/views.py``,
  ``lentera/web/*/views/*.py``, ``lentera/web/api/*.py``, ``lentera/web/*/api.py``): no
  ``.objects``, no ``select_for_update``, no ``.save()`` / ``.delete()``, and no queryset call
  (``filter``, ``exclude``, ``select_related`` … on anything; ``get``, ``update``, ``create``,
  ``values`` … on a manager chain: ``X.objects…``, a reverse manager ``x.y_set``, or a chain
  through ``.all()``/``.filter()``). Views parse input, call a selector or a service, and render.
* ``S2`` — no mid-file import: a module-level ``import`` after the first statement that is not
  the docstring, an import, ``from __future__``, an ``if TYPE_CHECKING:`` block or a
  ``try: import … except ImportError`` block; and no ``# noqa: E402`` anywhere.
* ``S3`` — no ``.py`` file under ``src/lentera`` (migrations excepted) over 600 lines.

A line that must break a rule says why, on the line itself: ``# structure: allow <reason>``
(a reason is required). Usage: ``python tools/check_structure.py [ROOT]`` (default: the
repository this file lives in).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

MAX_LINES = 600

#: modules where views and API endpoints live (relative to ``src/``)
VIEW_PATTERNS = (
    "lentera/web/*/views.py",
    "lentera/web/*/views/*.py",
    "lentera/web/api/*.py",
    "lentera/web/*/api.py",
)

#: manager and queryset methods that read or write the database
QUERYSET_METHODS = frozenset(
    {
        "aggregate", "all", "annotate", "bulk_create", "bulk_update", "count", "create",
        "delete", "exclude", "exists", "filter", "first", "get", "get_or_create", "in_bulk",
        "iterator", "last", "only", "order_by", "prefetch_related", "raw", "select_related",
        "update", "update_or_create", "values", "values_list",
    }
)  # fmt: skip
#: methods only a manager or queryset has: flagged whatever they are called on
QUERYSET_ONLY = frozenset(
    {
        "annotate", "exclude", "filter", "get_or_create", "order_by", "prefetch_related",
        "select_for_update", "select_related", "update_or_create", "values_list",
    }
)  # fmt: skip
#: methods that write whatever they are called on (a model instance or a queryset)
WRITE_METHODS = frozenset({"save", "delete"})

ALLOW = re.compile(r"#\s*structure:\s*allow\s+\S")
NOQA_E402 = re.compile(r"#\s*noqa:[^#\n]*\bE402\b")


def _allowed(lines: list[str], node: ast.AST) -> bool:
    first = getattr(node, "lineno", 1)
    last = getattr(node, "end_lineno", first) or first
    return any(ALLOW.search(lines[i - 1]) for i in range(first, last + 1) if i <= len(lines))


def _is_manager_chain(node: ast.AST) -> bool:
    """True if ``node`` is ``X.objects``, ``x.y_set``, or a queryset call on such a chain."""
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr == "objects" or node.attr.endswith("_set"):
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_ONLY | {"all"}:
                return True
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_METHODS:
                node = func.value
            else:
                return False
        else:
            return False


def orm_in_views(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """S1: ORM access in a view or API endpoint module."""
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    for node in ast.walk(tree):
        message = None
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "select_for_update"):
            message = f"ORM in a view module (.{node.attr}): call a selector or a service"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in WRITE_METHODS:
                message = f"ORM write in a view module (.{method}()): call a service"
            elif method in QUERYSET_ONLY or (
                method in QUERYSET_METHODS and _is_manager_chain(node.func.value)
            ):
                message = f"queryset call in a view module (.{method}()): call a selector"
        if message and not _allowed(lines, node):
            yield node.lineno, message


def _import_like(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return True
    if isinstance(stmt, ast.If):
        test = stmt.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
        return name == "TYPE_CHECKING"
    if isinstance(stmt, ast.Try):
        return all(isinstance(s, ast.Import | ast.ImportFrom) for s in stmt.body)
    return False


def mid_file_imports(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """S2: module-level imports after code, and ``# noqa: E402`` markers."""
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    code_seen = False
    for stmt in body:
        if _import_like(stmt):
            if code_seen and not _allowed(lines, stmt):
                yield stmt.lineno, "import after module code: move it to the top of the module"
        else:
            code_seen = True
    for number, line in enumerate(lines, 1):
        if NOQA_E402.search(line) and not ALLOW.search(line):
            yield number, "'# noqa: E402' hides a mid-file import: move the import to the top"


def too_long(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """S3: a module over :data:`MAX_LINES` lines."""
    count = len(source.splitlines())
    if count > MAX_LINES:
        yield (
            MAX_LINES + 1,
            f"module has {count} lines (limit {MAX_LINES}): split it along its topics",
        )


def _relative(path: Path, src: Path) -> str:
    return path.relative_to(src).as_posix()


def check(root: Path) -> list[str]:
    """Every violation under ``root/src/lentera`` as ``path:line: CODE message``."""
    src = root / "src"
    problems: list[str] = []
    for path in sorted((src / "lentera").rglob("*.py")):
        rel = _relative(path, src)
        if "/migrations/" in f"/{rel}":
            continue
        source = path.read_text(encoding="utf-8")
        shown = path.relative_to(root).as_posix()
        checks = [("S2", mid_file_imports), ("S3", too_long)]
        if any(fnmatch(rel, pattern) for pattern in VIEW_PATTERNS):
            checks.insert(0, ("S1", orm_in_views))
        for code, rule in checks:
            try:
                found = list(rule(path, source))
            except SyntaxError as exc:
                found = [(exc.lineno or 1, f"cannot parse: {exc.msg}")]
            seen: set[int] = set()
            for line, message in sorted(found):
                if line not in seen:  # one report per line: a chain is one problem
                    seen.add(line)
                    problems.append(f"{shown}:{line}: {code} {message}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_structure: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
