"""The coalition hub: verified release packages of many organisations merged in one DuckDB file,
with national aggregates.

:func:`import_package` verifies a package (hashes, k, DP shape; plus the hub's own minimum k),
refuses a release id it already holds, and loads the files into ``hub.duckdb``: CTDC rows into
``ctdc_2017`` / ``ctdc_2024``, DP cells into ``dp_cells``, and optionally the organisation's
keyed Bloom-filter encodings (``lentera link encode`` output, JSON Lines) into ``encodings``.

National aggregates and their honest limits:

* :func:`national_dp_counts` sums the latest DP table of each organisation over the same
  dimensions. Noise adds up: the reported 95 % bound of a sum is the normal approximation
  ``1.96 · sqrt(Σ variance)``. A person helped by two organisations is counted twice.
* :func:`national_ctdc_counts` counts rows of the merged k-anonymous files. The files carry no
  identifiers, so a person registered by two organisations is counted twice; they cannot be
  de-duplicated from these files alone.
* :func:`unique_survivors` de-duplicates across organisations using the encodings of each
  organisation's latest release that carried some (``lentera-clk/2``: the Fellegi–Sunter
  matcher of ``lentera.linkage.clk2``, one-to-one per pair of organisations, then connected
  components); an estimate with the linkage error of the matcher. ``lentera-clk/1``
  encodings stay importable and are matched with Dice only when every organisation's are
  ``/1``; a hub holding both is refused (``encoding_version_mix``) with the organisations
  that have to send their encodings again.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers and from column names of
# verified CTDC layouts (quoted); every value from outside is bound as a parameter.

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from lentera.analytics.ctdc import codebook_2024, dictionary_2017
from lentera.disclosure._common import DisclosureError
from lentera.disclosure.ctdc import ORIGIN_COLUMN
from lentera.disclosure.kanon import DEFAULT_K
from lentera.disclosure.package import open_package, verify_package
from lentera.disclosure.signing import SignatureError, verify_signature
from lentera.errors import LenteraError
from lentera.linkage import clk2, pprl
from lentera.linkage.cluster import find_root

__all__ = [
    "HUB_FILE",
    "HubImport",
    "UniqueSurvivors",
    "import_package",
    "national_ctdc_counts",
    "national_dp_counts",
    "open_hub",
    "unique_survivors",
]

HUB_FILE = "hub.duckdb"
CAVEAT_CTDC = (
    "sum over organisations of k-anonymous rows: a person registered by several organisations "
    "is counted once per organisation (no identifiers to de-duplicate with)"
)

CAVEAT_DP = (
    "sum over organisations of DP counts: noise adds up (see error95) and a person helped by "
    "several organisations is counted once per organisation"
)


def _hub_path(hub: str | Path) -> Path:
    path = Path(hub)
    if path.suffix == ".duckdb":
        return path
    return path / HUB_FILE


def _columns(layout: str) -> list[str]:
    if layout == "2017":
        return list(dictionary_2017()["variables"])
    return list(codebook_2024()["variables"])


def _schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS releases (release_id VARCHAR PRIMARY KEY, organisation "
        "VARCHAR NOT NULL, created_at VARCHAR, created_by VARCHAR, imported_at VARCHAR, "
        "epsilon_spent DOUBLE, manifest VARCHAR)"
    )
    for layout in ("2017", "2024"):
        cols = ", ".join(f'"{c}" VARCHAR' for c in [*_columns(layout), ORIGIN_COLUMN])
        con.execute(
            f"CREATE TABLE IF NOT EXISTS ctdc_{layout} (release_id VARCHAR, organisation "
            f"VARCHAR, {cols})"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS dp_cells (release_id VARCHAR, organisation VARCHAR, "
        "table_name VARCHAR, dimensions VARCHAR, cell VARCHAR, count BIGINT, epsilon DOUBLE, "
        "scale DOUBLE, error95 INTEGER, created_at VARCHAR)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS encodings (release_id VARCHAR, organisation VARCHAR, "
        "record_id VARCHAR, block VARCHAR, bits BLOB)"
    )
    # lentera-clk/2 (hubs created before hold /1 rows only: a NULL version is /1): the
    # encoding's JSON line as it arrived, block and bits NULL
    con.execute("ALTER TABLE encodings ADD COLUMN IF NOT EXISTS version VARCHAR")
    con.execute("ALTER TABLE encodings ADD COLUMN IF NOT EXISTS payload VARCHAR")


@contextmanager
def open_hub(hub: str | Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the hub database (created with its tables unless ``read_only``)."""
    path = _hub_path(hub)
    if read_only and not path.exists():
        raise DisclosureError("no_hub", f"no hub database at {path}", kind="not_found")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if not read_only:
            _schema(con)
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class HubImport:
    """What one import added to the hub."""

    release_id: str
    organisation: str
    ctdc_rows: int
    dp_cells: int
    encodings: int


