"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

Keys never live in the database. The key ring is read from the ``LENTERA_KEYS``
environment variable (JSON) or from the key file (``$LENTERA_DATA_DIR/keys.json``),
which is created on first use with a loud warning to back it up. Layout::

    {"version": 1,
     "current": "k1", "keys": {"k1": "<base64 32 bytes>"},
     "index_current": "i1", "index_keys": {"i1": "<base64 32 bytes>"}}

Ciphertext format stored in text columns: ``v1:<key id>:<base64(nonce|ciphertext|tag)>``.
The associated data binds each value to its column, so a ciphertext copied
into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PREFIX = "v1"
_lock = threading.Lock()
_ring: KeyRing | None = None


class DecryptionError(Exception):
    """A stored value could not be decrypted with any known key."""


@dataclass(frozen=True)
class KeyRing:
    """Encryption keys by id, the current one, and the blind-index keys."""

    current: str
    keys: dict[str, bytes]
    index_current: str
    index_keys: dict[str, bytes]

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            data = json.loads(text)
            keys = {k: base64.b64decode(v) for k, v in data["keys"].items()}
            if "index_keys" in data:
                index_keys = {k: base64.b64decode(v) for k, v in data["index_keys"].items()}
                index_current = data["index_current"]
            else:  # single index key shorthand
                index_keys = {"i1": base64.b64decode(data["index_key"])}
                index_current = "i1"
            ring = cls(data["current"], keys, index_current, index_keys)
        except (ValueError, KeyError, TypeError) as exc:
            raise ImproperlyConfigured(f"Lentera key ring is malformed: {exc}") from exc
        for name, key in {**ring.keys, **ring.index_keys}.items():
            if len(key) != 32:
                raise ImproperlyConfigured(f"Lentera key {name!r} must be 32 bytes, got {len(key)}")
        if ring.current not in ring.keys or ring.index_current not in ring.index_keys:
            raise ImproperlyConfigured("Lentera key ring names a current key it does not contain")
        return ring

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "current": self.current,
                "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()},
                "index_current": self.index_current,
                "index_keys": {k: base64.b64encode(v).decode() for k, v in self.index_keys.items()},
            },
            indent=2,
        )

    @classmethod
    def generate(cls) -> KeyRing:
        return cls("k1", {"k1": secrets.token_bytes(32)}, "i1", {"i1": secrets.token_bytes(32)})


def _load() -> KeyRing:
    env = os.environ.get(getattr(settings, "LENTERA_KEYS_ENV", "LENTERA_KEYS"))
    if env:
        return KeyRing.from_json(env)
    path = Path(settings.LENTERA_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ring = KeyRing.generate()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(ring.to_json())
        print(
            "\n" + "!" * 72 + f"\n  LENTERA created a new encryption key file:\n    {path}\n"
            "  BACK IT UP NOW, somewhere other than this machine. Without it the\n"
            "  personal data in the database can never be read again.\n" + "!" * 72 + "\n",
            file=sys.stderr,
        )
        return ring
    return KeyRing.from_json(path.read_text())


def keyring() -> KeyRing:
    """The process-wide key ring (loaded once)."""
    global _ring
    if _ring is None:
        with _lock:
            if _ring is None:
                _ring = _load()
    return _ring


def reset_keyring(ring: KeyRing | None = None) -> None:
    """Replace the cached key ring (key rotation, tests)."""
    global _ring
    with _lock:
        _ring = ring


def encrypt(plaintext: str, *, context: str, ring: KeyRing | None = None) -> str:
    ring = ring or keyring()
    nonce = secrets.token_bytes(12)
    ct = AESGCM(ring.keys[ring.current]).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + ct).decode('ascii')}"


def decrypt(token: str, *, context: str, ring: KeyRing | None = None) -> str:
    ring = ring or keyring()
    try:
        prefix, key_id, payload = token.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not a Lentera ciphertext") from exc
    if prefix != PREFIX or key_id not in ring.keys:
        raise DecryptionError(f"unknown key {key_id!r}")
    raw = base64.b64decode(payload)
    try:
        return (
            AESGCM(ring.keys[key_id]).decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
        )
    except InvalidTag as exc:
        raise DecryptionError("ciphertext does not authenticate") from exc


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 else None


def blind_index(value: str, *, purpose: str, ring: KeyRing | None = None) -> str:
    """Keyed HMAC of an already-normalised value, for exact look-up without plaintext."""
    ring = ring or keyring()
    key = ring.index_keys[ring.index_current]
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def blind_indexer(*, purpose: str, ring: KeyRing | None = None) -> Callable[[str], str]:
    """:func:`blind_index` for many values of one purpose: the HMAC keyed and fed the purpose
    once, then copied per value (the same digests, without re-keying for each)."""
    ring = ring or keyring()
    prefix = hmac.new(ring.index_keys[ring.index_current], f"{purpose}\x00".encode(), "sha256")

    def index(value: str) -> str:
        mac = prefix.copy()
        mac.update(value.encode())
        return mac.hexdigest()

    return index
