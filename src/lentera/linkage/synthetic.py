"""Synthetic, messy Indonesian person records with known truth — for tests and benchmarks only.

Every record is invented: names are composed at random from ``data/synthetic_name_parts.csv``
(common given and family names by naming tradition, no real person), NIKs and phone numbers
are random digits in the right shape, regencies are real BPS codes from
:mod:`lentera.reference` (so NIK decoding and region features behave as on real data).

``generate(n_records, seed=…)`` returns columns in the ``lentera link`` CSV layout plus the
true entity of each record. Each entity appears 1..``max_copies`` times; copies are
corrupted the way intake records are: old and new spelling (Soerjani/Suryani,
Djoko/Joko), honorifics added or dropped (Hj., H., Drs.), Muhammad written M./Moh./Muh.,
bin/binti and the father's name dropped, Balinese I/Ni and birth-order names dropped,
typing errors, swapped tokens, initials, upper case, day and month swapped, year-only
or missing dates, missing or mistyped NIKs, phones as 08…, +62… or 62…, missing fields.

Random choices are drawn in bulk with numpy; the string edits run in one Python loop
(about 10 µs a record: a million records take well under a minute).
"""

from __future__ import annotations

import bisect
import csv
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from lentera import csvsafe, reference
from lentera.linkage.dedupe import INPUT_FIELDS
from lentera.reference import names as reference_names

__all__ = ["FIELDS", "SyntheticData", "generate", "pairwise_scores"]

FIELDS = INPUT_FIELDS  # the ``lentera link`` input layout
_BIRTH_ORDER = ("Wayan", "Made", "Nyoman", "Ketut", "Gede", "Putu", "Kadek", "Komang")
_OLD_SPELLING = (("sy", "sj"), ("ny", "nj"), ("c", "tj"), ("j", "dj"), ("y", "j"), ("u", "oe"))
_MUHAMMAD = ("Muhammad", "M.", "Moh.", "Muh.", "Mohammad", "Muhamad", "Mochammad")
_HONORIFIC = {"female": ("Hj.", "Dra.", "Hj"), "male": ("H.", "Drs.", "Haji", "Ir.")}
_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: transliterations of Arabic names as Indonesian records write them (each group: one name)
_TRANSLITERATIONS = (
    ("Ahmad", "Achmad", "Akhmad", "Ahmat"),
    ("Abdul", "Abdoel", "Abdol"),
    ("Aisyah", "Aisah", "Aishah", "Aisya", "Asyah"),
    ("Fatimah", "Fatima", "Fatimeh", "Patimah"),
    ("Khadijah", "Hadijah", "Kadijah", "Chadijah", "Khodijah"),
    ("Zainab", "Zaenab", "Sainab", "Zaynab"),
    ("Rahmat", "Rachmat", "Rohmat", "Rahmad"),
    ("Yusuf", "Yusup", "Jusuf", "Yusof"),
    ("Hasan", "Hassan", "Hasanu"),
    ("Husein", "Husain", "Husin", "Hussein"),
    ("Syaiful", "Saiful", "Syaifol", "Sjaiful"),
    ("Zulaikha", "Julaeha", "Zulaeha", "Zulaiha"),
    ("Ibrahim", "Ibrohim", "Iberahim"),
    ("Ismail", "Ismael", "Ismangil"),
    ("Sulaiman", "Sulaeman", "Soleman", "Sulaiman"),
    ("Rukayah", "Rukoyah", "Rukiah", "Ruqayyah"),
    ("Hasanah", "Khasanah", "Chasanah"),
    ("Sholihah", "Solihah", "Salihah", "Sholikhah"),
    ("Nurjanah", "Nurjannah", "Nurjana"),
    ("Rosyid", "Rasyid", "Rosid", "Rashid"),
    ("Mukhlis", "Muklis", "Muchlis"),
    ("Zainal", "Zaenal", "Sainal"),
    ("Hamzah", "Hamja", "Hamsah"),
    ("Maryam", "Mariam", "Mariyam"),
    ("Umi", "Ummi", "Oemi"),
    ("Nurul", "Nurul", "Nuroel"),
    ("Rohmah", "Rahmah", "Rochmah"),
)
_VARIANT = {name: group for group in _TRANSLITERATIONS for name in group}
#: what a name is called at home or by a clerk who knows the person: a familiar form
_NICKNAMES = {
    "Muhammad": ("Mamat", "Amat", "Mat"),
    "Siti": ("Ti", "Titi"),
    "Abdul": ("Dul",),
    "Ahmad": ("Mad", "Amat"),
    "Nurul": ("Nur",),
    "Fatimah": ("Imah", "Tima"),
    "Aisyah": ("Aisy", "Ica"),
    "Yusuf": ("Ucup",),
    "Rahmat": ("Mamat",),
}
_EPOCH = np.datetime64("1960-01-01")


