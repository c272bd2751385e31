"""lentera-clk/2: field-level keyed encodings — compatibility with /1, accuracy, frequency attack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.errors import LenteraError
from lentera.linkage import clk2, dedupe, evaluation, pprl, synthetic
from lentera.linkage.attack import block_attack, frequency_attack

KEY = b"a coalition secret of enough length"
HEADER = "record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone\n"


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_v1_files_still_match_v1_and_mixing_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(KEY)
    a = _csv(tmp_path / "a.csv", ["1,Soerjani binti Karto,17-08-1990,female,,Surabaya,3578,"])
    b = _csv(tmp_path / "b.csv", ["x,Suryani Karto,1990-08-17,female,,,3578,"])
    for src, fmt in ((a, "1"), (b, "1"), (b, "2")):
        out = tmp_path / f"{src.stem}{fmt}.jsonl"
        assert main(["link", "encode", str(src), "--key-file", str(key), "--out", str(out),
                     "--format", fmt]) == 0  # fmt: skip
    assert json.loads((tmp_path / "b2.jsonl").read_text().splitlines()[0])["version"] == (
        clk2.ENCODING_VERSION
    )
    # /1 against /1: still matched by the /1 matcher
    pairs = tmp_path / "pairs.csv"
    assert main(["link", "match", str(tmp_path / "a1.jsonl"), str(tmp_path / "b1.jsonl"),
                 "--out", str(pairs)]) == 0  # fmt: skip
    assert "1,x" in pairs.read_text()
    # /1 against /2: refused with what to do
    with pytest.raises(LenteraError) as refused:
        clk2.check_version(
            pprl.read_any(tmp_path / "a1.jsonl")[0], pprl.read_any(tmp_path / "b2.jsonl")[0], "f"
        )
    assert "encode again" in refused.value.message
    assert main(["link", "match", str(tmp_path / "a1.jsonl"), str(tmp_path / "b2.jsonl"),
                 "--out", str(pairs)]) == 2  # fmt: skip
    # the /1 reader (the hub's) names /2 lines instead of misreading them
    with pytest.raises(LenteraError, match="lentera-clk/2"):
        pprl.read_encodings(tmp_path / "b2.jsonl")


def test_v2_links_two_organisations_near_plaintext() -> None:
    a, b, truth = evaluation.two_organisations(1500, seed=4)
    matches, report = clk2.match(clk2.encode(a, KEY), clk2.encode(b, KEY))
    encoded = evaluation.pair_scores({(m.a_record_id, m.b_record_id) for m in matches}, truth)
    pairs, _ = dedupe.link(a, b)
    plain = evaluation.pair_scores({(p.a_record_id, p.b_record_id) for p in pairs}, truth)
    assert report["threshold_chosen"]
    # a regression floor, not the target (within 0.03 of plaintext): on the hard
    # generator /2 reaches about 0.93 against 0.97 in plaintext (0.90 before the m read
    # from NIK/phone pairs and the bounded EM; docs/benchmarks.md)
    assert encoded["f1"] >= 0.91, (encoded, plain)
    assert encoded["f1"] >= plain["f1"] - 0.06, (encoded, plain)


def test_without_the_secret_nothing_links() -> None:
    a, b, _ = evaluation.two_organisations(300, seed=5)
    matches, _ = clk2.match(clk2.encode(a, KEY), clk2.encode(b, b"another secret of the same size"))
    assert len(matches) < 5


def test_frequency_attack_reidentification_ceiling() -> None:
    data = synthetic.generate(5000, seed=3)
    records = list(data.records())
    cols = dedupe.prepare(records)
    names = dict(zip(cols["uid"], [c or "" for c in cols["name_core"]], strict=True))
    plain = frequency_attack(clk2.encode(records, KEY, harden=False, seed=1), names)
    encoded = clk2.encode(records, KEY, seed=1)
    hardened = frequency_attack(encoded, names)
    assert plain["reidentified"] >= 0.004  # the attack works on unhardened encodings
    assert hardened["reidentified"] <= 0.001, hardened  # the ceiling for what we ship
    # the name salted by area (sent only for a name + area at most 5 records share)
    by_area = frequency_attack(encoded, names, field="name_area")
    assert by_area["reidentified"] <= 0.001, by_area
    # the blocking keys are exact tokens: the same alignment on their groups (a name-only
    # key sent for every record re-identified 2 % of these records) stays at chance level
    blocks = block_attack(encoded, names)
    assert blocks["reidentified"] <= 0.002, blocks
