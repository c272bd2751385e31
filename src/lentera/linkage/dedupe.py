"""Deduplication of person records inside one organisation, on Splink (Fellegi–Sunter, EM-trained).

Pipeline: :func:`prepare` turns raw rows (the ``lentera link`` CSV layout) into comparison
features with the existing normalisers (names, dates, NIK, phone); a Splink model compares
candidate pairs found by blocking rules and gives each pair a match probability; pairs at
or above the threshold are clustered (connected components); every pair carries an
explanation — for each field the comparison level reached and its match weight.

Features (one row per record; empty → NULL, never ``""``):

- names: own tokens after :func:`~lentera.linkage.names.normalise_name` (honorifics, I/Ni,
  bin/binti + father's name split off, old spelling folded, Moh./M./Muh. → muhammad);
  ``name_core`` also drops Balinese birth-order names (Wayan, Made…); phonetic keys of the
  first, last and rarest token and of the whole core (sorted, so swapped tokens agree);
  initials; the father's name after bin/binti;
- dates: ISO date when the day is known, year/month/day separately (a year-only date keeps
  its year); when the date is missing, the one inside a valid NIK is used;
- NIK (16 digits; a mistyped one still compares by edit distance), sex (given, else from
  the NIK), regency (given, else from the NIK) and its province, E.164 phone, birth place.

Blocking never uses a first name alone (Siti, Muhammad, Wayan, Made make blocks of tens of
thousands): rules combine a phonetic key with a birth date or year, or use NIK, phone, or
regency + date (see :data:`BLOCKING_RULES`).

The model (m and u probabilities per comparison level, and the prior) is a small JSON file
with a version string; the comparisons themselves are built by this module for the engine
in use, so one model file runs on DuckDB and on Spark. A default model trained on
synthetic records (:mod:`lentera.linkage.synthetic`) ships in ``data/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import itertools
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from lentera import reference
from lentera.errors import LenteraError
from lentera.linkage.cluster import cluster
from lentera.linkage.dates import parse_date
from lentera.linkage.names import (
    BALINESE_GENDER,
    BIRTH_ORDER,
    GIVEN_PREFIXES,
    HONORIFICS,
    PATRONYMIC,
    phonetic_key,
)
from lentera.linkage.nik import decode_nik, normalise_nik
from lentera.linkage.phone import normalise_phone
from lentera.linkage.search import fold_spelling

__all__ = [
    "BLOCKING_RULES",
    "DEFAULT_THRESHOLD",
    "FEATURE_COLUMNS",
    "INPUT_FIELDS",
    "MODEL_VERSION",
    "DedupeModel",
    "DedupeResult",
    "FieldEvidence",
    "ScoredPair",
    "dedupe",
    "default_model",
    "find_candidates",
    "link",
    "load_model",
    "prepare",
    "review_estimates",
    "score_record_pairs",
    "train",
]

MODEL_VERSION = "lentera-dedupe/1"
DEFAULT_THRESHOLD = 0.95
INPUT_FIELDS = (
    "record_id",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "birth_place",
    "origin_regency_code",
    "phone",
)
_STR = "string"
_INT = "int"
FEATURE_COLUMNS: dict[str, str] = {
    "uid": _STR,
    "name_full": _STR,
    "name_core": _STR,
    "name_last": _STR,
    "phon_sorted": _STR,
    "phon_first": _STR,
    "phon_last": _STR,
    "phon_rare": _STR,
    "initials": _STR,
    "abbreviated": _STR,
    "birth_order": _STR,
    "father": _STR,
    "dob": _STR,
    "birth_year": _INT,
    "birth_month": _INT,
    "birth_day": _INT,
    "dob_dm": _INT,
    "sex": _STR,
    "nik": _STR,
    "regency": _STR,
    "area": _STR,
    "province": _STR,
    "phone": _STR,
    "birth_place": _STR,
    "regency_name": _STR,
    # capped blocking keys (NULL where the key is shared by more than BLOCK_CAP records)
    **{
        f"blk_{name}": _STR
        for name in ("first_last", "last_area", "first_area", "first_year", "dob", "sorted")
    },
}
_SEX = {
    "female": "female",
    "f": "female",
    "p": "female",
    "perempuan": "female",
    "wanita": "female",
    "male": "male",
    "m": "male",
    "l": "male",
    "laki-laki": "male",
    "laki": "male",
    "pria": "male",
}
_PLACE_PREFIX = re.compile(r"^(kabupaten|kab|kota|kec|kecamatan)\b\.?\s*")
_WORD = re.compile(r"[a-z]+")
_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- features


@cache
def _fold(word: str) -> str:
    return fold_spelling(word)


@cache
def _phon(token: str) -> str:
    return phonetic_key(token)


@cache
def _name_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """(own tokens, core tokens, father, birth order) — the rules of ``normalise_name``, cached per token.

    Kept equal to :func:`lentera.linkage.names.normalise_name` by a test over thousands of
    synthetic names; this version only avoids recomputing spelling folds and phonetic keys.
    """
    text = name.lower() if name.isascii() else _ascii(name).lower()
    words = _WORD.findall(text)
    own: list[str] = []
    father = ""
    marker = False
    birth_order = ""
    for i, word in enumerate(words):
        if marker:
            father = father or _fold(word)
            continue
        if word in PATRONYMIC and own:
            marker = True
            continue
        if (
            word in BALINESE_GENDER
            and i + 1 < len(words)
            and words[i + 1] in BIRTH_ORDER
            and not own
        ):
            continue
        if word in HONORIFICS and not own and len(words) > i + 1:
            continue
        if not own:
            word = GIVEN_PREFIXES.get(word, word)
        folded = _fold(word)
        if folded in BIRTH_ORDER and not birth_order and not own:
            birth_order = folded
        own.append(folded)
    core = [t for t in own if t not in BIRTH_ORDER] or own
    return tuple(own), tuple(core), father, birth_order


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_ISO_LIKE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")
_DAY_FIRST_LIKE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _partial_date(text: str) -> tuple[None, int | None, int | None, None]:
    """Year (and month) of a date that does not parse because its day or month is impossible.

    ``1950-43-06`` or ``31-02-1990``: a typing error in one part should not lose the others
    for blocking and comparison (the year still blocks, the month still compares).
    """
    m = _ISO_LIKE.fullmatch(text)
    if m:
        year, month = int(m[1]), int(m[2])
    elif m := _DAY_FIRST_LIKE.fullmatch(text):
        year, month = int(m[3]), int(m[2])
    else:
        return None, None, None, None
    if not 1880 <= year <= dt.date.today().year:  # noqa: DTZ011 - a calendar year
        return None, None, None, None
    return None, year, month if 1 <= month <= 12 else None, None


@cache
def _date(text: str) -> tuple[str | None, int | None, int | None, int | None]:
    try:
        parsed = parse_date(text)
    except LenteraError:
        return _partial_date(text)
    d = parsed.date
    if parsed.precision == "day":
        return d.isoformat(), d.year, d.month, d.day
    if parsed.precision == "month":
        return None, d.year, d.month, None
    return None, d.year, None, None


@cache
def _nik_prefix(prefix: str) -> tuple[str | None, str | None, dt.date | None]:
    """(sex, regency, birth date) from the first 12 digits of a NIK, or Nones if impossible."""
    try:
        info = decode_nik(prefix + "0001")
    except LenteraError:
        return None, None, None
    return info.sex, info.regency_code, info.birth_date


@cache
def _regency_name(code: str) -> str | None:
    """The regency's name as a birth place would be written (``3578`` → ``surabaya``)."""
    regency = reference.regencies().get(code)
    return _place(regency.name) if regency else None


