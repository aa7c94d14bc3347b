"""The key that signs tokens, kept in the identity database (generated on first
start) unless IDENTITY_SIGNING_KEY_FILE names a PEM file (a Kubernetes Secret)."""

from __future__ import annotations

import pathlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from identity.store import signing_keys
from runtime.auth import Signer, key_id
from runtime.times import utcnow


def _load(pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def load_or_create(session: Session, key_file: str = "") -> Signer:
    """The newest key signs; every stored key is published (tokens signed before a new key still verify)."""
    if key_file:
        return Signer(serialization.load_pem_private_key(pathlib.Path(key_file).read_bytes(), password=None))
    t = signing_keys.c
    newest = session.execute(select(t.private_pem).order_by(t.created_at.desc()).limit(1)).scalar()
    if newest is None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        session.execute(signing_keys.insert().values(kid=key_id(key), private_pem=pem, created_at=utcnow()))
    else:
        key = _load(newest)
    others = {row.kid: _load(row.private_pem).public_key() for row in session.execute(select(t.kid, t.private_pem))}
    return Signer(key, others)
