"""Record signatures (runtime.record_signing): a record verifies only under its publisher's keys,
unchanged, on its own topic; a key being rotated still verifies."""

from __future__ import annotations

from types import SimpleNamespace

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runtime.record_signing import RecordSigner, RecordVerifier, signer_for, verifier_for

HEADERS = [("ce_id", b"e-1"), ("ce_type", b"sbc.alerts.broadcast.v1"), ("ce_source", b"sbc/alerts")]


def record(topic: str, headers, value: bytes = b"payload", key: bytes = b"a-1"):
    return SimpleNamespace(topic=topic, key=key, value=value, headers=headers)


def test_a_record_verifies_only_unchanged_on_its_topic_under_its_publishers_key():
    signer = RecordSigner(Ed25519PrivateKey.generate())
    verifier = RecordVerifier([signer.private_key.public_key()])
    signed = signer.headers("t.v1", b"a-1", HEADERS, b"payload")
    assert verifier.problem(record("t.v1", signed)) == ""
    assert verifier.problem(record("t.v1", HEADERS)) == "unsigned"
    assert verifier.problem(record("t.v1", signed, value=b"changed")) == "bad signature"
    assert verifier.problem(record("t.v1", signed, key=b"a-2")) == "bad signature"
    assert verifier.problem(record("other.v1", signed)) == "bad signature"
    moved = [(k, b"e-2" if k == "ce_id" else v) for k, v in signed]
    assert verifier.problem(record("t.v1", moved)) == "bad signature"
    stranger = RecordSigner(Ed25519PrivateKey.generate()).headers("t.v1", b"a-1", HEADERS, b"payload")
    assert verifier.problem(record("t.v1", stranger)) == "unknown key"


def test_keys_from_files_and_a_rotation(tmp_path, monkeypatch):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    files = []
    for name, key in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.pub"
        path.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        files.append(str(path))
    private = tmp_path / "new.pem"
    private.write_bytes(
        new.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    monkeypatch.setenv("RECORD_SIGNING_KEY_FILE", str(private))
    monkeypatch.setenv("ALERTS_RECORD_PUBLIC_KEYS", ",".join(files))
    verifier = verifier_for("alerts")
    by_old = RecordSigner(old).headers("t.v1", b"a-1", HEADERS, b"payload")
    by_new = signer_for("alerts").headers("t.v1", b"a-1", HEADERS, b"payload")
    assert verifier.problem(record("t.v1", by_old)) == verifier.problem(record("t.v1", by_new)) == ""


def test_without_key_files_each_service_has_a_local_pair_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RECORD_SIGNING_KEY_FILE", raising=False)
    monkeypatch.delenv("ALERTS_RECORD_PUBLIC_KEYS", raising=False)
    signed = signer_for("alerts").headers("t.v1", b"a-1", HEADERS, b"payload")
    assert verifier_for("alerts").problem(record("t.v1", signed)) == ""
    assert verifier_for("notifications").problem(record("t.v1", signed)) == "unknown key"
    assert (tmp_path / "record-keys" / "alerts.pem").stat().st_mode & 0o077 == 0
