"""Encrypted attachment files on disk: accepted types, size limit, virus-scan hook, AES-GCM.

No database here: the writes of ``Attachment`` rows are services
(:mod:`lentera.web.cases.services.attachments`), the audited download is a selector
(:func:`lentera.web.cases.selectors.attachment_read`); both store and read files through this
module.
"""

from __future__ import annotations

import hashlib
import secrets
import shlex
import subprocess
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.core import crypto

#: accepted types by file signature ("magic bytes"), not by the name the browser sends
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/zip": (b"PK\x03\x04",),  # docx, xlsx, odt
    "audio/ogg": (b"OggS",),
    "audio/mpeg": (b"ID3", b"\xff\xfb"),
}
MAX_BYTES = int(getattr(settings, "LENTERA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def sniff(data: bytes, filename: str) -> str:
    """The content type by file signature; a type outside ``SIGNATURES`` is refused."""
    for ctype, sigs in SIGNATURES.items():
        if any(data.startswith(s) for s in sigs):
            return ctype
    if filename.lower().endswith(".txt"):
        try:
            data.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            pass
    raise LenteraError(
        "file_type",
        _(
            "This type of file is not accepted (PDF, JPEG, PNG, Word/Excel, audio or plain text only)."
        ),
        field="file",
    )


def path_of(storage_name: str) -> Path:
    """Where the encrypted file of an attachment lives."""
    return Path(settings.MEDIA_ROOT) / storage_name[:2] / storage_name


def scan(data: bytes) -> None:
    """Run ``LENTERA_VIRUS_SCAN_COMMAND`` (if set) on the file; refuse it on a non-zero exit."""
    command = getattr(settings, "LENTERA_VIRUS_SCAN_COMMAND", "")
    if not command:
        return
    result = subprocess.run(
        shlex.split(command), input=data, capture_output=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise LenteraError("virus_found", _("The virus scanner refused this file."), field="file")


def _aad(storage_name: str) -> bytes:
    return f"attachment:{storage_name}".encode()


def store(data: bytes) -> tuple[str, str]:
    """Encrypt ``data`` with the current key into a new file; (storage name, key id)."""
    ring = crypto.keyring()
    storage_name = secrets.token_hex(16)
    nonce = secrets.token_bytes(12)
    path = path_of(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        nonce + AESGCM(ring.keys[ring.current]).encrypt(nonce, data, _aad(storage_name))
    )
    return storage_name, ring.current


def load(storage_name: str, key: bytes) -> bytes:
    """Decrypt the file ``storage_name`` with ``key``."""
    blob = path_of(storage_name).read_bytes()
    return AESGCM(key).decrypt(blob[:12], blob[12:], _aad(storage_name))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reencrypt(storage_name: str, old_key: bytes, new_key: bytes) -> None:
    """Rewrite one file under ``new_key`` (atomically: a reader never sees half a file)."""
    path = path_of(storage_name)
    data = load(storage_name, old_key)
    nonce = secrets.token_bytes(12)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(nonce + AESGCM(new_key).encrypt(nonce, data, _aad(storage_name)))
    tmp.replace(path)