@cache
def _regencies_by_place() -> dict[str, str]:
    """Normalised regency name → BPS code, for names that belong to one regency only."""
    seen: dict[str, list[str]] = {}
    for code, regency in reference.regencies().items():
        name = _place(regency.name)
        if name:
            seen.setdefault(name, []).append(code)
    return {name: codes[0] for name, codes in seen.items() if len(codes) == 1}


@cache
def _regency_of_place(text: str) -> str | None:
    """The regency a birth place names (``Kab. Tulang Bawang`` → ``1805``), if exactly one."""
    name = _place(text) if text else None
    return _regencies_by_place().get(name) if name else None


@cache
def _place(text: str) -> str | None:
    words = _WORD.findall(_PLACE_PREFIX.sub("", text.lower().strip()))
    return " ".join(_fold(w) for w in words) or None


@cache
def _phone(text: str) -> str | None:
    if not text:
        return None
    try:
        return normalise_phone(text)
    except LenteraError:
        return None


_NameFeatures = tuple[str | None, ...]


@cache
def _name_features(name: str) -> tuple[_NameFeatures, tuple[str, ...]]:
    """(name_full, name_core, name_last, phon_sorted, phon_first, phon_last, initials, father,
    birth_order), and the core tokens."""
    own, core, father, birth_order = _name_parts(name.strip())
    phon = [_phon(t) for t in core]
    return (
        (
            " ".join(own) or None,
            " ".join(core) or None,
            core[-1] if core else None,
            " ".join(sorted(phon)) or None,
            phon[0] if phon else None,
            phon[-1] if phon else None,
            "".join(t[0] for t in core) or None,
            _phon(father) if father else None,
            birth_order or None,
            "initial" if any(len(t) == 1 for t in core[:-1]) else None,
        ),
        core,
    )


@cache
def _nik(text: str) -> tuple[str | None, str | None, str | None, dt.date | None]:
    """(nik, sex, regency, birth date): a 16-digit NIK even if mistyped, the rest only if valid."""
    nik = normalise_nik(text)
    if len(nik) != 16 or not nik.isdigit():
        return None, None, None, None
    if nik[12:] == "0000":
        return nik, None, None, None
    return (nik, *_nik_prefix(nik[:12]))


@cache
def _sex(text: str) -> str | None:
    return _SEX.get(text.strip().lower())


@cache
def _regency(text: str) -> str | None:
    code = text.strip().replace(".", "")
    return code if len(code) == 4 and code.isdigit() else None


def _columns(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
) -> dict[str, list[str]]:
    """Input columns as lists of stripped strings ("" for missing), from rows or from columns."""
    if isinstance(records, Mapping):
        n = len(records["record_id"])
        return {
            f: [("" if v is None else str(v)) for v in records[f]] if f in records else [""] * n
            for f in INPUT_FIELDS
        }
    rows = list(records)
    return {f: [("" if (v := r.get(f)) is None else str(v)) for r in rows] for f in INPUT_FIELDS}


