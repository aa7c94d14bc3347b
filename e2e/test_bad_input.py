"""Bad input through the real gateway process, with every part of the
platform running: each case gets a clear 4xx with an RFC 9457 problem+json
body (or, on the OAuth endpoints, an RFC 6749 error) and changes nothing."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from e2e.platform import DEVICE_CODE_GRANT, SET_TOP_BOX, sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow]

PROBLEM_JSON = "application/problem+json"
REPAIR = {"service_type": "fault_repair_general", "description": "电视没有信号 no signal"}


# --- helpers ---


def assert_request_id(r: httpx.Response) -> None:
    assert r.headers.get("x-request-id"), f"{r.request.method} {r.request.url.path} {r.status_code}: no x-request-id"


def problem(r: httpx.Response, status: int, errors: set[str] | None = None) -> dict:
    """Assert an RFC 9457 problem response; return its body."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].split(";")[0] == PROBLEM_JSON, r.headers["content-type"]
    body = r.json()
    for field in ("type", "title", "status", "detail", "request_id"):
        assert body.get(field), f"problem without {field}: {body}"
    assert body["status"] == status
    assert body["request_id"] == r.headers["x-request-id"]
    if errors is not None:
        assert errors <= set(body.get("errors", {})), body
    return body


def oauth_error(r: httpx.Response, status: int, error: str) -> dict:
    """Assert an RFC 6749 §5.2 token error response."""
    assert_request_id(r)
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == error, body
    assert body.get("error_description")
    assert r.headers.get("cache-control") == "no-store"
    return body


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Home:
    """A signed-in terminal of one household, and what it can see."""

    def __init__(self, client: httpx.Client, household: dict, token: str):
        self.client = client
        self.household = household
        self.token = token
        self.auth = bearer(token)

    def headers(self, key: str | None = None) -> dict:
        return {**self.auth, "Idempotency-Key": key or uuid.uuid4().hex}

    def file(self, body: dict | None = None, key: str | None = None) -> httpx.Response:
        return self.client.post("/v1/servicedesk/requests", json=body or REPAIR, headers=self.headers(key))

    def requests(self) -> list[dict]:
        out, token = [], ""
        while True:
            r = self.client.get(
                "/v1/servicedesk/requests", params={"page_size": 100, "page_token": token}, headers=self.auth
            )
            assert r.status_code == 200, r.text
            out.extend(r.json()["requests"])
            token = r.json()["next_page_token"]
            if not token:
                return out

    @contextlib.contextmanager
    def unchanged(self):
        """The household's request list is the same after the block."""
        before = self.requests()
        yield
        assert self.requests() == before, "a refused call changed the household's requests"


@pytest.fixture(scope="module")
def web(platform):
    """A client for the module; every response is checked for its request id."""
    with httpx.Client(base_url=platform.base_url, timeout=30, event_hooks={"response": [assert_request_id]}) as c:
        yield c


@pytest.fixture(scope="module")
def mine(platform, web) -> Home:
    household = platform.households_of("bad_input")[0]
    return Home(web, household, sign_in_tv(web, household, serial=f"STB-{platform.run_id}-bad-input-mine"))


@pytest.fixture(scope="module")
def theirs(platform, web) -> Home:
    household = platform.households_of("bad_input")[1]
    return Home(web, household, sign_in_tv(web, household, serial=f"STB-{platform.run_id}-bad-input-theirs"))


@pytest.fixture(scope="module")
def real_claims(mine) -> dict:
    return jwt.decode(mine.token, options={"verify_signature": False})


# --- POST /v1/servicedesk/requests: the body ---


def test_malformed_json_is_400(mine):
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests",
            content=b'{"service_type": "fault_repair_general",',
            headers={**mine.headers(), "Content-Type": "application/json"},
        )
        body = problem(r, 400)
        assert "JSON" in body["detail"]


def test_unknown_field_is_422_and_named(mine):
    with mine.unchanged():
        body = problem(mine.file({**REPAIR, "priority": "urgent"}), 422, {"priority"})
        assert body["errors"]["priority"]


def test_missing_service_type_is_422(mine):
    with mine.unchanged():
        problem(mine.file({"description": "no type"}), 422, {"service_type"})