def _read_encodings(path: Path) -> tuple[str, list[Any]]:
    """(version, encodings) of a ``lentera link encode`` file: ``lentera-clk/2`` or ``/1``."""
    try:
        version, codes = pprl.read_any(path)
    except LenteraError as exc:
        raise DisclosureError("bad_encodings", exc.message) from exc
    return version, codes


def import_package(
    package: str | Path,
    hub: str | Path,
    *,
    encodings: str | Path | None = None,
    min_k: int = DEFAULT_K,
    public_keys: Mapping[str, bytes] | None = None,
) -> HubImport:
    """Verify ``package`` and merge it into the hub; refuse duplicates and failing packages.

    With ``public_keys`` (organisation code → enrolled Ed25519 public key) the package must
    be signed by the key of the organisation its manifest names.
    """
    check = verify_package(package, min_k=min_k)
    manifest = check.manifest
    release_id, org = str(manifest["release_id"]), str(manifest["organisation"])
    if public_keys is not None:
        if org not in public_keys:
            raise SignatureError("not_enrolled", f"{org} has no signing key enrolled at this hub")
        verify_signature(package, public_keys[org], organisation=org)
    version, codes = (
        _read_encodings(Path(encodings)) if encodings is not None else (pprl.ENCODING_VERSION, [])
    )
    imported_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ctdc_rows = dp_total = 0
    with open_hub(hub) as con, open_package(package) as root:
        if con.execute("SELECT 1 FROM releases WHERE release_id = ?", [release_id]).fetchone():
            raise DisclosureError(
                "duplicate_release",
                f"release {release_id} of {org} is already in the hub",
                kind="conflict",
            )
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    release_id,
                    org,
                    manifest.get("created_at"),
                    manifest.get("created_by"),
                    imported_at,
                    float(manifest.get("epsilon_spent") or 0.0),
                    json.dumps(manifest, sort_keys=True),
                ],
            )
            for entry in manifest["files"]:
                file = str(root / entry["name"])
                if entry["kind"].startswith("ctdc-"):
                    layout = entry["kind"].split("-", 1)[1]
                    con.execute(
                        f"INSERT INTO ctdc_{layout} BY NAME SELECT ? AS release_id, "
                        "? AS organisation, * FROM read_csv(?, header = true, all_varchar = true)",
                        [release_id, org, file],
                    )
                    ctdc_rows += int(entry["rows"])
                else:
                    params = entry["parameters"]
                    dims = list(params["dimensions"])
                    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
                    cells = frame[dims].apply(
                        lambda r, d=dims: json.dumps(dict(zip(d, r, strict=True)), sort_keys=True),
                        axis=1,
                    )
                    rows = pd.DataFrame(
                        {
                            "release_id": release_id,
                            "organisation": org,
                            "table_name": entry["name"],
                            "dimensions": ",".join(sorted(dims)),
                            "cell": cells,
                            "count": frame["count"].astype("int64"),
                            "epsilon": float(params["epsilon"]),
                            "scale": float(params["scale"]),
                            "error95": int(params["error95"]),
                            "created_at": manifest.get("created_at"),
                        }
                    )
                    con.register("incoming", rows)
                    con.execute("INSERT INTO dp_cells SELECT * FROM incoming")
                    con.unregister("incoming")
                    dp_total += len(rows)
            if codes:
                v1 = version == pprl.ENCODING_VERSION
                enc = pd.DataFrame(
                    {
                        "release_id": release_id,
                        "organisation": org,
                        "record_id": [e.record_id for e in codes],
                        "block": [e.block if v1 else None for e in codes],
                        "bits": [e.bits if v1 else None for e in codes],
                        "version": version,
                        "payload": [None if v1 else json.dumps(e.to_json()) for e in codes],
                    }
                )
                con.register("incoming_enc", enc)
                con.execute("INSERT INTO encodings BY NAME SELECT * FROM incoming_enc")
                con.unregister("incoming_enc")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return HubImport(release_id, org, ctdc_rows, dp_total, len(codes))