def prepare(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
) -> dict[str, list[Any]]:
    """Feature columns (``FEATURE_COLUMNS``) for raw records (rows, or columns by field name).

    Raises :class:`LenteraError` for an empty or repeated record_id.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small tuples: the cyclic collector would triple the time
    try:
        return _prepare(_columns(records))
    finally:
        if gc_was_enabled:
            gc.enable()


def _prepare(raw: Mapping[str, list[str]]) -> dict[str, list[Any]]:
    uids = [u.strip() for u in raw["record_id"]]
    if len(set(uids)) != len(uids) or "" in uids:
        seen: set[str] = set()
        for uid in uids:
            if not uid:
                raise LenteraError("missing_id", "record_id is empty", field="record_id")
            if uid in seen:
                raise LenteraError(
                    "duplicate_id", f"record_id {uid!r} appears twice", field="record_id"
                )
            seen.add(uid)
    names = [_name_features(n) for n in raw["full_name"]]
    token_counts = Counter(t for _, core in names for t in set(core))
    cols: dict[str, list[Any]] = {"uid": uids}
    name_cols = list(zip(*(f for f, _ in names), strict=True)) if names else [()] * 10
    for key, values in zip(
        (
            "name_full",
            "name_core",
            "name_last",
            "phon_sorted",
            "phon_first",
            "phon_last",
            "initials",
            "father",
            "birth_order",
            "abbreviated",
        ),
        name_cols,
        strict=True,
    ):
        cols[key] = list(values)

    def rare(core: tuple[str, ...]) -> str | None:
        return _phon(min(core, key=lambda t: (token_counts[t], t))) if core else None

    cols["phon_rare"] = [rare(core) for _, core in names]
    niks = [_nik(x) for x in raw["nik"]]
    cols["nik"] = [n[0] for n in niks]
    dates = [_date(x.strip()) for x in raw["birth_date"]]
    dob, year, month, day = [], [], [], []
    for (iso, y, m, d), (_, _, _, nik_birth) in zip(dates, niks, strict=True):
        if nik_birth is not None and (y is None or (iso is None and y == nik_birth.year)):
            # the date inside a valid NIK: when none is given, or only its year
            iso, y, m, d = nik_birth.isoformat(), nik_birth.year, nik_birth.month, nik_birth.day
        dob.append(iso)
        year.append(y)
        month.append(m)
        day.append(d)
    cols["dob"], cols["birth_year"], cols["birth_month"], cols["birth_day"] = dob, year, month, day
    cols["dob_dm"] = [
        (min(m, d) * 100 + max(m, d)) if m is not None and d is not None else None
        for m, d in zip(month, day, strict=True)
    ]
    cols["sex"] = [_sex(x) or n[1] for x, n in zip(raw["sex"], niks, strict=True)]
    regency = [_regency(x) or n[2] for x, n in zip(raw["origin_regency_code"], niks, strict=True)]
    cols["regency"] = regency
    cols["province"] = [r[:2] if r else None for r in regency]
    cols["phone"] = [_phone(x) for x in raw["phone"]]
    cols["birth_place"] = [_place(x) if x else None for x in raw["birth_place"]]
    # the area a record comes from: its regency, else the regency its birth place names,
    # else the birth place as written (a suburb or village outside the regency list)
    cols["area"] = [
        r or _regency_of_place(x) or p
        for r, x, p in zip(regency, raw["birth_place"], cols["birth_place"], strict=True)
    ]
    cols["regency_name"] = [_regency_name(r) if r else None for r in regency]
    for name, keys in CAPPED_KEYS.items():
        cols[f"blk_{name}"] = _capped_key([cols[k] for k in keys], BLOCK_CAP)
    return {k: cols[k] for k in FEATURE_COLUMNS}


def _capped_key(columns: Sequence[list[Any]], cap: int) -> list[str | None]:
    """One blocking key from several columns, NULL where a part is missing or the key is common.

    A key shared by more than ``cap`` records is dropped: blocks stay small (at most
    cap·(cap−1)/2 pairs each) however common a name, date or place is in the data, so these
    looser keys can find pairs the tight rules miss without the candidate count exploding.
    """
    keys = [
        None if None in values else "|".join(map(str, values))
        for values in zip(*columns, strict=True)
    ]
    counts = Counter(keys)
    return [k if k is not None and counts[k] <= cap else None for k in keys]


# --------------------------------------------------------------------------- model


def _comparisons() -> list[Any]:
    """The comparisons, built for any Splink dialect (order and labels are the model's schema)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def custom(sql: str, label: str) -> Any:
        return cll.CustomLevel(sql, label_for_charts=label)

    def exact(col: str, label: str) -> Any:
        return cll.ExactMatchLevel(col).configure(label_for_charts=label)

    def comparison(name: str, levels: list[Any]) -> Any:
        return cl.CustomComparison(
            output_column_name=name, comparison_levels=levels, comparison_description=name
        )

    shared_part = (
        "(phon_first_l = phon_first_r OR phon_last_l = phon_last_r "
        "OR phon_first_l = phon_last_r OR phon_last_l = phon_first_r)"
    )
    return [
        comparison(
            "name",
            [
                cll.NullLevel("name_core"),
                cll.ExactMatchLevel("name_full", term_frequency_adjustments=True).configure(
                    label_for_charts="same name"
                ),
                custom(
                    "name_core_l = name_core_r AND birth_order_l <> birth_order_r",
                    "same name, different Balinese birth-order name",
                ),
                cll.ExactMatchLevel("name_core", term_frequency_adjustments=True).configure(
                    label_for_charts="same name without birth-order name"
                ),
                exact("phon_sorted", "same phonetic tokens (spelling variant or swapped order)"),
                cll.And(
                    cll.JaroWinklerLevel("name_core", 0.92),
                    cll.JaroWinklerLevel("name_last", 0.88),
                ).configure(
                    label_for_charts="names nearly identical (Jaro-Winkler ≥ 0.92, last name ≥ 0.88)"
                ),
                custom(
                    "initials_l = initials_r AND phon_last_l = phon_last_r "
                    "AND (abbreviated_l IS NOT NULL OR abbreviated_r IS NOT NULL)",
                    "same initials and last name (a name written as an initial)",
                ),
                custom(
                    "phon_first_l = phon_first_r AND phon_last_l = phon_last_r",
                    "first and last names agree, middle differs",
                ),
                cll.JaroWinklerLevel("name_core", 0.8).configure(
                    label_for_charts="names similar (Jaro-Winkler ≥ 0.8)"
                ),
                custom(shared_part, "one name token agrees"),
                cll.ElseLevel().configure(label_for_charts="names differ"),
            ],
        ),
        comparison(
            "birth_date",
            [
                cll.NullLevel("birth_year"),
                exact("dob", "same date of birth"),
                custom(
                    "birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
                    "AND birth_day_l = birth_month_r",
                    "day and month swapped",
                ),
                cll.DamerauLevenshteinLevel("dob", 1).configure(
                    label_for_charts="dates one digit apart"
                ),
                custom(
                    "birth_year_l = birth_year_r AND (dob_l IS NULL OR dob_r IS NULL)",
                    "same year, day unknown on one side",
                ),
                custom("birth_year_l = birth_year_r", "same year, different day"),
                custom("abs(birth_year_l - birth_year_r) <= 2", "years within 2"),
                cll.ElseLevel().configure(label_for_charts="dates differ"),
            ],
        ),
        comparison(
            "nik",
            [
                cll.NullLevel("nik"),
                exact("nik", "same NIK"),
                cll.DamerauLevenshteinLevel("nik", 1).configure(
                    label_for_charts="NIK one digit apart"
                ),
                cll.ElseLevel().configure(label_for_charts="NIKs differ"),
            ],
        ),
        comparison(
            "phone",
            [
                cll.NullLevel("phone"),
                exact("phone", "same phone"),
                cll.DamerauLevenshteinLevel("phone", 1).configure(
                    label_for_charts="phones one digit apart"
                ),
                cll.ElseLevel().configure(label_for_charts="phones differ"),
            ],
        ),
        comparison(
            "sex",
            [
                cll.NullLevel("sex"),
                exact("sex", "same sex"),
                cll.ElseLevel().configure(label_for_charts="sex differs"),
            ],
        ),
        comparison(
            "place",
            [
                cll.CustomLevel(
                    "(regency_l IS NULL AND birth_place_l IS NULL) "
                    "OR (regency_r IS NULL AND birth_place_r IS NULL)",
                    label_for_charts="place unknown on one side",
                ).configure(is_null_level=True),
                custom(
                    "regency_l = regency_r AND birth_place_l = birth_place_r",
                    "same regency and birth place",
                ),
                exact("regency", "same regency"),
                exact("birth_place", "same birth place"),
                custom(
                    "birth_place_l = regency_name_r OR regency_name_l = birth_place_r",
                    "birth place is the other record's regency",
                ),
                cll.JaroWinklerLevel("birth_place", 0.9).configure(
                    label_for_charts="birth places similar"
                ),
                exact("province", "same province"),
                cll.ElseLevel().configure(label_for_charts="places differ"),
            ],
        ),
        comparison(
            "father",
            [
                cll.NullLevel("father"),
                exact("father", "same father's name (bin/binti)"),
                cll.ElseLevel().configure(label_for_charts="father's names differ"),
            ],
        ),
    ]


#: candidate pairs: the union of these rules (equal keys, and a condition when given);
#: never a first name alone. Rules that would make big blocks apply only to the records
#: the tighter rules cannot reach (a date or year unknown on one side).
BLOCKING_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("nik",), ""),
    (("phone",), ""),
    (("phon_last", "dob"), ""),
    (("area", "dob"), ""),
    (("initials", "dob"), ""),
    (("phon_rare", "dob"), ""),
    (("phon_sorted", "birth_year", "dob_dm"), ""),  # day and month swapped
    (("phon_sorted", "birth_year", "birth_month"), ""),  # day mistyped
    (("phon_sorted", "birth_month", "birth_day"), ""),  # year mistyped or estimated
    (("phon_first", "phon_last", "birth_year"), "l.dob IS NULL OR r.dob IS NULL"),
    (("phon_first", "birth_year", "area"), "l.dob IS NULL OR r.dob IS NULL"),
    (("phon_sorted", "area"), "l.birth_year IS NULL OR r.birth_year IS NULL"),
    (("initials", "phon_last", "area"), "l.birth_year IS NULL OR r.birth_year IS NULL"),
    *(
        ((f"blk_{name}",), "")
        for name in ("first_last", "last_area", "first_area", "first_year", "dob", "sorted")
    ),
)


#: looser keys, each used only where it is shared by at most BLOCK_CAP records (a first name
#: or a date alone would make huge blocks on large data; capped, they stay bounded): they
#: find pairs whose birth date is missing or mistyped, or whose names are both misspelt.
CAPPED_KEYS: dict[str, tuple[str, ...]] = {
    "first_last": ("phon_first", "phon_last"),
    "last_area": ("phon_last", "area"),
    "first_area": ("phon_first", "area"),
    "first_year": ("phon_first", "birth_year"),
    "dob": ("dob",),
    "sorted": ("phon_sorted",),
}
BLOCK_CAP = 10


def _blocking_rule_sql(keys: tuple[str, ...], condition: str) -> str:
    sql = " AND ".join(f"l.{k} = r.{k}" for k in keys)
    return f"{sql} AND ({condition})" if condition else sql


class FieldEvidence(NamedTuple):
    """How one field compared in a pair: the level reached and its match weight (log2 Bayes factor).

    (Immutable named tuples rather than frozen dataclasses: a million-record run makes
    hundreds of thousands of pairs, and tuples are several times cheaper to build.)
    """

    field: str
    level: int  # Splink's gamma: -1 missing on a side, 0 the weakest, higher = closer
    label: str
    match_weight: float