@pytest.mark.parametrize(
    "body",
    [
        [],
        "fault_repair_general",
        {"service_type": 42},
        {"service_type": ""},
        {"service_type": "fault_repair_general", "description": "长" * 2001},
    ],
)
def test_wrong_shapes_are_422(mine, body):
    with mine.unchanged():
        problem(mine.client.post("/v1/servicedesk/requests", json=body, headers=mine.headers()), 422)


def test_unknown_service_type_is_400_from_the_service(mine):
    with mine.unchanged():
        body = problem(mine.file({"service_type": "teleportation"}), 400, {"service_type"})
        assert "teleportation" in body["detail"]


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(mine, ctype):
    headers = mine.headers()
    if ctype:
        headers["Content-Type"] = ctype
    with mine.unchanged():
        r = mine.client.post("/v1/servicedesk/requests", content=json.dumps(REPAIR).encode(), headers=headers)
        problem(r, 415)


def test_oversized_body_with_content_length_is_413(mine):
    big = json.dumps({**REPAIR, "description": "x" * (64 * 1024)}).encode()
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests", content=big, headers={**mine.headers(), "Content-Type": "application/json"}
        )
        assert r.request.headers["content-length"] == str(len(big))
        body = problem(r, 413)
        assert str(64 * 1024) in body["detail"]


def oversized_chunks():
    yield b'{"service_type": "fault_repair_general", "description": "'
    for _ in range(10):
        yield b"x" * 8192
    yield b'"}'


def test_oversized_chunked_body_is_refused_and_changes_nothing(mine):
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests",
            content=oversized_chunks(),
            headers={**mine.headers(), "Content-Type": "application/json"},
        )
        assert r.request.headers.get("transfer-encoding") == "chunked"
        assert 400 <= r.status_code < 500
        assert r.headers["content-type"].split(";")[0] == PROBLEM_JSON


def test_oversized_chunked_body_is_413(mine):
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests",
            content=oversized_chunks(),
            headers={**mine.headers(), "Content-Type": "application/json"},
        )
        assert r.request.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.request.headers
        problem(r, 413)


def test_a_chunked_body_within_the_limit_is_accepted(mine):
    def chunks():
        yield json.dumps(REPAIR).encode()

    r = mine.client.post(
        "/v1/servicedesk/requests", content=chunks(), headers={**mine.headers(), "Content-Type": "application/json"}
    )
    assert r.status_code == 201, r.text


def test_missing_idempotency_key_is_400(mine):
    with mine.unchanged():
        body = problem(
            mine.client.post("/v1/servicedesk/requests", json=REPAIR, headers=mine.auth), 400, {"Idempotency-Key"}
        )
        assert "Idempotency-Key" in body["detail"]


# --- POST /v1/servicedesk/requests: who is calling ---


def test_no_token_is_401(mine):
    with mine.unchanged():
        r = mine.client.post("/v1/servicedesk/requests", json=REPAIR, headers={"Idempotency-Key": uuid.uuid4().hex})
        problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")


def _sign(claims: dict, header: dict) -> str:
    return jwt.encode(claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256", headers=header)


@pytest.mark.parametrize("kid", ["the real kid", "an unknown kid"])
def test_forged_token_signed_by_another_key_is_401(mine, real_claims, kid):
    header = jwt.get_unverified_header(mine.token)
    forged = _sign(real_claims, {"kid": header["kid"] if kid == "the real kid" else "forged-" + secrets.token_hex(4)})
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests", json=REPAIR, headers={**bearer(forged), "Idempotency-Key": uuid.uuid4().hex}
        )
        problem(r, 401)
        assert "invalid_token" in r.headers["www-authenticate"]


def test_expired_token_signed_by_another_key_is_401(mine, real_claims):
    """A validly signed token cannot be forged from outside; a stale one signed
    by a foreign key must still be refused (the next test checks expiry itself)."""
    now = int(time.time())
    stale = _sign({**real_claims, "iat": now - 7200, "exp": now - 3600}, jwt.get_unverified_header(mine.token))
    with mine.unchanged():
        problem(
            mine.client.post(
                "/v1/servicedesk/requests", json=REPAIR, headers={**bearer(stale), "Idempotency-Key": uuid.uuid4().hex}
            ),
            401,
        )


