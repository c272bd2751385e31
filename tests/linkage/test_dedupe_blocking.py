"""Candidate pairs: a shared name token + the full date, or + the year and area (capped), or +
the year and day and month in either order (capped), finds pairs the other keys cannot."""

from __future__ import annotations

from typing import Any

from lentera.linkage import synthetic
from lentera.linkage.dedupe.comparisons import BLOCKING_RULES, blocking_rule_sql, splink_settings
from lentera.linkage.dedupe.engine import Engine, _rule_join
from lentera.linkage.dedupe.features import prepare
from lentera.linkage.dedupe.model import default_model

_GIVEN = ("Agus", "Budi", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko", "Kartika")
_FAMILY = ("Lubis", "Manurung", "Nasution", "Pardede", "Siregar", "Tambunan")


def _row(record_id: str, name: str, birth_date: str, regency: str = "") -> dict[str, Any]:
    return {
        "record_id": record_id,
        "full_name": name,
        "birth_date": birth_date,
        "origin_regency_code": regency,
    }


def _candidates(rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    cols = prepare(rows)
    runner = Engine("duckdb")
    table = runner.register(cols)
    linker = runner.linker(table, splink_settings(default_model(), runner.dialect, len(rows)))
    runner.register_blocked_pairs(linker, table)
    con = runner.db_api.duckdb_con
    pairs = con.execute(
        f"SELECT join_key_l, join_key_r FROM __lentera_blocked_{table.physical_name}"  # noqa: S608
    ).fetchall()
    ids = cols["uid"]
    return {tuple(sorted((ids[a], ids[b]))) for a, b in pairs}


def test_one_shared_token_and_the_date_make_a_candidate_where_the_date_is_common() -> None:
    # sixty people born on one day (a million records hold about 56 per date): the capped
    # date key is dropped, and these two names share neither first nor last name, initials,
    # rarest token nor phonetic form — only "Wulandari" and the date, no place
    rows = [
        _row(f"x{i}", f"{_GIVEN[i % 10]} {_FAMILY[i % 6]} {_GIVEN[(i // 10) % 10]}", "1990-05-17")
        for i in range(60)
    ]
    rows += [
        _row("a", "Siti Wulandari Rahayu", "1990-05-17"),
        _row("b", "Wulandari Pratiwi", "17-05-1990"),
    ]
    assert ("a", "b") in _candidates(rows)


def test_no_shared_token_no_candidate_on_a_common_date() -> None:
    rows = [_row(f"x{i}", f"{_GIVEN[i % 10]} {_FAMILY[i % 6]}", "1990-05-17") for i in range(60)]
    rows += [_row("a", "Siti Rahayu", "1990-05-17"), _row("b", "Wulan Pratiwi", "1990-05-17")]
    assert ("a", "b") not in _candidates(rows)


def test_one_shared_token_the_year_and_the_area_make_a_candidate_for_a_sparse_record() -> None:
    # an outreach note: a name written in another order with another second name, the year
    # only; the same regency. No rule on the date, the first or last name or the whole name
    # reaches it — only "Wulandari", 1990 and the regency
    rows = [
        _row("a", "Siti Wulandari Rahayu", "1990", "3204"),
        _row("b", "Wulandari Pratiwi", "17-05-1990", "3204"),
        _row("c", "Wulandari Pratiwi", "17-05-1990", "3273"),  # another regency
    ]
    found = _candidates(rows)
    assert ("a", "b") in found
    assert ("a", "c") not in found


def test_a_token_shared_by_many_in_one_year_and_area_makes_no_candidate() -> None:
    # twelve people with "Siti" as a middle name, born in 1990 in one regency: "Siti" + 1990
    # + the regency is dropped (more than BLOCK_CAP records share it), so two of them who
    # share nothing else are not paired
    rows = [
        _row(f"x{i}", f"{_GIVEN[i % 10]} Siti {_FAMILY[i % 6]}", "1990", "3204") for i in range(12)
    ]
    rows += [
        _row("a", "Rahayu Siti Aminah", "1990", "3204"),
        _row("b", "Pratiwi Siti Lestari", "03-02-1990", "3204"),
    ]
    assert ("a", "b") not in _candidates(rows)


def test_one_shared_token_the_year_and_swapped_day_and_month_make_a_candidate() -> None:
    # day and month swapped by the clerk, the name written with another second name, no
    # place: the swapped-date rule needs the whole name, the token + date rule the same
    # date, the token + year + area key an area — only "Wulandari", 1990 and {5, 7} are left
    rows = [
        _row("a", "Siti Wulandari Rahayu", "1990-05-07"),
        _row("b", "Wulandari Pratiwi", "1990-07-05"),
        _row("c", "Wulandari Pratiwi", "1991-07-05"),  # another year
        _row("d", "Wulandari Pratiwi", "1990-07-06"),  # another day
    ]
    found = _candidates(rows)
    assert ("a", "b") in found
    assert ("a", "c") not in found
    assert ("a", "d") not in found


def test_a_token_shared_by_many_in_one_year_and_day_and_month_makes_no_candidate() -> None:
    # twelve people with "Siti" as a middle name born on 7 May or 5 July 1990: "Siti" + 1990
    # + {5, 7} is dropped (more than BLOCK_CAP records share it)
    rows = [
        _row(
            f"x{i}", f"{_GIVEN[i % 10]} Siti {_FAMILY[i % 6]}", ("1990-05-07", "1990-07-05")[i % 2]
        )
        for i in range(12)
    ]
    rows += [
        _row("a", "Rahayu Siti Aminah", "1990-05-07"),
        _row("b", "Pratiwi Siti Lestari", "1990-07-05"),
    ]
    assert ("a", "b") not in _candidates(rows)


def test_rules_for_a_column_missing_on_one_side_join_the_same_pairs() -> None:
    # such a rule joins only the records lacking the column with all others: same pairs as
    # joining every two records on the keys and then testing the condition
    data = synthetic.generate(3000, seed=5)
    cols = prepare({k: list(v) for k, v in data.columns.items()})
    runner = Engine("duckdb")
    table = runner.register(cols).physical_name
    con = runner.db_api.duckdb_con
    checked = 0
    for i, (keys, condition) in enumerate(BLOCKING_RULES):
        plain = (
            f"SELECT {i} AS rule, l.uid AS a, r.uid AS b FROM {table} l "  # noqa: S608
            f"JOIN {table} r ON {blocking_rule_sql(keys, condition)} AND l.uid < r.uid"
        )
        expected = sorted(con.execute(plain).fetchall())
        joined = con.execute(_rule_join(i, keys, condition, table)).fetchall()
        assert sorted(set(joined)) == expected  # a pair lacking it on both sides comes twice
        checked += bool(condition) and bool(expected)
    assert checked >= 3
