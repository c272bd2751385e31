"""Province-level association between poverty and trafficking origins.

Two analyses, each for the organisation's survivors by province of origin and for a public
count (Kementerian Sosial victims assisted by region of origin, 1 Jan–25 Apr 2024,
``pub_tppo_victims``):

* **Spearman rank correlation** between the BPS poverty percentage and the count per 100,000
  inhabitants (BPS 2024 population), with a percentile bootstrap CI (provinces resampled with
  replacement; seeded, so the same data give the same interval).
* **Count regression** of the count on the poverty percentage with ``log(population)`` as
  offset: Poisson GLM; when the Pearson dispersion (χ²/df) exceeds 1.5, a negative binomial
  (NB2, α estimated) instead. The result is the incidence-rate ratio per percentage point.

Both use scipy and statsmodels. They run on raw counts internally; only coefficients,
intervals, p-values and the number of provinces leave this module, never a cell count.

Honesty rules: with fewer than :data:`MIN_PROVINCES` provinces with cases, or more than
:data:`MAX_SHARE` of the total in one province, the result has ``status="too_sparse"`` and no
numbers, with a message saying why in Bahasa Indonesia and English. Every result lists caveat
codes (explained in docs/analytics.md): an organisation's caseload reflects where it works,
not where trafficking happens; the public list names only provinces with victims; population
for the five Papua provinces split off in 2022 was not obtained, so they drop out.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats as sps

from lentera import reference
from lentera.analytics.metrics import compute_raw_unsuppressed
from lentera.analytics.warehouse import read_data_csv

__all__ = [
    "MAX_SHARE",
    "MIN_PROVINCES",
    "AssociationResult",
    "RegressionResult",
    "SpearmanResult",
    "association",
    "organisation_association",
    "public_association",
    "public_counts",
]

MIN_PROVINCES = 8
MAX_SHARE = 0.8
DISPERSION_LIMIT = 1.5


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SpearmanResult(_Frozen):
    """Spearman's rho between poverty % and count per 100,000, with a bootstrap CI."""

    rho: float
    p_value: float
    ci_low: float
    ci_high: float
    n: int
    n_boot: int
    seed: int


class RegressionResult(_Frozen):
    """Incidence-rate ratio per percentage point of poverty, from a count model."""

    family: str
    irr: float
    ci_low: float
    ci_high: float
    p_value: float
    dispersion: float
    alpha: float | None
    n: int
    nb_converged: bool | None = None


class AssociationResult(_Frozen):
    """The result of one analysis: numbers (when data allow), method, caveats and wording."""

    source: str
    status: str
    poverty_year: int
    n_provinces: int
    n_provinces_with_cases: int
    spearman: SpearmanResult | None
    regression: RegressionResult | None
    method: str
    caveats: tuple[str, ...]
    message: Mapping[str, str]


def province_poverty(year: int) -> dict[str, float]:
    """BPS poverty rate (%) by province code for ``year``."""
    return {
        r["bps_province_code"]: float(r["poverty_pct"])
        for r in read_data_csv("bps_poverty_pct_by_province_2019_2024.csv")
        if int(r["year"]) == year and r["poverty_pct"].strip()
    }


def province_population() -> dict[str, float]:
    """BPS 2024 population by province code (persons)."""
    return {
        r["bps_province_code"]: float(r["population_thousands"]) * 1000.0
        for r in read_data_csv("bps_population_by_province_2024.csv")
        if r["population_thousands"].strip()
    }