def _variance(scale: float) -> float:
    """Variance of the discrete Laplace with ``scale``: 2a/(1-a)², a = exp(-1/scale)."""
    a = math.exp(-1.0 / scale)
    return 2 * a / (1 - a) ** 2


def national_dp_counts(hub: str | Path, dimensions: Sequence[str]) -> pd.DataFrame:
    """Sum of the latest DP table over ``dimensions`` of each organisation, cell by cell.

    Columns: the dimensions, ``count``, ``organisations``, ``error95`` (normal approximation of
    the summed noise) and ``caveat``. Empty if no organisation released that table.
    """
    key = ",".join(sorted(dimensions))
    with open_hub(hub, read_only=True) as con:
        rows = con.execute(
            """
            WITH latest AS (
                SELECT organisation, arg_max(release_id, created_at) AS release_id
                FROM (SELECT DISTINCT organisation, release_id, created_at FROM dp_cells
                      WHERE dimensions = ?)
                GROUP BY organisation
            )
            SELECT d.cell, sum(d.count) AS count, count(DISTINCT d.organisation) AS orgs,
                   list(d.scale) AS scales
            FROM dp_cells d JOIN latest l USING (organisation, release_id)
            WHERE d.dimensions = ?
            GROUP BY d.cell ORDER BY d.cell
            """,
            [key, key],
        ).fetchall()
    records = []
    for cell, count, orgs, scales in rows:
        values = json.loads(cell)
        spread = 1.96 * math.sqrt(sum(_variance(s) for s in scales))
        records.append(
            {
                **{d: values[d] for d in dimensions},
                "count": int(count),
                "organisations": int(orgs),
                "error95": math.ceil(spread),
            }
        )
    frame = pd.DataFrame(records, columns=[*dimensions, "count", "organisations", "error95"])
    frame["caveat"] = CAVEAT_DP
    return frame


def national_ctdc_counts(hub: str | Path, *, layout: str = "2017", by: str) -> pd.DataFrame:
    """Rows of the merged k-anonymous CTDC files by one column, over all organisations."""
    if layout not in ("2017", "2024"):
        raise DisclosureError("bad_layout", f"unknown CTDC layout {layout!r}")
    if by not in [*_columns(layout), ORIGIN_COLUMN]:
        raise DisclosureError("bad_column", f"{by!r} is not a column of the CTDC {layout} layout")
    with open_hub(hub, read_only=True) as con:
        frame = con.execute(
            f'SELECT "{by}" AS value, count(*) AS rows, count(DISTINCT organisation) AS '
            f"organisations FROM ctdc_{layout} GROUP BY ALL ORDER BY value"
        ).df()
    frame["caveat"] = CAVEAT_CTDC
    return frame


