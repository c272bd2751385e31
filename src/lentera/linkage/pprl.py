"""Privacy-preserving record linkage with keyed Bloom-filter encodings (CLK style).

Each organisation encodes its records locally; only the encodings leave the
instance. Design (see docs/linkage.md for the threat model):

- one shared secret → per-field keys by HKDF, so a bigram of a name and the same
  bigram of a place set different bits;
- q-grams (bigrams of padded, normalised values) hashed with keyed HMAC-SHA256 into
  ``k`` positions of an ``m``-bit filter (double hashing);
- the birth year, when known, salts the name fields and is also the blocking key
  (itself only as a keyed HMAC), so identical names of different birth years never
  share bits — this breaks the frequency and pattern-mining attacks that rely on
  common names (Siti, Muhammad) setting the same bits in many records;
- balancing: the filter is concatenated with its complement, permuted by a keyed
  permutation, so every encoding has exactly half its bits set;
- Dice similarity on numpy-packed words with popcount; one-to-one assignment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lentera.errors import LenteraError
from lentera.linkage.dates import parse_date
from lentera.linkage.names import normalise_name
from lentera.linkage.nik import normalise_nik

__all__ = [
    "ENCODING_VERSION",
    "Encoding",
    "MatchPair",
    "assign_one_to_one",
    "bigrams",
    "encode",
    "encoded_fields",
    "match",
    "read_any",
    "read_encodings",
]

ENCODING_VERSION = "lentera-clk/1"
FIELDS = {"name": 20, "birth_date": 10, "sex": 2, "regency": 6, "nik": 12}  # hashes per q-gram
M_BITS = 512  # filter size before balancing (the encoding has 2 × M_BITS bits)


@dataclass(frozen=True)
class Encoding:
    """One record's encoding: an opaque block token and a balanced Bloom filter."""

    record_id: str
    block: str
    bits: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "record_id": self.record_id,
            "block": self.block,
            "bits": base64.b64encode(self.bits).decode(),
            "version": ENCODING_VERSION,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Encoding:
        return cls(str(data["record_id"]), str(data["block"]), base64.b64decode(data["bits"]))


@dataclass(frozen=True)
class MatchPair:
    a_record_id: str
    b_record_id: str
    score: float


