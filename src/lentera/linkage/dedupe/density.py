"""Namesakes: a link resting only on name, birth year and area, weighed by who else shares them.

The model scores fields as if they were independent and adjusts the name only by its
frequency in the whole file. Names cluster by region and birth cohort, and the number of
people sharing a name, a birth year and an area grows with the file: in a large file a
pair whose only evidence is that key is often two namesakes, whatever the model says.

A pair is *key-only* when nothing but the key identifies it: the same phonetic name, no
NIK or phone agreeing (not even one digit apart), no father's name agreeing, and the day
of birth unknown on at least one side. Its key is the phonetic name plus each of birth
year and area that both records carry (they must then agree).

For such a pair, the records that share the key with a record are its own copies (the
same person written again) and its namesakes. Counting them as two independent Poisson
streams, the share of a record's key-sharers that are copies — the probability that a
key-only pair is one person — is ``d / (d + μ)``, where ``d`` is the number of copies a
record has (the run's own estimate: matches per record) and ``μ`` the namesakes expected
to share its key. ``μ`` is read from the same name *outside* the key, because the key's
own records are mostly copies of one person: for name + year + area, the name's records
in that area born in other years, scaled by the year's share of the file (names are
concentrated by area, and that concentration is what the model misses); for name + year,
the name's records of other years likewise; for name + area, the name's records in other
areas scaled by the area's share; for the name alone, its other records.

The pair's odds become at most ``d / μ``: links only become weaker, never stronger, and
only key-only links whose key has namesakes to expect. The correction (bits, ≤ 0) is
added to the match weight and shown in the name's term-frequency adjustment (the name is
what is common there); the run's report counts the pairs lowered.
"""

from __future__ import annotations

from typing import Any

from lentera.linkage.dedupe.engine import Engine, Scratch

#: per record, how many records share each part of a key with it
_COUNTS = {
    "n_p": ("phon_sorted",),
    "n_py": ("phon_sorted", "birth_year"),
    "n_pa": ("phon_sorted", "area"),
    "n_pya": ("phon_sorted", "birth_year", "area"),
    "n_y": ("birth_year",),
    "n_a": ("area",),
}
#: both records carry the year (resp. the area): then it is part of the pair's key
_HAS_YEAR = "l.birth_year IS NOT NULL AND r.birth_year IS NOT NULL"
_HAS_AREA = "l.area IS NOT NULL AND r.area IS NOT NULL"
#: the pair's only evidence is the key (see the module docstring)
_KEY_ONLY = (
    "(l.dob IS NULL OR r.dob IS NULL) AND l.phon_sorted = r.phon_sorted "
    f"AND (NOT ({_HAS_YEAR}) OR l.birth_year = r.birth_year) "
    f"AND (NOT ({_HAS_AREA}) OR l.area = r.area)"
)


def namesakes_sql(n: int, copies: float) -> str:
    """SQL: the namesakes expected to share a key-only pair's key (``l``'s counts)."""
    nf = f"CAST({float(n)!r} AS DOUBLE)"
    return (
        f"CASE WHEN {_HAS_YEAR} AND {_HAS_AREA} "
        f"THEN (l.n_pa - l.n_pya) * l.n_y / nullif({nf} - l.n_y, 0) "
        f"WHEN {_HAS_YEAR} THEN (l.n_p - l.n_py) * l.n_y / nullif({nf} - l.n_y, 0) "
        f"WHEN {_HAS_AREA} THEN (l.n_p - l.n_pa) * l.n_a / nullif({nf} - l.n_a, 0) "
        f"ELSE greatest(l.n_p - 1.0 - {copies!r}, 0.0) END"
    )


def density_adjust(
    runner: Engine, scored: Any, features: Any, n: int, matches_per_record: float
) -> tuple[Any, int]:
    """``scored`` with each key-only pair's odds capped at copies / namesakes of its key.

    ``scored``: the rescored candidate pairs (``uid_l``, ``uid_r``, ``match_weight``,
    ``mw_<field>``…); ``features``: the run's feature table. Returns the new table (same
    columns) and the number of pairs lowered.
    """
    d = float(matches_per_record)
    if d <= 0.0:
        return scored, 0
    s, f = scored.physical_name, features.physical_name
    scratch = Scratch(runner, scored)
    tables = []
    for name, cols in _COUNTS.items():
        keys = ", ".join(cols)
        known = " AND ".join(f"{c} IS NOT NULL" for c in cols)
        table = scratch.keep(
            f"SELECT {keys}, count(*) AS {name} FROM {f} WHERE {known} GROUP BY {keys}",  # noqa: S608
            f"keycount_{name}",
        )
        on = " AND ".join(f"{name}.{c} = f.{c}" for c in cols)
        tables.append(f"LEFT JOIN {table} {name} ON {on}")
    counted = scratch.keep(
        "SELECT f.uid, f.phon_sorted, f.birth_year, f.area, f.dob, "  # noqa: S608
        f"{', '.join(f'{name}.{name}' for name in _COUNTS)} FROM {f} f {' '.join(tables)} "
        "WHERE f.phon_sorted IS NOT NULL",
        "keycounts",
    )
    # one join at a time: joined at once, the planner pairs the records by name first
    fields = ", ".join(f"l.{c} AS {c}" for c in ("phon_sorted", "birth_year", "area", "dob"))
    counts = ", ".join(f"l.{c} AS {c}" for c in _COUNTS)
    left = scratch.keep(
        f"SELECT s.uid_l, s.uid_r, s.match_weight, {fields}, {counts} FROM {s} s "  # noqa: S608
        f"JOIN {counted} l ON s.uid_l = l.uid "
        "WHERE s.mw_name > 0 AND s.mw_nik <= 0 AND s.mw_phone <= 0 AND s.mw_father <= 0",
        "density_left",
    )
    mu = namesakes_sql(n, d)
    return scratch.add_bits(
        f"SELECT uid_l, uid_r, least(0.0, log2({d!r} / mu) - match_weight) AS density "  # noqa: S608
        f"FROM (SELECT l.uid_l, l.uid_r, l.match_weight, {mu} AS mu FROM {left} l "
        f"JOIN {counted} r ON l.uid_r = r.uid WHERE {_KEY_ONLY}) "
        f"WHERE mu > 0 AND log2({d!r} / mu) < match_weight",
        "density",
        "density",
    )
