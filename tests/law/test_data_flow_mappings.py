"""Packaged YAML never splits a text at a comma.

In a YAML flow mapping (``{id: a, b, en: c}``) an unquoted comma ends the value: "Kerugian lain
(transportasi, biaya hukum, dan lainnya)" became "Kerugian lain (transportasi" plus two empty keys,
and the legal page, the memo and the evidence lists printed the fragments (review, persona 2).
A key with a space and no value is the mark of such a split.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

SRC = Path(__file__).resolve().parents[2] / "src" / "lentera"
FILES = sorted(SRC.rglob("*.yaml"))


def _splits(node: Any, where: str) -> list[str]:
    if isinstance(node, dict):
        found = [
            f"{where}: {k!r}"
            for k, v in node.items()
            if v is None and isinstance(k, str) and (" " in k or k.endswith(")"))
        ]
        return found + [s for k, v in node.items() for s in _splits(v, f"{where}.{k}")]
    if isinstance(node, list):
        return [s for i, v in enumerate(node) for s in _splits(v, f"{where}[{i}]")]
    return []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_text_is_split_at_a_comma(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert not _splits(data, path.name)
