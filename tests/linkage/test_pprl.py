"""Keyed Bloom-filter encodings: only encodings leave an instance, yet the same survivor is found."""

from __future__ import annotations

import random

import numpy as np

from lentera.linkage import pprl
from lentera.reference import names

OLD_SPELLING = {"u": "oe", "j": "dj", "y": "j", "c": "tj", "sy": "sj"}


def _records(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sex = rng.choice(["female", "male"])
        out.append(
            {
                "record_id": f"r{i}",
                "full_name": names.synthetic_name(rng, sex),
                "birth_date": f"{rng.randint(1970, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "sex": sex,
                "origin_regency_code": rng.choice(["3578", "5301", "3201", "1275", "7371"]),
            }
        )
    return out


def _messy(record: dict[str, str], rng: random.Random) -> dict[str, str]:
    r = dict(record)
    name = r["full_name"]
    roll = rng.random()
    if roll < 0.3:  # one typo
        i = rng.randrange(len(name))
        name = name[:i] + rng.choice("aiueo") + name[i + 1 :]
    elif roll < 0.5:  # old spelling
        for new, old in OLD_SPELLING.items():
            name = name.replace(new, old, 1)
    elif roll < 0.6:
        name = name.upper()
    r["full_name"] = name
    if rng.random() < 0.2:
        y, m, d = r["birth_date"].split("-")
        r["birth_date"] = f"{d}/{m}/{y}"  # Indonesian day-first
    if rng.random() < 0.2:
        r["origin_regency_code"] = ""
    return r


def test_same_survivors_found_across_organisations() -> None:
    rng = random.Random(7)
    base = _records(400, 3)
    shared = base[:200]
    a = [dict(r, record_id=f"a{i}") for i, r in enumerate(base)]
    b = [dict(_messy(r, rng), record_id=f"b{i}") for i, r in enumerate(shared)] + [
        dict(r, record_id=f"bx{i}") for i, r in enumerate(_records(200, 99))
    ]
    key = b"coalition shared secret"
    pairs = pprl.match(pprl.encode(a, key), pprl.encode(b, key), threshold=0.75)
    truth = {(f"a{i}", f"b{i}") for i in range(200)}
    found = {(p.a_record_id, p.b_record_id) for p in pairs}
    precision = len(found & truth) / max(1, len(found))
    recall = len(found & truth) / len(truth)
    assert precision >= 0.95, precision
    assert recall >= 0.9, recall


def test_encodings_are_balanced_and_keyed() -> None:
    records = _records(20, 1)
    enc = pprl.encode(records, b"key one")
    bits = np.unpackbits(np.frombuffer(enc[0].bits, dtype=np.uint8))
    assert bits.sum() == len(bits) // 2  # balanced: every filter has exactly half its bits set
    other = pprl.encode(records, b"key two")
    assert enc[0].bits != other[0].bits and enc[0].block != other[0].block
    assert pprl.match(enc, other, threshold=0.75) == []  # without the shared key nothing links


def test_json_round_trip_and_no_plaintext() -> None:
    record = {
        "record_id": "x",
        "full_name": "Sutinah binti Karto",
        "birth_date": "1990-01-01",
        "sex": "female",
        "nik": "3578014708990003",
    }
    enc = pprl.encode([record], b"k")[0]
    text = str(enc.to_json())
    assert "Sutinah" not in text and "3578014708990003" not in text and "1990" not in text
    assert pprl.Encoding.from_json(enc.to_json()) == enc
