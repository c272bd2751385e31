"""Differentially private counts: the noise follows the stated discrete Laplace mechanism, the
table covers the whole declared domain, contributions are bounded per person, counts are never
negative, and OpenDP's own privacy map confirms ε."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from _disclosure_kit import snapshot
from scipy import stats

from lentera.analytics.snapshot import Snapshot
from lentera.disclosure import DisclosureError, discrete_laplace_error95, dp_counts
from lentera.disclosure.dp import dimension_domain, dp_measurement, noisy_counts, true_counts

# OpenDP draws from the operating system's CSPRNG and cannot be seeded, so the statistical
# tests use thresholds whose false-alarm rate is ~1e-6 per test; a second check with a wrong
# scale shows each test has the power to fail.
ALPHA = 1e-6
DRAWS = 40_000


def _pmf(scale: float, support: np.ndarray) -> np.ndarray:
    a = math.exp(-1.0 / scale)
    return (1 - a) / (1 + a) * a ** np.abs(support)


def _chi_square_p(sample: np.ndarray, scale: float) -> float:
    edge = 12
    support = np.arange(-edge, edge + 1)
    expected = _pmf(scale, support) * len(sample)
    observed = np.array([(sample == v).sum() for v in support], dtype=float)
    tail_expected = len(sample) - expected.sum()
    tail_observed = float((np.abs(sample) > edge).sum())
    obs = np.append(observed, tail_observed)
    exp = np.append(expected, tail_expected)
    return float(stats.chisquare(obs, exp).pvalue)


@pytest.fixture(scope="module")
def noise() -> np.ndarray:
    """Raw (unclamped) mechanism output on an all-zero count vector: pure noise."""
    return noisy_counts(np.zeros(DRAWS, dtype=np.int64), 2.0)


def test_noise_matches_the_discrete_laplace_distribution(noise: np.ndarray) -> None:
    assert _chi_square_p(noise, 2.0) > ALPHA
    # power: the same test rejects a wrong scale decisively
    assert _chi_square_p(noise, 3.0) < ALPHA
    assert _chi_square_p(noise, 1.5) < ALPHA


def test_noise_mean_and_variance_within_sampling_tolerance(noise: np.ndarray) -> None:
    a = math.exp(-1.0 / 2.0)
    variance = 2 * a / (1 - a) ** 2
    # 6 standard errors: mean SE = sqrt(var/n); variance SE ≈ var·sqrt((kurtosis − 1)/n), the
    # discrete Laplace kurtosis is ≤ 6
    assert abs(noise.mean()) < 6 * math.sqrt(variance / DRAWS)
    assert abs(noise.var() - variance) < 6 * variance * math.sqrt(5 / DRAWS)


def test_error95_is_the_95_percent_bound_of_the_noise(noise: np.ndarray) -> None:
    for scale in (0.5, 1.0, 2.0, 10.0):
        t = discrete_laplace_error95(scale)
        a = math.exp(-1.0 / scale)
        tail = lambda u, a=a: 2 * a ** (u + 1) / (1 + a)  # P(|X| > u)  # noqa: E731
        assert tail(t) <= 0.05 < tail(t - 1) or t == 0
    coverage = float((np.abs(noise) <= discrete_laplace_error95(2.0)).mean())
    assert coverage >= 0.95 - 6 * math.sqrt(0.05 * 0.95 / DRAWS)


def test_opendp_privacy_map_confirms_epsilon() -> None:
    table = dp_counts(snapshot(800, 3), by=["sex", "age_band"], epsilon=0.7, max_contributions=2)
    cells = len(table.table)
    assert table.scale >= 2 / 0.7
    assert float(dp_measurement(cells, table.scale).map(2)) <= 0.7
    assert table.parameters()["mechanism"] == "discrete_laplace"
    assert table.parameters()["trafficking_statuses"] == ["possible_victim", "actual_victim"]


def test_table_covers_the_full_declared_domain_and_is_never_negative() -> None:
    """Every cell of the cross product is present (empty ones noised too), none negative."""
    years = range(2015, 2026)
    a = dp_counts(snapshot(800, 3), by=["sex", "year", "island_group"], epsilon=0.2, years=years)
    b = dp_counts(snapshot(200, 8), by=["sex", "year", "island_group"], epsilon=0.2, years=years)
    expected = 4 * 11 * 8
    assert len(a.table) == len(b.table) == expected
    assert a.table[["sex", "year", "island_group"]].equals(b.table[["sex", "year", "island_group"]])
    assert (a.table["count"] >= 0).all() and (b.table["count"] >= 0).all()
    # 2015–2018 have no synthetic cases, yet their cells exist (noised, clamped)
    assert set(a.table["year"]) >= {"2015", "2016", "2017", "2018"}


def test_counts_are_rounded_when_asked() -> None:
    table = dp_counts(snapshot(800, 3), by=["sex"], epsilon=1.0, round_to=5)
    assert (table.table["count"] % 5 == 0).all()
    assert table.error95 == discrete_laplace_error95(table.scale) + 2


def test_contributions_are_bounded_per_person() -> None:
    """A person in five cases contributes at most max_contributions rows."""
    base = snapshot(200, 8, 1)
    surv = base["survivors"].to_pandas()
    surv.loc[surv.index[:5], "person_key"] = "same_person"
    snap = Snapshot.from_arrow(
        {"cases": base["cases"], "survivors": pa.Table.from_pandas(surv, preserve_index=False)}
    )
    one = true_counts(snap, ["sex"], 1, None)["n"].sum()
    three = true_counts(snap, ["sex"], 3, None)["n"].sum()
    everything = len(surv)
    people = surv["person_key"].nunique()
    assert one == people
    assert three == everything - 2


def test_accuracy_of_a_real_table_is_within_the_bound() -> None:
    """On a large domain, ≥ 95 % of published cells are within error95 of the truth."""
    snap = snapshot(1500, 6)
    table = dp_counts(snap, by=["destination_country", "sex"], epsilon=1.0, statuses=None)
    truth = true_counts(snap, ["destination_country", "sex"], 1, None)
    merged = table.table.merge(
        truth.rename(columns={"d0": "destination_country", "d1": "sex"}),
        on=["destination_country", "sex"],
        how="left",
    ).fillna({"n": 0})
    within = (np.abs(merged["count"] - merged["n"]) <= table.error95).mean()
    assert within >= 0.93


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"by": ["sex"], "epsilon": 0}, "bad_epsilon"),
        ({"by": ["sex"], "epsilon": float("inf")}, "bad_epsilon"),
        ({"by": [], "epsilon": 1.0}, "no_dimensions"),
        ({"by": ["sex", "sex"], "epsilon": 1.0}, "duplicate_dimension"),
        ({"by": ["year"], "epsilon": 1.0}, "years_required"),
        ({"by": ["name"], "epsilon": 1.0}, "unknown_dimension"),
        ({"by": ["sex"], "epsilon": 1.0, "max_contributions": 0}, "bad_contributions"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict, code: str) -> None:
    with pytest.raises(DisclosureError) as info:
        dp_counts(snapshot(200, 8), **kwargs)
    assert info.value.code == code


def test_declared_domains_do_not_depend_on_data() -> None:
    assert dimension_domain("sex") == ("female", "male", "other", "unknown")
    assert dimension_domain("year", years=[2021, 2020]) == ("2020", "2021")
    assert len(dimension_domain("origin_province")) == 39