def _bootstrap_rho(x: np.ndarray, y: np.ndarray, n_boot: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    rx = sps.rankdata(x[idx], axis=1)
    ry = sps.rankdata(y[idx], axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rx * ry).sum(axis=1) / den
    rho = rho[np.isfinite(rho)]
    if len(rho) == 0:
        return math.nan, math.nan
    low, high = np.percentile(rho, [2.5, 97.5])
    return float(low), float(high)


def _regression(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> RegressionResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter; results are checked
        return _fit(y, x, offset)


def _fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> RegressionResult:
    import statsmodels.api as sm

    design = sm.add_constant(x, has_constant="add")
    poisson = sm.GLM(y, design, family=sm.families.Poisson(), offset=offset).fit()
    dispersion = float(poisson.pearson_chi2 / max(1, poisson.df_resid))

    def result(fit: Any, family: str, **extra: Any) -> RegressionResult:
        """The incidence-rate ratio of the exposure (coefficient 1) of ``fit``, with its 95% CI."""
        ci = fit.conf_int()[1]
        return RegressionResult(
            family=family,
            irr=float(np.exp(fit.params[1])),
            ci_low=float(np.exp(ci[0])),
            ci_high=float(np.exp(ci[1])),
            p_value=float(fit.pvalues[1]),
            dispersion=dispersion,
            n=len(y),
            **extra,
        )

    if dispersion <= DISPERSION_LIMIT:
        return result(poisson, "poisson", alpha=None, nb_converged=None)
    nb = sm.NegativeBinomial(y, design, offset=offset, loglike_method="nb2").fit(
        disp=0, maxiter=200
    )
    if not nb.mle_retvals.get("converged", True):  # over-dispersed, but NB failed: Poisson
        return result(poisson, "poisson", alpha=None, nb_converged=False)
    return result(nb, "negative_binomial", alpha=float(nb.params[-1]), nb_converged=True)


METHOD = (
    "spearman(poverty_pct, count per 100k) + percentile bootstrap 95% CI; "
    "count ~ poverty_pct, offset log(population): Poisson GLM, negative binomial (NB2) "
    "if Pearson dispersion > 1.5 (Poisson kept, with a caveat, if NB2 does not converge)"
)

_SPARSE = {
    "id": (
        "Data terlalu sedikit untuk menguji hubungan kemiskinan dan asal korban: hanya {k} "
        "provinsi memiliki kasus (minimal {m}), atau lebih dari {s}% kasus berasal dari satu "
        "provinsi. Tidak ada angka yang dilaporkan."
    ),
    "en": (
        "Too little data to test an association between poverty and survivors' origins: only "
        "{k} provinces have cases (at least {m} needed), or more than {s}% of cases come from one "
        "province. No figures are reported."
    ),
}
_OK = {
    "id": (
        "Korelasi peringkat Spearman antara persentase penduduk miskin dan jumlah per 100.000 "
        "penduduk: rho = {rho} (IK 95% bootstrap {lo} sampai {hi}; {n} provinsi). Model {fam}: "
        "setiap kenaikan 1 poin persen kemiskinan dikaitkan dengan rasio {irr} (IK 95% {clo}–{chi}). "
        "Ini asosiasi antarprovinsi, bukan sebab-akibat, dan tidak berlaku untuk individu."
    ),
    "en": (
        "Spearman rank correlation between the poverty percentage and the count per 100,000 "
        "inhabitants: rho = {rho} (95% bootstrap CI {lo} to {hi}; {n} provinces). {fam} model: "
        "each percentage point of poverty goes with a rate ratio of {irr} (95% CI {clo}–{chi}). "
        "This is an association between provinces, not a cause, and says nothing about individuals."
    ),
}

#: added when the two measures disagree (the rank correlation's interval includes zero): the
#: rate ratio alone would be quoted as "+19% per point" (ux-review, poverty over-read)
_NOT_SETTLED = {
    "id": (
        " Selang korelasi mencakup nol, jadi hubungan ini belum pasti: jangan kutip rasio "
        "model sebagai kenaikan per poin kemiskinan."
    ),
    "en": (
        " The correlation's interval includes zero, so the link is not settled: do not quote "
        "the model's ratio as an increase per point of poverty."
    ),
}
#: added for one organisation's own cases, which come from where it works
_CATCHMENT = {
    "id": " Kasus ini berasal dari wilayah kerja satu organisasi, bukan dari seluruh Indonesia.",
    "en": " These cases come from one organisation's working area, not from all of Indonesia.",
}


def association(
    counts: Mapping[str, int],
    *,
    source: str,
    poverty_year: int = 2024,
    seed: int = 20240425,
    n_boot: int = 2000,
    caveats: tuple[str, ...] = (),
    include_zero_provinces: bool = True,
) -> AssociationResult:
    """Association between poverty and ``counts`` (BPS province code → count)."""
    poverty = province_poverty(poverty_year)
    population = province_population()
    provinces = sorted(reference.provinces()) if include_zero_provinces else sorted(counts)
    rows = [
        (p, int(counts.get(p, 0)), poverty[p], population[p])
        for p in provinces
        if p in poverty and p in population
    ]
    all_caveats = list(caveats)
    if any(p not in population for p in provinces):
        all_caveats.append("population_missing_new_papua_provinces")
    if any(p not in poverty for p in provinces):
        all_caveats.append("poverty_missing")
    total = sum(r[1] for r in rows)
    with_cases = sum(1 for r in rows if r[1] > 0)
    top_share = max((r[1] for r in rows), default=0) / total if total else 1.0
    common: dict[str, Any] = {
        "source": source,
        "poverty_year": poverty_year,
        "n_provinces": len(rows),
        "n_provinces_with_cases": with_cases,
        "method": METHOD,
    }
    if with_cases < MIN_PROVINCES or top_share > MAX_SHARE:
        params = {"k": with_cases, "m": MIN_PROVINCES, "s": int(MAX_SHARE * 100)}
        return AssociationResult(
            **common,
            status="too_sparse",
            spearman=None,
            regression=None,
            caveats=(*all_caveats, "too_sparse"),
            message={lang: text.format(**params) for lang, text in _SPARSE.items()},
        )
    y = np.asarray([r[1] for r in rows], dtype=float)
    x = np.asarray([r[2] for r in rows], dtype=float)
    pop = np.asarray([r[3] for r in rows], dtype=float)
    rate = y / pop * 100_000
    test = sps.spearmanr(x, rate)
    low, high = _bootstrap_rho(x, rate, n_boot, seed)
    spearman = SpearmanResult(
        rho=float(test.statistic),
        p_value=float(test.pvalue),
        ci_low=low,
        ci_high=high,
        n=len(rows),
        n_boot=n_boot,
        seed=seed,
    )
    regression = _regression(y, x, np.log(pop))
    if regression.family == "negative_binomial":
        all_caveats.append("overdispersed_negative_binomial")
    if regression.nb_converged is False:
        all_caveats.append("overdispersed_but_negative_binomial_failed_poisson_kept")
    message = {}
    for lang, text in _OK.items():
        dec = "," if lang == "id" else "."

        def f(v: float, d: int = 2, dec: str = dec) -> str:
            return f"{v:.{d}f}".replace(".", dec)

        fam = {
            "poisson": "Poisson",
            "negative_binomial": "binomial negatif" if lang == "id" else "negative binomial",
        }[regression.family]
        if lang == "en":
            fam = fam[0].upper() + fam[1:]
        message[lang] = text.format(
            rho=f(spearman.rho),
            lo=f(low),
            hi=f(high),
            n=len(rows),
            fam=fam,
            irr=f(regression.irr, 3),
            clo=f(regression.ci_low, 3),
            chi=f(regression.ci_high, 3),
        )
        if low <= 0 <= high:
            message[lang] += _NOT_SETTLED[lang]
        if "organisation_catchment" in all_caveats:
            message[lang] += _CATCHMENT[lang]
    return AssociationResult(
        **common,
        status="ok",
        spearman=spearman,
        regression=regression,
        caveats=tuple(all_caveats),
        message=message,
    )


def organisation_association(
    warehouse: Any, filters: Mapping[str, Any] | None = None, **kw: Any
) -> AssociationResult:
    """Association for the organisation's survivors by BPS province of origin."""
    frame = compute_raw_unsuppressed(warehouse, "survivors", ["origin_province"], filters)
    counts = {
        str(p): int(v)
        for p, v in zip(frame["origin_province"], frame["value"], strict=True)
        if p != "unknown"
    }
    return association(counts, source="organisation", caveats=("organisation_catchment",), **kw)


def public_counts() -> dict[str, int]:
    """Kemensos victims assisted by province of origin, 1 Jan–25 Apr 2024 (listed provinces)."""
    return {
        r["bps_province_code"]: int(r["value"])
        for r in read_data_csv("tppo_victims_by_province_2024.csv")
        if r["bps_province_code"] and r["metric"] == "victims_assisted"
    }


def public_association(**kw: Any) -> AssociationResult:
    """Association for the public Kemensos 2024 counts (only the 23 listed provinces)."""
    return association(
        public_counts(),
        source="public_kemensos_2024",
        caveats=("public_listed_provinces_only", "public_partial_period"),
        include_zero_provinces=False,
        **kw,
    )