class ScoredPair(NamedTuple):
    """A candidate pair, its match probability and the evidence per field."""

    record_id_l: str
    record_id_r: str
    probability: float
    match_weight: float
    explanation: tuple[FieldEvidence, ...]

    def explain(self) -> str:
        """One line per field, strongest evidence first."""
        lines = [
            f"{e.field}: {e.label} ({e.match_weight:+.2f})"
            for e in sorted(self.explanation, key=lambda e: -abs(e.match_weight))
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class DedupeResult:
    """Clusters for every input record, and the pairs at or above the threshold."""

    clusters: dict[str, str]  # record_id → cluster_id (the smallest record_id in the cluster)
    pairs: list[ScoredPair]
    threshold: float
    model_version: str
    report: RunReport | None = None
    model: DedupeModel | None = None  # the model the pairs were scored with (adapted if so)

    @property
    def cluster_count(self) -> int:
        return len(set(self.clusters.values()))


@dataclass(frozen=True)
class DedupeModel:
    """Trained parameters: the prior and m/u per comparison level (null levels excluded).

    The prior is kept as the expected number of other records that match a record
    (``matches_per_record``), not as Splink's probability that two random records match:
    that probability shrinks with the size of the data set (a person has the same few
    duplicates among 1,000 or 1,000,000 records), so it is recomputed for each run.
    """

    version: str
    matches_per_record: float
    levels: dict[
        str, list[dict[str, Any]]
    ]  # field → [{"label", "m", "u"}] in gamma order (high→low)
    trained_on: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "model_version": self.version,
            "trained_on": self.trained_on,
            "splink_version": _splink_version(),
            "matches_per_record": self.matches_per_record,
            "comparisons": self.levels,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DedupeModel:
        version = data.get("model_version")
        if version != MODEL_VERSION:
            raise LenteraError(
                "model_version",
                f"dedupe model version {version!r}; this Lentera reads {MODEL_VERSION}",
                field="model",
            )
        return cls(
            version=version,
            matches_per_record=float(data["matches_per_record"]),
            levels={k: list(v) for k, v in data["comparisons"].items()},
            trained_on=str(data.get("trained_on", "")),
        )

    def prior(self, n_records: int) -> float:
        """Probability that two random records of an ``n_records`` data set match."""
        return min(0.5, self.matches_per_record / max(1, n_records - 1))

    def evidence_table(self) -> dict[str, dict[int, FieldEvidence]]:
        """Per field, gamma → the shared :class:`FieldEvidence` (built once per model)."""
        table: dict[str, dict[int, FieldEvidence]] = {}
        for name, levels in self.levels.items():
            n = len(levels)
            row = {-1: FieldEvidence(name, -1, "missing on one side", 0.0)}
            for i, level in enumerate(levels):
                gamma = n - 1 - i
                m, u = float(level["m"]), float(level["u"])
                row[gamma] = FieldEvidence(name, gamma, level["label"], round(math.log2(m / u), 2))
            table[name] = row
        return table


def _splink_version() -> str:
    import splink

    return str(splink.__version__)


def load_model(path: Path) -> DedupeModel:
    """Read a model file; :class:`LenteraError` if unreadable or of another version."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LenteraError("model_unreadable", f"cannot read model {path}: {exc}") from exc
    try:
        return DedupeModel.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise LenteraError("model_invalid", f"{path}: not a dedupe model ({exc})") from exc


@cache
def default_model() -> DedupeModel:
    """The model shipped with Lentera (trained on synthetic records; see docs/linkage.md)."""
    text = resources.files("lentera.linkage").joinpath("data/dedupe_model.json").read_text("utf-8")
    return DedupeModel.from_json(json.loads(text))


def _settings(model: DedupeModel | None, dialect: str, n_records: int) -> dict[str, Any]:
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=[
            _blocking_rule_sql(*rule) for rule in BLOCKING_RULES
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=(
            model.prior(n_records) if model else min(0.5, 1.0 / max(1, n_records - 1))
        ),
    )
    settings = creator.create_settings_dict(dialect)
    if model is None:
        return settings
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        trained = model.levels.get(name)
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if trained is None or [t["label"] for t in trained] != [
            lv["label_for_charts"] for lv in levels
        ]:
            raise LenteraError(
                "model_mismatch",
                f"the model's levels for {name!r} do not match this Lentera's comparisons",
                field="model",
            )
        for level, params in zip(levels, trained, strict=True):
            level["m_probability"] = params["m"]
            level["u_probability"] = params["u"]
    return settings


def _model_from_settings(
    settings: Mapping[str, Any], trained_on: str, n_records: int
) -> DedupeModel:
    levels: dict[str, list[dict[str, Any]]] = {}
    for comparison in settings["comparisons"]:
        out = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            u = level.get("u_probability")
            out.append(
                {
                    "label": level["label_for_charts"],
                    "m": float(m) if m is not None else 1e-6,
                    "u": float(u) if u is not None else 1e-6,
                }
            )
        levels[comparison["output_column_name"]] = out
    return DedupeModel(
        version=MODEL_VERSION,
        matches_per_record=float(settings["probability_two_random_records_match"])
        * (n_records - 1),
        levels=levels,
        trained_on=trained_on,
    )


# --------------------------------------------------------------------------- engines


def _arrow(cols: Mapping[str, Sequence[Any]]) -> Any:
    """A pyarrow table of the features; ``uid`` is the record's position (int64)."""
    import pyarrow as pa

    types = {_STR: pa.string(), _INT: pa.int32()}
    arrays = {
        k: pa.array(range(len(v)), type=pa.int64())
        if k == "uid"
        else pa.array(v, type=types[FEATURE_COLUMNS[k]])
        for k, v in cols.items()
    }
    return pa.table(arrays)


class _Engine:
    """One Splink database API (DuckDB in memory, or a local Spark session)."""

    def __init__(self, engine: str) -> None:
        if engine == "duckdb":
            from splink import DuckDBAPI

            self.db_api: Any = DuckDBAPI()
            self.dialect = "duckdb"
        elif engine == "spark":
            from lentera.linkage.spark import spark_db_api

            self.db_api = spark_db_api()
            self.dialect = "spark"
        else:
            raise LenteraError("engine", f"unknown engine {engine!r} (duckdb or spark)")
        self.engine = engine

    def register(self, cols: Mapping[str, Sequence[Any]]) -> Any:
        if self.engine == "spark":
            from lentera.linkage.spark import to_spark

            return self.db_api.register(to_spark(self.db_api.spark, _arrow(cols)))
        return self.db_api.register(_arrow(cols))

    def linker(self, table: Any, settings: Mapping[str, Any]) -> Any:
        from splink import Linker

        return Linker(table, dict(settings), log_level=logging.WARNING)

    def register_blocked_pairs(self, linker: Any, table: Any) -> None:
        """DuckDB only: candidate pairs from a narrow table of blocking keys, deduplicated once.

        Same pairs as Splink's own blocking on :data:`BLOCKING_RULES`, about three times
        less work: Splink joins the full feature rows and re-tests every preceding rule
        on each candidate; here each rule joins only the key columns and one GROUP BY
        removes repeats.
        """
        if self.engine != "duckdb":
            return
        con = self.db_api.duckdb_con
        keys = sorted({k for rule, _ in BLOCKING_RULES for k in rule})
        suffix = table.physical_name
        con.execute(
            f"CREATE OR REPLACE TABLE __lentera_keys_{suffix} AS "  # noqa: S608 - names are ours
            f"SELECT uid, {', '.join(keys)} FROM {table.physical_name}"
        )
        joins = [
            f"SELECT {i} AS rule, l.uid AS a, r.uid AS b FROM __lentera_keys_{suffix} l "  # noqa: S608
            f"JOIN __lentera_keys_{suffix} r ON {_blocking_rule_sql(rule, condition)} "
            "AND l.uid < r.uid"
            for i, (rule, condition) in enumerate(BLOCKING_RULES)
        ]
        con.execute(
            f"CREATE OR REPLACE TABLE __lentera_blocked_{suffix} AS "  # noqa: S608
            "SELECT CAST(min(rule) AS VARCHAR) AS match_key, a AS join_key_l, b AS join_key_r "
            f"FROM ({' UNION ALL '.join(joins)}) GROUP BY a, b"
        )
        con.execute(f"DROP TABLE __lentera_keys_{suffix}")
        blocked = self.db_api.register(f"__lentera_blocked_{suffix}")
        linker.table_management.register_blocked_pairs_for_predict(blocked)


#: the feature columns whose absence makes a field "missing on one side"
_NULL_COLUMNS = {
    "name": ("name_core",),
    "birth_date": ("birth_year",),
    "nik": ("nik",),
    "phone": ("phone",),
    "sex": ("sex",),
    "place": ("regency", "birth_place"),
    "father": ("father",),
}


def _missing(cols: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Per field, a boolean array by record position: the field is missing (all columns NULL)."""
    import numpy as np

    out = {}
    for field, names in _NULL_COLUMNS.items():
        flags = np.ones(len(cols["uid"]), dtype=bool)
        for name in names:
            flags &= np.fromiter((v is None for v in cols[name]), dtype=bool, count=len(flags))
        out[field] = flags
    return out


def _pairs_from_table(
    table: Any,
    model: DedupeModel,
    threshold: float,
    missing: Mapping[str, Any],
    ids_l: Sequence[str],
    ids_r: Sequence[str],
) -> list[ScoredPair]:
    """Pairs ≥ threshold from Splink's output, each with its evidence per field.

    Splink 5 returns a match weight per comparison (``mw_<field>``, plus ``mw_tf_adj_<field>``
    for term-frequency adjusted levels), not the level reached; each level has its own
    weight, so the weight names the level (vectorised: nearest level weight), and a field
    missing on a side is read from the features. ``uid_l``/``uid_r`` are positions in
    ``ids_l``/``ids_r``.
    """
    import numpy as np

    def column(name: str) -> Any:
        return table.column(name).to_numpy(zero_copy_only=False)

    prob = column("match_probability").astype(float)
    keep = np.nonzero(prob >= threshold)[0]
    left = column("uid_l")[keep].astype(np.int64)
    right = column("uid_r")[keep].astype(np.int64)
    prob = prob[keep]
    weight = column("match_weight").astype(float)[keep]
    evidence = model.evidence_table()
    per_field = []
    names = set(table.column_names)
    for field, levels in model.levels.items():
        n_levels = len(levels)
        level_weights = np.array([math.log2(float(lv["m"]) / float(lv["u"])) for lv in levels])
        table_row = [evidence[field][n_levels - 1 - i] for i in range(n_levels)]
        table_row.append(evidence[field][-1])  # index n_levels: missing on a side
        mw = column(f"mw_{field}").astype(float)[keep]
        index = np.abs(mw[:, None] - level_weights[None, :]).argmin(axis=1)
        index[missing[field][0][left] | missing[field][1][right]] = n_levels
        if f"mw_tf_adj_{field}" in names:
            tf = np.nan_to_num(column(f"mw_tf_adj_{field}").astype(float)[keep])
            memo: dict[tuple[int, float], FieldEvidence] = {}
            values = []
            for i, adj in zip(index.tolist(), tf.tolist(), strict=True):
                base = table_row[i]
                if adj == 0.0 or i == n_levels:
                    values.append(base)
                    continue
                key = (i, round(adj, 2))
                if key not in memo:
                    memo[key] = FieldEvidence(
                        field,
                        base.level,
                        base.label + " (adjusted for how common the name is)",
                        round(base.match_weight + adj, 2),
                    )
                values.append(memo[key])
            per_field.append(values)
        else:
            per_field.append([table_row[i] for i in index.tolist()])
    explanations = list(zip(*per_field, strict=True)) if per_field else [()] * len(keep)
    order = np.lexsort((right, left, -prob)).tolist()  # best first, then by position
    left_l, right_l, prob_l, weight_l = (
        left.tolist(),
        right.tolist(),
        prob.tolist(),
        weight.tolist(),
    )
    return [
        ScoredPair(ids_l[left_l[i]], ids_r[right_l[i]], prob_l[i], weight_l[i], explanations[i])
        for i in order
    ]


#: pairs from this match probability count as links when clusters are checked for chaining
LINK_FLOOR = 0.5
#: the threshold argument that asks :func:`dedupe` to choose the threshold for the run
AUTO = "auto"
#: pairs' worth of the shipped model's m in the EM re-estimation (see :mod:`lentera.linkage.em`)
PRIOR_STRENGTH = 100.0
#: candidate pairs' worth of one reviewer decision in the EM (reviewed pairs are the hard ones)
LABEL_WEIGHT = 10.0
#: random pairs' worth of the shipped model's u when u is re-estimated by random sampling
U_PRIOR_PAIRS = 20_000.0
#: random pairs sampled to re-estimate u on the data at hand
U_SAMPLE_PAIRS = 500_000


@dataclass(frozen=True)
class RunReport:
    """How a run adapted to its data: the threshold it chose and the model it estimated."""

    threshold: float
    threshold_chosen: bool  # True: chosen from the run's match-weight distribution
    expected_f1: float | None  # the model's own estimate at that threshold (unlabelled)
    candidate_pairs: int
    expected_matches: float
    em_iterations: int
    em_converged: bool
    adapted: bool
    refused_merges: int = 0  # links ≥ threshold the clustering did not follow (chaining)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": round(self.threshold, 4),
            "threshold_chosen": self.threshold_chosen,
            "expected_f1": None if self.expected_f1 is None else round(self.expected_f1, 4),
            "candidate_pairs": self.candidate_pairs,
            "expected_matches": round(self.expected_matches, 1),
            "em_iterations": self.em_iterations,
            "em_converged": self.em_converged,
            "adapted": self.adapted,
            "refused_merges": self.refused_merges,
        }


def _query(runner: _Engine, sql: str, name: str) -> Any:
    """Run ``sql`` on the engine, keep the result as table ``name``; returns the SplinkDataFrame."""
    return runner.db_api._sql_to_splink_dataframe(sql, name, name)


def _distinct_weights(
    levels: Mapping[str, list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """The same levels with every match weight distinct and away from 0 (by ≥ 0.01 bits).

    Splink 5 reports a weight per comparison, not the level reached; the level is read back
    from the weight, which needs each level's weight to be its own (0 is a missing field).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for name, field_levels in levels.items():
        taken: list[float] = []
        new = []
        for level in field_levels:
            m, u = float(level["m"]), float(level["u"])
            w = math.log2(m / u)
            while abs(w) < 0.01 or any(abs(w - t) < 0.01 for t in taken):
                w += 0.02
            taken.append(w)
            new.append(dict(level, m=u * 2.0**w))
        out[name] = new
    return out


def _level_index(weights: Any, level_weights: Sequence[float]) -> Any:
    """Level index (0 = best) per match weight; -1 where the weight is exactly 0 (missing)."""
    import numpy as np

    lw = np.asarray(level_weights, dtype=float)
    index = np.abs(np.asarray(weights, dtype=float)[:, None] - lw[None, :]).argmin(axis=1)
    return np.where(np.asarray(weights) == 0.0, -1, index)


def _remap_sql(column: str, old: Sequence[float], new: Sequence[float]) -> str:
    """SQL mapping each old level weight in ``column`` to the new one (0 stays 0: missing)."""
    order = sorted(range(len(old)), key=lambda i: old[i])
    cases = [f"WHEN {column} = 0 THEN 0"]
    for a, b in itertools.pairwise(order):
        cases.append(f"WHEN {column} < {(old[a] + old[b]) / 2!r} THEN {new[a]!r}")
    cases.append(f"ELSE {new[order[-1]]!r}")
    return f"CASE {' '.join(cases)} END"


def _weights(model: DedupeModel) -> dict[str, list[float]]:
    return {
        name: [math.log2(float(lv["m"]) / float(lv["u"])) for lv in levels]
        for name, levels in model.levels.items()
    }


def _reestimate_u(linker: Any, model: DedupeModel, n: int, seed: int) -> DedupeModel:
    """u by random sampling on the data at hand, shrunk towards the model's u.

    A small data set has few random pairs to learn from, so the shipped u weighs as
    :data:`U_PRIOR_PAIRS` sampled pairs; on a large one the data decide.
    """
    total_pairs = n * (n - 1) // 2
    sampled = float(min(U_SAMPLE_PAIRS, total_pairs))
    linker.training.estimate_u_using_random_sampling(
        max_pairs=sampled, seed=seed, min_count_per_level=None, num_chunks=1
    )
    estimated = _model_from_settings(linker.misc.save_model_to_json(), "", n)
    levels = {}
    for name, prior_levels in model.levels.items():
        new = []
        for prior, est in zip(prior_levels, estimated.levels[name], strict=True):
            u0, u_hat = float(prior["u"]), float(est["u"])
            if u_hat <= 1e-6:  # not seen among the sampled pairs: keep the prior's
                u_hat = u0
            u = (sampled * u_hat + U_PRIOR_PAIRS * u0) / (sampled + U_PRIOR_PAIRS)
            new.append(dict(prior, u=u))
        levels[name] = new
    return DedupeModel(model.version, model.matches_per_record, levels, model.trained_on)


def _labelled_patterns(
    runner: _Engine,
    predictions: Any,
    model: DedupeModel,
    ids: Sequence[str],
    labels: Iterable[tuple[str, str, bool]],
) -> list[tuple[dict[str, int], bool]]:
    """The agreement pattern (level per field) of each labelled pair among the candidates.

    ``labels``: (record_id, record_id, same person?) — a reviewer's merge or "not the same
    person". Pairs that are not candidate pairs of this run are left out (their records
    never meet under blocking, so they cannot inform the candidates' model).
    """
    import pyarrow as pa

    position = {uid: i for i, uid in enumerate(ids)}
    wanted: dict[tuple[int, int], bool] = {}
    for a, b, same in labels:
        if a in position and b in position and a != b:
            i, j = sorted((position[a], position[b]))
            wanted[(i, j)] = bool(same)
    if not wanted:
        return []
    name = f"__lentera_labels_{predictions.physical_name}"
    keys = pa.table(
        {
            "label_l": pa.array([k[0] for k in wanted], type=pa.int64()),
            "label_r": pa.array([k[1] for k in wanted], type=pa.int64()),
        }
    )
    registered = runner.db_api.register(keys if runner.engine == "duckdb" else _spark(runner, keys))
    fields = list(model.levels)
    mw_cols = ", ".join(f"p.mw_{f}" for f in fields)
    found = _query(
        runner,
        f"SELECT p.uid_l, p.uid_r, {mw_cols} FROM {predictions.physical_name} p "  # noqa: S608
        f"JOIN {registered.physical_name} k ON p.uid_l = k.label_l AND p.uid_r = k.label_r",
        name,
    ).as_pyarrow_table()
    weights = _weights(model)
    levels = {
        f: _level_index(found.column(f"mw_{f}").to_numpy(zero_copy_only=False), weights[f])
        for f in fields
    }
    left, right = found.column("uid_l").to_pylist(), found.column("uid_r").to_pylist()
    return [
        ({f: int(levels[f][k]) for f in fields}, wanted[(left[k], right[k])])
        for k in range(found.num_rows)
    ]


def _spark(runner: _Engine, table: Any) -> Any:
    from lentera.linkage.spark import to_spark

    return to_spark(runner.db_api.spark, table)


def _reestimate_m(
    runner: _Engine,
    predictions: Any,
    model: DedupeModel,
    n: int,
    labels: Sequence[tuple[Mapping[str, int], bool]] = (),
) -> tuple[DedupeModel, Any, int]:
    """m and the prior by MAP-EM on the run's candidate pairs (agreement patterns)."""
    import numpy as np

    from lentera.linkage import em

    fields = list(model.levels)
    weights = _weights(model)
    mw_cols = ", ".join(f"mw_{f}" for f in fields)
    grouped = _query(
        runner,
        f"SELECT {mw_cols}, count(*) AS n FROM {predictions.physical_name} "  # noqa: S608
        f"GROUP BY {mw_cols}",
        f"__lentera_patterns_{predictions.physical_name}",
    )
    table = grouped.as_pyarrow_table()
    grouped.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    patterns = (
        np.stack(
            [
                _level_index(table.column(f"mw_{f}").to_numpy(zero_copy_only=False), weights[f])
                for f in fields
            ],
            axis=1,
        )
        if table.num_rows
        else np.zeros((0, len(fields)), dtype=np.int64)
    )
    counts = table.column("n").to_numpy(zero_copy_only=False).astype(float)
    n_candidates = int(counts.sum())
    label_values = np.full(len(counts), np.nan)
    if labels:
        extra = np.array([[lab[0][f] for f in fields] for lab in labels], dtype=np.int64)
        patterns = np.concatenate([patterns, extra])
        counts = np.concatenate([counts, np.ones(len(extra))])
        label_values = np.concatenate(
            [label_values, np.array([1.0 if same else 0.0 for _, same in labels])]
        )
    if not len(counts):
        return model, None, 0
    result = em.fit(
        patterns,
        counts,
        [len(model.levels[f]) for f in fields],
        [np.array([float(lv["m"]) for lv in model.levels[f]]) for f in fields],
        prior_strength=PRIOR_STRENGTH,
        start_u=[np.array([float(lv["u"]) for lv in model.levels[f]]) for f in fields],
        labels=label_values,
        label_weight=LABEL_WEIGHT,
    )
    levels = {
        f: [dict(lv, m=float(m)) for lv, m in zip(model.levels[f], result.m[i], strict=True)]
        for i, f in enumerate(fields)
    }
    matches_per_record = max(2.0 * result.expected_matches / max(n, 1), 1e-6)
    adapted = DedupeModel(
        model.version,
        matches_per_record,
        _distinct_weights(levels),
        f"{model.trained_on}; re-estimated on {n} records",
    )
    return adapted, result, n_candidates


def _rescore(runner: _Engine, predictions: Any, old: DedupeModel, new: DedupeModel, n: int) -> Any:
    """The candidate pairs scored again with the new model's weights (level by level)."""
    old_w, new_w = _weights(old), _weights(new)
    prior = new.prior(n)
    prior_weight = math.log2(prior / (1 - prior))
    remapped = {f: _remap_sql(f"mw_{f}", old_w[f], new_w[f]) for f in new.levels}
    tf = " + ".join(f"coalesce({c}, 0)" for c in _tf_columns(runner, predictions)) or "0"
    weight = f"{prior_weight!r} + {' + '.join(remapped.values())} + {tf}"
    name = f"__lentera_rescored_{predictions.physical_name}"
    tf_cols = "".join(f", {c}" for c in _tf_columns(runner, predictions))
    return _query(
        runner,
        f"SELECT uid_l, uid_r, {weight} AS match_weight, "  # noqa: S608 - names are ours
        f"{', '.join(f'{sql} AS mw_{f}' for f, sql in remapped.items())}{tf_cols} "
        f"FROM {predictions.physical_name}",
        name,
    )


def _tf_columns(runner: _Engine, predictions: Any) -> list[str]:
    return [c for c in predictions.columns_escaped if c.strip('"`').startswith("mw_tf_adj_")]


def _choose_threshold(runner: _Engine, scored: Any) -> tuple[float, float]:
    """The match probability that maximises the expected F1 over this run's candidate pairs."""
    import numpy as np

    from lentera.linkage import em

    hist = _query(
        runner,
        f"SELECT round(match_weight, 2) AS w, count(*) AS n FROM {scored.physical_name} "  # noqa: S608
        "GROUP BY 1",
        f"__lentera_hist_{scored.physical_name}",
    )
    table = hist.as_pyarrow_table()
    hist.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    w = table.column("w").to_numpy(zero_copy_only=False).astype(float)
    counts = table.column("n").to_numpy(zero_copy_only=False).astype(float)
    probability = 1.0 / (1.0 + np.exp2(-w))
    cut, expected = em.expected_f1_threshold(probability, counts)
    return min(max(cut, 0.5), 0.999), expected


def dedupe(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
    threshold: float | str = AUTO,
    engine: str = "duckdb",
    model: DedupeModel | Path | None = None,
    *,
    adapt: bool = True,
    seed: int = 1,
    labels: Iterable[tuple[str, str, bool]] = (),
) -> DedupeResult:
    """Find duplicate records: scored, explained pairs ≥ ``threshold`` and their clusters.

    ``records`` use the ``lentera link`` layout (:data:`INPUT_FIELDS`; any field but
    record_id may be empty), as rows or as columns by field name. ``model`` is a
    :class:`DedupeModel`, a model file, or None for the shipped default. Every record gets
    a cluster id: the smallest record_id in its cluster (a singleton its own id).

    With ``adapt`` (the default) the model is only the starting point: u is re-estimated
    by random sampling and m and the prior by EM on this run's candidate pairs, with the
    model as the prior (:mod:`lentera.linkage.em`). ``threshold="auto"`` chooses the
    threshold that maximises the expected F1 under the run's match-probability
    distribution; the result's ``report`` says which threshold was used and why.

    ``labels`` are reviewers' decisions — (record_id, record_id, same person?) — that
    enter the EM with their class fixed (see :func:`review_estimates` for what they say
    about the run's precision and recall).
    """
    auto = threshold == AUTO
    if not auto and not (isinstance(threshold, (int, float)) and 0.0 < threshold < 1.0):
        raise LenteraError("threshold", "the threshold is a probability between 0 and 1 or 'auto'")
    if isinstance(model, (str, Path)):
        model = load_model(Path(model))
    model = model or default_model()
    cols = prepare(records)
    ids = cols["uid"]
    n = len(ids)
    fixed = DEFAULT_THRESHOLD if auto else float(threshold)
    if n < 2:
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, False)
        return DedupeResult({i: i for i in ids}, [], fixed, model.version, report, model)
    runner = _Engine(engine)
    table = runner.register(cols)
    if not adapt:
        linker = runner.linker(table, _settings(model, runner.dialect, n))
        runner.register_blocked_pairs(linker, table)
        predictions = linker.inference.predict(
            threshold_match_probability=min(fixed, LINK_FLOOR), warning_mode="never"
        )
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, False)
        return _result(cols, predictions.as_pyarrow_table(), model, fixed, report)
    sampler = runner.linker(table, _settings(model, runner.dialect, n))
    prior_model = _reestimate_u(sampler, model, n, seed)
    prior_model = DedupeModel(
        prior_model.version,
        prior_model.matches_per_record,
        _distinct_weights(prior_model.levels),
        prior_model.trained_on,
    )
    linker = runner.linker(table, _settings(prior_model, runner.dialect, n))
    runner.register_blocked_pairs(linker, table)
    predictions = linker.inference.predict(warning_mode="never")
    labels = list(labels)
    labelled = _labelled_patterns(runner, predictions, prior_model, ids, labels)
    adapted, fitted, n_candidates = _reestimate_m(runner, predictions, prior_model, n, labelled)
    if fitted is None:  # no candidate pairs at all
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, True)
        return DedupeResult({i: i for i in ids}, [], fixed, model.version, report, adapted)
    scored = _rescore(runner, predictions, prior_model, adapted, n)
    expected = None
    if auto:
        fixed, expected = _choose_threshold(runner, scored)
    floor = min(fixed, LINK_FLOOR)  # links below the threshold still count against chaining
    prior_weight = math.log2(floor / (1 - floor))
    above = _query(
        runner,
        f"SELECT *, 1.0 / (1.0 + pow(2.0, -match_weight)) AS match_probability "  # noqa: S608
        f"FROM {scored.physical_name} WHERE match_weight >= {prior_weight!r}",
        f"__lentera_above_{scored.physical_name}",
    )
    report = RunReport(
        fixed,
        auto,
        expected,
        n_candidates,
        fitted.expected_matches,
        fitted.iterations,
        fitted.converged,
        True,
    )
    return _result(cols, above.as_pyarrow_table(), adapted, fixed, report, labels)


