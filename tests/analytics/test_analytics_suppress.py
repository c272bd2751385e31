"""Small-cell suppression: unit cases and properties over random tables."""

from __future__ import annotations

import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lentera.analytics.suppress import (
    SECONDARY,
    SUPPRESSED,
    is_suppressed,
    suppress_counts,
    suppress_median,
    suppress_rate,
    suppress_sum,
    suppress_value,
)


def test_primary_rule_and_zero():
    assert suppress_value(0) == 0
    assert [suppress_value(n) for n in (1, 2, 3, 4)] == [SUPPRESSED] * 4
    assert suppress_value(5) == 5


def test_secondary_rule_hides_next_smallest():
    frame = pd.DataFrame({"k": list("abcd"), "value": [3, 0, 9, 6]})
    out = suppress_counts(frame, ["k"])
    assert list(out["value"]) == [SUPPRESSED, 0, 9, SECONDARY]


def test_no_secondary_when_two_cells_are_already_hidden():
    frame = pd.DataFrame({"k": list("abc"), "value": [3, 2, 9]})
    assert list(suppress_counts(frame, ["k"])["value"]) == [SUPPRESSED, SUPPRESSED, 9]


def test_rates_and_medians():
    assert suppress_rate(8, 13, 61.5) == 61.5
    assert suppress_rate(3, 13, 23.1) == SUPPRESSED  # numerator small
    assert suppress_rate(11, 13, 84.6) == SUPPRESSED  # complement (2) small
    assert suppress_rate(3, 3, 100.0) == SUPPRESSED
    assert suppress_median(4, 2.0) == SUPPRESSED
    assert suppress_median(5, 2.0) == 2.0


def test_sums_need_five_units_and_no_dominant_one():
    assert suppress_sum(4, 100.0, 25.0) == SUPPRESSED
    assert suppress_sum(5, 100.0, 50.0) == 100.0
    assert suppress_sum(5, 100.0, 51.0) == SECONDARY  # one amount is most of the total
    assert suppress_sum(0, None, None) is None


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12))
def test_one_dimension_property(values):
    """No 1-4 is displayed, and a suppressed cell is never alone when another non-zero one exists."""
    frame = pd.DataFrame({"k": [f"c{i}" for i in range(len(values))], "value": values})
    out = suppress_counts(frame, ["k"])
    shown = [v for v in out["value"] if not is_suppressed(v)]
    assert all(not 1 <= v <= 4 for v in shown)
    hidden = int(out["suppressed"].sum())
    others = sum(1 for v in out["value"] if isinstance(v, int) and v > 0)
    assert hidden != 1 or others == 0
    for raw, v in zip(values, out["value"], strict=True):
        assert v == raw or is_suppressed(v)


@settings(max_examples=120, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_two_dimension_property(n_rows, n_cols, data):
    """Each row, each column and the whole table has zero or at least two hidden cells."""
    values = data.draw(st.lists(counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    cells = list(itertools.product(range(n_rows), range(n_cols)))
    frame = pd.DataFrame({"r": [r for r, _ in cells], "c": [c for _, c in cells], "value": values})
    out = suppress_counts(frame, ["r", "c"])
    assert all(not (isinstance(v, int) and 1 <= v <= 4) for v in out["value"])
    for dim in ("r", "c"):
        for _, group in out.groupby(dim):
            hidden = int(group["suppressed"].sum())
            nonzero_left = sum(1 for v in group["value"] if isinstance(v, int) and v > 0)
            assert hidden != 1 or nonzero_left == 0
