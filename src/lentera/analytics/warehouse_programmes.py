"""Fact tables of the work around the case: contacts, outreach, reintegration (schema 3).

Built by :func:`lentera.analytics.warehouse.build_warehouse` after the case facts. Every fact
table carries the columns the metric filters use (``month``, ``org_code``,
``origin_province_code``, ``sex``, ``age_band``, ``exploitation_types``), NULL or empty where
the topic has none, so a filter never fails on a missing column.

``f_contact``
    one row per contact (month received, codes, ``missing_person``, ``converted``)
``f_outreach``, ``f_outreach_topic``, ``f_outreach_attendance``
    one row per activity; per activity and topic; per activity, attendee sex and age band
    (``people``). ``origin_province_code`` is the place of the activity, so the ``province``
    filter applies to it.
``f_origin_reach``
    per organisation, month and province: survivors by origin (``survivors`` 1 per survivor)
    and outreach activities there (``activities`` 1 per activity)
``f_reintegration``
    one row per plan, ``month`` = month of return (the cohort), with poverty band of origin,
    support received, cost, time to first income, follow-up state and later departures
``f_followup``, ``f_rss_score``, ``f_rss_support``, ``f_departure``
    per follow-up, score, score and support type, departure, with the plan's dimensions and
    ``followup_point`` (months since return in the schedule's buckets 0, 3, 6, 12, 18+)
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers and code lists.

from __future__ import annotations

import duckdb

__all__ = ["LOST_OUTCOMES", "build_programme_facts"]

#: follow-up outcomes that count as loss to follow-up when they are a plan's latest
LOST_OUTCOMES = ("not_reached", "refused", "moved")

_NO_PERSON = "NULL::VARCHAR AS sex, NULL::VARCHAR AS age_band, []::VARCHAR[] AS exploitation_types"
_POINT = """CASE WHEN {m} IS NULL THEN NULL WHEN {m} < 2 THEN 'm0' WHEN {m} < 5 THEN 'm3'
    WHEN {m} < 9 THEN 'm6' WHEN {m} < 18 THEN 'm12' ELSE 'm18plus' END"""
#: the plan's dimensions every reintegration fact carries
_PLAN_COLS = """p.plan_key, p.person_key, p.org_code, p.return_month, p.sex, p.age_band,
    p.origin_province_code, p.origin_regency_code, p.poverty_band, p.poverty_pct, p.supports,
    []::VARCHAR[] AS exploitation_types"""


def build_programme_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Create the fact tables above from the snapshot tables already in ``con``."""
    con.execute(
        f"""CREATE TABLE f_contact AS
        SELECT contact_key, org_code, month, channel AS contact_channel,
               reporter AS contact_reporter, origin_province_code, origin_regency_code,
               concern AS contact_concern, risk AS contact_risk, urgency AS contact_urgency,
               status AS contact_status, nullif(outcome, '') AS contact_outcome,
               missing_person, converted, {_NO_PERSON}
        FROM contacts ORDER BY month, contact_key"""
    )
    people = " + ".join(
        f"{s}_{b}" for s in ("female", "male") for b in ("u18", "18_35", "36_59", "60p")
    )
    con.execute(
        f"""CREATE TABLE f_outreach AS
        SELECT activity_key, org_code, month, kind AS outreach_kind, province_code,
               regency_code, province_code AS origin_province_code, topics,
               ({people})::BIGINT AS people, {_NO_PERSON}
        FROM outreach ORDER BY month, activity_key"""
    )
    con.execute(
        """CREATE TABLE f_outreach_topic AS
        SELECT * EXCLUDE (topics, t), t AS outreach_topic FROM (
            SELECT *, unnest(CASE WHEN len(topics) = 0 THEN [NULL] ELSE topics END) AS t
            FROM f_outreach)
        ORDER BY month, activity_key, outreach_topic"""
    )
    cells = ", ".join(
        f"('{s}', '{b}', o.{s}_{b})"
        for s in ("female", "male")
        for b in ("u18", "18_35", "36_59", "60p")
    )
    con.execute(
        f"""CREATE TABLE f_outreach_attendance AS
        SELECT o.activity_key, o.org_code, o.month, o.kind AS outreach_kind, o.province_code,
               o.regency_code, o.province_code AS origin_province_code,
               c.sex, c.band AS attendee_age_band, c.people::BIGINT AS people,
               NULL::VARCHAR AS age_band, []::VARCHAR[] AS exploitation_types
        FROM outreach o, LATERAL (VALUES {cells}) AS c(sex, band, people)
        ORDER BY o.month, o.activity_key, c.sex, c.band"""
    )
    con.execute(
        """CREATE TABLE f_origin_reach AS
        SELECT org_code, month, origin_province_code, 1 AS survivors, 0 AS activities,
               sex, age_band, exploitation_types
        FROM f_survivor WHERE survivor_key IS NOT NULL AND coalesce(origin_province_code, '') <> ''
        UNION ALL
        SELECT org_code, month, province_code, 0, 1, NULL, NULL, []::VARCHAR[]
        FROM outreach
        ORDER BY 2, 3, 1"""
    )
    _reintegration(con)