def _result(
    cols: Mapping[str, list[Any]],
    arrow: Any,
    model: DedupeModel,
    threshold: float,
    report: RunReport,
    labels: Iterable[tuple[str, str, bool]] = (),
) -> DedupeResult:
    """Explained pairs ≥ threshold and their clusters, from Splink's (or the rescored) pairs.

    Reviewers' decisions bind the clustering: a merge is a link, "not the same person"
    keeps the two records in different clusters.
    """
    ids = cols["uid"]
    missing = {f: (flags, flags) for f, flags in _missing(cols).items()}
    pairs = _pairs_from_table(arrow, model, threshold, missing, ids, ids)
    sorted_ids = sorted(range(len(ids)), key=ids.__getitem__)
    rank = [0] * len(ids)
    for r, i in enumerate(sorted_ids):
        rank[i] = r
    left = [rank[a] for a in arrow.column("uid_l").to_pylist()]
    right = [rank[b] for b in arrow.column("uid_r").to_pylist()]
    probs = arrow.column("match_probability").to_pylist()
    position = {uid: rank[i] for i, uid in enumerate(ids)}
    apart = []
    for a, b, same in labels:
        if a in position and b in position and a != b:
            if same:
                left.append(position[a])
                right.append(position[b])
                probs.append(1.0)
            else:
                apart.append((position[a], position[b]))
    roots, refused = cluster(
        len(ids), left, right, probs, threshold, link_floor=LINK_FLOOR, cannot_link=apart
    )
    clusters = {ids[i]: ids[sorted_ids[roots[rank[i]]]] for i in range(len(ids))}
    report = dataclasses.replace(report, refused_merges=refused)
    return DedupeResult(clusters, pairs, threshold, model.version, report, model)


