"""Release packages: the released files plus ``manifest.json``, as a directory or a ``.zip``,
and a verifier that re-checks everything the manifest claims.

``manifest.json`` (schema ``lentera.release-package/1``) says what (each file: kind, layout,
row count, parameters: k, QIs, levels chosen, suppressed records; or ε, mechanism, dimensions),
when (UTC), by whom (the name the caller passes), for which organisation, the ε spent, the
SHA-256 of each file and the Lentera version. :func:`verify_package` recomputes the hashes,
refuses files the manifest does not list, re-proves k on every CTDC file and re-checks that
every DP table has the declared shape and no negative count. ``manifest.sig``
(:mod:`lentera.disclosure.signing`) signs the manifest; the hub verifies it against the
organisation's enrolled key and also applies its own minimum k.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers and quoted column
# names; every value from outside is bound as a parameter.

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import shutil
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from lentera import __version__
from lentera.analytics.snapshot import SCHEMA_VERSION
from lentera.disclosure._common import DisclosureError
from lentera.disclosure.ctdc import CtdcRelease, write_ctdc
from lentera.disclosure.dp import DpTable, write_dp_table
from lentera.disclosure.kanon import KCheck, quote_identifier, verify_k
from lentera.disclosure.ledger import BudgetLedger

__all__ = [
    "MANIFEST",
    "PACKAGE_SCHEMA",
    "PackageCheck",
    "PackageError",
    "build_package",
    "open_package",
    "verify_package",
]

PACKAGE_SCHEMA = "lentera.release-package/1"
MANIFEST = "manifest.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
KINDS = ("ctdc-2017", "ctdc-2024", "dp-table")


class PackageError(DisclosureError):
    """A package failed verification (tampered, incomplete or not meeting its claims)."""

    def __init__(self, message: str) -> None:
        super().__init__("package_invalid", message)


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_package(
    out: str | Path,
    *,
    organisation: str,
    created_by: str,
    ctdc: Sequence[CtdcRelease] = (),
    dp: Sequence[tuple[str, DpTable]] = (),
    release_id: str | None = None,
    ledger: BudgetLedger | None = None,
) -> dict[str, Any]:
    """Write a release package to ``out`` (a directory, or a ``.zip`` file) and return its
    manifest. ``dp`` pairs a table name (``[A-Za-z0-9_.-]``) with a DP table. With a ``ledger``,
    the package's total ε is spent first (a refusal writes nothing)."""
    if not organisation or not NAME_PATTERN.match(organisation):
        raise DisclosureError("bad_org", f"organisation code {organisation!r} is not valid")
    if not created_by.strip():
        raise DisclosureError("bad_author", "give the name of the person making the release")
    if not ctdc and not dp:
        raise DisclosureError("empty_package", "a package needs at least one file")
    release_id = release_id or uuid.uuid4().hex
    if not NAME_PATTERN.match(release_id):
        raise DisclosureError("bad_release_id", f"release id {release_id!r} is not valid")
    names = [f"ctdc_{r.layout}.csv" for r in ctdc] + [f"dp_{name}.csv" for name, _ in dp]
    if len(set(names)) != len(names) or not all(NAME_PATTERN.match(n) for n in names):
        raise DisclosureError("bad_file_names", "package file names must be distinct and plain")
    epsilon = math.fsum(t.epsilon for _, t in dp)
    target = Path(out)
    zipped = target.suffix.lower() == ".zip"
    if target.exists() and (zipped or any(target.iterdir())):
        raise DisclosureError("exists", f"{target} already exists", kind="conflict")
    if ledger is not None and epsilon > 0:
        ledger.spend(organisation, epsilon, release_id)
    work = Path(tempfile.mkdtemp(prefix="lentera-release-")) if zipped else target
    work.mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    try:
        for release in ctdc:
            name = f"ctdc_{release.layout}.csv"
            check = write_ctdc(release, work / name)
            files.append(
                {
                    "name": name,
                    "kind": f"ctdc-{release.layout}",
                    "rows": check.rows,
                    "parameters": release.parameters(),
                }
            )
        for table_name, table in dp:
            name = f"dp_{table_name}.csv"
            write_dp_table(table, work / name)
            files.append(
                {
                    "name": name,
                    "kind": "dp-table",
                    "rows": len(table.table),
                    "parameters": table.parameters(),
                }
            )
        for entry in files:
            path = work / entry["name"]
            entry["sha256"] = file_sha256(path)
            entry["bytes"] = path.stat().st_size
        manifest = {
            "schema": PACKAGE_SCHEMA,
            "release_id": release_id,
            "organisation": organisation,
            "created_by": created_by.strip(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "lentera_version": __version__,
            "snapshot_schema": SCHEMA_VERSION,
            "epsilon_spent": epsilon,
            "files": files,
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        if zipped:
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in [MANIFEST, *(f["name"] for f in files)]:
                    archive.write(work / name, arcname=name)
    finally:
        if zipped:
            shutil.rmtree(work, ignore_errors=True)
    return manifest


@contextmanager
def open_package(path: str | Path) -> Iterator[Path]:
    """The package as a directory (a ``.zip`` is extracted to a temporary one, safely)."""
    source = Path(path)
    if source.is_dir():
        yield source
        return
    if not source.is_file():
        raise PackageError(f"{source}: no such package")
    if not zipfile.is_zipfile(source):
        raise PackageError(f"{source}: neither a directory nor a zip file")
    work = Path(tempfile.mkdtemp(prefix="lentera-package-"))
    try:
        try:
            with zipfile.ZipFile(source) as archive:
                for info in archive.infolist():
                    if info.is_dir() or not NAME_PATTERN.match(info.filename):
                        raise PackageError(f"{source}: unexpected member {info.filename!r}")
                    if info.file_size > 2 << 30:
                        raise PackageError(f"{source}: member {info.filename} is too large")
                    with archive.open(info) as src, (work / info.filename).open("wb") as dst:
                        shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise PackageError(f"{source}: damaged zip file ({exc})") from exc
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True)
class PackageCheck:
    """What :func:`verify_package` proved."""

    manifest: Mapping[str, Any]
    k_checks: Mapping[str, KCheck]
    dp_cells: Mapping[str, int]


def _read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise PackageError(f"{root}: no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PackageError(f"{MANIFEST}: not JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("schema") != PACKAGE_SCHEMA:
        raise PackageError(f"{MANIFEST}: schema is not {PACKAGE_SCHEMA}")
    for key in ("release_id", "organisation", "created_by", "created_at", "files"):
        if key not in manifest:
            raise PackageError(f"{MANIFEST}: {key} missing")
    if not NAME_PATTERN.match(str(manifest["release_id"])) or not NAME_PATTERN.match(
        str(manifest["organisation"])
    ):
        raise PackageError(f"{MANIFEST}: release id or organisation code is not valid")
    if not isinstance(manifest["files"], list) or not manifest["files"]:
        raise PackageError(f"{MANIFEST}: no files listed")
    return manifest


def _check_dp(path: Path, entry: Mapping[str, Any]) -> int:
    params = entry.get("parameters") or {}
    dims = list(params.get("dimensions") or [])
    domains = params.get("domains") or {}
    if not dims or any(d not in domains for d in dims):
        raise PackageError(f"{entry['name']}: dimensions or domains missing from the manifest")
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        columns = [r[0] for r in con.execute("DESCRIBE t").fetchall()]
        if columns != [*dims, "count"]:
            raise PackageError(f"{entry['name']}: columns {columns} are not {[*dims, 'count']}")
        bad = con.execute(
            "SELECT count(*) FROM t WHERE TRY_CAST(count AS BIGINT) IS NULL "
            "OR TRY_CAST(count AS BIGINT) < 0 OR NOT regexp_full_match(count, '[0-9]+')"
        ).fetchone()[0]  # type: ignore[index]
        if bad:
            raise PackageError(f"{entry['name']}: {bad} count(s) negative or not whole numbers")
        cells = con.execute("SELECT count(*) FROM t").fetchone()[0]  # type: ignore[index]
        expected = math.prod(len(domains[d]) for d in dims)
        if cells != expected:
            raise PackageError(
                f"{entry['name']}: {cells} cells, the declared domain has {expected}"
            )
        cols = ", ".join(quote_identifier(d) for d in dims)
        distinct = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {cols} FROM t)").fetchone()[
            0
        ]  # type: ignore[index]
        if distinct != expected:
            raise PackageError(f"{entry['name']}: cells repeat or are missing")
        for d in dims:
            outside = con.execute(
                f"SELECT count(*) FROM t WHERE NOT list_contains(?, {quote_identifier(d)})",
                [list(map(str, domains[d]))],
            ).fetchone()[0]  # type: ignore[index]
            if outside:
                raise PackageError(f"{entry['name']}: values of {d} outside the declared domain")
    except duckdb.Error as exc:
        raise PackageError(f"{entry['name']}: cannot read ({exc})") from exc
    finally:
        con.close()
    return int(cells)


