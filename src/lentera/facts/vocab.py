"""Controlled vocabularies of the ``lentera.case-facts/1`` and ``/1.1`` contract.

The codes are language-neutral; their Indonesian legal names are given in the
comments (the web layer translates them for display).
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "ACTS",
    "HARMS",
    "INDICATOR_LISTS",
    "MEANS",
    "PURPOSES",
    "RELATIONS",
    "SEXES",
    "Act",
    "Harm",
    "Means",
    "Purpose",
    "Relation",
    "Sex",
]

Act = Literal[
    "recruitment",  # perekrutan
    "transportation",  # pengangkutan
    "transfer",  # pemindahan
    "harbouring",  # penampungan
    "receipt",  # penerimaan
    "sending",  # pengiriman
    "adoption",  # pengangkatan anak
]

Means = Literal[
    "threat_of_force",  # ancaman kekerasan
    "use_of_force",  # penggunaan kekerasan
    "abduction",  # penculikan
    "confinement",  # penyekapan
    "forgery",  # pemalsuan
    "fraud",  # penipuan
    "deception",  # penipuan
    "abuse_of_power",  # penyalahgunaan kekuasaan
    "abuse_of_vulnerability",  # posisi rentan
    "debt_bondage",  # penjeratan utang
    "payment_to_controller",  # memberi bayaran atau manfaat
    "other_coercion",  # Palermo "other forms of coercion"; no Indonesian counterpart
]

Purpose = Literal[
    "prostitution",  # pelacuran
    "other_sexual_exploitation",  # percabulan, pornografi
    "forced_labour",  # kerja atau pelayanan paksa
    "slavery",  # perbudakan
    "slavery_like_practice",  # praktik serupa perbudakan
    "servitude",
    "organ_removal",  # pengambilan organ
    "forced_marriage",
    "forced_criminality",  # e.g. online scam compounds
    "forced_begging",
    "labour_exploitation_for_gain",  # memanfaatkan tenaga atau kemampuan
    "oppression",  # penindasan
    "extortion",  # pemerasan
]

Harm = Literal[
    "serious_injury",  # luka berat
    "serious_mental_disorder",  # gangguan jiwa berat
    "infectious_disease",  # penyakit menular
    "pregnancy",  # kehamilan
    "reproductive_harm",  # terganggu atau hilangnya fungsi reproduksi
    "death",  # kematian
]

Sex = Literal["female", "male", "other", "unknown"]

# Case-facts 1.1: how a perpetrator stands to the victim. The groups the
# statutes name: UU 35/2014 Pasal 81 ayat (3) / 82 ayat (2) as amended by
# UU 17/2016, UU 12/2022 Pasal 15 ayat (1) huruf a-d.
Relation = Literal[
    "parent",  # orang tua
    "guardian",  # wali
    "other_family",  # orang yang mempunyai hubungan keluarga / lingkup Keluarga
    "caregiver",  # pengasuh Anak
    "educator",  # pendidik, tenaga kependidikan
    "child_protection_official",  # aparat yang menangani perlindungan anak
    "mandated_professional",  # tenaga kesehatan/medis/profesional bermandat (TPKS 15(1)(b))
    "custodian",  # pegawai/pengurus/petugas yang dipercayakan menjaga (TPKS 15(1)(c))
    "employer_or_superior",  # pejabat publik, pemberi kerja, atasan, pengurus (TPKS 15(1)(d))
]

IndicatorList = Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]

ACTS: tuple[str, ...] = get_args(Act)
MEANS: tuple[str, ...] = get_args(Means)
PURPOSES: tuple[str, ...] = get_args(Purpose)
HARMS: tuple[str, ...] = get_args(Harm)
SEXES: tuple[str, ...] = get_args(Sex)
RELATIONS: tuple[str, ...] = get_args(Relation)
INDICATOR_LISTS: tuple[str, ...] = get_args(IndicatorList)