@dataclass(frozen=True)
class ReviewEstimate:
    """What reviewers' decisions say about a run: precision and recall on the reviewed pairs."""

    reviewed: int  # reviewed pairs this run scored
    merged: int  # of which a reviewer said "same person"
    precision: float | None  # of reviewed pairs the run links, the share reviewers merged
    recall: float | None  # of reviewed pairs reviewers merged, the share the run links
    linked: int  # reviewed pairs the run links

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def review_estimates(
    result: DedupeResult, labels: Iterable[tuple[str, str, bool]]
) -> ReviewEstimate:
    """Estimated precision and recall of a run from the organisation's own reviewed pairs.

    A reviewed pair counts as linked when both records ended in one cluster. Reviewed
    pairs are not a random sample (reviewers see the doubtful ones), so these figures are
    estimates for the hard cases, usually below the run's overall precision and recall.
    """
    reviewed = merged = linked = linked_merged = 0
    for a, b, same in labels:
        if a not in result.clusters or b not in result.clusters or a == b:
            continue
        reviewed += 1
        together = result.clusters[a] == result.clusters[b]
        merged += bool(same)
        linked += together
        linked_merged += together and bool(same)
    return ReviewEstimate(
        reviewed=reviewed,
        merged=merged,
        precision=linked_merged / linked if linked else None,
        recall=linked_merged / merged if merged else None,
        linked=linked,
    )