@dataclass(frozen=True)
class UniqueSurvivors:
    """Records with encodings in the hub and the estimated number of distinct people."""

    records: int
    unique: int
    matched_pairs: int
    organisations: int
    threshold: float | None  # None: lentera-clk/2, chosen per pair of organisations
    deduplicated: bool = True
    version: str = clk2.ENCODING_VERSION

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _latest_encodings(hub: str | Path) -> dict[str, tuple[str, list[Any]]]:
    """Organisation → (version, encodings) of its latest release that carried encodings."""
    with open_hub(hub, read_only=True) as con:
        columns = {r[0] for r in con.execute("DESCRIBE encodings").fetchall()}
        version = "e.version" if "version" in columns else "NULL"
        payload = "e.payload" if "payload" in columns else "NULL"
        rows = con.execute(
            f"""
            WITH latest AS (
                SELECT organisation, release_id FROM releases
                WHERE release_id IN (SELECT release_id FROM encodings)
                QUALIFY row_number() OVER (
                    PARTITION BY organisation ORDER BY imported_at DESC, rowid DESC) = 1
            )
            SELECT e.organisation, e.record_id, e.block, e.bits, {version}, {payload}
            FROM encodings e JOIN latest l USING (organisation, release_id)
            ORDER BY e.organisation, e.record_id
            """
        ).fetchall()
    out: dict[str, tuple[str, list[Any]]] = {}
    for org, record_id, block, bits, found, line in rows:
        found = found or pprl.ENCODING_VERSION
        uid = f"{org}\x00{record_id}"
        if found == pprl.ENCODING_VERSION:
            code: Any = pprl.Encoding(uid, block, bits)
        else:
            code = clk2.EncodingV2.from_json(json.loads(line) | {"record_id": uid})
        out.setdefault(org, (found, []))[1].append(code)
    return out


def unique_survivors(hub: str | Path, *, threshold: float | None = None) -> UniqueSurvivors:
    """Distinct people across organisations by matching their encodings.

    The encodings of each organisation's latest release that carried some. Within one
    organisation every record is taken as a different person (organisations export one
    encoding per ``person_key``); across each pair of organisations records are matched
    one-to-one — ``lentera-clk/2`` by :func:`lentera.linkage.clk2.match` (``threshold`` a
    match probability, None: chosen per pair), ``lentera-clk/1`` at Dice ≥ ``threshold``
    (default 0.8) when every organisation's encodings are ``/1``; matches are merged
    transitively (union-find). Encodings of both versions are refused
    (``encoding_version_mix``), naming the organisations that must send theirs again.
    """
    by_org = _latest_encodings(hub)
    versions = {org: version for org, (version, _) in by_org.items()}
    old = sorted(org for org, v in versions.items() if v != clk2.ENCODING_VERSION)
    new = sorted(org for org, v in versions.items() if v == clk2.ENCODING_VERSION)
    if old and new:
        raise DisclosureError(
            "encoding_version_mix",
            f"cannot count unique survivors: {', '.join(old)} sent {pprl.ENCODING_VERSION} "
            f"encodings, {', '.join(new)} {clk2.ENCODING_VERSION}, and the two cannot be "
            f"matched; ask {', '.join(old)} to encode again (`lentera link encode`, which "
            f"writes {clk2.ENCODING_VERSION}) and send them with a new release",
            old=old,
            new=new,
        )
    version = pprl.ENCODING_VERSION if old else clk2.ENCODING_VERSION
    parent: dict[str, str] = {e.record_id: e.record_id for _, enc in by_org.values() for e in enc}

    def find(x: str) -> str:
        return find_root(parent, x)

    pairs = 0
    orgs = sorted(by_org)
    for i, a in enumerate(orgs):
        for b in orgs[i + 1 :]:
            left, right = by_org[a][1], by_org[b][1]
            if version == clk2.ENCODING_VERSION:
                found: list[Any] = clk2.match(left, right, threshold)[0]
            else:
                found = pprl.match(left, right, threshold=0.8 if threshold is None else threshold)
            for pair in found:
                pairs += 1
                ra, rb = find(pair.a_record_id), find(pair.b_record_id)
                if ra != rb:
                    parent[ra] = rb
    unique = len({find(x) for x in parent})
    used = threshold if version == clk2.ENCODING_VERSION or threshold is not None else 0.8
    return UniqueSurvivors(len(parent), unique, pairs, len(orgs), used, version=version)
