"""Statistics match scipy/statsmodels on fixed fixtures; sparse data give no numbers."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from lentera import reference
from lentera.analytics import stats
from lentera.analytics.stats import province_population, province_poverty


def fixture_counts(scale: float = 1.0, dispersed: bool = False) -> dict[str, int]:
    """Fixed SYNTHETIC counts: rising with poverty, proportional to population."""
    rng = np.random.default_rng(12)
    pov, pop = province_poverty(2024), province_population()
    out = {}
    for code in sorted(reference.provinces()):
        if code in pov and code in pop:
            mu = scale * pop[code] / 1e5 * np.exp(0.05 * pov[code])
            out[code] = int(
                rng.negative_binomial(1, 1 / (1 + mu)) if dispersed else rng.poisson(mu)
            )
    return out


def design(counts):
    pov, pop = province_poverty(2024), province_population()
    codes = [c for c in sorted(reference.provinces()) if c in pov and c in pop]
    y = np.array([counts.get(c, 0) for c in codes], float)
    x = np.array([pov[c] for c in codes])
    p = np.array([pop[c] for c in codes])
    return y, x, p


def test_spearman_and_poisson_match_the_libraries():
    counts = fixture_counts()
    result = stats.association(counts, source="fixture")
    y, x, p = design(counts)
    ref = sps.spearmanr(x, y / p * 1e5)
    assert result.status == "ok"
    assert result.spearman.rho == pytest.approx(ref.statistic)
    assert result.spearman.p_value == pytest.approx(ref.pvalue)
    fit = sm.GLM(y, sm.add_constant(x), family=sm.families.Poisson(), offset=np.log(p)).fit()
    assert result.regression.family == "poisson"
    assert result.regression.irr == pytest.approx(np.exp(fit.params[1]))
    assert result.regression.ci_low == pytest.approx(np.exp(fit.conf_int()[1][0]))
    assert result.regression.irr == pytest.approx(np.exp(0.05), rel=0.05)  # recovers the truth


def test_overdispersed_counts_use_negative_binomial():
    counts = fixture_counts(scale=0.5, dispersed=True)
    result = stats.association(counts, source="fixture")
    y, x, p = design(counts)
    nb = sm.NegativeBinomial(y, sm.add_constant(x), offset=np.log(p), loglike_method="nb2").fit(
        disp=0, maxiter=200
    )
    assert result.regression.family == "negative_binomial"
    assert result.regression.irr == pytest.approx(np.exp(nb.params[1]), rel=1e-4)
    assert result.regression.alpha == pytest.approx(nb.params[-1], rel=1e-3)
    assert "overdispersed_negative_binomial" in result.caveats


def test_bootstrap_is_seeded_and_brackets_rho():
    counts = fixture_counts()
    a = stats.association(counts, source="f", seed=5)
    b = stats.association(counts, source="f", seed=5)
    c = stats.association(counts, source="f", seed=6)
    assert (a.spearman.ci_low, a.spearman.ci_high) == (b.spearman.ci_low, b.spearman.ci_high)
    assert (a.spearman.ci_low, a.spearman.ci_high) != (c.spearman.ci_low, c.spearman.ci_high)
    assert a.spearman.ci_low <= a.spearman.rho <= a.spearman.ci_high


@pytest.mark.parametrize(
    "counts",
    [
        {"35": 40, "52": 3},
        {"35": 400, "52": 3, "53": 2, "11": 1, "12": 1, "13": 1, "14": 1, "15": 1, "16": 1},
    ],
    ids=["few-provinces", "one-province-dominates"],
)
def test_sparse_data_give_words_not_numbers(counts):
    result = stats.association(counts, source="f")
    assert result.status == "too_sparse"
    assert result.spearman is None and result.regression is None
    assert "Too little data" in result.message["en"] and "terlalu sedikit" in result.message["id"]


def test_public_counts_use_only_listed_provinces():
    result = stats.public_association()
    assert result.n_provinces == 23
    assert "public_listed_provinces_only" in result.caveats
    assert result.status == "ok"


def test_an_unsettled_link_and_one_catchment_are_said_in_the_message():
    """A correlation whose interval includes zero is not to be quoted as "+x% per point", and an
    organisation's own cases are from its working area (ux-review, poverty over-read)."""
    counts = fixture_counts(scale=0.5, dispersed=True)
    result = stats.association(counts, source="f", caveats=("organisation_catchment",))
    unsettled = result.spearman.ci_low <= 0 <= result.spearman.ci_high
    assert ("do not quote" in result.message["en"]) == unsettled
    assert ("jangan kutip" in result.message["id"]) == unsettled
    assert "one organisation's working area" in result.message["en"]
    assert "wilayah kerja satu organisasi" in result.message["id"]
    flat = dict.fromkeys(fixture_counts(), 5)
    assert "do not quote" in stats.association(flat, source="f").message["en"]