class LinkPair(NamedTuple):
    """A record of file A and the record of file B it was linked to."""

    a_record_id: str
    b_record_id: str
    probability: float


def link(
    a: Iterable[Mapping[str, Any]],
    b: Iterable[Mapping[str, Any]],
    threshold: float | str = AUTO,
    *,
    one_to_one: bool = True,
    model: DedupeModel | Path | None = None,
) -> tuple[list[LinkPair], DedupeResult]:
    """Plaintext link of two files (e.g. two organisations that may share names).

    The two files are deduplicated as one (the model re-estimated on both), and the pairs
    that cross the files are kept — with ``one_to_one``, each record at most once, best
    first (for files without duplicates inside them). Returns the pairs and the run.
    """
    rows_a = [dict(r, record_id=f"a\x1f{r['record_id']}") for r in a]
    rows_b = [dict(r, record_id=f"b\x1f{r['record_id']}") for r in b]
    result = dedupe(rows_a + rows_b, threshold=threshold, model=model)
    cross = []
    for pair in result.pairs:
        left, right = pair.record_id_l, pair.record_id_r
        if left[0] == right[0]:
            continue
        if left[0] == "b":
            left, right = right, left
        cross.append(LinkPair(left[2:], right[2:], pair.probability))
    cross.sort(key=lambda p: (-p.probability, p.a_record_id, p.b_record_id))
    if not one_to_one:
        return cross, result
    used_a: set[str] = set()
    used_b: set[str] = set()
    out = []
    for pair in cross:
        if pair.a_record_id in used_a or pair.b_record_id in used_b:
            continue
        used_a.add(pair.a_record_id)
        used_b.add(pair.b_record_id)
        out.append(pair)
    return out, result


