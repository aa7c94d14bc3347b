"""The key that signs tokens, kept in the identity database (generated on first
start) unless IDENTITY_SIGNING_KEY_FILE names a PEM file (a Kubernetes Secret)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from identity.store import SigningKey
from runtime.auth import ALGORITHM, AUDIENCE, ISSUER


class Signer:
    def __init__(self, kid: str, private_key: ec.EllipticCurvePrivateKey, others: dict | None = None):
        self.kid = kid
        self.private_key = private_key
        # Every key still trusted (older keys, another replica's): all are published.
        self.public_keys = {**(others or {}), kid: private_key.public_key()}

    def sign(self, claims: dict) -> str:
        return jwt.encode(
            {**claims, "iss": ISSUER, "aud": AUDIENCE},
            self.private_key,
            algorithm=ALGORITHM,
            headers={"kid": self.kid},
        )

    def jwks(self) -> str:
        keys = []
        for kid, public_key in sorted(self.public_keys.items()):
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public_key))
            jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
            keys.append(jwk)
        return json.dumps({"keys": keys})


def _kid(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return digest.finalize().hex()[:16]


def load_or_create(session: Session, key_file: str = "") -> Signer:
    if key_file:
        key = serialization.load_pem_private_key(pathlib.Path(key_file).read_bytes(), password=None)
        return Signer(_kid(key), key)
    row = session.scalar(select(SigningKey).order_by(SigningKey.created_at.desc()).limit(1))
    if row is None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        row = SigningKey(kid=_kid(key), private_pem=pem, created_at=dt.datetime.now(dt.UTC))
        session.add(row)
        session.flush()
    key = serialization.load_pem_private_key(row.private_pem.encode(), password=None)
    others = {
        r.kid: serialization.load_pem_private_key(r.private_pem.encode(), password=None).public_key()
        for r in session.scalars(select(SigningKey))
    }
    return Signer(row.kid, key, others)
