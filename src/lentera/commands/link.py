"""``lentera link encode|match``: privacy-preserving linkage between organisations.

``lentera link encode IN.csv --key-file KEY --out ENC.jsonl`` (header
``record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone``; any
field but record_id may be empty) and ``lentera link match A.jsonl B.jsonl --out PAIRS.csv``
(``a_record_id,b_record_id,score``; prints the unique-survivor count).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from lentera.errors import LenteraError

HEADER = [
    "record_id",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "birth_place",
    "origin_regency_code",
    "phone",
]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("link", help="privacy-preserving record linkage across organisations")
    verbs = p.add_subparsers(dest="link_command", metavar="VERB", required=True)
    e = verbs.add_parser(
        "encode", help="encode records into keyed Bloom filters (only these leave the instance)"
    )
    e.add_argument("input", type=Path)
    e.add_argument(
        "--key-file", type=Path, required=True, help="the coalition's shared secret (a file)"
    )
    e.add_argument("--out", type=Path, required=True)
    e.set_defaults(func=encode)
    m = verbs.add_parser("match", help="match two organisations' encodings")
    m.add_argument("a", type=Path)
    m.add_argument("b", type=Path)
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--threshold", type=float, default=0.75)
    m.set_defaults(func=match)


def _read_records(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != HEADER:
        raise LenteraError(
            "bad_header",
            f"{path}: the header must be exactly {','.join(HEADER)} (got {','.join(reader.fieldnames or [])})",
        )
    rows = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            raise LenteraError("missing_id", f"{path} line {line}: record_id is empty")
        if record_id in seen:
            raise LenteraError(
                "duplicate_id", f"{path} line {line}: record_id {record_id!r} appears twice"
            )
        seen.add(record_id)
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise LenteraError("unreadable", f"cannot read key file {path}: {exc}") from exc
    if len(key) < 16:
        raise LenteraError("weak_key", f"{path}: the shared secret must be at least 16 bytes")
    return key


def encode(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from lentera.linkage import pprl

    records = _read_records(args.input)
    key = _read_key(args.key_file)
    with args.out.open("w", encoding="utf-8") as fh:
        for start in tqdm(
            range(0, len(records), 1000),
            desc="encoding",
            unit="k records",
            disable=len(records) < 5000,
        ):
            for enc in pprl.encode(records[start : start + 1000], key):
                fh.write(json.dumps(enc.to_json()) + "\n")
    print(f"encoded {len(records)} records to {args.out}")
    return 0


def _read_encodings(path: Path) -> list:
    from lentera.linkage import pprl

    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if data.get("version") != pprl.ENCODING_VERSION:
                raise ValueError(
                    f"encoding version {data.get('version')!r}, expected {pprl.ENCODING_VERSION}"
                )
            out.append(pprl.Encoding.from_json(data))
        except (ValueError, KeyError, TypeError) as exc:
            raise LenteraError("bad_encoding", f"{path} line {number}: {exc}") from exc
    return out


def match(args: argparse.Namespace) -> int:
    from lentera.linkage import pprl

    a, b = _read_encodings(args.a), _read_encodings(args.b)
    pairs = pprl.match(a, b, threshold=args.threshold)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["a_record_id", "b_record_id", "score"])
        for pair in pairs:
            writer.writerow([pair.a_record_id, pair.b_record_id, f"{pair.score:.4f}"])
    unique = len(a) + len(b) - len(pairs)
    print(
        f"{len(pairs)} matched pairs; {unique} unique survivors across the two files ({len(a)} + {len(b)} records)"
    )
    return 0
