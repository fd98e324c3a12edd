"""Signed checkpoints: the chain's head anchored outside the database.

``missionsafety audit-checkpoint --out DIR`` writes the chain's last sequence
and hash with the time, signed with Ed25519, to a directory the operator
chooses (and the inspector may copy). ``verify-audit --checkpoints DIR`` then
finds what a keyed chain alone cannot: records deleted from the end with the
head rewound, a wiped table, an older copy of the database restored, or a chain
recomputed by someone who holds the audit key.

The signing key is derived from AUDIT_KEY, so there is one secret to keep; the
public key is written beside the checkpoints, and an inspector verifies with a
copy of it that they keep themselves.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.models import AuditHead, ChangeRecord

FORMAT = "missionsafety-audit-checkpoint/1"
PUBLIC_KEY_FILE = "checkpoint-public-key.txt"


class CheckpointError(Exception):
    """A checkpoint cannot be written or read."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    path: Path


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key derived from AUDIT_KEY (one secret to keep, not two)."""
    seed = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"missionsafety audit checkpoint signing key",
    ).derive(settings.AUDIT_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_hex(key: Ed25519PublicKey | None = None) -> str:
    key = key or signing_key().public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _body(seq: int, head_hash: str, time: str) -> bytes:
    body = {"format": FORMAT, "seq": seq, "hash": head_hash, "time": time}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_write(*, out: Path) -> Checkpoint:
    """Sign the chain's current head and write it as a new file in ``out``."""
    from missionsafety.audit.services import verify_chain

    # Anchor only a chain that verifies: a checkpoint must not seal a rewrite.
    result = verify_chain()
    if not result.ok:
        raise CheckpointError(
            _("The audit chain is broken at record %(seq)s: %(problem)s")
            % {"seq": result.seq, "problem": result.problem}
        )
    with transaction.atomic():
        head = AuditHead.objects.filter(pk=1).first()
        seq, head_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    time = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    signature = signing_key().sign(_body(seq, head_hash, time))
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = out / f"checkpoint-{seq:012d}-{stamp}.json"
    document = {
        "format": FORMAT,
        "seq": seq,
        "hash": head_hash,
        "time": time,
        "signature": signature.hex(),
        "public_key": public_key_hex(),
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    (out / PUBLIC_KEY_FILE).write_text(public_key_hex() + "\n")
    return Checkpoint(seq, head_hash, time, path)


def load_public_key(value: str | None) -> Ed25519PublicKey:
    """A public key given as hex or as a file holding hex; default: our own."""
    if not value:
        return signing_key().public_key()
    path = Path(value)
    text = path.read_text().strip() if path.exists() else value.strip()
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError as exc:
        raise CheckpointError(_("Not an Ed25519 public key: %s") % value) from exc


def checkpoints_read(directory: Path, public_key: Ed25519PublicKey) -> list[Checkpoint]:
    """Every checkpoint in ``directory``, oldest first; a bad signature is an error."""
    if not directory.is_dir():
        raise CheckpointError(_("No checkpoint directory at %s.") % directory)
    found = []
    for path in sorted(directory.glob("checkpoint-*.json")):
        try:
            document = json.loads(path.read_text())
            seq, head_hash, time = (
                int(document["seq"]),
                str(document["hash"]),
                str(document["time"]),
            )
            public_key.verify(
                bytes.fromhex(document["signature"]), _body(seq, head_hash, time)
            )
        except (ValueError, KeyError, TypeError, InvalidSignature) as exc:
            raise CheckpointError(
                _("Checkpoint %(file)s is not validly signed.") % {"file": path.name}
            ) from exc
        found.append(Checkpoint(seq, head_hash, time, path))
    return sorted(found, key=lambda c: (c.seq, c.time))


def checkpoints_check(checkpoints: list[Checkpoint], last_seq: int) -> str:
    """The first disagreement between the chain and the checkpoints, or ''."""
    wanted = [c for c in checkpoints if c.seq > 0]
    hashes = dict(
        ChangeRecord.objects.filter(seq__in={c.seq for c in wanted}).values_list(
            "seq", "hash"
        )
    )
    for checkpoint in wanted:
        if checkpoint.seq > last_seq or checkpoint.seq not in hashes:
            return _(
                "the chain ends at record %(last)s, but the checkpoint of "
                "%(time)s recorded record %(seq)s: records were removed from the "
                "end, the table was emptied, or an older copy was restored"
            ) % {"last": last_seq, "time": checkpoint.time, "seq": checkpoint.seq}
        if hashes[checkpoint.seq] != checkpoint.hash:
            return _(
                "record %(seq)s differs from the checkpoint of %(time)s: the "
                "chain was rewritten from there or earlier"
            ) % {"seq": checkpoint.seq, "time": checkpoint.time}
    return ""
