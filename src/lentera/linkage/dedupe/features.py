"""Comparison features of person records: names, dates, NIK, sex, place, phone (no Splink here).

:func:`prepare` turns raw rows (the ``lentera link`` CSV layout, :data:`INPUT_FIELDS`) into
the columns of :data:`FEATURE_COLUMNS`, one row per record, empty → NULL. Every normaliser
is cached per distinct value: a million records hold far fewer distinct names and dates.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from lentera import reference
from lentera.errors import LenteraError
from lentera.linkage.dates import parse_date
from lentera.linkage.names import BIRTH_ORDER, phonetic_key
from lentera.linkage.names import name_parts as split_name
from lentera.linkage.nik import normalise_nik
from lentera.linkage.phone import normalise_phone
from lentera.linkage.search import fold_spelling

INPUT_FIELDS = (
    "record_id",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "birth_place",
    "origin_regency_code",
    "phone",
)
STR_COLUMN = "string"
INT_COLUMN = "int"
FEATURE_COLUMNS: dict[str, str] = {
    "uid": STR_COLUMN,
    "name_full": STR_COLUMN,
    "name_core": STR_COLUMN,
    "name_last": STR_COLUMN,
    "phon_sorted": STR_COLUMN,
    "phon_first": STR_COLUMN,
    "phon_last": STR_COLUMN,
    "phon_rare": STR_COLUMN,
    "initials": STR_COLUMN,
    "abbreviated": STR_COLUMN,
    "birth_order": STR_COLUMN,
    "father": STR_COLUMN,
    "dob": STR_COLUMN,
    "birth_year": INT_COLUMN,
    "birth_month": INT_COLUMN,
    "birth_day": INT_COLUMN,
    "dob_dm": INT_COLUMN,
    "sex": STR_COLUMN,
    "nik": STR_COLUMN,
    "regency": STR_COLUMN,
    "area": STR_COLUMN,
    "province": STR_COLUMN,
    "phone": STR_COLUMN,
    "birth_place": STR_COLUMN,
    "regency_name": STR_COLUMN,
    # capped blocking keys (NULL where the key is shared by more than BLOCK_CAP records)
    **{
        f"blk_{name}": STR_COLUMN
        for name in ("first_last", "last_area", "first_area", "first_year", "dob", "sorted")
    },
    # a record's capped (name token, birth year, area) keys, as numbers joined by spaces
    "blk_token_year_area": STR_COLUMN,
    # ... and (name token, birth year, day and month in either order)
    "blk_token_year_dm": STR_COLUMN,
}
_SEX = {
    "female": "female",
    "f": "female",
    "p": "female",
    "perempuan": "female",
    "wanita": "female",
    "male": "male",
    "m": "male",
    "l": "male",
    "laki-laki": "male",
    "laki": "male",
    "pria": "male",
}
_PLACE_PREFIX = re.compile(r"^(kabupaten|kab|kota|kec|kecamatan)\b\.?\s*")
_WORD = re.compile(r"[a-z]+")


# --------------------------------------------------------------------------- features


@cache
def _fold(word: str) -> str:
    return fold_spelling(word)


@cache
def _phon(token: str) -> str:
    return phonetic_key(token)


@cache
def name_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """(own tokens, core tokens, father, birth order) by the rules of ``normalise_name``
    (:func:`lentera.linkage.names.name_parts`), cached per name."""
    parts = split_name(name)
    core = tuple(t for t in parts.own if t not in BIRTH_ORDER) or parts.own
    return parts.own, core, parts.father[0] if parts.father else "", parts.birth_order


_ISO_LIKE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")
_DAY_FIRST_LIKE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _partial_date(text: str) -> tuple[None, int | None, int | None, None]:
    """Year (and month) of a date that does not parse because its day or month is impossible.

    ``1950-43-06`` or ``31-02-1990``: a typing error in one part should not lose the others
    for blocking and comparison (the year still blocks, the month still compares).
    """
    m = _ISO_LIKE.fullmatch(text)
    if m:
        year, month = int(m[1]), int(m[2])
    elif m := _DAY_FIRST_LIKE.fullmatch(text):
        year, month = int(m[3]), int(m[2])
    else:
        return None, None, None, None
    if not 1880 <= year <= dt.date.today().year:  # noqa: DTZ011 - a calendar year
        return None, None, None, None
    return None, year, month if 1 <= month <= 12 else None, None


@cache
def _date(text: str) -> tuple[str | None, int | None, int | None, int | None]:
    try:
        parsed = parse_date(text)
    except LenteraError:
        return _partial_date(text)
    d = parsed.date
    if parsed.precision == "day":
        return d.isoformat(), d.year, d.month, d.day
    if parsed.precision == "month":
        return None, d.year, d.month, None
    return None, d.year, None, None


@cache
def _regency_name(code: str) -> str | None:
    """The regency's name as a birth place would be written (``3578`` → ``surabaya``)."""
    regency = reference.regencies().get(code)
    return _place(regency.name) if regency else None


