"""Field encryption and blind indexes."""

from __future__ import annotations

import pytest

from lentera.web.core import crypto


def test_round_trip_and_random_nonce() -> None:
    """Encrypting twice gives different ciphertexts that both decrypt to the plaintext."""
    a = crypto.encrypt("Sutinah binti Karto", context="cases.person.full_name")
    b = crypto.encrypt("Sutinah binti Karto", context="cases.person.full_name")
    assert a != b
    assert "Sutinah" not in a
    assert crypto.decrypt(a, context="cases.person.full_name") == "Sutinah binti Karto"


def test_ciphertext_bound_to_its_column() -> None:
    """A ciphertext copied into another column does not decrypt."""
    token = crypto.encrypt("5301054708990003", context="cases.person.nik")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="cases.person.full_name")


def test_tampered_ciphertext_rejected() -> None:
    token = crypto.encrypt("secret", context="x")
    prefix, key, payload = token.split(":", 2)
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{key}:{flipped}", context="x")


def test_blind_index_is_keyed_and_deterministic() -> None:
    """Same value and purpose → same index; the index reveals nothing without the key."""
    h1 = crypto.blind_index("5301054708990003", purpose="nik")
    assert h1 == crypto.blind_index("5301054708990003", purpose="nik")
    assert h1 != crypto.blind_index("5301054708990003", purpose="name")
    other = crypto.KeyRing.generate()
    assert h1 != crypto.blind_index("5301054708990003", purpose="nik", ring=other)


def test_keyring_json_round_trip_and_validation() -> None:
    ring = crypto.KeyRing.generate()
    assert crypto.KeyRing.from_json(ring.to_json()) == ring
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.KeyRing.from_json(
            '{"current": "k1", "keys": {"k1": "c2hvcnQ="}, "index_key": "c2hvcnQ="}'
        )
