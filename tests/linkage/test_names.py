"""Indonesian name normalisation: features kept apart, phonetic keys that match Indonesian variation."""

from __future__ import annotations

import pytest

from lentera.linkage import normalise_name, phonetic_key


def test_features_are_kept_apart() -> None:
    n = normalise_name("Hj. Ni Ketut Soerjani binti Karto")
    assert n.tokens == ("ketut", "suryani")
    assert n.honorifics == ("hj",)
    assert (n.gender_prefix, n.birth_order) == ("female", "ketut")
    assert (n.patronymic_marker, n.family_or_patronymic) == ("binti", "karto")
    assert n.initials == ("k", "s")


def test_prefix_variants_and_mononyms() -> None:
    assert (
        normalise_name("Moh. Rahmat").tokens
        == normalise_name("Muhammad Rahmat").tokens
        == ("muhammad", "rahmat")
    )
    assert normalise_name("M. Rahmat").given == "muhammad"
    assert normalise_name("Sutinah").is_mononym
    assert normalise_name("Dr. Andi Baso").honorifics == ("dr", "andi")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Rahmat", "Ramat"),
        ("Muhammad", "Muhamad"),
        ("Syamsul", "Samsul"),
        ("Zulkifli", "Sulkifli"),
        ("Khairul", "Hairul"),
        ("Yusuf", "Jusuf"),
        ("Soerjani", "Suryani"),
        ("Djoko", "Joko"),
        ("Tjahjadi", "Cahyadi"),
        ("Nurhayati", "Nurhajati"),
    ],
)
def test_phonetic_keys_match_spelling_variants(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Budi", "Dewi"), ("Wayan", "Made"), ("Siti", "Sari"), ("Agus", "Bambang")]
)
def test_phonetic_keys_separate_different_names(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)
