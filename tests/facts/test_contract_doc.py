"""docs/contract/case-facts.md is generated from the models and kept current."""

from __future__ import annotations

from pathlib import Path

from lentera.facts import FIELDS_1_1
from lentera.facts.contract_doc import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract" / "case-facts.md"


def test_contract_doc_is_current() -> None:
    assert DOC.read_text("utf-8") == render_markdown(), (
        "regenerate: lentera schema case-facts --markdown > docs/contract/case-facts.md"
    )


def test_contract_doc_marks_every_1_1_field() -> None:
    text = render_markdown()
    for section, name in FIELDS_1_1:
        assert f"| `{name}` |" in text and "| 1.1 |" in text, (section, name)
