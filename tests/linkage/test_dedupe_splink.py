"""Deduplication with the Splink model: accuracy on synthetic truth, clusters, explanations, model files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lentera.errors import LenteraError
from lentera.linkage import dedupe, synthetic
from lentera.linkage.dedupe.features import name_parts
from lentera.linkage.names import normalise_name


@pytest.fixture(scope="module")
def data() -> synthetic.SyntheticData:
    return synthetic.generate(6000, seed=77)


@pytest.fixture(scope="module")
def result(data: synthetic.SyntheticData) -> dedupe.DedupeResult:
    return dedupe.dedupe(data.records())


def test_f1_floor_on_synthetic_truth(
    data: synthetic.SyntheticData, result: dedupe.DedupeResult
) -> None:
    scores = synthetic.pairwise_scores(result.clusters, data.truth())
    assert scores["f1"] >= 0.93, scores
    assert scores["precision"] >= 0.93, scores


def test_every_record_gets_a_cluster(
    data: synthetic.SyntheticData, result: dedupe.DedupeResult
) -> None:
    assert set(result.clusters) == set(data.columns["record_id"])
    singletons = [r for r, c in result.clusters.items() if c == r]
    assert singletons  # singletons keep their own id
    split = 0
    for pair in result.pairs:  # both ends of a pair share a cluster, named by its smallest id,
        cl, cr = result.clusters[pair.record_id_l], result.clusters[pair.record_id_r]
        if cl != cr:  # unless the clustering refused the link (it would chain clusters)
            split += 1
            continue
        assert cl <= min(pair.record_id_l, pair.record_id_r)
    assert result.report is not None
    assert split <= result.report.refused_merges
    assert split < len(result.pairs) * 0.05


def test_pairs_are_above_threshold_and_explained(result: dedupe.DedupeResult) -> None:
    fields = set(dedupe.default_model().levels)
    assert result.pairs and all(p.probability >= result.threshold for p in result.pairs)
    for pair in result.pairs[:200]:
        assert {e.field for e in pair.explanation} == fields
        assert all(e.label for e in pair.explanation)


def test_explanation_names_the_levels_and_weights() -> None:
    a = {
        "record_id": "1",
        "full_name": "Hj. Siti Soerjani binti Karto",
        "birth_date": "1990-08-17",
        "sex": "female",
        "nik": "3578015708900003",
        "origin_regency_code": "3578",
        "phone": "0812-3456-7890",
    }
    b = {
        "record_id": "2",
        "full_name": "SITI SURYANI",
        "birth_date": "1990",
        "sex": "",
        "nik": "3578015708900003",
        "birth_place": "Surabaya",
        "phone": "+62 812 3456 7890",
    }
    (pair,) = dedupe.score_record_pairs([(a, b)])
    evidence = {e.field: e for e in pair.explanation}
    assert evidence["nik"].label == "same NIK" and evidence["nik"].match_weight > 10
    assert evidence["phone"].label == "same phone"
    assert evidence["name"].label.startswith("same name")
    assert evidence["birth_date"].label == "same date of birth"  # year-only completed from the NIK
    assert evidence["sex"].label == "same sex"  # b's sex read from the NIK (day + 40)
    assert evidence["place"].label == "same regency"  # b's regency read from the NIK
    assert evidence["father"].level == -1 and evidence["father"].match_weight == 0
    assert pair.probability > 0.99
    assert "nik: same NIK" in pair.explain().splitlines()[0]


def test_a_nik_two_digits_apart_links_where_a_different_nik_keeps_apart() -> None:
    # a NIK mistyped twice or misread from a relative's card: under lentera-dedupe/1 it fell
    # into "NIKs differ" (about -7 bits) and this pair stayed apart
    a = {
        "record_id": "1",
        "full_name": "Siti Aminah",
        "birth_date": "1990",
        "nik": "3201014201900001",
    }
    near = dict(a, record_id="2", full_name="SITI AMINAH", birth_date="", nik="3201014207900081")
    other = dict(near, record_id="3", nik="3201076107900045")
    (two, far) = dedupe.score_record_pairs([(a, near), (a, other)], n_records=100_000)
    nik = {e.field: e for e in two.explanation}["nik"]
    assert nik.label == "NIK two digits apart" and nik.match_weight > 5
    assert {e.field: e for e in far.explanation}["nik"].label == "NIKs differ"
    assert two.probability > 0.95 > 0.5 > far.probability
    assert dedupe.dedupe([a, near], adapt=False).clusters["2"] == "1"


def test_name_levels_say_how_many_tokens_agree() -> None:
    # under lentera-dedupe/1 the first was "names differ" and the other two shared one
    # level, "names similar (Jaro-Winkler ≥ 0.8)", though a token added or left out is
    # nearly always a namesake (one pair in a hundred), the same number of tokens less so
    def row(i: int, name: str) -> dict[str, str]:
        return {"record_id": str(i), "full_name": name, "birth_date": "1990-01-02"}

    pairs = [
        (row(1, "Siti Nur Aminah"), row(2, "Nur Aminah Rahayu")),
        (row(3, "Dewi Lestari"), row(4, "Dewy Lestory")),
        (row(5, "Agus Santoso"), row(6, "Agus Budi Susanto")),
    ]
    scored = dedupe.score_record_pairs(pairs)
    names = [{e.field: e for e in pair.explanation}["name"] for pair in scored]
    assert [e.label for e in names] == [
        "two name tokens agree, in any order",
        "names similar (Jaro-Winkler ≥ 0.8), as many tokens",
        "names similar (Jaro-Winkler ≥ 0.8), tokens added or left out",
    ]
    assert names[0].match_weight > names[1].match_weight > names[2].match_weight


def test_different_people_with_a_common_name_stay_apart() -> None:
    rows = [
        {
            "record_id": "1",
            "full_name": "Siti Aminah",
            "birth_date": "1990-01-02",
            "nik": "3201014201900001",
        },
        {
            "record_id": "2",
            "full_name": "Siti Aminah",
            "birth_date": "1975-11-30",
            "nik": "3201017011750002",
        },
    ]
    result = dedupe.dedupe(rows)
    assert result.pairs == [] and result.clusters == {"1": "1", "2": "2"}


def test_find_candidates_for_an_intake(data: synthetic.SyntheticData) -> None:
    records = list(data.records())
    truth = data.truth()
    new = records[1]
    existing = [r for r in records if r["record_id"] != new["record_id"]][:3000]
    candidates = dedupe.find_candidates(new, existing, threshold=0.5)
    same = {r["record_id"] for r in existing if truth[r["record_id"]] == truth[new["record_id"]]}
    found = {c.record_id_r for c in candidates}
    assert all(c.record_id_l == new["record_id"] for c in candidates)
    assert same & found or not same
    assert [c.probability for c in candidates] == sorted(
        (c.probability for c in candidates), reverse=True
    )


def test_fast_name_parts_equal_normalise_name(data: synthetic.SyntheticData) -> None:
    for name in data.columns["full_name"][:3000]:
        own, _core, father, birth_order = name_parts(name)
        reference = normalise_name(name)
        assert own == reference.tokens, name
        assert birth_order == reference.birth_order, name
        if reference.patronymic_marker:
            assert father == reference.family_or_patronymic, name


def test_model_round_trip_and_version_check(tmp_path: Path) -> None:
    model = dedupe.default_model()
    path = tmp_path / "model.json"
    model.save(path)
    assert dedupe.load_model(path) == model
    data = json.loads(path.read_text())
    data["model_version"] = "lentera-dedupe/0"
    path.write_text(json.dumps(data))
    with pytest.raises(LenteraError, match="lentera-dedupe/0"):
        dedupe.load_model(path)
    # a /1 file lacks the levels /2 added (NIK two digits apart): refused, saying what to do
    data["model_version"] = "lentera-dedupe/1"
    path.write_text(json.dumps(data))
    with pytest.raises(LenteraError, match=r"lentera-dedupe/1.*--train"):
        dedupe.load_model(path)


def test_training_writes_a_usable_model(tmp_path: Path) -> None:
    data = synthetic.generate(4000, seed=5)
    path = tmp_path / "trained.json"
    model = dedupe.train(data.columns, out=path)
    assert json.loads(path.read_text())["model_version"] == dedupe.MODEL_VERSION
    assert 0.5 < model.matches_per_record < 5
    weights = {lv["label"]: lv for lv in model.levels["nik"]}
    assert weights["same NIK"]["m"] > weights["same NIK"]["u"]
    result = dedupe.dedupe(data.columns, model=path)
    assert synthetic.pairwise_scores(result.clusters, data.truth())["f1"] >= 0.85


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(LenteraError, match="appears twice"):
        dedupe.prepare([{"record_id": "1"}, {"record_id": "1"}])
    with pytest.raises(LenteraError, match="between 0 and 1"):
        dedupe.dedupe([{"record_id": "1"}], threshold=1.5)
    with pytest.raises(LenteraError, match="unknown engine"):
        dedupe.dedupe([{"record_id": "1"}, {"record_id": "2"}], engine="oracle")
