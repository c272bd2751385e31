"""Ed25519 signatures on release packages.

Each member organisation holds a signing key (kept next to its key ring, never in
the database); the hub keeps the registry of member public keys. A package's
``manifest.sig`` is the Ed25519 signature of its ``manifest.json`` bytes, and the
manifest holds the SHA-256 of every file, so the signature covers the whole package.
A hub that enforces signatures refuses a package that is unsigned, signed by a key
other than the one enrolled for the organisation the manifest names, or altered.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
import zlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lentera.disclosure._common import DisclosureError

SIGNATURE = "manifest.sig"
MANIFEST = "manifest.json"


class SignatureError(DisclosureError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def generate_private_key() -> bytes:
    """32 raw bytes of a new Ed25519 private key."""
    from cryptography.hazmat.primitives import serialization

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key_of(private_raw: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return (
        Ed25519PrivateKey.from_private_bytes(private_raw)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def encode_public_key(public_raw: bytes) -> str:
    return base64.b64encode(public_raw).decode()


def decode_public_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise SignatureError("bad_public_key", "not an Ed25519 public key (base64)") from exc
    return raw


def fingerprint(public_raw: bytes) -> str:
    digest = hashlib.sha256(public_raw).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def manifest_bytes(path: Path) -> tuple[bytes, bytes | None]:
    """(manifest, signature or None) of a release package, a directory or a .zip."""
    if path.is_dir():
        sig_path = path / SIGNATURE
        return (path / MANIFEST).read_bytes(), sig_path.read_bytes() if sig_path.exists() else None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise SignatureError("package_invalid", f"{path}: no {MANIFEST}")
            sig = archive.read(SIGNATURE) if SIGNATURE in names else None
            return archive.read(MANIFEST), sig
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise SignatureError("package_invalid", f"{path}: damaged zip file ({exc})") from exc


def sign_package(path: str | Path, private_raw: bytes) -> str:
    """Add ``manifest.sig`` to a package directory or zip; returns the signature (base64)."""
    target = Path(path)
    manifest, existing = manifest_bytes(target)
    if existing is not None:
        raise SignatureError("already_signed", f"{target} is already signed")
    signature = base64.b64encode(Ed25519PrivateKey.from_private_bytes(private_raw).sign(manifest))
    if target.is_dir():
        (target / SIGNATURE).write_bytes(signature)
    else:
        with zipfile.ZipFile(target, "a") as archive:
            archive.writestr(SIGNATURE, signature)
    return signature.decode()


def verify_signature(path: str | Path, public_raw: bytes, *, organisation: str) -> None:
    """Raise :class:`SignatureError` unless ``organisation``'s key signed this manifest."""
    manifest, signature = manifest_bytes(Path(path))
    if signature is None:
        raise SignatureError(
            "unsigned", "the package is not signed; the hub accepts signed packages only"
        )
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            base64.b64decode(signature, validate=True), manifest
        )
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError(
            "bad_signature",
            f"the signature is not {organisation}'s enrolled key, or the package was altered "
            "after signing",
        ) from exc