@cache
def _regencies_by_place() -> dict[str, str]:
    """Normalised regency name → BPS code, for names that belong to one regency only."""
    seen: dict[str, list[str]] = {}
    for code, regency in reference.regencies().items():
        name = _place(regency.name)
        if name:
            seen.setdefault(name, []).append(code)
    return {name: codes[0] for name, codes in seen.items() if len(codes) == 1}


@cache
def _regency_of_place(text: str) -> str | None:
    """The regency a birth place names (``Kab. Tulang Bawang`` → ``1805``), if exactly one."""
    name = _place(text) if text else None
    return _regencies_by_place().get(name) if name else None


@cache
def _place(text: str) -> str | None:
    words = _WORD.findall(_PLACE_PREFIX.sub("", text.lower().strip()))
    return " ".join(_fold(w) for w in words) or None


@cache
def _phone(text: str) -> str | None:
    if not text:
        return None
    try:
        return normalise_phone(text)
    except LenteraError:
        return None


_NameFeatures = tuple[str | None, ...]


@cache
def _name_features(name: str) -> tuple[_NameFeatures, tuple[str, ...]]:
    """(name_full, name_core, name_last, phon_sorted, phon_first, phon_last, initials, father,
    birth_order), and the core tokens."""
    own, core, father, birth_order = name_parts(name.strip())
    phon = [_phon(t) for t in core]
    return (
        (
            " ".join(own) or None,
            " ".join(core) or None,
            core[-1] if core else None,
            " ".join(sorted(phon)) or None,
            phon[0] if phon else None,
            phon[-1] if phon else None,
            "".join(t[0] for t in core) or None,
            _phon(father) if father else None,
            birth_order or None,
            "initial" if any(len(t) == 1 for t in core[:-1]) else None,
        ),
        core,
    )