def test_expired_token_signed_by_the_real_key_is_401(platform, mine, real_claims):
    """The e2e platform gives identity its signing key as a file (IDENTITY_SIGNING_KEY_FILE): with it,
    a correctly signed token whose only fault is its age."""
    from runtime.auth import key_id

    path = getattr(platform, "key_file", None)
    if path is None or not path.exists():
        pytest.skip("identity's signing key is not a local file in this run")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    kid = key_id(key)
    now = int(time.time())
    fresh = jwt.encode(
        {**real_claims, "jti": uuid.uuid4().hex, "iat": now, "exp": now + 600},
        key,
        algorithm="ES256",
        headers={"kid": kid},
    )
    assert mine.client.get("/v1/servicedesk/requests", headers=bearer(fresh)).status_code == 200, (
        "the key is the real one"
    )
    expired = jwt.encode(
        {**real_claims, "jti": uuid.uuid4().hex, "iat": now - 7200, "exp": now - 60},
        key,
        algorithm="ES256",
        headers={"kid": kid},
    )
    with mine.unchanged():
        body = problem(
            mine.client.post(
                "/v1/servicedesk/requests",
                json=REPAIR,
                headers={**bearer(expired), "Idempotency-Key": uuid.uuid4().hex},
            ),
            401,
        )
        assert "expired" in body["detail"]


def test_tampered_token_is_401(mine, real_claims):
    head, payload, sig = mine.token.split(".")
    # Another household's id in an otherwise real token.
    claims = json.loads(unb64(payload))
    claims["hid"] = "hh-someone-else"
    swapped = f"{head}.{b64(json.dumps(claims, separators=(',', ':')).encode())}.{sig}"
    # One character of the payload flipped.
    i = len(payload) // 2
    flipped = f"{head}.{payload[:i]}{'A' if payload[i] != 'A' else 'B'}{payload[i + 1 :]}.{sig}"
    for token in (swapped, flipped):
        with mine.unchanged():
            problem(
                mine.client.post(
                    "/v1/servicedesk/requests",
                    json=REPAIR,
                    headers={**bearer(token), "Idempotency-Key": uuid.uuid4().hex},
                ),
                401,
            )


@pytest.mark.parametrize(
    "authorization", ["Basic " + b64(b"13800000001:demo-pass-1"), "Bearer", "Token abc", "Bearer two words"]
)
def test_other_authorization_schemes_are_401(mine, authorization):
    with mine.unchanged():
        r = mine.client.post(
            "/v1/servicedesk/requests",
            json=REPAIR,
            headers={"Authorization": authorization, "Idempotency-Key": uuid.uuid4().hex},
        )
        problem(r, 401)


def test_alg_none_token_is_401(mine, real_claims):
    head = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": jwt.get_unverified_header(mine.token)["kid"]}).encode())
    token = f"{head}.{b64(json.dumps(real_claims).encode())}."
    with mine.unchanged():
        problem(
            mine.client.post(
                "/v1/servicedesk/requests", json=REPAIR, headers={**bearer(token), "Idempotency-Key": uuid.uuid4().hex}
            ),
            401,
        )


# --- reading requests ---


def test_another_households_request_is_404_and_tells_nothing(mine, theirs):
    secret = f"李家的秘密 {secrets.token_hex(4)}"
    r = theirs.file({"service_type": "relocation", "description": secret})
    assert r.status_code == 201, r.text
    filed = r.json()
    with mine.unchanged(), theirs.unchanged():
        r = mine.client.get(f"/v1/servicedesk/requests/{filed['id']}", headers=mine.auth)
        body = problem(r, 404)
        for leak in (theirs.household["id"], secret, filed["reference_number"], "relocation"):
            assert leak not in r.text
        # Exactly the answer an id that never existed gets.
        missing_id = str(uuid.uuid4())
        missing = problem(mine.client.get(f"/v1/servicedesk/requests/{missing_id}", headers=mine.auth), 404)
        assert body["detail"].replace(filed["id"], "<id>") == missing["detail"].replace(missing_id, "<id>")
        assert body.get("errors") == missing.get("errors")
    assert filed["id"] not in {x["id"] for x in mine.requests()}
    assert filed["id"] in {x["id"] for x in theirs.requests()}


def test_non_existent_id_is_404(mine):
    problem(mine.client.get(f"/v1/servicedesk/requests/{uuid.uuid4()}", headers=mine.auth), 404)
    problem(mine.client.get("/v1/servicedesk/requests/not-a-uuid", headers=mine.auth), 404)