def find_candidates(
    new_record: Mapping[str, Any],
    existing_records: Iterable[Mapping[str, Any]],
    threshold: float = 0.5,
    model: DedupeModel | Path | None = None,
) -> list[ScoredPair]:
    """Existing records that may be the same person as ``new_record`` (intake check).

    Compares the new record with every existing record (no blocking, so nothing is missed
    for want of a shared key; a few thousand records take well under a second), best first.
    ``record_id_l`` is the new record's id. The prior is that of a data set of the existing
    records plus the new one.
    """
    if isinstance(model, (str, Path)):
        model = load_model(Path(model))
    model = model or default_model()
    existing = list(existing_records)
    if not existing:
        return []
    new_cols = prepare([new_record])
    old_cols = prepare(existing)
    runner = _Engine("duckdb")
    left = runner.register(new_cols)
    right = runner.register(old_cols)
    linker = runner.linker(left, _settings(model, runner.dialect, len(existing) + 1))
    scored = linker.inference.score_pairs(left, right)
    new_missing = _missing(new_cols)
    missing = {f: (new_missing[f], flags) for f, flags in _missing(old_cols).items()}
    pairs = _pairs_from_table(
        scored.as_pyarrow_table(), model, threshold, missing, new_cols["uid"], old_cols["uid"]
    )
    return [p for p in pairs if p.record_id_r != p.record_id_l]


def score_record_pairs(
    pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    model: DedupeModel | Path | None = None,
    n_records: int = 1000,
) -> list[ScoredPair]:
    """Score given pairs of records (no blocking, no threshold), in the order given.

    For explaining one pair to a caseworker, and for golden tests of the comparisons.
    The prior is that of an ``n_records`` data set. Up to a few thousand pairs (the
    pairs are scored as a cross product, then the diagonal is kept).
    """
    if isinstance(model, (str, Path)):
        model = load_model(Path(model))
    model = model or default_model()
    if not pairs:
        return []
    left_rows = [dict(a, record_id=str(i)) for i, (a, _) in enumerate(pairs)]
    right_rows = [dict(b, record_id=str(i)) for i, (_, b) in enumerate(pairs)]
    left_cols, right_cols = prepare(left_rows), prepare(right_rows)
    runner = _Engine("duckdb")
    left, right = runner.register(left_cols), runner.register(right_cols)
    linker = runner.linker(left, _settings(model, runner.dialect, n_records))
    scored = linker.inference.score_pairs(left, right).as_pyarrow_table()
    diagonal = scored.filter(_pc_equal(scored.column("uid_l"), scored.column("uid_r")))
    missing = {f: (flags, _missing(right_cols)[f]) for f, flags in _missing(left_cols).items()}
    out = _pairs_from_table(diagonal, model, 0.0, missing, left_cols["uid"], right_cols["uid"])
    out.sort(key=lambda p: int(p.record_id_l))
    originals = [(str(a.get("record_id", "")), str(b.get("record_id", ""))) for a, b in pairs]
    return [
        p._replace(record_id_l=originals[i][0], record_id_r=originals[i][1])
        for i, p in enumerate(out)
    ]


def _pc_equal(a: Any, b: Any) -> Any:
    import pyarrow.compute as pc

    return pc.equal(a, b)


def _pair_count(cols: Mapping[str, list[Any]], keys: tuple[str, ...]) -> int:
    counts = Counter(
        values for values in zip(*(cols[k] for k in keys), strict=True) if None not in values
    )
    return sum(c * (c - 1) // 2 for c in counts.values())


def _em_sessions(cols: Mapping[str, list[Any]]) -> list[tuple[str, ...]]:
    """Two EM passes that between them estimate every comparison.

    First pass: records sharing a phone, else a NIK (nearly all true matches, and it leaves
    names and dates free to be estimated), else a date of birth (then names are estimated
    there and dates in the second pass). Second pass: date of birth + first name (or, after
    a date pass, the phonetic name).
    """
    first = next((k for k in (("phone",), ("nik",)) if _pair_count(cols, k) >= 50), ("dob",))
    second = ("phon_sorted",) if first == ("dob",) else ("dob", "phon_first")
    return [first, second]


def train(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
    *,
    out: Path | None = None,
    engine: str = "duckdb",
    trained_on: str = "",
    seed: int = 1,
    max_pairs: float = 2e6,
) -> DedupeModel:
    """Estimate a model without labels: u by random sampling, m by EM on two blocking passes.

    The prior comes from deterministic rules (same NIK; same phonetic name and date of birth).
    Saved as JSON to ``out`` when given.
    """
    from splink import block_on

    cols = prepare(records)
    runner = _Engine(engine)
    table = runner.register(cols)
    linker = runner.linker(table, _settings(None, runner.dialect, len(cols["uid"])))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik"), block_on("phon_sorted", "dob")], recall=0.6
    )
    n_pairs = min(max_pairs, max(1e5, 50.0 * len(cols["uid"])))  # small files: fewer samples
    linker.training.estimate_u_using_random_sampling(max_pairs=n_pairs, seed=seed)
    for keys in _em_sessions(cols):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*keys), estimate_without_term_frequencies=True
        )
    n = len(cols["uid"])
    model = _model_from_settings(linker.misc.save_model_to_json(), trained_on or f"{n} records", n)
    if out is not None:
        model.save(Path(out))
    return model
