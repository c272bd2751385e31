"""The Splink comparisons (levels and their labels), the blocking rules, and the settings dict.

The comparisons are built here for the engine in use, so one model file runs on DuckDB and
on Spark; the level labels are the model's schema (:func:`splink_settings` refuses a model
whose labels differ).
"""

from __future__ import annotations

import re
from typing import Any

from lentera.errors import LenteraError
from lentera.linkage.dedupe.model import DedupeModel


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

    def digits(col: str, one: str, some: str, many: str, two: bool = False) -> Any:
        """A number typed by hand (NIK, phone): same, one digit apart (a typo), or different.

        With ``two``, also two digits apart: a NIK mistyped twice or misread from a
        relative's card. Two people's NIKs differ in the date, district or serial (several
        digits even for neighbours born the same year); two digits apart is nearly always
        one person (100,000 synthetic records: 3,281 of 3,288 candidate pairs).
        """
        near = [
            cll.DamerauLevenshteinLevel(col, 2).configure(
                label_for_charts=f"{some} two digits apart"
            )
        ]
        return comparison(
            col,
            [
                cll.NullLevel(col),
                exact(col, f"same {one}"),
                cll.DamerauLevenshteinLevel(col, 1).configure(
                    label_for_charts=f"{some} one digit apart"
                ),
                *(near if two else []),
                cll.ElseLevel().configure(label_for_charts=f"{many} differ"),
            ],
        )

    def tokens(col: str, test: str) -> Any:
        """The number of space-separated tokens both sides share, tested (written for
        DuckDB; sqlglot writes the Spark form)."""
        return cll.CustomLevel(
            f"array_length(array_intersect(string_split({col}_l, ' '), "
            f"string_split({col}_r, ' '))) {test}",
            base_dialect_str="duckdb",
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
                # a middle or family name agrees besides another token, or a token is added
                # or left out: half of such candidate pairs are one person, against one in
                # twenty where only Jaro-Winkler ≥ 0.8 or one token agrees
                tokens("phon_sorted", ">= 2").configure(
                    label_for_charts="two name tokens agree, in any order"
                ),
                # similar as strings, split by the number of tokens: the same number with at
                # most one shared (a typo, or another name alike), or a token added or left
                # out (nearly always namesakes sharing a common first name: Agus Santoso,
                # Agus Budi Susanto)
                cll.And(
                    cll.JaroWinklerLevel("name_core", 0.8),
                    cll.CustomLevel(
                        "array_length(string_split(phon_sorted_l, ' ')) "
                        "= array_length(string_split(phon_sorted_r, ' '))",
                        base_dialect_str="duckdb",
                    ),
                ).configure(label_for_charts="names similar (Jaro-Winkler ≥ 0.8), as many tokens"),
                cll.JaroWinklerLevel("name_core", 0.8).configure(
                    label_for_charts="names similar (Jaro-Winkler ≥ 0.8), tokens added or left out"
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
        digits("nik", "NIK", "NIK", "NIKs", two=True),
        digits("phone", "phone", "phones", "phones"),
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


#: any phonetic name token + the full date of birth: finds pairs whose names agree on one
#: token only (rotated, shortened, mistyped elsewhere) where a date alone makes blocks too big
#: for the capped key (about 56 records share each date in a million; a token and a date,
#: a handful). On DuckDB it is joined from one row per token (``Engine.register_blocked_pairs``).
TOKEN_DATE_RULE = {
    "duckdb": "l.dob = r.dob AND "
    "list_has_any(string_split(l.phon_sorted, ' '), string_split(r.phon_sorted, ' '))",
    "spark": "l.dob = r.dob AND "
    "arrays_overlap(split(l.phon_sorted, ' '), split(r.phon_sorted, ' '))",
}


#: capped keys of one name token each (``blk_…`` columns of space-separated key numbers,
#: :func:`.features._capped_token_keys`; a key shared by more than BLOCK_CAP records is
#: dropped, so each block has at most BLOCK_CAP·(BLOCK_CAP−1)/2 pairs however large the data):
#:
#: - ``blk_token_year_area``: any phonetic name token + birth year + area — sparse records
#:   whose names agree on one token and whose dates do not agree to the day (one known only
#:   to the year), in one area;
#: - ``blk_token_year_dm``: any phonetic name token + birth year + day and month in either
#:   order — day and month swapped where the names agree on one token only (the
#:   swapped-date rule above needs the whole phonetic name), area or not.
TOKEN_KEY_COLUMNS = ("blk_token_year_area", "blk_token_year_dm")


def token_key_rule(column: str, dialect: str) -> str:
    """The blocking rule of a capped token key column: the two records share a key."""
    if dialect == "spark":
        return f"arrays_overlap(split(l.{column}, ' '), split(r.{column}, ' '))"
    return f"list_has_any(string_split(l.{column}, ' '), string_split(r.{column}, ' '))"


def blocking_rule_sql(keys: tuple[str, ...], condition: str) -> str:
    sql = " AND ".join(f"l.{k} = r.{k}" for k in keys)
    return f"{sql} AND ({condition})" if condition else sql


#: an edit-distance level as Splink writes it for DuckDB (columns quoted, a bound of k edits)
_EDIT_DISTANCE = re.compile(r'damerau_levenshtein\(("[^"]+"), ("[^"]+")\) <= (\d+)')


def _screened_edit_distance(sql: str) -> str:
    """The same condition, with a cheap test first that every pair within k edits passes.

    Strings within k edits (insertions, deletions, substitutions, adjacent swaps) differ in
    length by at most k, and strings of equal length within k edits differ in at most 2k
    positions (each substitution one, each swap two). DuckDB's Damerau-Levenshtein costs
    about a microsecond a pair (a third of the comparisons' cost on a million records); the
    length and Hamming tests cost a few hundredths, and the distance is computed only for
    the few pairs that pass them. The level reached is the same for every pair.
    """

    def screened(match: re.Match[str]) -> str:
        a, b, k = match.group(1), match.group(2), int(match.group(3))
        return (
            f"(CASE WHEN length({a}) <> length({b}) THEN abs(length({a}) - length({b})) <= {k} "
            f"WHEN length({a}) = 0 THEN true ELSE hamming({a}, {b}) <= {2 * k} END "
            f"AND {match.group(0)})"
        )

    return _EDIT_DISTANCE.sub(screened, sql)


def splink_settings(model: DedupeModel | None, dialect: str, n_records: int) -> dict[str, Any]:
    from splink import SettingsCreator

    # Splink accepts SQL strings for blocking rules; its annotation names only its creator types
    rules: list[Any] = [blocking_rule_sql(*rule) for rule in BLOCKING_RULES]
    rules.append(TOKEN_DATE_RULE[dialect])
    rules.extend(token_key_rule(column, dialect) for column in TOKEN_KEY_COLUMNS)
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=list(rules),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=(
            model.prior(n_records) if model else min(0.5, 1.0 / max(1, n_records - 1))
        ),
    )
    settings = creator.create_settings_dict(dialect)
    if dialect == "duckdb":
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                level["sql_condition"] = _screened_edit_distance(level["sql_condition"])
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
