"""The RSS catalogue: what the file holds, and that a wrong edit fails loudly."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from lentera.reintegration.catalogue import (
    DIMENSIONS,
    VERIFICATION,
    load_catalogue,
    parse_catalogue,
)


def _raw() -> dict:
    text = resources.files("lentera.reintegration").joinpath("data/iom_rss_2019.yaml").read_text()
    return yaml.safe_load(text)


def _parse(raw: dict) -> None:
    parse_catalogue(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))


def test_fifteen_indicators_over_three_dimensions() -> None:
    cat = load_catalogue()
    assert len(cat.indicators) == 15
    assert {i.dimension for i in cat.indicators.values()} == set(DIMENSIONS)
    for dim in DIMENSIONS:
        assert cat.by_dimension(dim), dim


def test_every_question_in_indonesian_and_english() -> None:
    cat = load_catalogue()
    for ind in cat.indicators.values():
        assert ind.question_id.endswith("?") and ind.question_en.endswith("?"), ind.id
        assert ind.label_id and ind.label_en
        for option in ind.options.values():
            assert option.label_id and option.label_en, (ind.id, option.code)


def test_every_indicator_can_score_zero_and_one() -> None:
    """Each scale spans [0, 1]: the best answer scores 1 and the worst 0."""
    for ind in load_catalogue().indicators.values():
        scores = [o.score for o in ind.options.values() if o.score is not None]
        assert (min(scores), max(scores)) == (0, 1), ind.id


def test_unverified_parts_are_marked() -> None:
    cat = load_catalogue()
    assert all(i.verification == "unverified" for i in cat.indicators.values())
    assert cat.verification["weights"] == "lentera_interim"
    assert set(cat.verification.values()) <= VERIFICATION
    raw = _raw()
    assert raw["facts"]["indicator_count"] == {
        "value": 15,
        "verification": "secondary",
        "source": "iom-news-2017",
    }
    ids = {s["id"] for s in cat.sources}
    assert {raw["facts"][k]["source"] for k in raw["facts"]} <= ids
    assert all(s["url"].startswith("https://") for s in cat.sources)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["indicators"].append(dict(r["indicators"][0])), "duplicate name"),
        (lambda r: r["indicators"][0].update(dimension="legal"), "unknown dimension"),
        (lambda r: r["indicators"][0].update(scale="nope"), "unknown scale"),
        (lambda r: r["indicators"][0].update(weight=0), "weight must be positive"),
        (lambda r: r["indicators"][0].update(question_id=" "), "question_id is empty"),
        (lambda r: r["indicators"].pop(), "indicator_count says 15"),
        (lambda r: r["scales"]["yes_no"][0].update(score=1.5), "within \\[0, 1\\]"),
        (lambda r: r["scales"]["yes_no"][2].pop("missing"), "unscored option needs missing"),
        (lambda r: r["scales"]["yes_no"][1].update(code="yes"), "duplicate code"),
        (lambda r: r["rules"]["dimension"].update(min_coverage=0), "min_coverage"),
        (lambda r: r["rules"]["weights"].update(verification="maybe"), "verification must be"),
        (lambda r: r["dimensions"].pop("social"), "dimensions must be exactly"),
    ],
)
def test_a_wrong_edit_is_refused(edit, message: str) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    _parse(raw)  # the unedited file parses
    edit(raw)
    with pytest.raises(ValueError, match=message):
        _parse(raw)