def read_encodings(path: Path) -> list[Encoding]:
    """Encodings from a JSON Lines file of :meth:`Encoding.to_json` rows; errors name the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    out: list[Encoding] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if data.get("version") != ENCODING_VERSION:
                raise ValueError(
                    f"encoding version {data.get('version')!r}, expected {ENCODING_VERSION} "
                    "(lentera-clk/2 files are matched with `lentera link match`, not here)"
                )
            out.append(Encoding.from_json(data))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LenteraError("bad_encoding", f"{path} line {number}: {exc}") from exc
    return out


def read_any(path: Path) -> tuple[str, list[Any]]:
    """Encodings of either version from a JSON Lines file: (version, encodings).

    ``lentera-clk/1`` files stay readable (and matchable with other /1 files); a file
    that mixes versions or ``/2`` revisions, a line of an unknown version or of a newer
    revision than this Lentera reads, is refused with the line named.
    """
    # import cycle: clk2 imports bigrams from this module at load time
    from lentera.linkage import clk2

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    version: str | None = None
    revision: int | None = None
    out: list[Any] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            found = data.get("version")
            if found not in (ENCODING_VERSION, clk2.ENCODING_VERSION):
                raise ValueError(
                    f"encoding version {found!r}; this Lentera reads "
                    f"{ENCODING_VERSION} and {clk2.ENCODING_VERSION}"
                )
            if version is not None and found != version:
                raise ValueError(f"{found} after {version} lines: one file holds one version")
            version = found
            encoding = (
                Encoding.from_json(data)
                if found == ENCODING_VERSION
                else clk2.EncodingV2.from_json(data)
            )
            if isinstance(encoding, clk2.EncodingV2):
                if revision is not None and encoding.revision != revision:
                    raise ValueError(
                        f"revision {encoding.revision} after revision {revision} lines: "
                        "one file holds one revision (encode the whole file again)"
                    )
                revision = encoding.revision
            out.append(encoding)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LenteraError("bad_encoding", f"{path} line {number}: {exc}") from exc
    return version or clk2.ENCODING_VERSION, out


def _keys(secret: bytes) -> dict[str, bytes]:
    out = {}
    for name in (*FIELDS, "block", "permutation"):
        out[name] = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"lentera-pprl", info=name.encode()
        ).derive(secret)
    return out


def bigrams(value: str) -> set[str]:
    """The character bigrams of ``value`` padded with ``_`` at both ends (``ab`` → _a, ab, b_)."""
    padded = f"_{value}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def _positions(key: bytes, salt: str, gram: str, k: int) -> list[int]:
    digest = hmac.new(key, f"{salt}\x00{gram}".encode(), hashlib.sha256).digest()
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    return [(h1 + i * h2) % M_BITS for i in range(k)]


def _permutation(key: bytes) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
    return np.random.default_rng(seed).permutation(2 * M_BITS)


def encoded_fields(record: Mapping[str, str]) -> tuple[dict[str, list[str]], str]:
    """The normalised values that an encoding hashes, by field, and the birth year (the salt)."""
    name = normalise_name(record.get("full_name", "") or "")
    values: dict[str, list[str]] = {"name": list(name.tokens)}
    year = ""
    raw_date = (record.get("birth_date") or "").strip()
    if raw_date:
        try:
            parsed = parse_date(raw_date)
            year = str(parsed.year)
            if parsed.precision == "day":
                values["birth_date"] = [parsed.date.strftime("%m%d")]
        except Exception:
            year = ""
    if record.get("sex"):
        values["sex"] = [record["sex"].strip().lower()[:1]]
    if record.get("origin_regency_code"):
        values["regency"] = [record["origin_regency_code"].strip()]
    nik = normalise_nik(record.get("nik", "") or "")
    if len(nik) == 16:
        values["nik"] = [nik]
    return values, year


def encode(records: Iterable[Mapping[str, str]], secret: bytes) -> list[Encoding]:
    """Encode records (keys: record_id, full_name, birth_date, sex, nik, origin_regency_code)."""
    keys = _keys(secret)
    perm = _permutation(keys["permutation"])
    out = []
    # the positions of a (field, salt, bigram) never change within one secret: computed
    # once per call instead of once per record (names and dates repeat a lot)
    positions: dict[tuple[str, str, str], list[int]] = {}
    for record in records:
        values, year = encoded_fields(record)
        bloom = np.zeros(M_BITS, dtype=np.uint8)
        for field, items in values.items():
            salt = year if field == "name" else ""
            for item in items:
                for gram in bigrams(item):
                    key = (field, salt, gram)
                    where = positions.get(key)
                    if where is None:
                        where = positions[key] = _positions(keys[field], salt, gram, FIELDS[field])
                    bloom[where] = 1
        balanced = np.concatenate([bloom, 1 - bloom])[perm]
        block = (
            hmac.new(keys["block"], year.encode(), hashlib.sha256).hexdigest()[:16] if year else ""
        )
        out.append(Encoding(str(record["record_id"]), block, np.packbits(balanced).tobytes()))
    return out


def _matrix(encodings: Sequence[Encoding]) -> np.ndarray:
    return np.frombuffer(b"".join(e.bits for e in encodings), dtype=np.uint64).reshape(
        len(encodings), -1
    )


def _popcount(words: np.ndarray) -> np.ndarray:
    counts: np.ndarray = np.bitwise_count(words).sum(axis=-1)
    return counts


def match(a: Sequence[Encoding], b: Sequence[Encoding], threshold: float = 0.8) -> list[MatchPair]:
    """Pairs with Dice ≥ threshold, assigned one-to-one (best first).

    Records are compared only within the same block (keyed birth year); records
    without a birth year form their own block.
    """
    return assign_one_to_one(_candidates(a, b, threshold))


def _candidates(
    a: Sequence[Encoding], b: Sequence[Encoding], threshold: float
) -> list[tuple[float, str, str]]:
    """(score, a id, b id) for every pair in a shared block with Dice ≥ threshold.

    Per block the encodings are one uint64 matrix; chunks of the left side are ANDed
    with the whole right side and counted with ``np.bitwise_count`` (popcount), and only
    the cells over the threshold ever become Python objects.
    """
    blocks: dict[str, tuple[list[int], list[int]]] = {}
    for i, e in enumerate(a):
        blocks.setdefault(e.block, ([], []))[0].append(i)
    for j, e in enumerate(b):
        blocks.setdefault(e.block, ([], []))[1].append(j)
    if not a or not b:
        return []
    words_a, words_b = _matrix(a), _matrix(b)
    count_a, count_b = _popcount(words_a), _popcount(words_b)
    out: list[tuple[float, str, str]] = []
    for left, right in blocks.values():
        if not left or not right:
            continue
        left_index, right_index = np.array(left), np.array(right)
        la, rb = words_a[left_index], words_b[right_index]
        ca, cb = count_a[left_index], count_b[right_index]
        step = max(1, 4_000_000 // (len(right) * la.shape[1]))  # bounded temporary memory
        for start in range(0, len(left), step):
            chunk = la[start : start + step]
            inter = np.bitwise_count(chunk[:, None, :] & rb[None, :, :]).sum(
                axis=-1, dtype=np.int32
            )
            dice = 2.0 * inter / (ca[start : start + step, None] + cb[None, :])
            rows, cols = np.nonzero(dice >= threshold)
            scores = np.round(dice[rows, cols], 4).tolist()
            for i, j, score in zip(rows.tolist(), cols.tolist(), scores, strict=True):
                out.append((score, a[left[start + i]].record_id, b[right[j]].record_id))
    return out


def assign_one_to_one(candidates: list[tuple[float, str, str]]) -> list[MatchPair]:
    """Greedy one-to-one assignment, best score first (ties by record ids)."""
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_a: set[str] = set()
    used_b: set[str] = set()
    result = []
    for score, a_id, b_id in candidates:
        if a_id in used_a or b_id in used_b:
            continue
        used_a.add(a_id)
        used_b.add(b_id)
        result.append(MatchPair(a_id, b_id, score))
    return result
