"""Search tokens for the keyed name index: spelling reform folded, honorifics dropped."""

from __future__ import annotations

import pytest

from lentera.linkage import search_tokens


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Soerjani", "Suryani"),
        ("Djoko", "Joko"),
        ("Tjahjadi", "Cahyadi"),
        ("Sjamsul", "Syamsul"),
        ("Njoman", "Nyoman"),
        ("Moechtar", "Mukhtar"),
        ("SOERJANI", "suryani"),
        ("Sutinah binti Karto", "Sutinah Karto"),
        ("I Wayan Sudarma", "Wayan Sudarma"),
        ("Hj. Siti Aminah", "Siti Aminah"),
    ],
)
def test_old_and_new_spelling_give_the_same_tokens(old: str, new: str) -> None:
    assert search_tokens(old) == search_tokens(new)


@pytest.mark.parametrize(
    ("a", "b"), [("Jajang", "Yayang"), ("Suryani", "Suryono"), ("Made", "Wayan")]
)
def test_different_names_stay_different(a: str, b: str) -> None:
    assert search_tokens(a) != search_tokens(b)


def test_punctuation_accents_and_empty() -> None:
    assert search_tokens("  Nur'aini,  Dévi ") == ["nur", "aini", "devi"]
    assert search_tokens("") == []
    assert search_tokens("bin") == []
