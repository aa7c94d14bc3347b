"""Signed Kafka records: who produced a record, checked by whoever shows it to a person.

Every service's relay signs each record it publishes with a key of its own (Ed25519); the gateway
checks the records it streams to terminals against the public keys of the topic's publisher (the
registry says who publishes a topic). A record that anyone else wrote to the topic (a pod that can
reach the broker, a stolen credential) fails the check and never reaches a TV.

The signature covers the topic's registry name, the record key, the CloudEvents attributes and the
payload, so neither can be moved to another topic or changed. A replay of a genuine record is left
to the readers' idempotence (event ids) and the message's own validity (an alert's expiry).

Keys, by environment (the chart mounts them from Secrets):
    RECORD_SIGNING_KEY_FILE            this service's private key (PEM, PKCS#8)
    <SERVICE>_RECORD_PUBLIC_KEYS       a reader's list of that service's public keys (PEM files,
                                       comma-separated: the previous key stays while it rotates)
Without them (a laptop, the tests, the e2e platform), each service has a key pair of its own under
DATA_DIR/record-keys/, made by whichever process needs it first.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from runtime.settings import REPO_ROOT, env, registry_name

SIGNATURE_HEADER = "sbc_signature"
KEY_ID_HEADER = "sbc_signature_key"
# The CloudEvents headers a signature covers, in this order.
SIGNED_HEADERS = ("ce_id", "ce_type", "ce_source", "ce_subject", "ce_time")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signed_bytes(topic: str, key: bytes | None, headers: Iterable[tuple[str, bytes]], value: bytes | None) -> bytes:
    """What is signed: length-prefixed fields, so no field can run into the next."""
    h = dict(headers)
    fields = [registry_name(topic).encode(), key or b""]
    fields += [h.get(name, b"") or b"" for name in SIGNED_HEADERS]
    fields.append(value or b"")
    return b"".join(len(f).to_bytes(4, "big") + f for f in fields)


class RecordSigner:
    def __init__(self, private_key: Ed25519PrivateKey):
        self.private_key = private_key
        self.key_id = key_id(private_key.public_key()).encode()

    def headers(
        self, topic: str, key: bytes | None, headers: Sequence[tuple[str, bytes]], value: bytes
    ) -> list[tuple[str, bytes]]:
        """`headers` with the signature added."""
        signature = self.private_key.sign(signed_bytes(topic, key, headers, value))
        return [*headers, (SIGNATURE_HEADER, signature), (KEY_ID_HEADER, self.key_id)]


class RecordVerifier:
    """Checks records against a publisher's public keys (any of them: a key being rotated)."""

    def __init__(self, public_keys: Iterable[Ed25519PublicKey]):
        self.keys = {key_id(k).encode(): k for k in public_keys}

    def problem(self, record) -> str:
        """Why a record is not to be trusted ("" when its signature holds): unsigned, unknown
        key, bad signature."""
        headers = list(record.headers or [])
        h = dict(headers)
        signature, kid = h.get(SIGNATURE_HEADER), h.get(KEY_ID_HEADER)
        if not signature or not kid:
            return "unsigned"
        public_key = self.keys.get(kid)
        if public_key is None:
            return "unknown key"
        try:
            public_key.verify(signature, signed_bytes(record.topic, record.key, headers, record.value))
        except InvalidSignature:
            return "bad signature"
        return ""


def _data_dir() -> pathlib.Path:
    return pathlib.Path(env("DATA_DIR", str(REPO_ROOT / "var" / "data")))


def _local_private_key(service: str) -> Ed25519PrivateKey:
    """The service's local key pair (made once; concurrent makers agree on the first one written)."""
    path = _data_dir() / "record-keys" / f"{service}.pem"
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SystemExit(
                f"no record signing keys for {service}: set RECORD_SIGNING_KEY_FILE and "
                f"{public_keys_env(service)} (the chart: recordSigning.existingSecret), or a writable DATA_DIR"
            ) from exc
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # fails if another process made it first: theirs is kept
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return _load_private(path.read_bytes())


def _load_private(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit("RECORD_SIGNING_KEY_FILE must hold an Ed25519 private key")
    return key


def _load_public(pem: bytes) -> Ed25519PublicKey:
    if b"PRIVATE KEY" in pem:
        return _load_private(pem).public_key()
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise SystemExit("a record public key must be an Ed25519 key")
    return key


def signer_for(service: str) -> RecordSigner:
    """This service's signer: RECORD_SIGNING_KEY_FILE, else its local key pair."""
    path = env("RECORD_SIGNING_KEY_FILE")
    if path:
        return RecordSigner(_load_private(pathlib.Path(path).read_bytes()))
    return RecordSigner(_local_private_key(service))


def public_keys_env(service: str) -> str:
    return f"{service.upper().replace('-', '_')}_RECORD_PUBLIC_KEYS"


def verifier_for(service: str) -> RecordVerifier:
    """The check of `service`'s records: <SERVICE>_RECORD_PUBLIC_KEYS, else its local key pair."""
    paths = [p.strip() for p in env(public_keys_env(service)).split(",") if p.strip()]
    if paths:
        return RecordVerifier(_load_public(pathlib.Path(p).read_bytes()) for p in paths)
    return RecordVerifier([_local_private_key(service).public_key()])
