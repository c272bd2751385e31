"""The dedupe model (m/u per comparison level and the prior) and the result types of a run.

The model is a small JSON file with a version string (:data:`MODEL_VERSION`); a default
trained on synthetic records ships in ``lentera/linkage/data/dedupe_model.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, overload

from lentera.errors import LenteraError

#: /2 (2026-12-03): NIKs two digits apart, two name tokens agreeing in any order, and names
#: similar as strings split by their number of tokens are levels of their own (a /1 file
#: has no m and u for them: retrain it, or use the default)
MODEL_VERSION = "lentera-dedupe/2"
DEFAULT_THRESHOLD = 0.95
#: how a field's weight was adjusted for the pair, by field (the run's corrections after scoring)
_ADJUSTED = {
    "name": "adjusted for how common the name is",
    "place": "adjusted for how many records come from the place",
}


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


class ScoredPairs(Sequence[ScoredPair]):
    """Explained pairs kept as arrays; each :class:`ScoredPair` is built when it is read.

    A million-record run links hundreds of thousands of pairs, each with an evidence tuple
    per field: building them all as Python objects cost more than the clustering. Here
    the pairs are positions, probabilities, weights and, per field, the index of the
    level reached (and the term-frequency adjustment, if any); reading a pair gives the
    same :class:`ScoredPair` as a list would, in the same order (best first).
    """

    def __init__(
        self,
        ids: tuple[Sequence[str], Sequence[str]],
        arrays: tuple[Any, Any, Any, Any],
        fields: Sequence[tuple[str, Sequence[FieldEvidence], Any, Any]],
    ) -> None:
        self._ids_l, self._ids_r = ids
        left, right, prob, weight = arrays
        self._left, self._right = left.tolist(), right.tolist()
        self._prob, self._weight = prob.tolist(), weight.tolist()
        # per field: name, evidence per level index (last: missing), level index, tf adj
        self._fields = [
            (name, row, index.tolist(), None if tf is None else tf.tolist())
            for name, row, index, tf in fields
        ]
        self._memo: dict[tuple[str, int, float], FieldEvidence] = {}

    def __len__(self) -> int:
        return len(self._left)

    def _evidence(self, i: int) -> tuple[FieldEvidence, ...]:
        out = []
        for name, row, index, tf in self._fields:
            level = index[i]
            base = row[level]
            adj = 0.0 if tf is None else tf[i]
            if adj == 0.0 or level == len(row) - 1:
                out.append(base)
                continue
            key = (name, level, round(adj, 2))
            if key not in self._memo:
                self._memo[key] = FieldEvidence(
                    name,
                    base.level,
                    f"{base.label} ({_ADJUSTED.get(name, 'adjusted')})",
                    round(base.match_weight + adj, 2),
                )
            out.append(self._memo[key])
        return tuple(out)

    def _pair(self, i: int) -> ScoredPair:
        return ScoredPair(
            self._ids_l[self._left[i]],
            self._ids_r[self._right[i]],
            self._prob[i],
            self._weight[i],
            self._evidence(i),
        )

    @overload
    def __getitem__(self, i: int) -> ScoredPair: ...
    @overload
    def __getitem__(self, i: slice) -> list[ScoredPair]: ...
    def __getitem__(self, i: int | slice) -> ScoredPair | list[ScoredPair]:
        if isinstance(i, slice):
            return [self._pair(k) for k in range(len(self))[i]]
        return self._pair(range(len(self))[i])

    def __iter__(self) -> Iterator[ScoredPair]:
        return (self._pair(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class DedupeResult:
    """Clusters for every input record, and the pairs at or above the threshold."""

    clusters: dict[str, str]  # record_id → cluster_id (the smallest record_id in the cluster)
    pairs: Sequence[ScoredPair]  # a list, or ScoredPairs (built when read)
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
                f"dedupe model version {version!r}; this Lentera reads {MODEL_VERSION} "
                "(its comparisons have other levels): train a new model on the records "
                "(lentera link dedupe IN.csv --train --model FILE) or use the shipped one",
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


def level_weights(levels: Sequence[Mapping[str, Any]]) -> list[float]:
    """Each level's match weight, log2(m / u), in the order of ``levels``."""
    return [math.log2(float(lv["m"]) / float(lv["u"])) for lv in levels]


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


def model_from_settings(
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
    density_lowered: int = 0  # key-only pairs weakened: their key denser than the model expects

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
            "density_lowered": self.density_lowered,
        }


def resolve_model(model: DedupeModel | Path | str | None) -> DedupeModel:
    """The model to run with: a :class:`DedupeModel` as given, a model file read, None the default."""
    if isinstance(model, (str, Path)):
        return load_model(Path(model))
    return model or default_model()
