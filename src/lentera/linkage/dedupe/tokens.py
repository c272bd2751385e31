"""Shared name tokens, weighed by how common the shared token is.

The name comparison adjusts for frequency only when the whole name agrees (Splink's
term-frequency adjustment on the full name). Its partial levels — one name token agrees,
first and last names agree, names similar — have one u each, so two records sharing
"Siti" or "Muhammad" count as much as two sharing "Wulandari": with a full date of birth
and an area, a common token shared by two different people is enough for a link in a
large file.

This is Winkler's value-specific frequency, the term-frequency adjustment generalised to
a shared token. For a pair whose name reached one of :data:`ADJUSTED_LEVELS` and whose
phonetic names share a token, the level's average u is replaced by a u proportional to
``p``, the share of records carrying the rarest shared token, scaled so that its average
over tokens as they occur in the file is the level's u (neutral on average, as the
term-frequency adjustment is): the weight changes by ``log2(p̄ / p)`` bits, ``p̄`` the
mean of ``p`` over the file's token occurrences, at most :data:`CAP_UP` up and
:data:`CAP_DOWN` down. When both records come from one area, ``p`` is the token's share
among that area's other records (the pair's own two left out), shrunk towards the file's
share by :data:`AREA_PRIOR` records: the place comparison has already counted the area,
and names cluster by region, so a token common in the area is weaker evidence there than
its share of the file says; the weight may then go down to :data:`CAP_DOWN_AREA`.
Pairs at those levels sharing no token (names similar only in spelling) are left as
they are. The change is added to the match weight and shown in the name's
term-frequency adjustment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lentera.linkage.dedupe.adapt import level_sql
from lentera.linkage.dedupe.engine import Engine, Scratch

#: the name levels (by label, see ``comparisons.py``) whose weight depends on the shared token
ADJUSTED_LEVELS = frozenset(
    {
        "first and last names agree, middle differs",
        "names similar (Jaro-Winkler ≥ 0.8), as many tokens",
        "names similar (Jaro-Winkler ≥ 0.8), tokens added or left out",
        "one name token agrees",
    }
)
#: the most a shared token's frequency takes from (resp. adds to) the pair's weight, in bits;
#: read from the file alone it takes at most one bit (in a small file such as FEBRL3 more
#: lost true links whose shared first name is common)
CAP_DOWN = -1.0
CAP_UP = 2.0
#: the most it takes when the token's share is read among the records of the pair's area
CAP_DOWN_AREA = -4.0
#: records' worth of the file's share of a token in its share among one area's records
AREA_PRIOR = 100.0

_SPLIT = {
    "duckdb": "unnest(string_split(phon_sorted, ' '))",
    "spark": "explode(split(phon_sorted, ' '))",
}


def token_adjust(
    runner: Engine, scored: Any, features: Any, name_levels: Sequence[Mapping[str, Any]]
) -> tuple[Any, int]:
    """``scored`` with the weight of partial name agreement set by the shared token's frequency.

    ``scored``: the rescored candidate pairs (``uid_l``, ``uid_r``, ``match_weight``,
    ``mw_name``…); ``features``: the run's feature table; ``name_levels``: the name's levels
    of the model that scored them (``label``, ``m``, ``u``). Returns the new table (same
    columns) and the number of pairs adjusted.
    """
    adjusted = [i + 1 for i, lv in enumerate(name_levels) if lv.get("label") in ADJUSTED_LEVELS]
    if not adjusted:
        return scored, 0
    s, f = scored.physical_name, features.physical_name
    level = level_sql("mw_name", name_levels)
    scratch = Scratch(runner, scored)
    keep = scratch.keep
    tokens = keep(
        f"SELECT DISTINCT uid, area, token FROM (SELECT uid, area, "  # noqa: S608
        f"{_SPLIT[runner.dialect]} AS token FROM {f} WHERE phon_sorted IS NOT NULL) x",
        "name_tokens",
    )
    counts = keep(
        f"SELECT token, count(*) AS n_t FROM {tokens} GROUP BY token",  # noqa: S608
        "token_counts",
    )
    area_counts = keep(
        f"SELECT token, area, count(*) AS n_ta FROM {tokens} "  # noqa: S608
        "WHERE area IS NOT NULL GROUP BY token, area",
        "token_area_counts",
    )
    areas = keep(
        f"SELECT area, count(*) AS n_a FROM {f} WHERE phon_sorted IS NOT NULL "  # noqa: S608
        "AND area IS NOT NULL GROUP BY area",
        "token_areas",
    )
    n_named = keep(
        f"SELECT count(*) AS n, (SELECT sum(CAST(n_t AS DOUBLE) * n_t) / sum(n_t) FROM {counts}) "  # noqa: S608
        f"AS mean_t FROM {f} WHERE phon_sorted IS NOT NULL",
        "token_file",
    )
    pairs = keep(
        f"SELECT uid_l, uid_r, CAST({level} AS INT) AS level FROM {s} "  # noqa: S608
        f"WHERE mw_name <> 0 AND CAST({level} AS INT) IN ({', '.join(map(str, adjusted))})",
        "token_pairs",
    )
    # one join at a time: the left record's tokens, those the right record shares, their counts
    left = keep(
        f"SELECT p.uid_l, p.uid_r, p.level, t.token, t.area FROM {pairs} p "  # noqa: S608
        f"JOIN {tokens} t ON p.uid_l = t.uid",
        "token_left",
    )
    k = AREA_PRIOR
    share = (
        f"CASE WHEN l.area = t.area THEN (ca.n_ta - 2 + {k!r} * c.n_t / z.n) "
        f"/ (a.n_a - 2 + {k!r}) ELSE CAST(c.n_t AS DOUBLE) / z.n END"
    )
    shared = keep(
        f"SELECT l.uid_l, l.uid_r, l.level, min({share}) AS p_t, min(z.mean_t / z.n) AS ref, "  # noqa: S608
        "max(CASE WHEN l.area = t.area THEN 1 ELSE 0 END) AS one_area "
        f"FROM {left} l JOIN {tokens} t ON l.uid_r = t.uid AND l.token = t.token "
        f"JOIN {counts} c ON l.token = c.token CROSS JOIN {n_named} z "
        f"LEFT JOIN {area_counts} ca ON l.token = ca.token AND l.area = ca.area "
        f"LEFT JOIN {areas} a ON l.area = a.area "
        "GROUP BY l.uid_l, l.uid_r, l.level",
        "token_shared",
    )
    return scratch.add_bits(
        f"SELECT uid_l, uid_r, least({CAP_UP!r}, greatest(CASE WHEN one_area = 1 "  # noqa: S608
        f"THEN {CAP_DOWN_AREA!r} ELSE {CAP_DOWN!r} END, log2(ref / p_t))) AS token_bits "
        f"FROM {shared}",
        "token_bits",
        "tokens",
    )