def test_an_id_longer_than_any_id_is_400(mine):
    problem(mine.client.get(f"/v1/servicedesk/requests/{'x' * 37}", headers=mine.auth), 400, {"id"})


def test_reading_without_a_token_is_401(mine):
    problem(mine.client.get("/v1/servicedesk/requests"), 401)
    problem(mine.client.get(f"/v1/servicedesk/requests/{uuid.uuid4()}"), 401)


@pytest.mark.parametrize("page_size", ["0", "1000", "-1", "ten"])
def test_page_size_out_of_range_is_422(mine, page_size):
    problem(
        mine.client.get("/v1/servicedesk/requests", params={"page_size": page_size}, headers=mine.auth),
        422,
        {"query.page_size"},
    )


@pytest.mark.parametrize("token", ["abc", "12abc", "x" * 41])
def test_bad_page_token_is_4xx(mine, token):
    r = mine.client.get("/v1/servicedesk/requests", params={"page_token": token}, headers=mine.auth)
    if len(token) > 40:
        problem(r, 422, {"query.page_token"})
    else:
        problem(r, 400, {"page.page_token"})


def test_page_token_beyond_64_bits_is_400(mine):
    problem(mine.client.get("/v1/servicedesk/requests", params={"page_token": "9" * 30}, headers=mine.auth), 400)


# --- idempotency ---


def test_same_idempotency_key_twice_files_one_request(mine):
    key = uuid.uuid4().hex
    before = mine.requests()
    first, again = mine.file(key=key), mine.file(key=key)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reference_number"] == first.json()["reference_number"]
    assert [x["id"] for x in mine.requests()] == [first.json()["id"]] + [x["id"] for x in before]


def test_same_idempotency_key_with_another_body_is_409(mine):
    key = uuid.uuid4().hex
    first = mine.file(key=key)
    assert first.status_code == 201, first.text
    with mine.unchanged():
        problem(mine.file({**REPAIR, "description": "a different problem"}, key=key), 409, {"idempotency_key"})
        problem(mine.file({**REPAIR, "service_type": "relocation"}, key=key), 409)


def test_too_long_idempotency_key_is_400(mine):
    with mine.unchanged():
        problem(mine.file(key="k" * 101), 400, {"idempotency_key"})


# --- OAuth endpoints ---


def start_device_flow(web: httpx.Client, serial: str) -> dict:
    r = web.post("/v1/identity/device_authorization", data={"client_id": SET_TOP_BOX, "device_serial": serial})
    assert r.status_code == 200, r.text
    return r.json()


def poll(web: httpx.Client, device_code: str) -> httpx.Response:
    return web.post(
        "/v1/identity/token",
        data={"grant_type": DEVICE_CODE_GRANT, "client_id": SET_TOP_BOX, "device_code": device_code},
    )


def test_unsupported_grant_type(web):
    oauth_error(
        web.post("/v1/identity/token", data={"grant_type": "authorization_code", "code": "x"}),
        400,
        "unsupported_grant_type",
    )


def test_device_code_grant_without_device_code_is_invalid_request(web):
    oauth_error(
        web.post("/v1/identity/token", data={"grant_type": DEVICE_CODE_GRANT, "client_id": SET_TOP_BOX}),
        400,
        "invalid_request",
    )


def test_unknown_device_code_is_invalid_grant(web):
    oauth_error(poll(web, secrets.token_urlsafe(32)), 400, "invalid_grant")


def test_polling_before_confirmation_then_too_fast(platform, web):
    grant = start_device_flow(web, f"STB-{platform.run_id}-pending")
    oauth_error(poll(web, grant["device_code"]), 400, "authorization_pending")
    oauth_error(poll(web, grant["device_code"]), 400, "slow_down")


def test_denied_sign_in_is_access_denied(platform, web, mine):
    grant = start_device_flow(web, f"STB-{platform.run_id}-denied")
    member = mine.household["members"][0]
    page = web.post(
        "/identity/device",
        data={
            "user_code": grant["user_code"],
            "phone": member["phone"],
            "password": member["password"],
            "decision": "deny",
        },
    )
    assert page.status_code == 200 and "denied" in page.text
    oauth_error(poll(web, grant["device_code"]), 400, "access_denied")


