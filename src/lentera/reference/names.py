"""Synthetic Indonesian names for demo data and benchmarks (never real people).

Lists are composed from general naming customs by ethnic group; Balinese names carry
birth-order names (Wayan/Made/Nyoman/Ketut) with I/Ni; Batak names carry a marga.
"""

from __future__ import annotations

import random

__all__ = ["NAME_GROUPS", "group_for_province", "synthetic_name"]

_GIVEN = {
    "javanese": {
        "female": [
            "Sri",
            "Sutinah",
            "Wulandari",
            "Lestari",
            "Rahayu",
            "Sulastri",
            "Suryani",
            "Endang",
            "Ratna",
            "Dwi",
            "Tri",
            "Yuliani",
            "Wahyuni",
            "Puji",
            "Murni",
            "Siti",
            "Sumiati",
            "Winarsih",
        ],
        "male": [
            "Budi",
            "Joko",
            "Slamet",
            "Agus",
            "Bambang",
            "Sutrisno",
            "Suyanto",
            "Hadi",
            "Eko",
            "Teguh",
            "Wahyu",
            "Rudi",
            "Supriyadi",
            "Sugeng",
            "Darmono",
        ],
        "family": [
            "Santoso",
            "Wibowo",
            "Susanto",
            "Prasetyo",
            "Wijaya",
            "Purnomo",
            "Setiawan",
            "Hidayat",
            "Nugroho",
            "Saputra",
            "Kurniawan",
            "",
        ],
    },
    "sundanese": {
        "female": [
            "Euis",
            "Neneng",
            "Cucu",
            "Imas",
            "Yeni",
            "Rina",
            "Dewi",
            "Siti",
            "Nining",
            "Iis",
            "Tati",
            "Elis",
            "Popon",
        ],
        "male": [
            "Asep",
            "Ujang",
            "Dadang",
            "Cecep",
            "Deden",
            "Dedi",
            "Yayan",
            "Ade",
            "Encep",
            "Aep",
            "Usep",
        ],
        "family": [
            "Sunarya",
            "Suryana",
            "Permana",
            "Hermawan",
            "Kusnadi",
            "Rukmana",
            "Gunawan",
            "",
        ],
    },
    "batak": {
        "female": [
            "Rosmawati",
            "Lastiar",
            "Tiurma",
            "Nurhayati",
            "Roslina",
            "Dameria",
            "Masniari",
            "Lenny",
        ],
        "male": ["Togar", "Parulian", "Binsar", "Hotman", "Sahat", "Jonggi", "Martua", "Ucok"],
        "family": [
            "Siregar",
            "Simanjuntak",
            "Nainggolan",
            "Sitompul",
            "Hutapea",
            "Situmorang",
            "Pasaribu",
            "Sinaga",
            "Lubis",
            "Nasution",
            "Harahap",
            "Manurung",
        ],
    },
    "balinese": {
        "female": [
            "Ayu",
            "Sari",
            "Putu",
            "Kadek",
            "Komang",
            "Sukerti",
            "Rai",
            "Ariani",
            "Suartini",
        ],
        "male": [
            "Putu",
            "Kadek",
            "Komang",
            "Sudarma",
            "Suarta",
            "Artawan",
            "Budiasa",
            "Darmawan",
            "Suweta",
        ],
        "family": [""],
    },
    "bugis": {
        "female": [
            "Andi Nurul",
            "Hasnah",
            "Nurhayati",
            "Sitti",
            "Hasni",
            "Darmawati",
            "Irmawati",
            "Husnah",
        ],
        "male": ["Andi", "Baso", "La Ode", "Muhammad", "Syamsuddin", "Ambo", "Basri", "Haruna"],
        "family": ["Daeng", "Pawelloi", "Mappaseng", "Sallatu", "Tahir", "Lamba", ""],
    },
    "minang": {
        "female": ["Yusnimar", "Nurmaini", "Rosna", "Ernawati", "Yulia", "Fitri", "Nelly"],
        "male": ["Datuk", "Yusril", "Rizal", "Afrizal", "Zulkifli", "Syafrudin", "Hendra"],
        "family": ["Chaniago", "Piliang", "Koto", "Tanjung", "Sikumbang", ""],
    },
    "sasak": {
        "female": ["Baiq", "Inaq", "Sumiatun", "Rahmawati", "Nurhasanah", "Hairunnisa"],
        "male": ["Lalu", "Amaq", "Mahsun", "Saprudin", "Jumadil", "Hapipi"],
        "family": [""],
    },
    "ntt": {
        "female": [
            "Maria",
            "Yuliana",
            "Agustina",
            "Fransiska",
            "Paulina",
            "Theresia",
            "Yohana",
            "Sesilia",
        ],
        "male": ["Yohanes", "Fransiskus", "Petrus", "Yosef", "Paulus", "Agustinus", "Ferdinandus"],
        "family": [
            "Manek",
            "Bria",
            "Nahak",
            "Seran",
            "Tefa",
            "Lado",
            "Kana",
            "Nggadas",
            "Ndoen",
            "Bere",
        ],
    },
    "malay_muslim": {
        "female": [
            "Siti Aminah",
            "Nur Aisyah",
            "Fatimah",
            "Khadijah",
            "Nurul",
            "Siti Rohmah",
            "Zulaikha",
        ],
        "male": ["Muhammad", "Moh.", "M.", "Ahmad", "Abdul", "Hasan", "Rahmat", "Ridwan"],
        "family": ["bin Karto", "binti Ahmad", "bin Sulaiman", "binti Yusuf", "bin Abdullah", ""],
    },
}
_MONONYMS = {
    "female": ["Sutinah", "Ponirah", "Tukiyem", "Sumarni", "Marsinah", "Paini"],
    "male": ["Suparman", "Tukimin", "Paijo", "Karto", "Sarmin"],
}
_BIRTH_ORDER = ["Wayan", "Made", "Nyoman", "Ketut", "Gede", "Putu", "Kadek", "Komang"]

