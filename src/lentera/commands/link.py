"""``lentera link encode|match|dedupe``: record linkage from the command line.

``lentera link encode IN.csv --key-file KEY --out ENC.jsonl`` (header
``record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone``; any
field but record_id may be empty) and ``lentera link match A.jsonl B.jsonl --out PAIRS.csv``
(``a_record_id,b_record_id,score``; prints the unique-survivor count).
``lentera link dedupe IN.csv --out CLUSTERS.csv [--threshold P] [--engine duckdb|spark]
[--model PATH] [--train] [--pairs PAIRS.csv]`` finds duplicates inside one organisation's
records (``record_id,cluster_id`` for every input record).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lentera import csvsafe
from lentera.commands._linkage_args import add_match_threshold
from lentera.errors import LenteraError

#: ``lentera.linkage.dedupe.AUTO`` and ``DEFAULT_THRESHOLD``, written out so that building the
#: parser does not import the linkage engine (numpy, pyarrow); a test keeps them equal
AUTO = "auto"
NO_ADAPT_THRESHOLD = 0.95
#: ``link match`` of two lentera-clk/1 files: the Dice similarity when --threshold is not given
PPRL_DICE_THRESHOLD = 0.75


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
    e.add_argument(
        "--format",
        choices=["1", "2"],
        default="2",
        help="encoding version: 2 = lentera-clk/2 (default, also for the hub); 1 = "
        "lentera-clk/1 (only to match against partners that still hold /1 files)",
    )
    e.set_defaults(func=encode)
    m = verbs.add_parser("match", help="match two organisations' encodings")
    m.add_argument("a", type=Path)
    m.add_argument("b", type=Path)
    m.add_argument("--out", type=Path, required=True)
    add_match_threshold(m, chosen_for="the run", dice=PPRL_DICE_THRESHOLD)
    m.set_defaults(func=match)
    d = verbs.add_parser(
        "dedupe", help="find duplicate records inside one organisation (Splink model)"
    )
    d.add_argument("input", type=Path)
    d.add_argument("--out", type=Path, required=True, help="CSV of record_id,cluster_id")
    d.add_argument(
        "--threshold",
        type=_threshold,
        default=AUTO,
        help="match probability at which two records are the same person (default: "
        "%(default)s, chosen for this run from its match-weight distribution and printed; "
        f"with --no-adapt, {NO_ADAPT_THRESHOLD})",
    )
    d.add_argument(
        "--no-adapt",
        action="store_true",
        help="score with the model as it is (no re-estimation on IN)",
    )
    d.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    d.add_argument("--model", type=Path, help="model file (default: the one shipped with Lentera)")
    d.add_argument(
        "--train",
        action="store_true",
        help="train a model on IN first (EM, no labels needed); saved to --model if given",
    )
    d.add_argument("--pairs", type=Path, help="also write the scored, explained pairs to this CSV")
    d.set_defaults(func=dedupe)


def _threshold(text: str) -> float | str:
    """``--threshold``: ``auto`` or a match probability."""
    return AUTO if text == AUTO else float(text)


def _write_encodings(out: Path, encodings: Iterable[Any], total: int) -> None:
    """Write one JSON line per encoding, with a progress bar on large files."""
    from tqdm import tqdm

    with out.open("w", encoding="utf-8") as fh:
        for enc in tqdm(
            encodings, total=total, desc="encoding", unit=" records", disable=total < 5000
        ):
            fh.write(json.dumps(enc.to_json()) + "\n")


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise LenteraError("unreadable", f"cannot read key file {path}: {exc}") from exc
    if len(key) < 16:
        raise LenteraError("weak_key", f"{path}: the shared secret must be at least 16 bytes")
    return key


def encode(args: argparse.Namespace) -> int:
    # the linkage engine loads numpy and pyarrow: imported by the verb, not by `lentera --help`
    from lentera.linkage import pprl
    from lentera.linkage.records import read_link_records

    records = read_link_records(args.input)
    key = _read_key(args.key_file)
    if getattr(args, "format", "2") == "2":
        from lentera.linkage import clk2

        # the whole file in one pass: which names are rare is counted over all its records
        _write_encodings(args.out, clk2.iter_encode(records, key), len(records))
        print(
            f"encoded {len(records)} records ({clk2.ENCODING_VERSION} revision "
            f"{clk2.REVISION}) to {args.out}"
        )
        return 0
    _write_encodings(args.out, pprl.encode(records, key), len(records))
    print(f"encoded {len(records)} records ({pprl.ENCODING_VERSION}) to {args.out}")
    return 0


def match(args: argparse.Namespace) -> int:
    from lentera.linkage import clk2, pprl

    (version_a, a), (version_b, b) = pprl.read_any(args.a), pprl.read_any(args.b)
    clk2.check_version(version_a, version_b, f"{args.a} and {args.b}")
    matches: Sequence[Any]  # clk2.Match or pprl.MatchPair: both have the ids and a score
    if version_a == clk2.ENCODING_VERSION:
        matches, report = clk2.match(a, b, threshold=args.threshold)
        chosen = " (chosen for this run)" if report.get("threshold_chosen") else ""
        found = f"at match probability ≥ {report['threshold']}{chosen}"
        for path, revision in zip((args.a, args.b), report["revisions"], strict=True):
            if revision < clk2.REVISION:
                print(
                    f"note: {path} is {clk2.ENCODING_VERSION} revision {revision} (this Lentera "
                    f"writes revision {clk2.REVISION}): the fields it lacks are not compared; "
                    "encode it again for the best matching"
                )
    else:
        matches = pprl.match(
            a, b, threshold=PPRL_DICE_THRESHOLD if args.threshold is None else args.threshold
        )
        found = ""
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csvsafe.writer(fh)
        writer.writerow(["a_record_id", "b_record_id", "score"])
        for pair in matches:
            writer.writerow([pair.a_record_id, pair.b_record_id, f"{pair.score:.4f}"])
    unique = len(a) + len(b) - len(matches)
    print(
        f"{len(matches)} matched pairs{' ' + found if found else ''}; "
        f"{unique} unique survivors across the two files ({len(a)} + {len(b)} records)"
    )
    return 0


def dedupe(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    # the linkage engine loads numpy and pyarrow: imported by the verb, not by `lentera --help`
    from lentera.linkage import dedupe as engine
    from lentera.linkage.records import check_link_record, read_link_records

    threshold: float | str = args.threshold
    if threshold != engine.AUTO and not 0.0 < float(threshold) < 1.0:
        raise LenteraError("threshold", f"--threshold {threshold}: must be between 0 and 1")
    records = read_link_records(args.input)
    for line, record in enumerate(records, start=2):
        check_link_record(args.input, line, record)
    steps = tqdm(
        total=3 if args.train else 2,
        desc="dedupe",
        unit="step",
        file=sys.stderr,
        disable=len(records) < 5000,
    )
    model = None
    if args.train:
        steps.set_postfix_str("training (EM)")
        model = engine.train(records, out=args.model, engine=args.engine)
        steps.update()
    elif args.model is not None:
        model = engine.load_model(args.model)
    steps.set_postfix_str("scoring pairs")
    result = engine.dedupe(
        records,
        threshold=threshold,
        engine=args.engine,
        model=model,
        adapt=not getattr(args, "no_adapt", False),
    )
    steps.update()
    steps.set_postfix_str("writing")
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csvsafe.writer(fh)
        writer.writerow(["record_id", "cluster_id"])
        for record in records:
            writer.writerow([record["record_id"], result.clusters[record["record_id"]]])
    if args.pairs is not None:
        with args.pairs.open("w", newline="", encoding="utf-8") as fh:
            writer = csvsafe.writer(fh)
            writer.writerow(["record_id_l", "record_id_r", "probability", "explanation"])
            for pair in result.pairs:
                writer.writerow(
                    [
                        pair.record_id_l,
                        pair.record_id_r,
                        f"{pair.probability:.4f}",
                        "; ".join(
                            f"{e.field}: {e.label} ({e.match_weight:+.2f})"
                            for e in pair.explanation
                        ),
                    ]
                )
    steps.update()
    steps.close()
    chosen = " (chosen for this run)" if threshold == engine.AUTO else ""
    print(
        f"{len(records)} records → {result.cluster_count} clusters "
        f"({len(result.pairs)} pairs ≥ {result.threshold:.3f}{chosen}); written to {args.out}"
    )
    if result.report is not None and result.report.adapted:
        report = result.report
        expected = (
            f", expected F1 {report.expected_f1:.3f}" if report.expected_f1 is not None else ""
        )
        print(
            f"model re-estimated on these records: {report.candidate_pairs} candidate pairs, "
            f"about {report.expected_matches:.0f} matches{expected}; "
            f"{report.refused_merges} links not followed (they would chain clusters); "
            f"{report.density_lowered} links weakened (only a name, year and area shared "
            "by more people than copies)"
        )
    return 0