def test_device_code_used_twice_is_invalid_grant(platform, web, mine):
    grant = start_device_flow(web, f"STB-{platform.run_id}-twice")
    member = mine.household["members"][0]
    page = web.post(
        "/identity/device",
        data={
            "user_code": grant["user_code"],
            "phone": member["phone"],
            "password": member["password"],
            "decision": "approve",
        },
    )
    assert page.status_code == 200, page.text
    first = poll(web, grant["device_code"])
    assert first.status_code == 200 and first.json()["access_token"]
    oauth_error(poll(web, grant["device_code"]), 400, "invalid_grant")


def test_client_credentials_with_a_wrong_secret_is_invalid_client(web):
    # The e2e seed has no departments: an unknown client and a wrong secret get the same answer.
    body = oauth_error(
        web.post(
            "/v1/identity/token",
            data={"grant_type": "client_credentials", "client_id": "dept-meteorology", "client_secret": "guess"},
        ),
        401,
        "invalid_client",
    )
    assert "password" in body["error_description"]
    oauth_error(
        web.post("/v1/identity/token", data={"grant_type": "client_credentials", "client_id": "dept-x"}),
        400,
        "invalid_request",
    )


def test_staff_password_grant_with_a_wrong_password_is_invalid_grant(web):
    oauth_error(
        web.post("/v1/identity/token", data={"grant_type": "password", "username": "nobody", "password": "x"}),
        401,
        "invalid_grant",
    )


def test_token_request_without_grant_type_is_invalid_request(web):
    oauth_error(web.post("/v1/identity/token", data={"client_id": SET_TOP_BOX}), 400, "invalid_request")


def test_device_page_with_a_wrong_password_is_401_and_says_so(platform, web, mine):
    grant = start_device_flow(web, f"STB-{platform.run_id}-wrong-password")
    member = mine.household["members"][0]
    page = web.post(
        "/identity/device",
        data={
            "user_code": grant["user_code"],
            "phone": member["phone"],
            "password": "not-the-password",
            "decision": "approve",
        },
    )
    assert page.status_code == 401
    assert page.headers["content-type"].startswith("text/html")
    assert 'class="msg err"' in page.text and "wrong user name or password" in page.text
    assert "not-the-password" not in page.text
    # The code still waits for the right person.
    oauth_error(poll(web, grant["device_code"]), 400, "authorization_pending")


def test_device_page_with_an_unknown_code_is_404(web, mine):
    member = mine.household["members"][0]
    page = web.post(
        "/identity/device",
        data={
            "user_code": "BCDF-GHJK",
            "phone": member["phone"],
            "password": member["password"],
            "decision": "approve",
        },
    )
    assert page.status_code == 404, page.text
    assert 'class="msg err"' in page.text


def test_device_page_with_a_malformed_code_or_decision_is_400(web, mine):
    member = mine.household["members"][0]
    page = web.post(
        "/identity/device", data={"user_code": "AEIOU", "phone": member["phone"], "password": member["password"]}
    )
    assert page.status_code == 400 and 'class="msg err"' in page.text
    page = web.post(
        "/identity/device",
        data={"user_code": "BCDF-GHJK", "phone": member["phone"], "password": member["password"], "decision": "maybe"},
    )
    assert page.status_code == 400 and 'class="msg err"' in page.text


def test_device_page_escapes_what_it_echoes(web):
    page = web.get("/identity/device", params={"user_code": '"><script>alert(1)</script>'})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text


# --- the rest ---


def test_terminal_events_without_a_token_is_401(web):
    problem(web.get("/v1/terminal/events"), 401)
    problem(web.get("/v1/terminal/events", params={"access_token": "garbage"}), 401)


def test_request_id_is_kept_when_safe_and_replaced_when_not(web):
    r = web.get("/v1/servicedesk/requests", headers={"X-Request-Id": "client-chosen.id_1"})
    assert r.headers["x-request-id"] == "client-chosen.id_1" and r.json()["request_id"] == "client-chosen.id_1"
    r = web.get("/v1/servicedesk/requests", headers={"X-Request-Id": "bad id\twith<html>"})
    assert r.headers["x-request-id"] != "bad id\twith<html>" and len(r.headers["x-request-id"]) == 32


def test_unknown_path_and_method_are_problems(web, mine):
    problem(web.get("/v1/no-such-thing"), 404)
    problem(web.delete(f"/v1/servicedesk/requests/{uuid.uuid4()}", headers=mine.auth), 405)