def verify_package(path: str | Path, *, min_k: int | None = None) -> PackageCheck:
    """Verify a package directory or zip; raise :class:`PackageError` on any discrepancy."""
    with open_package(path) as root:
        manifest = _read_manifest(root)
        listed = {}
        for entry in manifest["files"]:
            name = str(entry.get("name", ""))
            if not NAME_PATTERN.match(name) or name == MANIFEST or name in listed:
                raise PackageError(f"{MANIFEST}: bad or repeated file name {name!r}")
            if entry.get("kind") not in KINDS:
                raise PackageError(f"{name}: unknown kind {entry.get('kind')!r}")
            listed[name] = entry
        present = {p.name for p in root.iterdir() if p.name not in (MANIFEST, "manifest.sig")}
        extra = sorted(present - set(listed))
        if extra:
            raise PackageError(f"{extra[0]}: in the package but not in the manifest")
        k_checks: dict[str, KCheck] = {}
        dp_cells: dict[str, int] = {}
        for name, entry in listed.items():
            file = root / name
            if not file.is_file():
                raise PackageError(f"{name}: listed in the manifest but missing")
            if file_sha256(file) != entry.get("sha256"):
                raise PackageError(f"{name}: SHA-256 does not match the manifest (tampered?)")
            params = entry.get("parameters") or {}
            if entry["kind"].startswith("ctdc-"):
                k = params.get("k")
                qi_columns = params.get("qi_columns")
                if not isinstance(k, int) or not qi_columns:
                    raise PackageError(f"{name}: k or qi_columns missing from the manifest")
                if min_k is not None and k < min_k:
                    raise PackageError(f"{name}: k={k} is below the required {min_k}")
                suppressed = params.get("suppressed")
                check = verify_k(
                    file,
                    k=k,
                    qi_columns=qi_columns,
                    suppressed_declared=suppressed if isinstance(suppressed, int) else None,
                )
                if not check.ok:
                    raise PackageError(
                        f"{name}: not {k}-anonymous ({check.violating_classes} class(es) "
                        f"smaller than {k}, smallest {check.smallest_class})"
                    )
                if check.rows != entry.get("rows"):
                    raise PackageError(
                        f"{name}: {check.rows} rows, the manifest says {entry.get('rows')}"
                    )
                k_checks[name] = check
            else:
                dp_cells[name] = _check_dp(file, entry)
        return PackageCheck(manifest=manifest, k_checks=k_checks, dp_cells=dp_cells)
