"""The shared runtime's pure parts: the event envelope (runtime/events.py) and
caller identity (runtime/auth.py). No Kafka, no network: the JWKS is static."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from google.protobuf.timestamp_pb2 import Timestamp

from runtime import auth
from runtime.auth import Caller, CallerKind, TokenVerifier, bearer_token, static_jwks
from runtime.errors import PermissionDenied, Unauthenticated, Unavailable
from runtime.events import CONTENT_TYPE, Event
from sbc.events.v1.servicedesk_events_pb2 import ServiceRequestSubmitted

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

# ============================================================================
# events
# ============================================================================


def submitted() -> ServiceRequestSubmitted:
    return ServiceRequestSubmitted(
        request_id="req-1",
        reference_number="SR-20261129-000042",
        household_id="hh-1",
        device_id="dev-1",
        area_code="330411101001",
        service_type="relocation",
        channel="set_top_box",
        submitted_at=Timestamp(seconds=1_795_000_000),
    )


def new_event(**extra: str) -> Event:
    e = Event.new(submitted(), type="sbc.servicedesk.request.submitted.v1", source="servicedesk", subject="req-1")
    return dataclasses.replace(e, extra=dict(extra)) if extra else e


def test_a_new_event_has_a_unique_id_and_a_utc_time():
    a, b = new_event(), new_event()
    assert a.id and a.id != b.id
    t = dt.datetime.fromisoformat(a.time)
    assert t.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - t) < dt.timedelta(minutes=1)


def test_headers_are_cloudevents_kafka_binary_mode():
    h = dict(new_event().headers())
    assert all(isinstance(v, bytes) for v in h.values())
    assert h["ce_specversion"] == b"1.0"
    assert h["ce_type"] == b"sbc.servicedesk.request.submitted.v1"
    assert h["ce_source"] == b"servicedesk"
    assert h["ce_subject"] == b"req-1"
    assert h["content-type"] == CONTENT_TYPE.encode()


def test_headers_round_trip_keeps_every_attribute_the_payload_and_the_trace():
    sent = new_event(traceparent=TRACEPARENT, tracestate="sbc=1", baggage="k=v")
    received = Event.from_headers(sent.headers(), sent.payload)
    assert received == sent
    assert received.extra == {"traceparent": TRACEPARENT, "tracestate": "sbc=1", "baggage": "k=v"}


def test_a_round_trip_does_not_turn_cloudevents_attributes_into_extras():
    e = new_event()
    assert Event.from_headers(e.headers(), e.payload).extra == {}


def test_non_ascii_attributes_survive_the_round_trip():
    e = dataclasses.replace(new_event(), subject="王江泾镇-1")
    assert Event.from_headers(e.headers(), e.payload).subject == "王江泾镇-1"


def test_subject_and_time_are_optional_on_receipt():
    e = Event.from_headers([("ce_id", b"1"), ("ce_type", b"t"), ("ce_source", b"s")], b"")
    assert (e.id, e.type, e.source, e.subject, e.time, e.extra) == ("1", "t", "s", "", "", {})


@pytest.mark.parametrize("missing", ["ce_id", "ce_type", "ce_source"])
def test_a_record_without_the_required_attributes_is_not_an_event(missing):
    headers = [(k, v) for k, v in new_event().headers() if k != missing]
    with pytest.raises(ValueError, match=missing):
        Event.from_headers(headers, b"")


@pytest.mark.parametrize("headers", [None, [], [("traceparent", TRACEPARENT.encode())]])
def test_a_record_without_headers_is_not_an_event(headers):
    with pytest.raises(ValueError):
        Event.from_headers(headers, b"payload")


def test_decode_gives_back_the_protobuf_message():
    e = new_event()
    received = Event.from_headers(e.headers(), e.payload)
    msg = received.decode(ServiceRequestSubmitted)
    assert isinstance(msg, ServiceRequestSubmitted)
    assert msg == submitted()
    assert msg.reference_number == "SR-20261129-000042"
    assert msg.submitted_at.seconds == 1_795_000_000


# ============================================================================
# auth: bearer tokens, callers
# ============================================================================


def test_no_authorization_header_means_no_token():
    assert bearer_token({}) == ""
    assert bearer_token({"authorization": ""}) == ""


@pytest.mark.parametrize("value", ["Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi"])
def test_bearer_token_is_read_whatever_the_scheme_case(value):
    assert bearer_token({"authorization": value}) == "abc.def.ghi"


@pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "abc.def.ghi", "Bearer", "Bearer ", "Token abc"])
def test_a_malformed_authorization_header_is_unauthenticated(value):
    with pytest.raises(Unauthenticated):
        bearer_token({"authorization": value})


def test_a_bearer_header_with_only_spaces_is_unauthenticated():
    with pytest.raises(Unauthenticated):
        bearer_token({"authorization": "Bearer   "})


HOUSEHOLD = Caller(
    subject="dev-1",
    kind=CallerKind.DEVICE,
    household_id="hh-1",
    device_id="dev-1",
    area_code="330411101001",
    name="张三家",
)
TECHNICIAN = Caller(subject="staff-7", kind=CallerKind.STAFF, roles=frozenset({"technician"}), name="Li")


@pytest.mark.parametrize(
    "caller",
    [
        HOUSEHOLD,
        TECHNICIAN,
        Caller(subject="s", kind=CallerKind.STAFF, roles=frozenset({"technician", "alert_issuer", "alert_approver"})),
        Caller(subject="dept-1", kind=CallerKind.DEPARTMENT),
    ],
)
def test_claims_round_trip_to_the_same_caller(caller):
    claims = caller.claims()
    json.dumps(claims)  # they go into a JWT
    assert Caller.from_claims(claims) == caller


def test_a_households_terminal_is_a_household():
    assert HOUSEHOLD.require_household() == "hh-1"


@pytest.mark.parametrize(
    "caller",
    [
        TECHNICIAN,
        auth.ANONYMOUS,
        Caller(subject="dev-9", kind=CallerKind.DEVICE),  # a device not bound to a household
        Caller(subject="x", kind=CallerKind.STAFF, household_id="hh-1"),  # staff are never a household
    ],
)
def test_anyone_else_is_not_a_household(caller):
    with pytest.raises(PermissionDenied):
        caller.require_household()


def test_require_role_accepts_any_of_the_listed_roles():
    TECHNICIAN.require_role("technician")
    TECHNICIAN.require_role("service_point_manager", "technician")


@pytest.mark.parametrize("caller", [TECHNICIAN, HOUSEHOLD, auth.ANONYMOUS])
def test_require_role_refuses_callers_without_the_role(caller):
    with pytest.raises(PermissionDenied):
        caller.require_role("alert_approver", "alert_issuer")


# ============================================================================
# auth: verifying tokens against a JWKS
# ============================================================================

KID = "key-2026-1"
PRIVATE = ec.generate_private_key(ec.SECP256R1())
OTHER_PRIVATE = ec.generate_private_key(ec.SECP256R1())


def jwk(private_key, kid: str) -> dict:
    key = jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**key, "kid": kid, "use": "sig", "alg": "ES256"}


def jwks(*keys: dict) -> dict:
    return {"keys": list(keys)}


def claims(**overrides) -> dict:
    now = int(time.time())
    c = {**HOUSEHOLD.claims(), "iss": "sbc-identity", "aud": "sbc", "iat": now, "exp": now + 600, "jti": "j"}
    c.update(overrides)
    return {k: v for k, v in c.items() if v is not None}


def sign(payload: dict, key=PRIVATE, kid: str | None = KID) -> str:
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(payload, key, algorithm="ES256", headers=headers)


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(static_jwks(jwks(jwk(PRIVATE, KID))))


def test_a_valid_token_gives_its_caller(verifier):
    assert verifier.verify(sign(claims())) == HOUSEHOLD


def test_static_jwks_accepts_json_text_too():
    v = TokenVerifier(static_jwks(json.dumps(jwks(jwk(PRIVATE, KID)))))
    assert v.verify(sign(claims())) == HOUSEHOLD


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def tampered_payload() -> str:
    header, _, signature = sign(claims()).split(".")
    forged = claims(hid="someone-elses-household")
    return f"{header}.{b64(forged)}.{signature}"


def tampered_signature() -> str:
    header, payload, signature = sign(claims()).split(".")
    i = len(signature) // 2
    flipped = "A" if signature[i] != "A" else "B"
    return f"{header}.{payload}.{signature[:i]}{flipped}{signature[i + 1 :]}"


def alg_none() -> str:
    return jwt.encode(claims(), None, algorithm="none", headers={"kid": KID})


def hs256_with_public_key_as_secret() -> str:
    # The classic algorithm-confusion attack: HMAC keyed with the public key.
    header = {"alg": "HS256", "typ": "JWT", "kid": KID}
    import hashlib
    import hmac

    signing_input = f"{b64(header)}.{b64(claims())}"
    secret = json.dumps(jwk(PRIVATE, KID)).encode()
    sig = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


BAD_TOKENS = {
    "expired": lambda: sign(claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
    "wrong audience": lambda: sign(claims(aud="someone-else")),
    "wrong issuer": lambda: sign(claims(iss="evil-identity")),
    "unknown kid": lambda: sign(claims(), kid="key-unknown"),
    "no kid": lambda: sign(claims(), kid=None),
    "signed by another key under our kid": lambda: sign(claims(), key=OTHER_PRIVATE),
    "tampered payload": tampered_payload,
    "tampered signature": tampered_signature,
    "garbage": lambda: "not a token",
    "empty": lambda: "",
    "three garbage parts": lambda: "a.b.c",
    "alg none": alg_none,
    "alg none without signature": lambda: alg_none().rsplit(".", 1)[0] + ".",
    "HS256 with the public key": hs256_with_public_key_as_secret,
    "no exp": lambda: sign(claims(exp=None)),
    "no sub": lambda: sign(claims(sub=None)),
    "no aud": lambda: sign(claims(aud=None)),
    "not yet valid": lambda: sign(claims(nbf=int(time.time()) + 3600)),
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_are_unauthenticated(verifier, name):
    token = BAD_TOKENS[name]()
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_an_expired_token_says_so(verifier):
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(BAD_TOKENS["expired"]())


def test_keys_published_later_are_fetched_when_a_token_names_them():
    # Key rotation: identity publishes a new key; services pick it up on first sight.
    published = [jwks(jwk(PRIVATE, KID))]
    fetches = []

    def fetch() -> str:
        fetches.append(1)
        return json.dumps(published[-1])

    v = TokenVerifier(fetch, min_refresh_seconds=0)
    assert v.verify(sign(claims())) == HOUSEHOLD
    published.append(jwks(jwk(PRIVATE, KID), jwk(OTHER_PRIVATE, "key-2026-2")))
    assert v.verify(sign(claims(), key=OTHER_PRIVATE, kid="key-2026-2")) == HOUSEHOLD
    assert v.verify(sign(claims())) == HOUSEHOLD  # the old key still works
    assert len(fetches) == 2


def test_unknown_kids_do_not_make_every_request_fetch_the_keys():
    fetches = []

    def fetch() -> str:
        fetches.append(1)
        return json.dumps(jwks(jwk(PRIVATE, KID)))

    v = TokenVerifier(fetch, min_refresh_seconds=3600)
    v.verify(sign(claims()))
    for i in range(5):
        with pytest.raises(Unauthenticated):
            v.verify(sign(claims(), kid=f"random-{i}"))
    assert len(fetches) == 1


def test_keys_that_cannot_be_fetched_mean_unavailable_not_a_bad_token():
    # A client throws away a token answered 401: a TV would need a person to sign it in again.
    def fetch() -> str:
        raise ConnectionError("identity is down")

    with pytest.raises(Unavailable):
        TokenVerifier(fetch).verify(sign(claims()))


def test_a_malformed_jwks_means_unavailable_not_a_bad_token():
    with pytest.raises(Unavailable):
        TokenVerifier(static_jwks("{not json")).verify(sign(claims()))


def test_a_token_verified_once_is_remembered_until_it_expires():
    now = [time.time()]
    v = TokenVerifier(static_jwks(jwks(jwk(PRIVATE, KID))), clock=lambda: now[0])
    token = sign(claims(exp=int(now[0]) + 60))
    assert v.cached(token) is None
    assert v.verify(token) == HOUSEHOLD
    assert v.cached(token) == HOUSEHOLD
    assert v.cached(tampered_signature()) is None  # only the very same token is remembered
    now[0] += 61
    assert v.cached(token) is None


def test_a_remembered_token_is_refused_once_its_key_is_withdrawn():
    published = [jwks(jwk(PRIVATE, KID))]
    v = TokenVerifier(lambda: json.dumps(published[-1]), min_refresh_seconds=0)
    old = sign(claims())
    assert v.verify(old) == HOUSEHOLD
    published.append(jwks(jwk(OTHER_PRIVATE, "key-2026-2")))  # identity rotated the old key out
    assert v.verify(sign(claims(), key=OTHER_PRIVATE, kid="key-2026-2")) == HOUSEHOLD
    assert v.cached(old) is None
    with pytest.raises(Unauthenticated):
        v.verify(old)
