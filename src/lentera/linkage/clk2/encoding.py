"""``lentera-clk/2`` encodings: field-level keyed Bloom filters, keyed tokens, keyed blocking keys.

- **Field Bloom filters** (keyed HMAC-SHA256 positions, double hashing): the name's own
  tokens as padded bigrams salted by the birth year (1,024 bits) and again salted by the
  area (1,024 bits; only for a name + area that at most :data:`RARE_CAP` records of the
  file share), the birth date's parts (day, month, year as tokens, 256 bits: a day/month
  swap still shares the year and the set), the place (birth place bigrams and the
  regency as a token, 512 bits).
- **Keyed exact tokens** for high-entropy identifiers and exact values: NIK, phone, sex,
  full date, birth year, area, and (revision 2) the year with day and month unordered,
  so that a date whose day and month were swapped still agrees — HMAC with per-field
  keys, truncated to 64 bits.
- **Several keyed blocking keys**: phonetic name + birth year, phonetic last name + date,
  date + area, phonetic name + year + month, phonetic first name + date, date, NIK,
  phone; and, only where at most :data:`RARE_CAP` records of the encoding organisation
  share the value (a random stand-in otherwise), :data:`RARE_KEYS` (a name alone or with a
  coarse value: their group sizes would line up with known name frequencies). The rarity
  is counted over the whole file, never per batch.
- **Hardening** against frequency attacks: the name filters are salted (two Siti Aminah
  of different years share no name bits) and every filter gets random bit flips (BLIP,
  probability :data:`FLIP`), so identical names do not give identical filters; keys come
  from one coalition secret by HKDF (without it nothing can be encoded or linked).

**Revisions** (docs/decisions/0015): a file carries one schema revision of ``/2``; fields
are only ever added within ``/2`` (a change to how an existing field is encoded needs a new
version). Lines without ``"revision"`` are revision 1 (written before the field existed);
:data:`REVISION_FIELDS` says what each revision may carry, and a line of a revision newer
than this Lentera's, or carrying a field its revision does not have, is refused.
Matching (:mod:`lentera.linkage.clk2.matching`) compares a field only where both records
carry it, so a revision-1 file still matches a current one, with less evidence.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lentera.errors import LenteraError
from lentera.linkage.dedupe.features import prepare
from lentera.linkage.pprl import bigrams

__all__ = [
    "BLOCK_CAP",
    "ENCODING_VERSION",
    "REVISION",
    "REVISION_FIELDS",
    "EncodingV2",
    "check_version",
    "encode",
    "iter_encode",
]

ENCODING_VERSION = "lentera-clk/2"
#: the schema revision this Lentera writes (fields added within /2; see REVISION_FIELDS)
REVISION = 2
FILTER_BITS = {"name": 1024, "name_area": 1024, "date": 256, "place": 512}
HASHES = {"name": 12, "name_area": 12, "date": 8, "place": 10}
TOKENS = ("nik", "phone", "sex", "dob", "year", "area", "dmy")
#: (filters, tokens) a line of each revision may carry. Revision 1 is every /2 line written
#: before revisions were recorded (2026-12-02): the first release had no ``name_area``
#: filter and no ``area`` token, the second round added them as optional fields.
REVISION_FIELDS: dict[int, tuple[frozenset[str], frozenset[str]]] = {
    1: (
        frozenset({"name", "name_area", "date", "place"}),
        frozenset({"nik", "phone", "sex", "dob", "year", "area"}),
    ),
    2: (frozenset(FILTER_BITS), frozenset(TOKENS)),
}
BLOCK_CAP = 30
FLIP = 0.01  # BLIP: each filter bit flipped with this probability

#: blocking keys on a name alone or a name and a coarse value: sent only for values at most
#: RARE_CAP records of the encoding organisation share (a common name's key would let the
#: holder of the file line its group sizes up with known name frequencies)
RARE_KEYS = (
    ("fl", "phon_first", "phon_last"),
    ("s", "phon_sorted", ""),
    ("la", "phon_last", "area"),
    ("fa", "phon_first", "area"),
    ("fy", "phon_first", "birth_year"),
    ("ca", "phon_sorted", "area"),
)
RARE_CAP = 5


@dataclass(frozen=True)
class EncodingV2:
    """One record's ``lentera-clk/2`` encoding: blocking keys, exact tokens, field filters."""

    record_id: str
    blocks: tuple[str, ...]
    tokens: dict[str, str]
    filters: dict[str, bytes]
    revision: int = REVISION

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": ENCODING_VERSION}
        if self.revision > 1:  # revision 1 lines never carried the field
            out["revision"] = self.revision
        return out | {
            "record_id": self.record_id,
            "blocks": list(self.blocks),
            "tokens": self.tokens,
            "filters": {k: base64.b64encode(v).decode() for k, v in self.filters.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EncodingV2:
        """One line; ValueError naming what is wrong (a newer revision, a field too many)."""
        revision = data.get("revision", 1)
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
            raise ValueError(f"revision {revision!r} is not a revision number")
        if revision > REVISION:
            raise ValueError(
                f"{ENCODING_VERSION} revision {revision} was written by a newer Lentera; "
                f"this one reads revisions 1 to {REVISION}: update Lentera to match it"
            )
        allowed_filters, allowed_tokens = REVISION_FIELDS[revision]
        filters = {k: base64.b64decode(v) for k, v in dict(data["filters"]).items()}
        for name, value in filters.items():
            if name not in allowed_filters:
                raise ValueError(f"filter {name!r} is not part of revision {revision}")
            if len(value) != FILTER_BITS[name] // 8:
                raise ValueError(f"filter {name!r} has the wrong size")
        tokens = {str(k): str(v) for k, v in dict(data["tokens"]).items()}
        for name in tokens:
            if name not in allowed_tokens:
                raise ValueError(f"token {name!r} is not part of revision {revision}")
        return cls(
            str(data["record_id"]),
            tuple(str(b) for b in data["blocks"]),
            tokens,
            filters,
            revision,
        )


def file_revision(encodings: Sequence[EncodingV2], where: str) -> int:
    """The one schema revision of a file's encodings (refused if the file mixes revisions)."""
    found = sorted({e.revision for e in encodings})
    if len(found) > 1:
        raise LenteraError(
            "bad_encoding",
            f"{where}: lines of {ENCODING_VERSION} revisions {', '.join(map(str, found))}: "
            "one file holds one revision (encode the whole file again)",
        )
    return found[0] if found else REVISION


def _keys(secret: bytes) -> dict[str, bytes]:
    names = (*FILTER_BITS, *TOKENS, "block", "flip")
    return {
        n: HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"lentera-clk/2", info=n.encode()
        ).derive(secret)
        for n in names
    }


def _token(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def encode(
    records: Iterable[Mapping[str, Any]],
    secret: bytes,
    *,
    harden: bool = True,
    seed: int | None = None,
) -> list[EncodingV2]:
    """Encode records (the ``lentera link`` layout) as ``lentera-clk/2``.

    ``harden=False`` (no year salt on names, no bit flips) exists only to measure what the
    hardening buys against a frequency attack; never send such encodings anywhere.
    ``seed`` fixes the bit flips (tests); by default they come from the OS.
    """
    return list(iter_encode(list(records), secret, harden=harden, seed=seed))


def iter_encode(
    rows: Sequence[Mapping[str, Any]],
    secret: bytes,
    *,
    harden: bool = True,
    seed: int | None = None,
) -> Iterator[EncodingV2]:
    """:func:`encode`, one encoding at a time (for a progress bar).

    Always the whole file at once: which names and areas are rare (:data:`RARE_KEYS`,
    the area-salted name) is counted over all of ``rows``; encoding a file in batches
    would send keys for values that are rare in a batch but common in the file.
    """
    if not rows:
        return
    cols = prepare(rows)
    keys = _keys(secret)
    rng = np.random.default_rng(seed)
    cache: dict[tuple[str, str, str], list[int]] = {}

    def positions(field: str, salt: str, gram: str) -> list[int]:
        key = (field, salt, gram)
        hit = cache.get(key)
        if hit is None:
            digest = hmac.new(keys[field], f"{salt}\x00{gram}".encode(), hashlib.sha256).digest()
            h1 = int.from_bytes(digest[:8], "big")
            h2 = int.from_bytes(digest[8:16], "big") | 1
            bits = FILTER_BITS[field]
            hit = cache[key] = [(h1 + i * h2) % bits for i in range(HASHES[field])]
        return hit

    rare = {
        kind: Counter(zip(cols[x], cols[y] if y else ["-"] * len(rows), strict=True))
        for kind, x, y in RARE_KEYS
    }
    for i, row in enumerate(rows):
        year = cols["birth_year"][i]
        month, day = cols["birth_month"][i], cols["birth_day"][i]
        grams: dict[str, list[tuple[str, str]]] = {f: [] for f in FILTER_BITS}
        name_salt = str(year) if (harden and year is not None) else ""
        area = cols["area"][i]
        for token in (cols["name_core"][i] or "").split():
            grams["name"] += [(name_salt, g) for g in bigrams(token)]
            if area and rare["ca"][(cols["phon_sorted"][i], area)] <= RARE_CAP:
                grams["name_area"] += [(area, g) for g in bigrams(token)]
        if year is not None:
            grams["date"].append(("", f"y{year}"))
        if month is not None:
            grams["date"].append(("", f"m{month}"))
        if day is not None:
            grams["date"].append(("", f"d{day}"))
        if cols["birth_place"][i]:
            grams["place"] += [("", g) for g in bigrams(cols["birth_place"][i])]
        if cols["regency"][i]:
            grams["place"].append(("", f"r{cols['regency'][i]}"))
        filters = {}
        for field, items in grams.items():
            if not items:
                continue
            bits = np.zeros(FILTER_BITS[field], dtype=np.uint8)
            for salt, gram in items:
                bits[positions(field, salt, gram)] = 1
            if harden and FLIP:
                bits ^= (rng.random(bits.size) < FLIP).astype(np.uint8)
            filters[field] = np.packbits(bits).tobytes()
        tokens = {}
        for field, value in (
            ("nik", cols["nik"][i]),
            ("phone", cols["phone"][i]),
            ("sex", cols["sex"][i]),
            ("dob", cols["dob"][i]),
            ("year", None if year is None else str(year)),
            ("area", area),
            # the year with day and month unordered: the same when they were swapped
            ("dmy", None if cols["dob_dm"][i] is None else f"{year}-{cols['dob_dm'][i]}"),
        ):
            if value:
                tokens[field] = _token(keys[field], value)
        block_parts = [
            ("ny", cols["phon_sorted"][i], year),
            ("ld", cols["phon_last"][i], cols["dob"][i]),
            ("da", cols["dob"][i], cols["area"][i]),
            (
                "nym",
                cols["phon_sorted"][i],
                None if year is None or month is None else f"{year}-{month}",
            ),
            ("fd", cols["phon_first"][i], cols["dob"][i]),
            *((kind, cols[x][i], cols[y][i] if y else "-") for kind, x, y in RARE_KEYS),
            ("d", cols["dob"][i], "-"),
            ("nik", cols["nik"][i], "-"),
            ("ph", cols["phone"][i], "-"),
        ]
        blocks = tuple(
            _token(keys["block"], f"{kind}\x00{x}\x00{y}")
            if kind not in rare or rare[kind][(x, y)] <= RARE_CAP
            else rng.bytes(8).hex()  # a common value: a random stand-in, never shared
            for kind, x, y in block_parts
            if x is not None and y is not None
        )
        yield EncodingV2(str(row["record_id"]), blocks, tokens, filters)


def check_version(version: object, other: object, where: str) -> None:
    """Refuse to match encodings of different versions, with what to do about it."""
    if version != other:
        raise LenteraError(
            "encoding_version_mix",
            f"{where}: cannot match {version} encodings against {other} encodings — "
            f"{'lentera-clk/1'} files can only be matched with other /1 files; ask both "
            "organisations to encode again with this Lentera (`lentera link encode`, "
            f"which writes {ENCODING_VERSION})",
        )