@dataclass(frozen=True)
class SyntheticData:
    """Synthetic records as columns (``FIELDS``) and the true entity of each record."""

    columns: Mapping[str, list[str]]
    entity: np.ndarray  # int64 entity id per record

    def __len__(self) -> int:
        return len(self.entity)

    def records(self) -> Iterator[dict[str, str]]:
        cols = [self.columns[f] for f in FIELDS]
        for values in zip(*cols, strict=True):
            yield dict(zip(FIELDS, values, strict=True))

    def truth(self) -> dict[str, int]:
        """record_id → entity id."""
        return dict(zip(self.columns["record_id"], self.entity.tolist(), strict=True))

    def true_pair_count(self) -> int:
        counts = np.bincount(self.entity)
        return int((counts * (counts - 1) // 2).sum())

    def to_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csvsafe.writer(fh)
            writer.writerow(FIELDS)
            writer.writerows(zip(*(self.columns[f] for f in FIELDS), strict=True))


@cache
def _name_parts() -> dict[tuple[str, str], tuple[str, ...]]:
    text = (
        resources.files("lentera.linkage")
        .joinpath("data/synthetic_name_parts.csv")
        .read_text("utf-8")
    )
    out: dict[tuple[str, str], list[str]] = {}
    for row in csv.DictReader(text.splitlines()):
        out.setdefault((row["tradition"], row["part"]), []).append(row["value"])
    return {k: tuple(v) for k, v in out.items()}


@cache
def _regions() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    regs = sorted(reference.regencies().values(), key=lambda r: r.code)
    traditions = []
    for r in regs:
        group = reference_names.group_for_province(r.province_code) or "javanese"
        traditions.append(group if group != "malay_muslim" else "muslim")
    places = tuple(r.name.replace("Kabupaten ", "").replace("Kota ", "") for r in regs)
    return (
        tuple(r.code for r in regs),
        tuple(r.kemendagri_code.replace(".", "") for r in regs),
        tuple(traditions),
        places,
    )


@cache
def _catchment(n: int) -> np.ndarray:
    """Where one organisation's survivors come from: a few regencies give most of them.

    A fixed random order of the regencies with Zipf-like weights (the top regency gives
    about a tenth of the records, the top twenty about half).
    """
    order = np.random.default_rng(20240601).permutation(n)
    weights = np.empty(n)
    weights[order] = 1.0 / np.arange(1, n + 1) ** 0.9
    out: np.ndarray = weights / weights.sum()
    return out


@cache
def _cumulative(n: int) -> list[float]:
    """Cumulative Zipf-like weights 1/rank^0.8: the first names of a list are the common ones."""
    weights = 1.0 / np.arange(1, n + 1) ** 0.8
    cumulative: list[float] = (np.cumsum(weights) / weights.sum()).tolist()
    return cumulative


def _pick(rng: np.random.Generator, pool: Sequence[str], zipf: bool = True) -> str:
    """A name part; with ``zipf`` common names (early in the list) are more common."""
    if zipf:
        i = min(bisect.bisect_left(_cumulative(len(pool)), rng.random()), len(pool) - 1)
    else:
        i = int(rng.integers(len(pool)))
    return pool[i]


def _entity_name(rng: np.random.Generator, tradition: str, sex: str) -> str:
    parts = _name_parts()
    if tradition in ("javanese", "sasak") and rng.random() < 0.15:
        return _pick(rng, parts[("mononym", sex)])
    if tradition == "balinese":
        prefix = "Ni" if sex == "female" else "I"
        given = _pick(rng, parts[("balinese", sex)])
        second = (
            " " + _pick(rng, parts[("balinese", sex)], zipf=False) if rng.random() < 0.5 else ""
        )
        return f"{prefix} {_BIRTH_ORDER[int(rng.integers(len(_BIRTH_ORDER)))]} {given}{second}"
    if tradition not in ("javanese", "sundanese", "batak", "bugis", "minang", "ntt", "muslim"):
        tradition = "javanese" if tradition != "sasak" else "sasak"
    roll = rng.random()
    if roll < 0.25 or tradition == "muslim":  # Muslim naming, anywhere in Indonesia
        if sex == "female":
            head = "Siti" if rng.random() < 0.25 else _pick(rng, parts[("muslim", "female")])
            own = [head, _pick(rng, parts[("muslim", "female")])]
        else:
            head = "Muhammad" if rng.random() < 0.25 else _pick(rng, parts[("muslim", "male")])
            own = [head, _pick(rng, parts[("muslim", "male")])]
        if own[0] == own[1]:
            own = own[:1]
        if rng.random() < 0.3:
            father = _pick(rng, parts[("muslim", "male")])
            return " ".join(own) + (" binti " if sex == "female" else " bin ") + father
        if rng.random() < 0.3:
            own.append(_pick(rng, parts[("muslim", "family")]))
        return " ".join(own)
    given = _pick(rng, parts[(tradition, sex)])
    own = [given]
    if rng.random() < 0.35:
        middle = _pick(rng, parts[(tradition, sex)], zipf=False)
        if middle != given:
            own.append(middle)
    family = parts.get((tradition, "family"), ("",))
    if family != ("",) and (tradition in ("batak", "ntt") or rng.random() < 0.6):
        own.append(_pick(rng, family))
    return " ".join(own)


def _typo(rng: np.random.Generator, word: str) -> str:
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(4))
    letter = _LETTERS[int(rng.integers(26))]
    if kind == 0:
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _old_spelling(word: str) -> str:
    lower = word.lower()
    for new, old in _OLD_SPELLING:
        if new in lower:
            lower = lower.replace(new, old)
            break
    return lower.capitalize() if word[:1].isupper() else lower


def _messy_name(
    rng: np.random.Generator, name: str, sex: str, u: np.ndarray, hard: bool = True
) -> str:
    words = name.split()
    if words[0] == "Muhammad" and u[0] < 0.5:
        words[0] = _MUHAMMAD[int(rng.integers(len(_MUHAMMAD)))]
    if words[0] in ("I", "Ni") and u[1] < 0.3:
        words = words[1:]
    if len(words) > 2 and words[0] in _BIRTH_ORDER and u[1] < 0.05:
        words = words[1:]
    for marker in ("bin", "binti"):
        if marker in words and u[2] < 0.35:
            words = words[: words.index(marker)]
    if u[3] < 0.12:
        words = [_old_spelling(w) for w in words]
    elif hard and u[3] > 0.75:  # a transliteration of an Arabic name (Achmad, Khadijah/Hadijah)
        words = [
            w if w not in _VARIANT else _VARIANT[w][int(rng.integers(len(_VARIANT[w])))]
            for w in words
        ]
    if hard and u[10] < 0.06:
        j = int(rng.integers(len(words)))
        familiar = _NICKNAMES.get(words[j])
        if familiar:
            words[j] = familiar[int(rng.integers(len(familiar)))]
        elif len(words[j]) >= 6:  # a Javanese short form: the last syllables (Suharti → Harti)
            words[j] = words[j][-4:].capitalize()
    if u[4] < 0.22:
        j = int(rng.integers(len(words)))
        words[j] = _typo(rng, words[j])
    patronymic = "bin" in words or "binti" in words  # the father's name stays after bin/binti
    if len(words) >= 2 and u[5] < (0.09 if hard else 0.05) and not (hard and patronymic):
        if hard and len(words) >= 3 and u[5] < 0.03:  # family name first (rotation)
            words = words[-1:] + words[:-1]
        else:
            words[0], words[-1] = words[-1], words[0]
    if len(words) >= 2 and u[6] < 0.05 and words[0] not in ("I", "Ni"):
        words[0] = words[0][0] + "."
    if len(words) >= 3 and u[7] < 0.06 and "bin" not in words and "binti" not in words:
        del words[1]  # a middle name left out
    if u[8] < 0.08:
        words.insert(0, _HONORIFIC[sex][int(rng.integers(len(_HONORIFIC[sex])))])
    out = " ".join(words)
    if u[9] < 0.2:
        out = out.upper()
    elif u[9] > 0.93:
        out = out.lower()
    return out


def _messy_date(rng: np.random.Generator, day_index: int, u: np.ndarray, hard: bool = True) -> str:
    date = (_EPOCH + np.timedelta64(int(day_index), "D")).astype(object)
    y, m, d = date.year, date.month, date.day
    if u[0] < 0.05:
        return ""
    if u[0] < 0.13:
        return str(y)
    if u[1] < (0.07 if hard else 0.03) and d <= 12 and d != m:
        m, d = d, m  # day and month swapped by the clerk
    if u[1] > 0.98:
        d = min(28, max(1, d + int(rng.choice([-1, 1]))))
    elif u[1] > 0.97:
        y += int(rng.choice([-1, 1]))  # an age-estimated year
    style = u[2]
    if style < 0.6:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if style < 0.8:
        return f"{d:02d}-{m:02d}-{y:04d}"
    if style < 0.9:
        return f"{d}/{m}/{y}"
    return f"{d} {_MONTHS[m - 1]} {y}"


def _nik(kemendagri: str, district: int, day_index: int, female: bool, serial: int) -> str:
    date = (_EPOCH + np.timedelta64(int(day_index), "D")).astype(object)
    day = date.day + (40 if female else 0)
    return f"{kemendagri}{district:02d}{day:02d}{date.month:02d}{date.year % 100:02d}{serial:04d}"


def _messy_nik(rng: np.random.Generator, nik: str, u: float, hard: bool = True) -> str:
    if u < 0.4:
        return ""
    if u < 0.45:  # one digit mistyped
        i = int(rng.integers(16))
        return nik[:i] + str((int(nik[i]) + int(rng.integers(1, 10))) % 10) + nik[i + 1 :]
    if hard and u < 0.5:  # two digits wrong (copied from a relative's card, misread)
        for _ in range(2):
            i = int(rng.integers(16))
            nik = nik[:i] + str((int(nik[i]) + int(rng.integers(1, 10))) % 10) + nik[i + 1 :]
        return nik
    if u < 0.53:
        return f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
    return nik


def _messy_phone(phone: str, u: float) -> str:
    if not phone or u < 0.45:
        return ""
    rest = phone[1:]  # 8…
    if u < 0.65:
        return "0" + rest
    if u < 0.8:
        return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
    if u < 0.9:
        return "62" + rest
    return f"0{rest[:3]} {rest[3:7]} {rest[7:]}"


def generate(
    n_records: int, *, seed: int = 0, max_copies: int = 5, hard: bool = True
) -> SyntheticData:
    """``n_records`` synthetic records; entity sizes 1..``max_copies`` (about half singletons).

    ``hard`` (the default since issue 18) adds what the first generator lacked:
    transliterations of Arabic names (Achmad, Hadijah, Yusup), nicknames and Javanese short
    forms (Mamat, Harti), family name first, day and month swapped twice as often, NIKs
    with two wrong digits, and sparse records (no NIK, phone or regency at all, as from an
    outreach note). ``hard=False`` gives the first generator's records.
    """
    rng = np.random.default_rng(seed)
    weights = np.array([0.5, 0.22, 0.14, 0.08, 0.06][:max_copies], dtype=float)
    weights = weights / weights.sum()
    sizes = rng.choice(np.arange(1, len(weights) + 1), size=n_records, p=weights)
    entity = np.repeat(np.arange(len(sizes)), sizes)[:n_records]
    n_entities = int(entity[-1]) + 1 if n_records else 0
    codes, kemendagri, traditions, places = _regions()
    # entity attributes, in bulk
    region = rng.choice(len(codes), size=n_entities, p=_catchment(len(codes)))
    female = rng.random(n_entities) < 0.55
    birth = rng.integers(0, int((np.datetime64("2008-12-31") - _EPOCH).astype(int)), n_entities)
    district = rng.integers(1, 30, n_entities)
    serial = rng.integers(1, 3000, n_entities)
    has_phone = rng.random(n_entities) < 0.7
    phone_digits = rng.integers(10**8, 10**9, n_entities)
    prefix = rng.choice(np.array([811, 812, 813, 821, 822, 852, 853, 857, 878, 895]), n_entities)
    name = [
        _entity_name(rng, traditions[region[e]], "female" if female[e] else "male")
        for e in range(n_entities)
    ]
    # per-record corruption draws, in bulk
    u_name = rng.random((n_records, 11))
    u_date = rng.random((n_records, 3))
    u_field = rng.random((n_records, 6))
    cols: dict[str, list[str]] = {f: [] for f in FIELDS}
    first_copy = np.ones(n_records, dtype=bool)
    first_copy[1:] = entity[1:] != entity[:-1]
    for i in range(n_records):
        e = int(entity[i])
        sex = "female" if female[e] else "male"
        r = int(region[e])
        clean = bool(first_copy[i]) and u_field[i, 5] < 0.5  # some originals are clean
        cols["record_id"].append(f"s{i:07d}")
        cols["full_name"].append(
            name[e] if clean else _messy_name(rng, name[e], sex, u_name[i], hard)
        )
        cols["birth_date"].append(
            _messy_date(
                rng, int(birth[e]), u_date[i] if not clean else np.array([1.0, 0.5, 0.0]), hard
            )
        )
        sparse = hard and not clean and u_field[i, 5] > 0.88  # an outreach note: name and date
        cols["sex"].append(
            "" if u_field[i, 0] < 0.08 else (sex if u_field[i, 0] < 0.9 else sex[0].upper())
        )
        nik = _nik(kemendagri[r], int(district[e]), int(birth[e]), bool(female[e]), int(serial[e]))
        cols["nik"].append("" if sparse else _messy_nik(rng, nik, float(u_field[i, 1]), hard))
        place = places[r]
        cols["birth_place"].append(
            "" if u_field[i, 2] < 0.4 else (place if u_field[i, 2] < 0.85 else place.upper())
        )
        cols["origin_regency_code"].append("" if sparse or u_field[i, 3] < 0.3 else codes[r])
        phone = f"0{prefix[e]}{phone_digits[e]}"[:13] if has_phone[e] and not sparse else ""
        cols["phone"].append(_messy_phone(phone, float(u_field[i, 4])))
    return SyntheticData(cols, entity.astype(np.int64))


def pairwise_scores(
    predicted: Mapping[str, str], truth: Mapping[str, int]
) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of a clustering against the true entities.

    Pairs are all record pairs inside one cluster (the transitive closure), counted
    without enumerating them.
    """

    def pairs(counter: Counter[object]) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    ids = list(truth)
    predicted_pairs = pairs(Counter(predicted[i] for i in ids))
    true_pairs = pairs(Counter(truth[i] for i in ids))
    both = pairs(Counter((predicted[i], truth[i]) for i in ids))
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "true_positive_pairs": both,
    }
