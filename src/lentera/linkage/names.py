"""Indonesian personal-name normalisation with the parts kept as separate features.

``normalise_name("Hj. Ni Ketut Soerjani binti Karto")`` →
tokens ``("ketut", "suryani")``, honorifics ``("hj",)``, gender prefix ``ni``,
birth order ``ketut``, patronymic ``karto`` (``binti``), initials ``("k", "s")``,
phonetic keys per token. Honorifics and bin/binti are *features*, not noise:
the matcher may weigh them, but they never decide a match alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from lentera.linkage.search import fold_spelling, to_ascii

__all__ = ["NormalisedName", "normalise_name", "phonetic_key"]

HONORIFICS = frozenset(
    {
        "h",
        "hj",
        "haji",
        "hajjah",
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        "st",
        "sh",
        "se",
        "spd",
        "amd",
        "kh",
        "ust",
        "ustadz",
        "andi",
        "raden",
        "rr",
        "tengku",
        "teuku",
        "cut",
        "daeng",
        "la",
        "wa",
        "ode",
    }
)
GIVEN_PREFIXES = {
    "muh": "muhammad",
    "moh": "muhammad",
    "mohd": "muhammad",
    "mochamad": "muhammad",
    "mohammad": "muhammad",
    "muhamad": "muhammad",
    "mochammad": "muhammad",
    "mohamad": "muhammad",
    "m": "muhammad",
}
BALINESE_GENDER = {"i": "male", "ni": "female"}
BIRTH_ORDER = frozenset(
    {"wayan", "gede", "putu", "luh", "made", "kadek", "nengah", "nyoman", "komang", "ketut"}
)
PATRONYMIC = frozenset({"bin", "binti", "bt", "bte", "bn"})
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class NormalisedName:
    """A name split into comparable features."""

    original: str
    tokens: tuple[str, ...]  # own name tokens, spelling-folded, no honorifics/patronymic
    given: str  # first own token
    family_or_patronymic: str  # last own token, or the father's name after bin/binti
    patronymic_marker: str  # "bin", "binti" or ""
    honorifics: tuple[str, ...]
    gender_prefix: str  # "male"/"female" from Balinese I/Ni, else ""
    birth_order: str  # Balinese birth-order name if present
    initials: tuple[str, ...]
    phonetic: tuple[str, ...]

    @property
    def is_mononym(self) -> bool:
        return len(self.tokens) == 1


def phonetic_key(token: str) -> str:
    """A phonetic key tuned to Indonesian spelling variation (not English Double Metaphone).

    Folds old spelling, then kh/ch→h (Khairul/Hairul, Achmad), j→y (Jusuf/Yusuf), sy/sh→s,
    f→p (Yusuf/Yusup), final d→t (Ahmad/Ahmat),
    ph→f, q→k, v→f, z→s (loan words), doubled letters, silent h, final k
    (glottal), ph→f, v→f, z→s (loans), y/j ambiguity is kept, vowels after the first
    letter dropped except as length markers, runs collapsed.
    """
    t = fold_spelling(token.lower())
    for a, b in (
        ("kh", "h"),
        ("ch", "h"),  # Dutch-era kh: Achmad, Chadijah
        ("j", "y"),
        ("sy", "s"),
        ("sh", "s"),  # English transliteration: Aishah, Rashid
        ("ph", "f"),
        ("th", "t"),
        ("dh", "d"),
        ("q", "k"),
        ("x", "ks"),
        ("v", "f"),
        ("f", "p"),  # Sundanese and everyday speech: Yusup/Yusuf, Patimah/Fatimah, Aripin
        ("z", "s"),
        ("w", "u"),
        ("e", "i"),
        ("o", "u"),
    ):
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled letters
    t = re.sub(r"h(?=[^aiu]|$)", "", t)  # silent h: Rahmat/Ramat, Muhammad/Muhamad
    head, tail = t[:1], re.sub(r"[aiu]", "", t[1:])
    key = head + tail
    key = re.sub(r"d$", "t", key)  # final d sounds t: Ahmad/Ahmat
    return re.sub(r"k$", "", key) or head


@cache
def _fold(word: str) -> str:
    return fold_spelling(word)


class NameParts(NamedTuple):
    """A name's words sorted by role (the rules :func:`normalise_name` applies)."""

    honorifics: tuple[str, ...]
    gender_prefix: str
    birth_order: str
    patronymic_marker: str
    own: tuple[str, ...]  # spelling-folded
    father: tuple[str, ...]  # spelling-folded words after bin/binti


def name_parts(name: str) -> NameParts:
    """Split ``name`` into honorifics, Balinese gender and birth order, its own tokens and the
    father's after bin/binti; spelling folds are cached per word (the dedupe features call this
    for every record)."""
    text = name.lower() if name.isascii() else to_ascii(name).lower()  # NFKD keeps ASCII as is
    words = _WORD.findall(text)
    honorifics: list[str] = []
    gender = ""
    birth_order = ""
    patronymic_marker = ""
    own: list[str] = []
    father: list[str] = []
    for i, word in enumerate(words):
        if patronymic_marker:
            father.append(_fold(word))
            continue
        if word in PATRONYMIC and own:
            patronymic_marker = "binti" if word in {"binti", "bt", "bte"} else "bin"
            continue
        if (
            word in BALINESE_GENDER
            and i + 1 < len(words)
            and words[i + 1] in BIRTH_ORDER
            and not own
        ):
            gender = BALINESE_GENDER[word]
            continue
        if word in HONORIFICS and not own and len(words) > i + 1:
            honorifics.append(word)
            continue
        word = GIVEN_PREFIXES.get(word, word) if not own else word
        folded = _fold(word)
        if folded in BIRTH_ORDER and not birth_order and not own:
            birth_order = folded
        own.append(folded)
    return NameParts(
        tuple(honorifics), gender, birth_order, patronymic_marker, tuple(own), tuple(father)
    )


def normalise_name(name: str) -> NormalisedName:
    honorifics, gender, birth_order, patronymic_marker, tokens, father = name_parts(name or "")
    return NormalisedName(
        original=name,
        tokens=tokens,
        given=tokens[0] if tokens else "",
        family_or_patronymic=(father[0] if father else (tokens[-1] if len(tokens) > 1 else "")),
        patronymic_marker=patronymic_marker,
        honorifics=tuple(honorifics),
        gender_prefix=gender,
        birth_order=birth_order,
        initials=tuple(t[0] for t in tokens),
        phonetic=tuple(phonetic_key(t) for t in tokens),
    )
