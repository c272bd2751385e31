"""Deadline computation of the legal-process timeline (UU 21/2007 Pasal 48 ayat (6), 50; PP 7/2018)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lentera.law.calendar import is_working_day
from lentera.law.process import Step, load_process_rules, parse_process_rules, timeline

D = dt.date


def _deadline(tl, deadline_id, survivor=1):
    found = [d for d in tl.deadlines if d.id == deadline_id and d.survivor == survivor]
    assert len(found) == 1, tl.deadlines
    return found[0]


def test_payment_due_14_days_after_notice_and_overdue_when_unpaid() -> None:
    tl = timeline(
        [Step("verdict", D(2026, 3, 2), 1, 50_000_000), Step("final_judgment_notified", D(2026, 3, 10), 1)],
        today=D(2026, 3, 25),
    )  # fmt: skip
    d = _deadline(tl, "restitution_payment")
    assert d.due == D(2026, 3, 24)
    assert d.status == "overdue"
    assert d.days_left == -1
    assert d.basis == "UU-21-2007:48.6"
    assert tl.overdue == [d]


def test_payment_deadline_open_on_due_day_and_due_soon() -> None:
    steps = [Step("final_judgment_notified", D(2026, 3, 10), 1)]
    d = _deadline(timeline(steps, today=D(2026, 3, 24)), "restitution_payment")
    assert (d.status, d.days_left, d.due_soon) == ("open", 0, True)
    d = _deadline(timeline(steps, today=D(2026, 3, 11)), "restitution_payment")
    assert (d.status, d.days_left, d.due_soon) == ("open", 13, False)


def test_full_payment_closes_deadline_met_or_late() -> None:
    base = [
        Step("verdict", D(2026, 3, 1), 1, 10),
        Step("final_judgment_notified", D(2026, 3, 10), 1),
    ]
    met = timeline([*base, Step("restitution_paid", D(2026, 3, 24), 1, 10)], today=D(2026, 6, 1))
    assert _deadline(met, "restitution_payment").status == "met"
    late = timeline([*base, Step("restitution_paid", D(2026, 3, 25), 1, 10)], today=D(2026, 6, 1))
    d = _deadline(late, "restitution_payment")
    assert (d.status, d.closed_on) == ("late", D(2026, 3, 25))
    assert met.next_steps[1] == []


def test_partial_payments_keep_deadline_open_until_total_reached() -> None:
    base = [
        Step("verdict", D(2026, 3, 1), 1, 100),
        Step("final_judgment_notified", D(2026, 3, 10), 1),
    ]
    part = timeline([*base, Step("restitution_paid", D(2026, 3, 12), 1, 40)], today=D(2026, 4, 1))
    assert _deadline(part, "restitution_payment").status == "overdue"
    assert any(w["code"] == "partial_payment" for w in part.warnings)
    assert part.restitution[1] == {"demanded": None, "ordered": 100, "paid": 40, "outstanding": 60}
    full = timeline(
        [*base, Step("restitution_paid", D(2026, 3, 12), 1, 40), Step("restitution_paid", D(2026, 3, 20), 1, 60)],
        today=D(2026, 4, 1),
    )  # fmt: skip
    d = _deadline(full, "restitution_payment")
    assert (d.status, d.closed_on) == ("met", D(2026, 3, 20))
    assert not any(w["code"] == "partial_payment" for w in full.warnings)


def test_seizure_14_days_after_court_warning() -> None:
    steps = [
        Step("final_judgment_notified", D(2026, 1, 5), 2),
        Step("court_notified_unpaid", D(2026, 1, 22), 2),
        Step("court_warning", D(2026, 2, 1), 2),
    ]
    tl = timeline(steps, today=D(2026, 2, 16))
    d = _deadline(tl, "asset_seizure", 2)
    assert (d.due, d.status, d.basis) == (D(2026, 2, 15), "overdue", "UU-21-2007:50.3")
    done = timeline([*steps, Step("asset_seizure", D(2026, 2, 20), 2)], today=D(2026, 3, 1))
    assert _deadline(done, "asset_seizure", 2).status == "late"


def test_lpsk_completeness_is_7_working_days() -> None:
    """PP 7/2018 Pasal 22 ayat (1) with Pasal 1 "Hari adalah hari kerja" (review row 5)."""
    # Friday 1 May 2026 (Labour Day): Mon 4 .. Fri 8 = 5, Mon 11 = 6, Tue 12 = 7.
    tl = timeline([Step("lpsk_application", D(2026, 5, 1), 3)], today=D(2026, 5, 13))
    d = _deadline(tl, "lpsk_completeness", 3)
    assert (d.due, d.status, d.unit, d.verification) == (
        D(2026, 5, 12),
        "overdue",
        "working_days",
        "verified",
    )
    tl = timeline(
        [Step("lpsk_application", D(2026, 5, 1), 3), Step("lpsk_decision", D(2026, 5, 12), 3)],
        today=D(2026, 5, 20),
    )
    assert _deadline(tl, "lpsk_completeness", 3).status == "met"


def test_lpsk_completeness_across_lebaran_2026_skips_holidays_and_cuti_bersama() -> None:
    # Application on Thursday 19 March 2026 (Nyepi). Not working days: Fri 20 (cuti bersama),
    # Sat 21-Sun 22 (Idul Fitri), Mon 23-Tue 24 (cuti bersama). Working: Wed 25 (1), Thu 26 (2),
    # Fri 27 (3), Mon 30 (4), Tue 31 (5), Wed 1 Apr (6), Thu 2 Apr (7); Fri 3 Apr is Good Friday.
    tl = timeline([Step("lpsk_application", D(2026, 3, 19), 1)], today=D(2026, 3, 19))
    d = _deadline(tl, "lpsk_completeness", 1)
    assert d.due == D(2026, 4, 2)
    assert d.calendar_gaps == ()
    # calendar days would have given 26 March: the count across Lebaran is a week longer
    assert d.due - D(2026, 3, 19) == dt.timedelta(days=14)


def test_working_days_in_a_year_without_cuti_bersama_say_so() -> None:
    tl = timeline([Step("lpsk_application", D(2024, 4, 5), 1)], today=D(2024, 4, 5))
    assert _deadline(tl, "lpsk_completeness", 1).calendar_gaps == (2024,)


def test_tpks_restitution_is_due_in_30_days_not_14() -> None:
    """UU 12/2022 Pasal 33 ayat (1) (review row 6): a case charged only under UU TPKS."""
    steps = [Step("final_judgment_notified", D(2026, 6, 1), 1)]
    tpks = timeline(steps, today=D(2026, 6, 20), charged_laws={"UU-12-2022"})
    assert [d.id for d in tpks.deadlines] == ["restitution_payment_tpks"]
    d = tpks.deadlines[0]
    assert (d.due, d.status, d.basis) == (D(2026, 7, 1), "open", "UU-12-2022:33.1")
    both = timeline(steps, today=D(2026, 6, 20), charged_laws={"UU-12-2022", "UU-21-2007"})
    assert {d.id for d in both.deadlines} == {"restitution_payment", "restitution_payment_tpks"}
    default = timeline(steps, today=D(2026, 6, 20))
    assert [d.id for d in default.deadlines] == ["restitution_payment"]


def test_closing_step_before_start_does_not_close() -> None:
    tl = timeline(
        [Step("lpsk_decision", D(2026, 4, 1), 1), Step("lpsk_application", D(2026, 5, 1), 1)],
        today=D(2026, 5, 20),
    )
    assert _deadline(tl, "lpsk_completeness").status == "overdue"
    assert any(w["code"] == "out_of_order" for w in tl.warnings)


def test_survivors_have_separate_lanes_and_share_case_steps() -> None:
    tl = timeline(
        [
            Step("police_report", D(2026, 1, 2)),
            Step("final_judgment_notified", D(2026, 6, 1), 1),
            Step("final_judgment_notified", D(2026, 6, 20), 2),
            Step("restitution_paid", D(2026, 6, 5), 1, 5),
        ],
        today=D(2026, 7, 10),
    )
    assert _deadline(tl, "restitution_payment", 1).status == "met"
    assert _deadline(tl, "restitution_payment", 2).status == "overdue"
    assert tl.next_steps[None][0] == "investigation"


def test_gap_warnings_name_rules() -> None:
    tl = timeline(
        [Step("indictment", D(2026, 1, 1), 1, 0), Step("verdict", D(2026, 2, 1), 1, 0)],
        today=D(2026, 3, 1),
    )
    codes = {w["code"]: w for w in tl.warnings}
    assert codes["indictment_without_restitution"]["rule"] == "UU-21-2007:penjelasan-48.1"
    tl = timeline(
        [Step("indictment", D(2026, 1, 1), 1, 90), Step("verdict", D(2026, 2, 1), 1, 0)],
        today=D(2026, 3, 1),
    )
    assert [w["code"] for w in tl.warnings] == ["verdict_without_restitution"]


def test_future_dates_and_bad_input() -> None:
    tl = timeline([Step("police_report", D(2030, 1, 1))], today=D(2026, 1, 1))
    assert tl.warnings[0]["code"] == "future_date"
    with pytest.raises(ValueError, match="unknown legal-process step"):
        timeline([Step("made_up", D(2026, 1, 1))])
    with pytest.raises(ValueError, match="negative"):
        timeline([Step("verdict", D(2026, 1, 1), 1, -5)])


def test_rules_file_validation_catches_broken_files() -> None:
    import copy
    from importlib import resources

    import yaml

    raw = yaml.safe_load(
        resources.files("lentera.law").joinpath("data/legal_process.yaml").read_text("utf-8")
    )
    assert parse_process_rules(copy.deepcopy(raw)).version == load_process_rules().version
    broken = copy.deepcopy(raw)
    broken["deadlines"][0]["closed_by"] = ["nonexistent"]
    with pytest.raises(ValueError, match="unknown step"):
        parse_process_rules(broken)
    broken = copy.deepcopy(raw)
    broken["steps"][0]["scope"] = "world"
    with pytest.raises(ValueError, match="bad scope"):
        parse_process_rules(broken)


CODES = sorted(load_process_rules().steps)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(CODES),
            st.dates(D(2020, 1, 1), D(2027, 12, 31)),
            st.integers(0, 1_000_000),
        ),
        max_size=12,
    ),
    st.dates(D(2020, 1, 1), D(2028, 1, 1)),
)
def test_properties_deadlines(raw, today) -> None:
    rules = load_process_rules()
    steps = [
        Step(c, d, None if rules.scope(c) == "case" else 1, a if rules.steps[c].get("amount") else None)
        for c, d, a in raw
    ]  # fmt: skip
    tl = timeline(steps, today=today)
    spec = {d["id"]: d for d in rules.deadlines}
    for d in tl.deadlines:
        if spec[d.id].get("unit") == "working_days":
            assert d.due >= d.start + dt.timedelta(days=spec[d.id]["days"])
            assert is_working_day(d.due)
            span = [d.start + dt.timedelta(days=i) for i in range(1, (d.due - d.start).days + 1)]
            assert sum(map(is_working_day, span)) == spec[d.id]["days"]
        else:
            assert d.due == d.start + dt.timedelta(days=spec[d.id]["days"])
        assert (d.status == "overdue") == (d.closed_on is None and today > d.due)
        if d.closed_on is not None:
            assert d.closed_on >= d.start
            assert d.status == ("met" if d.closed_on <= d.due else "late")
    # order independence
    assert timeline(list(reversed(steps)), today=today).deadlines == tl.deadlines


def test_charged_laws_pick_the_restitution_rule() -> None:
    from lentera.law import qualify
    from lentera.law.process import charged_laws, restitution_law

    tpks_only = qualify({
        "schema": "lentera.case-facts/1", "offence_date": "2024-04-01",
        "victim": {"age_at_offence": 25}, "means": ["deception"],
        "exploitation": {"purposes": ["prostitution"], "occurred": True},
    })  # fmt: skip
    laws = charged_laws([tpks_only])
    assert laws is not None and "UU-12-2022" in laws and "UU-21-2007" not in laws
    assert restitution_law(laws) == "UU-12-2022"
    assert restitution_law(frozenset({"UU-12-2022", "UU-21-2007"})) == "UU-21-2007"
    assert restitution_law(None) == "UU-21-2007"
    assert charged_laws([]) is None
