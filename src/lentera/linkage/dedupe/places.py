"""A shared place, weighed by how many records come from it.

The place levels "same regency (and birth place)" and "same birth place" have one u
each: the chance that two records of different people share a place, averaged over the
file. Records do not come from places evenly (one organisation's survivors come mostly
from a few regencies), so two different people of a regency that gives a tenth of the
records share it far more often than that average says, and every other agreement of a
pair from there (the same birth date, one shared name token) has many more namesakes to
come from. This is the term-frequency adjustment of the name applied to the place: for a
pair at :data:`REGENCY_LEVELS` the u of the level is replaced by one proportional to the
regency's share ``p`` of the records that carry a regency, at :data:`BIRTH_PLACE_LEVELS`
by the birth place's share, scaled so that its average over the records as they occur in
the file is the level's u: the weight changes by ``log2(p̄ / p)`` bits, ``p̄`` the mean
share over the file's records. Only down (a rare place is not made stronger evidence than
the model says), at most :data:`CAP_DOWN` bits. The change is added to the match weight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lentera.linkage.dedupe.adapt import level_sql
from lentera.linkage.dedupe.engine import Engine, Scratch

#: the place levels (by label, see ``comparisons.py``) weighed by the regency's share
REGENCY_LEVELS = frozenset({"same regency and birth place", "same regency"})
#: the place levels weighed by the birth place's share
BIRTH_PLACE_LEVELS = frozenset({"same birth place"})
#: the most a crowded place takes from a pair's weight, in bits
CAP_DOWN = -4.0


def place_adjust(
    runner: Engine, scored: Any, features: Any, place_levels: Sequence[Mapping[str, Any]]
) -> tuple[Any, int]:
    """``scored`` with the weight of a shared place lowered where the place is crowded.

    ``scored``: the rescored candidate pairs (``uid_l``, ``uid_r``, ``match_weight``,
    ``mw_place``…); ``features``: the run's feature table; ``place_levels``: the place's
    levels of the model that scored them (``label``, ``m``, ``u``). Returns the new table
    (same columns) and the number of pairs lowered.
    """
    by_column = {
        "regency": [
            i + 1 for i, lv in enumerate(place_levels) if lv.get("label") in REGENCY_LEVELS
        ],
        "birth_place": [
            i + 1 for i, lv in enumerate(place_levels) if lv.get("label") in BIRTH_PLACE_LEVELS
        ],
    }
    if not any(by_column.values()):
        return scored, 0
    s, f = scored.physical_name, features.physical_name
    level = level_sql("mw_place", place_levels)
    scratch = Scratch(runner, scored)
    keep = scratch.keep
    wanted = sorted(i for levels in by_column.values() for i in levels)
    pairs = keep(
        f"SELECT uid_l, uid_r, CAST({level} AS INT) AS level FROM {s} "  # noqa: S608
        f"WHERE mw_place <> 0 AND CAST({level} AS INT) IN ({', '.join(map(str, wanted))})",
        "place_pairs",
    )
    parts = []
    for column, levels in by_column.items():
        if not levels:
            continue
        counts = keep(
            f"SELECT {column} AS v, count(*) AS n_v FROM {f} "  # noqa: S608
            f"WHERE {column} IS NOT NULL GROUP BY {column}",
            f"place_counts_{column}",
        )
        file = keep(
            f"SELECT CAST(sum(n_v) AS DOUBLE) AS n, "  # noqa: S608
            f"sum(CAST(n_v AS DOUBLE) * n_v) / sum(n_v) AS mean_v FROM {counts}",
            f"place_file_{column}",
        )
        parts.append(
            f"SELECT p.uid_l, p.uid_r, greatest({CAP_DOWN!r}, least(0.0, "  # noqa: S608
            f"log2(z.mean_v / c.n_v))) AS place_bits FROM {pairs} p "
            f"JOIN {f} r ON p.uid_l = r.uid JOIN {counts} c ON r.{column} = c.v "
            f"CROSS JOIN {file} z WHERE p.level IN ({', '.join(map(str, levels))})"
        )
    return scratch.add_bits(" UNION ALL ".join(parts), "place_bits", "places", field="place")
