"""Signed files: a header line, an Ed25519 signature, a gzip-compressed JSON body."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.utils.translation import gettext as _


class BundleRefused(Exception):
    """A package or bundle that is not applied; the message names the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_key() -> tuple[str, str]:
    """A fresh Ed25519 key pair as (private hex, public hex)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes_raw().hex()
    public = key.public_key().public_bytes_raw().hex()
    return private, public


def seal(magic: str, sender: str, body: dict[str, Any], private_hex: str) -> bytes:
    header = f"{magic} {sender}".encode()
    payload = gzip.compress(
        json.dumps(body, separators=(",", ":"), sort_keys=True).encode(), mtime=0
    )
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
    signature = key.sign(header + b"\n" + payload).hex().encode()
    return header + b"\n" + signature + b"\n" + payload


def open_header(magic: str, data: bytes) -> tuple[str, bytes, bytes, bytes]:
    """(sender, header, signature, payload) of a file, before any check of trust."""
    header, sep, rest = data.partition(b"\n")
    parts = header.decode("ascii", "replace").split(" ")
    if not sep or len(parts) != 2 or parts[0] != magic:
        raise BundleRefused(_("This is not a Mission Safety bundle file."))
    signature, sep, payload = rest.partition(b"\n")
    if not sep or not signature.strip():
        raise BundleRefused(_("The bundle is not signed; it is refused."))
    return parts[1], header, signature, payload


def verify(
    header: bytes, signature: bytes, payload: bytes, public_hex: str
) -> dict[str, Any]:
    """The body, if the signature holds; else a clear refusal."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature.decode("ascii")), header + b"\n" + payload)
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        try:
            gzip.decompress(payload)
        except (OSError, EOFError, zlib.error):
            raise BundleRefused(
                _(
                    "The bundle is incomplete (cut off in transfer); nothing was "
                    "applied. Transfer it again."
                )
            ) from None
        raise BundleRefused(
            _(
                "The bundle's signature does not match its content: it was "
                "altered or signed by another key. Nothing was applied."
            )
        ) from None
    try:
        body: dict[str, Any] = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, zlib.error, ValueError):
        raise BundleRefused(_("The bundle cannot be read.")) from None
    return body
