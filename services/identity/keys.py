"""The key that signs tokens, kept in the identity database (generated on first
start) unless IDENTITY_SIGNING_KEY_FILE names a PEM file (a Kubernetes Secret)."""

from __future__ import annotations

import datetime as dt
import pathlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from identity.store import SigningKey
from runtime.auth import Signer, key_id


def load_or_create(session: Session, key_file: str = "") -> Signer:
    if key_file:
        key = serialization.load_pem_private_key(pathlib.Path(key_file).read_bytes(), password=None)
        return Signer(key)
    row = session.scalar(select(SigningKey).order_by(SigningKey.created_at.desc()).limit(1))
    if row is None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        row = SigningKey(kid=key_id(key), private_pem=pem, created_at=dt.datetime.now(dt.UTC))
        session.add(row)
        session.flush()
    key = serialization.load_pem_private_key(row.private_pem.encode(), password=None)
    others = {
        r.kid: serialization.load_pem_private_key(r.private_pem.encode(), password=None).public_key()
        for r in session.scalars(select(SigningKey))
    }
    return Signer(key, others)