@cache
def _nik_number(text: str) -> str | None:
    """The 16-digit NIK in ``text`` (a mistyped one too: it still compares by edit distance)."""
    nik = normalise_nik(text)
    return nik if len(nik) == 16 and nik.isdigit() else None


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _nik_facts(niks: Sequence[str | None]) -> tuple[Any, Any, Any, list[Any]]:
    """What each NIK's first 12 digits say, as pyarrow arrays: (sex, regency, birth date ISO,
    [birth year, month, day]); NULL where :func:`~lentera.linkage.nik.decode_nik` would
    refuse them (an impossible date, an unknown province) or the serial is 0000.

    The rules of ``decode_nik`` on arrays (a million records hold hundreds of thousands of
    distinct NIKs): day + 40 for women, the most recent century not after this year, the
    Kemendagri province and regency looked up once per distinct code.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(niks)
    rows = np.fromiter(
        (i for i, v in enumerate(niks) if v is not None and v[12:] != "0000" and v.isascii()),
        dtype=np.int64,
    )
    text = "".join(niks[i][:12] for i in rows.tolist())
    digits = np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(-1, 12).astype(np.int64)
    digits -= ord("0")

    def number(start: int, width: int) -> Any:
        return digits[:, start : start + width] @ (10 ** np.arange(width - 1, -1, -1))

    raw_day, month, yy = number(6, 2), number(8, 2), number(10, 2)
    female = raw_day > 40
    day = np.where(female, raw_day - 40, raw_day)
    year = 2000 + yy
    year = np.where(year <= dt.date.today().year, year, year - 100)  # noqa: DTZ011 - a calendar year
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    real_month = (month >= 1) & (month <= 12)
    days_in_month = np.asarray(_MONTH_DAYS)[np.where(real_month, month, 0)]
    days_in_month += real_month & (month == 2) & leap
    province_codes, province_of = np.unique(number(0, 2), return_inverse=True)
    province_known = np.array(
        [reference.kemendagri_to_bps(f"{c:02d}") is not None for c in province_codes.tolist()],
        dtype=bool,
    )[province_of.reshape(-1)]
    ok = real_month & (day >= 1) & (day <= days_in_month) & province_known
    regency_codes, regency_of = np.unique(number(0, 4), return_inverse=True)
    regencies = np.array(
        [reference.kemendagri_to_bps(f"{c:04d}") for c in regency_codes.tolist()] + [None],
        dtype=object,
    )
    valid = np.zeros(n, dtype=bool)
    valid[rows[ok]] = True
    missing = ~valid

    def spread(values: Any, kind: Any) -> Any:
        full = np.zeros(n, dtype=values.dtype)
        full[rows[ok]] = values[ok]
        return pa.array(full, type=kind, mask=missing)

    sex = np.full(n, None, dtype=object)
    sex[rows[ok]] = np.where(female[ok], "female", "male")
    regency = np.full(n, None, dtype=object)
    regency[rows[ok]] = regencies[regency_of.reshape(-1)[ok]]
    epoch_days = (
        (year - 1970).astype("datetime64[Y]") + (month - 1).astype("timedelta64[M]")
    ).astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    iso = pc.cast(spread(epoch_days.astype(np.int64).astype(np.int32), pa.date32()), pa.string())
    i32 = pa.int32()
    parts = [spread(part.astype(np.int32), i32) for part in (year, month, day)]
    return pa.array(sex, type=pa.string()), pa.array(regency, type=pa.string()), iso, parts


@cache
def _sex(text: str) -> str | None:
    return _SEX.get(text.strip().lower())


@cache
def _regency(text: str) -> str | None:
    code = text.strip().replace(".", "")
    return code if len(code) == 4 and code.isdigit() else None


def _columns(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
) -> dict[str, list[str]]:
    """Input columns as lists of stripped strings ("" for missing), from rows or from columns."""
    if isinstance(records, Mapping):
        n = len(records["record_id"])
        return {
            f: [("" if v is None else str(v)) for v in records[f]] if f in records else [""] * n
            for f in INPUT_FIELDS
        }
    rows = list(records)
    return {f: [("" if (v := r.get(f)) is None else str(v)) for r in rows] for f in INPUT_FIELDS}


def prepare(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
) -> dict[str, list[Any]]:
    """Feature columns (``FEATURE_COLUMNS``) for raw records (rows, or columns by field name).

    Raises :class:`LenteraError` for an empty or repeated record_id.
    """
    ids, table = prepare_table(records)
    cols: dict[str, list[Any]] = {"uid": ids}
    for key in FEATURE_COLUMNS:
        if key != "uid":
            cols[key] = table.column(key).to_pylist()
    return cols


def prepare_table(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
) -> tuple[list[str], Any]:
    """The record ids, and the features as a pyarrow table (``uid`` = the record's position).

    Vectorised: each raw column is dictionary-encoded, the normalisers run once per
    distinct value (a million records hold far fewer distinct names, dates, NIKs), and
    the features are gathered back per record by index; the rules that combine columns
    (a date from the NIK, sex and regency from the NIK, the area) are array operations.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small tuples: the cyclic collector would crawl
    try:
        return _prepare(_columns(records))
    finally:
        if gc_was_enabled:
            gc.enable()


def _check_ids(uids: list[str]) -> None:
    if len(set(uids)) != len(uids) or "" in uids:
        seen: set[str] = set()
        for uid in uids:
            if not uid:
                raise LenteraError("missing_id", "record_id is empty", field="record_id")
            if uid in seen:
                raise LenteraError(
                    "duplicate_id", f"record_id {uid!r} appears twice", field="record_id"
                )
            seen.add(uid)


_NAME_KEYS = (
    "name_full",
    "name_core",
    "name_last",
    "phon_sorted",
    "phon_first",
    "phon_last",
    "initials",
    "father",
    "birth_order",
    "abbreviated",
)


def _distinct(values: Any) -> tuple[list[Any], Any]:
    """(distinct values, index of each record's value) of a pyarrow array (nulls stay null)."""
    encoded = values.dictionary_encode()
    return encoded.dictionary.to_pylist(), encoded.indices


def _prepare(raw: Mapping[str, list[str]]) -> tuple[list[str], Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    uids = [u.strip() for u in raw["record_id"]]
    _check_ids(uids)
    n = len(uids)
    out: dict[str, Any] = {"uid": pa.array(np.arange(n, dtype=np.int64))}

    def mapped(field: str, fn: Any) -> tuple[list[Any], Any]:
        distinct, index = _distinct(pa.array(raw[field], type=pa.string()))
        return [fn(v) for v in distinct], index

    def gather(values: list[Any], index: Any, kind: Any = None) -> Any:
        return pc.take(pa.array(values, type=kind or pa.string()), index)

    name_values, name_index = mapped("full_name", _name_features)
    frequency = np.bincount(name_index.to_numpy(), minlength=len(name_values))
    token_counts: Counter[str] = Counter()
    for (_, core), k in zip(name_values, frequency.tolist(), strict=True):
        for t in set(core):
            token_counts[t] += k
    for i, key in enumerate(_NAME_KEYS):
        out[key] = gather([f[i] for f, _ in name_values], name_index)

    def rare(core: tuple[str, ...]) -> str | None:
        return _phon(min(core, key=lambda t: (token_counts[t], t))) if core else None

    out["phon_rare"] = gather([rare(core) for _, core in name_values], name_index)

    nik_values, nik_index = mapped("nik", _nik_number)
    out["nik"] = gather(nik_values, nik_index)
    nik_sex, nik_regency, nik_iso, nik_parts = _nik_facts(nik_values)
    i32 = pa.int32()
    nb_iso = pc.take(nik_iso, nik_index)
    nb_parts = [pc.take(part, nik_index) for part in nik_parts]
    date_values, date_index = mapped("birth_date", lambda x: _date(x.strip()))
    iso = gather([v[0] for v in date_values], date_index)
    parts = [gather([v[k] for v in date_values], date_index, i32) for k in (1, 2, 3)]
    # the date inside a valid NIK: when none is given, or only its year
    from_nik = pc.fill_null(
        pc.and_(
            pc.is_valid(nb_iso),
            pc.or_(
                pc.is_null(parts[0]),
                pc.and_(pc.is_null(iso), pc.fill_null(pc.equal(parts[0], nb_parts[0]), False)),
            ),
        ),
        False,
    )
    out["dob"] = pc.if_else(from_nik, nb_iso, iso)
    year, month, day = (
        pc.if_else(from_nik, nb, given) for nb, given in zip(nb_parts, parts, strict=True)
    )
    out["birth_year"], out["birth_month"], out["birth_day"] = year, month, day
    out["dob_dm"] = pc.cast(
        pc.add(
            pc.multiply(pc.min_element_wise(month, day, skip_nulls=False), 100),
            pc.max_element_wise(month, day, skip_nulls=False),
        ),
        i32,
    )
    sex_values, sex_index = mapped("sex", _sex)
    out["sex"] = pc.coalesce(gather(sex_values, sex_index), pc.take(nik_sex, nik_index))
    reg_values, reg_index = mapped("origin_regency_code", _regency)
    regency = pc.coalesce(gather(reg_values, reg_index), pc.take(nik_regency, nik_index))
    out["regency"] = regency
    out["province"] = pc.utf8_slice_codeunits(regency, 0, 2)
    phone_values, phone_index = mapped("phone", _phone)
    out["phone"] = gather(phone_values, phone_index)
    place_values, place_index = mapped(
        "birth_place", lambda x: (_place(x), _regency_of_place(x)) if x else (None, None)
    )
    out["birth_place"] = gather([v[0] for v in place_values], place_index)
    # the area a record comes from: its regency, else the regency its birth place names,
    # else the birth place as written (a suburb or village outside the regency list)
    out["area"] = pc.coalesce(
        regency, gather([v[1] for v in place_values], place_index), out["birth_place"]
    )
    regency_values, regency_index = _distinct(regency)
    out["regency_name"] = gather([_regency_name(r) for r in regency_values], regency_index)
    for name, keys in CAPPED_KEYS.items():
        out[f"blk_{name}"] = _capped_key([out[k] for k in keys], BLOCK_CAP)
    out["blk_token_year_area"] = _capped_token_keys(
        out["phon_sorted"], [out["birth_year"], out["area"]], BLOCK_CAP
    )
    out["blk_token_year_dm"] = _capped_token_keys(
        out["phon_sorted"], [out["birth_year"], out["dob_dm"]], BLOCK_CAP
    )
    return uids, pa.table({k: out[k] for k in FEATURE_COLUMNS})


def _capped_token_keys(tokens: Any, columns: Sequence[Any], cap: int) -> Any:
    """Per record, its keys (any one name token + ``columns``) shared by at most ``cap``
    records, as key numbers joined by spaces (NULL where none is left).

    Finds pairs whose names agree on one token only and whose dates do not agree to the
    day (one known only to the year, day and month swapped with a token misspelt), in
    one area; common tokens (Siti, Muhammad) in a crowded area and year drop out, so a
    key's block has at most cap·(cap−1)/2 pairs however large the data.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pc.split_pattern(tokens, " ")
    flat = pc.list_flatten(lists)
    record = pc.list_parent_indices(lists).to_numpy()
    parts = [pc.cast(pc.take(c, pa.array(record)), pa.string()) for c in columns]
    keys = pc.binary_join_element_wise(flat, *parts, "|", null_handling="emit_null")
    encoded = keys.dictionary_encode()
    valid = pc.is_valid(encoded.indices).to_numpy(zero_copy_only=False)
    key = encoded.indices.to_numpy(zero_copy_only=False)[valid].astype(np.int64)
    record = record[valid].astype(np.int64)
    # one row per (record, key): a token twice in one name counts once
    pair = np.unique(record * len(encoded.dictionary) + key)
    record, key = pair // len(encoded.dictionary), pair % len(encoded.dictionary)
    counts = np.bincount(key, minlength=len(encoded.dictionary))
    kept = counts[key] <= cap
    record, key = record[kept], key[kept]
    offsets = np.searchsorted(record, np.arange(len(tokens) + 1)).astype(np.int32)
    joined = pc.binary_join(
        pa.ListArray.from_arrays(
            pa.array(offsets), pa.array(key.astype(str).tolist(), type=pa.string())
        ),
        " ",
    )
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def _capped_key(columns: Sequence[Any], cap: int) -> Any:
    """One blocking key from several columns, NULL where a part is missing or the key is common.

    A key shared by more than ``cap`` records is dropped: blocks stay small (at most
    cap·(cap−1)/2 pairs each) however common a name, date or place is in the data, so these
    looser keys can find pairs the tight rules miss without the candidate count exploding.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pc.cast(c, pa.string()) for c in columns]
    keys = pc.binary_join_element_wise(*parts, "|", null_handling="emit_null")
    encoded = keys.dictionary_encode()
    index = encoded.indices.to_numpy(zero_copy_only=False)
    valid = pc.is_valid(encoded.indices).to_numpy(zero_copy_only=False)
    counts = np.bincount(index[valid].astype(np.int64), minlength=len(encoded.dictionary))
    common = np.zeros(len(index), dtype=bool)
    common[valid] = counts[index[valid].astype(np.int64)] > cap
    return pc.if_else(pa.array(common), pa.scalar(None, pa.string()), keys)


#: looser keys, each used only where it is shared by at most BLOCK_CAP records (a first name
#: or a date alone would make huge blocks on large data; capped, they stay bounded): they
#: find pairs whose birth date is missing or mistyped, or whose names are both misspelt.
CAPPED_KEYS: dict[str, tuple[str, ...]] = {
    "first_last": ("phon_first", "phon_last"),
    "last_area": ("phon_last", "area"),
    "first_area": ("phon_first", "area"),
    "first_year": ("phon_first", "birth_year"),
    "dob": ("dob",),
    "sorted": ("phon_sorted",),
}
BLOCK_CAP = 10
