"""Shared input/output for the engine verbs (``screen``, ``qualify``).

``FILE...`` prints one JSON document per file; ``-`` reads JSON Lines of case
facts on stdin and writes JSON Lines in the same order. An invalid document is
reported on stderr with its file or line and the field, nothing is printed on
stdout for it, the others are still processed, and the exit code is 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from lentera.errors import LenteraError

#: an engine returns a plain document or a pydantic model (dumped by its alias names)
Engine = Callable[[Any], dict[str, Any] | BaseModel]


def _dump(doc: dict[str, Any] | BaseModel, *, pretty: bool) -> str:
    if isinstance(doc, BaseModel):
        return doc.model_dump_json(by_alias=True, indent=2 if pretty else None)
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _fail(where: str, exc: LenteraError) -> None:
    print(f"lentera: error: {where}: {exc.message}", file=sys.stderr)


def run_files(
    paths: list[str], engine: Engine, *, pretty: bool, stdin: TextIO | None = None
) -> int:
    """Run ``engine`` over files (or JSON Lines on stdin for ``-``); return the exit code."""
    if not paths:
        raise LenteraError("usage", "give one or more facts files, or - for JSON Lines on stdin")
    status = 0
    out = sys.stdout
    for name in paths:
        if name == "-":
            status = max(status, run_lines(stdin or sys.stdin, engine, out))
            continue
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"lentera: error: {name}: cannot read: {exc}", file=sys.stderr)
            status = 2
            continue
        try:
            result = engine(text)
        except LenteraError as exc:
            _fail(name, exc)
            status = 2
            continue
        out.write(_dump(result, pretty=pretty) + "\n")
    return status


def run_lines(stream: TextIO, engine: Engine, out: TextIO) -> int:
    """JSON Lines in, JSON Lines out, in order; blank lines are skipped."""
    status = 0
    write = out.write
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            result = engine(line)
        except LenteraError as exc:
            _fail(f"line {number}", exc)
            status = 2
            continue
        write(_dump(result, pretty=False) + "\n")
    return status