NAME_GROUPS: tuple[str, ...] = tuple(_GIVEN)

_PROVINCE_GROUP = {
    "11": "malay_muslim",
    "12": "batak",
    "13": "minang",
    "14": "malay_muslim",
    "15": "malay_muslim",
    "16": "malay_muslim",
    "17": "malay_muslim",
    "18": "javanese",
    "19": "malay_muslim",
    "21": "malay_muslim",
    "31": "javanese",
    "32": "sundanese",
    "33": "javanese",
    "34": "javanese",
    "35": "javanese",
    "36": "sundanese",
    "51": "balinese",
    "52": "sasak",
    "53": "ntt",
    "61": "malay_muslim",
    "62": "malay_muslim",
    "63": "malay_muslim",
    "64": "bugis",
    "65": "bugis",
    "71": "ntt",
    "72": "bugis",
    "73": "bugis",
    "74": "bugis",
    "75": "bugis",
    "76": "bugis",
    "81": "ntt",
    "82": "malay_muslim",
}


def group_for_province(code: str | None) -> str | None:
    """A plausible naming tradition for a BPS province code (None: mixed)."""
    return _PROVINCE_GROUP.get((code or "")[:2])


def synthetic_name(rng: random.Random, sex: str, group: str | None = None) -> str:
    """A synthetic full name; ``sex`` is female/male (anything else picks one)."""
    if sex not in ("female", "male"):
        sex = rng.choice(["female", "male"])
    if group is None or group not in _GIVEN:
        group = rng.choice(NAME_GROUPS)
    if rng.random() < 0.08:
        return rng.choice(_MONONYMS[sex])
    lists = _GIVEN[group]
    if group == "balinese":
        prefix = "Ni" if sex == "female" else "I"
        return f"{prefix} {rng.choice(_BIRTH_ORDER)} {rng.choice(lists[sex])}"
    given = rng.choice(lists[sex])
    family = rng.choice(lists["family"])
    if group == "malay_muslim" and family.startswith(("bin ", "binti ")):
        family = ("binti " if sex == "female" else "bin ") + family.split(" ", 1)[1]
    return f"{given} {family}".strip()
