"""The screened edit-distance levels reach the same level as Damerau-Levenshtein alone."""

from __future__ import annotations

import itertools

import duckdb
import pytest

from lentera.linkage.dedupe.comparisons import _screened_edit_distance, splink_settings
from lentera.linkage.dedupe.model import default_model


@pytest.mark.parametrize("k", [1, 2])
def test_screened_condition_equals_the_distance(k: int) -> None:
    # every string of up to three characters (one of them not ASCII), the empty one and NULL
    words = ["".join(w) for n in range(4) for w in itertools.product("ab1é", repeat=n)]
    con = duckdb.connect()
    con.execute("CREATE TABLE w (x VARCHAR)")
    con.executemany("INSERT INTO w VALUES (?)", [(x,) for x in words] + [(None,)])
    con.execute("CREATE TABLE t AS SELECT a.x AS x_l, b.x AS x_r FROM w a, w b")
    plain = f'damerau_levenshtein("x_l", "x_r") <= {k}'
    screened = _screened_edit_distance(plain)
    assert screened != plain
    level = "CASE WHEN x_l IS NULL OR x_r IS NULL THEN -1 WHEN {} THEN 1 ELSE 0 END"
    differ, linked = con.execute(
        f"SELECT sum(({level.format(screened)}) <> ({level.format(plain)})::int), "  # noqa: S608
        f"sum(({level.format(screened)}) = 1::int) FROM t"
    ).fetchone()
    assert differ == 0
    assert linked > 0


def test_duckdb_settings_screen_every_edit_distance_level() -> None:
    settings = splink_settings(default_model(), "duckdb", 100)
    conditions = [
        level["sql_condition"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if "damerau_levenshtein" in level["sql_condition"]
    ]
    assert conditions
    assert all("hamming" in c for c in conditions)
    spark = splink_settings(default_model(), "spark", 100)
    assert not any(
        "hamming" in level["sql_condition"]
        for comparison in spark["comparisons"]
        for level in comparison["comparison_levels"]
    )