def _reintegration(con: duckdb.DuckDBPyConnection) -> None:
    lost = ", ".join(f"'{o}'" for o in LOST_OUTCOMES)
    con.execute(
        f"""CREATE TABLE f_reintegration AS
        WITH pov AS (
            SELECT bps_province_code, poverty_pct FROM ref_poverty
            WHERE year = (SELECT max(year) FROM ref_poverty WHERE poverty_pct IS NOT NULL)
        ), latest AS (
            SELECT plan_key, arg_max(outcome, (month, sequence)) AS outcome,
                   bool_or(outcome = 'reached') AS reached, count(*) AS n
            FROM followups GROUP BY plan_key
        ), sc AS (
            SELECT plan_key, arg_min(composite, month) AS first_composite,
                   arg_max(composite, month) AS last_composite, count(*) AS n
            FROM rss_scores WHERE composite IS NOT NULL GROUP BY plan_key
        ), dep AS (
            SELECT plan_key, bool_or(kind = 're_migration') AS re_migrated,
                   bool_or(kind = 're_exploitation') AS re_exploited
            FROM departures GROUP BY plan_key
        )
        SELECT r.plan_key, r.person_key, r.org_code, r.return_month, r.return_month AS month,
               r.sex, r.age_band, r.origin_province_code, r.origin_regency_code,
               pov.poverty_pct,
               CASE WHEN pov.poverty_pct IS NULL THEN NULL
                    WHEN pov.poverty_pct < 7 THEN 'lt7'
                    WHEN pov.poverty_pct < 12 THEN 'p7_12' ELSE 'ge12' END AS poverty_band,
               list_sort(list_distinct(r.supports)) AS supports, r.cost, r.first_income_months,
               coalesce(latest.n, 0) AS followups, latest.outcome AS latest_outcome,
               latest.n IS NOT NULL AND latest.outcome <> 'deceased' AS followed,
               coalesce(latest.outcome IN ({lost}), false) AS lost,
               coalesce(latest.reached, false) AS reached,
               sc.first_composite, sc.last_composite, coalesce(sc.n, 0) AS scores,
               coalesce(dep.re_migrated, false) AS re_migrated,
               coalesce(dep.re_exploited, false) AS re_exploited,
               []::VARCHAR[] AS exploitation_types
        FROM reintegration r
        LEFT JOIN pov ON pov.bps_province_code = r.origin_province_code
        LEFT JOIN latest ON latest.plan_key = r.plan_key
        LEFT JOIN sc ON sc.plan_key = r.plan_key
        LEFT JOIN dep ON dep.plan_key = r.plan_key
        ORDER BY r.return_month, r.plan_key"""
    )
    con.execute(
        f"""CREATE TABLE f_followup AS
        SELECT {_PLAN_COLS}, f.month, f.sequence, f.months_since_return,
               {_POINT.format(m="f.months_since_return")} AS followup_point,
               f.outcome AS followup_outcome
        FROM followups f JOIN f_reintegration p ON p.plan_key = f.plan_key
        ORDER BY f.month, f.plan_key, f.sequence"""
    )
    con.execute(
        f"""CREATE TABLE f_rss_score AS
        SELECT {_PLAN_COLS}, s.month, s.months_since_return,
               {_POINT.format(m="s.months_since_return")} AS followup_point,
               s.economic, s.social, s.psychosocial, s.composite
        FROM rss_scores s JOIN f_reintegration p ON p.plan_key = s.plan_key
        ORDER BY s.month, s.plan_key"""
    )
    con.execute(
        """CREATE TABLE f_rss_support AS
        SELECT * EXCLUDE (supports, x), x AS support_type FROM (
            SELECT *, unnest(CASE WHEN len(supports) = 0 THEN [NULL] ELSE supports END) AS x
            FROM f_rss_score)
        ORDER BY month, plan_key, support_type"""
    )
    con.execute(
        f"""CREATE TABLE f_departure AS
        SELECT {_PLAN_COLS}, d.month, d.kind AS departure_kind, d.channel AS departure_channel,
               d.months_after_return
        FROM departures d JOIN f_reintegration p ON p.plan_key = d.plan_key
        ORDER BY d.month, d.plan_key, d.kind"""
    )
