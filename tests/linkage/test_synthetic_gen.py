"""The synthetic generator: seeded, labelled truth, real regency codes, the promised corruptions."""

from __future__ import annotations

import re

import numpy as np

from lentera import reference
from lentera.linkage import synthetic
from lentera.linkage.names import normalise_name


def test_same_seed_same_data_and_other_seed_other_data() -> None:
    a, b = synthetic.generate(500, seed=3), synthetic.generate(500, seed=3)
    assert a.columns == b.columns and np.array_equal(a.entity, b.entity)
    assert synthetic.generate(500, seed=4).columns["full_name"] != a.columns["full_name"]


def test_layout_and_truth() -> None:
    data = synthetic.generate(3000, seed=1)
    assert len(data) == 3000 and tuple(data.columns) == synthetic.FIELDS
    assert len(set(data.columns["record_id"])) == 3000
    sizes = np.bincount(data.entity)
    assert sizes.max() <= 5 and (sizes == 1).any() and (sizes >= 2).any()
    assert data.true_pair_count() == sum(int(s) * (int(s) - 1) // 2 for s in sizes)
    regencies = {c for c in data.columns["origin_regency_code"] if c}
    assert regencies and regencies <= set(reference.regencies())


def test_corruptions_are_present() -> None:
    data = synthetic.generate(20000, seed=2)
    names = data.columns["full_name"]
    dates = data.columns["birth_date"]
    phones = [p for p in data.columns["phone"] if p]
    niks = [n for n in data.columns["nik"] if n]
    assert any(re.search(r"oe|dj|tj", n.lower()) for n in names)  # old spelling
    assert any(n.startswith(("Hj", "H.", "Drs.", "Haji", "Ir.")) for n in names)
    assert any(n.split()[0] in ("M.", "Moh.", "Muh.") for n in names)
    assert any(" binti " in n or " bin " in n for n in names)
    assert any(normalise_name(n).birth_order for n in names)  # Balinese birth order
    assert any(n.isupper() for n in names)
    assert any(re.fullmatch(r"[A-Z]\. .+", n) for n in names)  # an initial
    assert any(re.fullmatch(r"\d{4}", d) for d in dates)  # year only
    assert "" in dates
    assert any(p.startswith("+62") for p in phones) and any(p.startswith("08") for p in phones)
    assert any(len(re.sub(r"\D", "", n)) == 16 for n in niks) and "" in data.columns["nik"]


def test_pairwise_scores_on_a_known_clustering() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    scores = synthetic.pairwise_scores(predicted, truth)
    assert scores["true_pairs"] == 3 and scores["predicted_pairs"] == 2
    assert scores["precision"] == 0.5 and abs(scores["recall"] - 1 / 3) < 1e-9


def test_hard_generator_adds_transliterations_nicknames_and_sparse_records() -> None:
    data = synthetic.generate(20000, seed=9)
    names = " ".join(data.columns["full_name"])
    assert any(v in names for v in ("Achmad", "Hadijah", "Yusup", "Zaenab", "Rachmat"))
    assert any(v in names for v in ("Mamat", "Ucup", "Imah"))
    sparse = sum(
        1
        for nik, phone, regency, place in zip(
            data.columns["nik"],
            data.columns["phone"],
            data.columns["origin_regency_code"],
            data.columns["birth_place"],
            strict=True,
        )
        if not (nik or phone or regency)
    )
    assert sparse > 0.05 * len(data)
    easy = synthetic.generate(20000, seed=9, hard=False)
    assert not any(v in " ".join(easy.columns["full_name"]) for v in ("Mamat", "Ucup"))
