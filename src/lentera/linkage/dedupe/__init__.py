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
regency + date (see :data:`BLOCKING_RULES`); looser keys (a name token + year + area, a
date alone…) only where few records share them.

The model (m and u probabilities per comparison level, and the prior) is a small JSON file
with a version string; the comparisons themselves are built by this module for the engine
in use, so one model file runs on DuckDB and on Spark. A default model trained on
synthetic records (:mod:`lentera.linkage.synthetic`) ships in ``data/``.

Modules, in pipeline order: :mod:`.features` (raw rows → feature columns), :mod:`.model`
(the model file and the result types), :mod:`.comparisons` (levels, blocking rules, Splink
settings), :mod:`.engine` (DuckDB/Spark and reading scored pairs), :mod:`.adapt` (re-estimation
on the data at hand), :mod:`.tokens` (a shared name token weighed by how common it is),
:mod:`.density` (links resting only on a name, year and area many
share), :mod:`.run` (dedupe, link, find_candidates, score_record_pairs, train).
"""

from lentera.linkage.dedupe.comparisons import BLOCKING_RULES
from lentera.linkage.dedupe.features import (
    BLOCK_CAP,
    CAPPED_KEYS,
    FEATURE_COLUMNS,
    INPUT_FIELDS,
    prepare,
)
from lentera.linkage.dedupe.model import (
    DEFAULT_THRESHOLD,
    MODEL_VERSION,
    DedupeModel,
    DedupeResult,
    FieldEvidence,
    RunReport,
    ScoredPair,
    ScoredPairs,
    default_model,
    load_model,
)
from lentera.linkage.dedupe.run import (
    AUTO,
    LINK_FLOOR,
    LinkPair,
    ReviewEstimate,
    dedupe,
    find_candidates,
    link,
    review_estimates,
    score_record_pairs,
    train,
)

__all__ = [
    "AUTO",
    "BLOCKING_RULES",
    "BLOCK_CAP",
    "CAPPED_KEYS",
    "DEFAULT_THRESHOLD",
    "FEATURE_COLUMNS",
    "INPUT_FIELDS",
    "LINK_FLOOR",
    "MODEL_VERSION",
    "DedupeModel",
    "DedupeResult",
    "FieldEvidence",
    "LinkPair",
    "ReviewEstimate",
    "RunReport",
    "ScoredPair",
    "ScoredPairs",
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
