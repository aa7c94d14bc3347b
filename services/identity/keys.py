"""The key that signs tokens, kept in the identity database (generated on first start) unless
IDENTITY_SIGNING_KEY_FILE names a PEM file (a Kubernetes Secret; only its public key is kept in
the database).

When another key begins to sign (the key file rotated, a generated key replaced), the keys before
it are retired, not forgotten: they are published until every token they signed has expired, so a
rotation signs out no TV."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from identity.store import signing_keys
from runtime.auth import ALGORITHM, Signer, key_id
from runtime.times import utcnow


def _private_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_or_create(session: Session, key_file: str = "", now: dt.datetime | None = None) -> Signer:
    """The key that signs from now on: the key file's, else the newest kept in the database (one
    is made on the first start). Every other key is retired as of `now`, if it was not already."""
    now = now or utcnow()
    t = signing_keys.c
    if key_file:
        key = serialization.load_pem_private_key(pathlib.Path(key_file).read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        if session.execute(select(t.kid).where(t.kid == key_id(key))).first() is None:
            session.execute(signing_keys.insert().values(kid=key_id(key), public_pem=_public_pem(key), created_at=now))
    else:
        newest = session.execute(
            select(t.private_pem).where(t.private_pem.is_not(None)).order_by(t.created_at.desc()).limit(1)
        ).scalar()
        if newest is None:
            key = ec.generate_private_key(ec.SECP256R1())
            session.execute(
                signing_keys.insert().values(
                    kid=key_id(key), private_pem=_private_pem(key), public_pem=_public_pem(key), created_at=now
                )
            )
        else:
            key = serialization.load_pem_private_key(newest.encode(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
    kid = key_id(key)
    session.execute(update(signing_keys).where(t.kid == kid).values(retired_at=None))
    session.execute(update(signing_keys).where(t.kid != kid, t.retired_at.is_(None)).values(retired_at=now))
    return Signer(key)


def published_jwks(session: Session, signer: Signer, longest_token: dt.timedelta, now: dt.datetime) -> str:
    """The JWKS: the key that signs, and each retired key until the last token it signed has
    expired (`longest_token` after it retired). Read from the database each time, so a replica
    that started before a rotation publishes the new key too."""
    t = signing_keys.c
    rows = session.execute(
        select(t.kid, t.private_pem, t.public_pem).where(
            (t.retired_at.is_(None)) | (t.retired_at > now - longest_token)
        )
    )
    public = {signer.kid: signer.private_key.public_key()}
    for row in rows:
        if row.kid in public:
            continue
        if row.public_pem:
            public[row.kid] = serialization.load_pem_public_key(row.public_pem.encode())
        elif row.private_pem:  # a key kept before public keys were
            public[row.kid] = serialization.load_pem_private_key(row.private_pem.encode(), password=None).public_key()
    keys = []
    for kid, key in sorted(public.items()):
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key))
        jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
        keys.append(jwk)
    return json.dumps({"keys": keys})
