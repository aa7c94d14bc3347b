"""Identity rules: device-grant user codes, secrets, the device authorization grant (RFC 8628)
from start to the box it signs in, staff and department sign-in, token claims, roles. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import pytest

from identity import domain, service
from identity.domain import (
    USER_CODE_ALPHABET,
    AuthorizationStatus,
    DepartmentClient,
    DeviceAuthorization,
    DeviceRegistered,
    Household,
    HouseholdMember,
    OAuthError,
    Role,
    StaffMember,
)
from identity.throttle import SignInAttempts
from runtime import registry
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, ResourceExhausted, Unauthenticated

T0 = dt.datetime(2026, 11, 29, 9, 0, 0, tzinfo=dt.UTC)
USER_CODE = re.compile(rf"^[{USER_CODE_ALPHABET}]{{4}}-[{USER_CODE_ALPHABET}]{{4}}$")


# --- user codes -------------------------------------------------------------


def test_alphabet_has_no_vowels_or_look_alikes():
    # Typed on a phone from a TV screen: no words, no 0/O, 1/I/L confusion.
    assert not set(USER_CODE_ALPHABET) & set("AEIOU0123456789")


def test_new_user_code_is_two_groups_of_four_from_the_alphabet():
    codes = {domain.new_user_code() for _ in range(200)}
    assert all(USER_CODE.match(c) for c in codes), codes
    assert len(codes) > 190  # random, not a constant


def test_new_user_code_uses_the_random_source_it_is_given():
    letters = itertools.cycle("BCDFGHJK")
    assert domain.new_user_code(rand=lambda alphabet: next(letters)) == "BCDF-GHJK"


def test_a_new_code_normalizes_to_itself():
    code = domain.new_user_code()
    assert domain.normalize_user_code(code) == code


@pytest.mark.parametrize(
    "typed",
    ["BCDF-GHJK", "bcdf-ghjk", "BCDFGHJK", "bcdfghjk", " bcdf ghjk ", "Bc Df-Gh Jk", "bcdf\tghjk\n"],
)
def test_normalize_user_code_accepts_what_a_person_types(typed):
    assert domain.normalize_user_code(typed) == "BCDF-GHJK"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "BCDF-GHJ",  # 7 letters
        "BCDF-GHJKL",  # 9 letters
        "BCDF-GHJA",  # a vowel
        "BCDF-GHJ1",  # a digit
        "BCDF-GHJO",  # O looks like 0
        "BCDF-GHJY",  # Y is not in the alphabet
        "----",
    ],
)
def test_normalize_user_code_rejects_wrong_codes_naming_the_field(typed):
    with pytest.raises(InvalidArgument) as exc:
        domain.normalize_user_code(typed)
    assert set(exc.value.field_errors) == {"user_code"}


# --- secrets ----------------------------------------------------------------


def test_hash_secret_then_check_secret():
    stored = domain.hash_secret("correct horse")
    assert domain.check_secret("correct horse", stored)
    assert not domain.check_secret("correct horsE", stored)
    assert not domain.check_secret("", stored)


def test_hash_secret_is_salted_and_never_holds_the_secret():
    a, b = domain.hash_secret("123456"), domain.hash_secret("123456")
    assert a != b
    assert "123456" not in a
    assert a.startswith("scrypt$")


def test_hash_secret_with_a_given_salt_is_reproducible():
    salt = bytes(range(16))
    assert domain.hash_secret("pw", salt) == domain.hash_secret("pw", salt)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plaintext",
        "scrypt$",
        "scrypt$$",
        "scrypt$00$",  # no digest
        "scrypt$0011$ffff",  # digest of the wrong length
        "scrypt$a$b$c",  # too many parts
        "bcrypt$0011$ffff",  # another scheme
    ],
)
def test_check_secret_is_false_for_malformed_stored_values(stored):
    assert domain.check_secret("pw", stored) is False


def test_check_secret_is_false_for_another_scheme_even_with_a_valid_scrypt_body():
    stored = domain.hash_secret("pw")
    assert not domain.check_secret("pw", stored.replace("scrypt$", "md5$", 1))


def test_check_secret_is_false_for_a_non_hex_salt():
    assert domain.check_secret("pw", "scrypt$not-hex$00") is False


# --- the device authorization grant ------------------------------------------


def authorization(status=AuthorizationStatus.PENDING, last_polled_at=None, expires_in=600, interval=5):
    return DeviceAuthorization(
        device_code="device-code-1",
        user_code="BCDF-GHJK",
        client_id=domain.SET_TOP_BOX_CLIENT_ID,
        device_serial="STB-0001",
        status=status,
        created_at=T0,
        expires_at=T0 + dt.timedelta(seconds=expires_in),
        interval_seconds=interval,
        household_id=None if status == AuthorizationStatus.PENDING else "hh-1",
        last_polled_at=last_polled_at,
    )


def oauth_error(auth, now, client_id=domain.SET_TOP_BOX_CLIENT_ID) -> str:
    with pytest.raises(OAuthError) as exc:
        auth.poll(client_id, now)
    assert exc.value.field_errors == {"oauth_error": exc.value.error}
    return exc.value.error


def test_a_box_starts_a_pending_authorization_with_fresh_codes():
    auth = DeviceAuthorization.start(domain.SET_TOP_BOX_CLIENT_ID, "STB-0001", T0)
    assert (auth.status, auth.device_serial, auth.household_id) == (AuthorizationStatus.PENDING, "STB-0001", None)
    assert USER_CODE.match(auth.user_code) and len(auth.device_code) >= 32
    assert auth.expires_at == T0 + domain.DEVICE_CODE_TTL and auth.interval_seconds == domain.POLL_INTERVAL_SECONDS
    assert auth.pull_events() == [], "nothing is announced before the box has its token"
    other = DeviceAuthorization.start(domain.SET_TOP_BOX_CLIENT_ID, "STB-0001", T0)
    assert (other.user_code, other.device_code) != (auth.user_code, auth.device_code)


def test_only_the_set_top_box_client_starts_an_authorization():
    with pytest.raises(OAuthError) as exc:
        DeviceAuthorization.start("evil-tv", "STB-0001", T0)
    assert exc.value.error == "invalid_client"


@pytest.mark.parametrize(
    "client_id, serial, field",
    [("", "STB-1", "client_id"), (domain.SET_TOP_BOX_CLIENT_ID, "", "device_serial")]
    + [(domain.SET_TOP_BOX_CLIENT_ID, bad, "device_serial") for bad in ("S" * 201, "a\x00b")],
)
def test_a_start_without_its_fields_is_invalid_argument_naming_them(client_id, serial, field):
    with pytest.raises(InvalidArgument) as exc:
        DeviceAuthorization.start(client_id, serial, T0)
    assert set(exc.value.field_errors) == {field}


def test_poll_issues_a_token_once_approved():
    assert authorization(AuthorizationStatus.APPROVED).poll(domain.SET_TOP_BOX_CLIENT_ID, T0) is None


def test_poll_issues_when_approved_and_polled_at_the_interval():
    auth = authorization(AuthorizationStatus.APPROVED, last_polled_at=T0 - dt.timedelta(seconds=5))
    auth.poll(domain.SET_TOP_BOX_CLIENT_ID, T0)
    assert auth.last_polled_at == T0


def test_poll_while_pending_is_authorization_pending():
    assert oauth_error(authorization(), T0) == "authorization_pending"
    auth = authorization(last_polled_at=T0 - dt.timedelta(seconds=6))
    assert oauth_error(auth, T0) == "authorization_pending"
    assert auth.last_polled_at == T0 and auth.interval_seconds == 5, "the poll is remembered"


@pytest.mark.parametrize("status", [AuthorizationStatus.PENDING, AuthorizationStatus.APPROVED])
def test_polling_faster_than_the_interval_is_slow_down_and_adds_five_seconds(status):
    auth = authorization(status, last_polled_at=T0 - dt.timedelta(seconds=2))
    assert oauth_error(auth, T0) == "slow_down"
    assert auth.interval_seconds == 5 + domain.SLOW_DOWN_STEP_SECONDS == 10
    assert auth.last_polled_at == T0
    # Polling at the old interval is now too fast as well.
    assert oauth_error(auth, T0 + dt.timedelta(seconds=5)) == "slow_down"
    assert auth.interval_seconds == 15


def test_poll_interval_tolerates_a_little_clock_jitter():
    # A device polling every 5 s arrives a few ms early now and then: not slow_down.
    auth = authorization(last_polled_at=T0 - dt.timedelta(seconds=4.8))
    assert oauth_error(auth, T0) == "authorization_pending"
    assert auth.interval_seconds == 5


def test_denied_is_access_denied():
    assert oauth_error(authorization(AuthorizationStatus.DENIED), T0) == "access_denied"


def test_a_used_device_code_is_invalid_grant():
    assert oauth_error(authorization(AuthorizationStatus.USED), T0) == "invalid_grant"


def test_a_device_code_of_another_client_is_invalid_grant_and_not_remembered():
    auth = authorization(AuthorizationStatus.APPROVED)
    assert oauth_error(auth, T0, client_id="another-client") == "invalid_grant"
    assert auth.last_polled_at is None


@pytest.mark.parametrize(
    "status",
    [AuthorizationStatus.PENDING, AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED, AuthorizationStatus.USED],
)
def test_an_expired_code_is_expired_token_whatever_its_status(status):
    auth = authorization(status, expires_in=600)
    assert oauth_error(auth, T0 + dt.timedelta(seconds=600)) == "expired_token"
    assert oauth_error(auth, T0 + dt.timedelta(days=1)) == "expired_token"


def test_oauth_errors_map_to_failed_precondition():
    import grpc

    from runtime.grpc_server import grpc_code

    assert grpc_code(OAuthError("slow_down", "poll at most every 5 seconds")) == grpc.StatusCode.FAILED_PRECONDITION


# --- confirming on the phone ------------------------------------------------

ZHANG = Household("hh-zhang", "张家", "330411101001", "民主村 12号")
LI = Household("hh-li", "李家", "330411105001")


def member_of(household: Household) -> HouseholdMember:
    return HouseholdMember("m-1", household.id, "13800000001", "张伟", domain.DUMMY_HASH)


POLICY = service.device_policy()


def confirm(auth: DeviceAuthorization, household: Household, now=T0, devices: int = 0) -> None:
    auth.confirm(member_of(household), household, devices, POLICY, now)


def use(auth: DeviceAuthorization, household: Household, box=None, now=T0, devices: int = 0):
    return auth.use(household, box, devices, POLICY, now)


def test_a_member_confirms_a_pending_code_for_their_household():
    auth = authorization()
    confirm(auth, ZHANG)
    assert (auth.status, auth.household_id) == (AuthorizationStatus.APPROVED, ZHANG.id)


def test_a_member_declines_a_pending_code():
    auth = authorization()
    auth.decline(T0)
    assert (auth.status, auth.household_id) == (AuthorizationStatus.DENIED, None)


@pytest.mark.parametrize("approve", [True, False])
def test_an_expired_code_is_not_confirmable(approve):
    auth = authorization(expires_in=60)
    with pytest.raises(InvalidArgument) as exc:
        if approve:
            confirm(auth, ZHANG, T0 + dt.timedelta(seconds=60))
        else:
            auth.decline(T0 + dt.timedelta(seconds=60))
    assert exc.value.field_errors == {"user_code": "expired"}
    assert (auth.status, auth.household_id) == (AuthorizationStatus.PENDING, None)


@pytest.mark.parametrize("status", [AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED, AuthorizationStatus.USED])
@pytest.mark.parametrize("approve", [True, False])
def test_a_code_that_is_no_longer_pending_is_not_confirmable(status, approve):
    auth = authorization(status)
    with pytest.raises(InvalidArgument) as exc:
        if approve:
            confirm(auth, LI)
        else:
            auth.decline(T0)
    assert exc.value.field_errors == {"user_code": "already used"}
    assert auth.status == status and auth.household_id == "hh-1"


# --- the box signs in: registered, or re-bound ---------------------------------


def approved_by(household: Household, serial: str = "STB-0001", box=None) -> DeviceAuthorization:
    auth = DeviceAuthorization.start(domain.SET_TOP_BOX_CLIENT_ID, serial, T0, box)
    confirm(auth, household)
    auth.poll(domain.SET_TOP_BOX_CLIENT_ID, T0)
    return auth


def test_an_approved_code_registers_a_new_box_for_the_household_once():
    auth = approved_by(ZHANG)
    later = T0 + dt.timedelta(seconds=5)
    box, secret = use(auth, ZHANG, now=later)
    assert (box.household_id, box.serial, box.registered_at) == (ZHANG.id, "STB-0001", later) and box.id
    assert len(secret) >= 40 and box.proves("STB-0001", secret) and secret not in box.secret_hash
    assert auth.status == AuthorizationStatus.USED
    assert box.pull_events() == [DeviceRegistered(box.id, ZHANG.id, ZHANG.area_code, "STB-0001", later)]
    assert box.caller(ZHANG) == Caller(
        subject=f"device:{box.id}",
        kind=CallerKind.DEVICE,
        household_id=ZHANG.id,
        device_id=box.id,
        area_code=ZHANG.area_code,
        name=ZHANG.name,
    )
    with pytest.raises(OAuthError) as exc:
        use(auth, ZHANG, box, later)
    assert exc.value.error == "invalid_grant"
    assert box.pull_events() == []


def test_another_household_approving_the_same_serial_gets_a_device_of_its_own():
    """A resold (or copied) serial: without the box's secret it is a new device, so the new
    household never acts as the first one's box (its alerts, its receipts)."""
    box, _ = use(approved_by(ZHANG), ZHANG)
    other, other_secret = use(approved_by(LI), LI, now=T0 + dt.timedelta(days=1))
    assert other.id != box.id and (box.household_id, other.household_id) == (ZHANG.id, LI.id)
    assert other_secret and not box.proves("STB-0001", other_secret)


def test_a_box_that_proves_its_secret_keeps_its_id_and_may_move_with_its_household():
    box, secret = use(approved_by(ZHANG), ZHANG)
    box.pull_events()
    assert box.proves("STB-0001", secret)
    assert (
        not box.proves("STB-0001", "a guess") and not box.proves("STB-0002", secret) and not box.proves("STB-0001", "")
    )
    later = T0 + dt.timedelta(days=1)
    same, new_secret = use(approved_by(LI, box=box), LI, box, later)
    assert same is box and new_secret == "" and box.household_id == LI.id and box.registered_at == T0
    assert box.pull_events() == [DeviceRegistered(box.id, LI.id, LI.area_code, "STB-0001", later)]
    box.revoke(LI, box.caller(LI), "被盗", later)
    assert not box.proves("STB-0001", secret)
    [revoked] = box.pull_events()
    assert (revoked.device_id, revoked.household_id, revoked.reason) == (box.id, LI.id, "被盗")
    with pytest.raises(FailedPrecondition):  # removed already: nothing more is recorded
        box.revoke(LI, box.caller(LI), "", later)
    assert box.pull_events() == []


def test_the_same_household_signing_its_box_in_again_announces_it_again():
    box, secret = use(approved_by(ZHANG), ZHANG)
    box.pull_events()
    use(approved_by(ZHANG, box=box), ZHANG, box)
    assert [e.household_id for e in box.pull_events()] == [ZHANG.id]


def test_a_household_has_at_most_its_policys_boxes():
    full = POLICY.max_devices_per_household
    with pytest.raises(FailedPrecondition) as exc:
        confirm(authorization(), ZHANG, devices=full)
    assert exc.value.field_errors == {"household": "too many devices"}
    confirm(authorization(), ZHANG, devices=full - 1)
    # Two codes approved at once: the second to be used finds no room.
    with pytest.raises(OAuthError) as denied:
        use(approved_by(ZHANG), ZHANG, devices=full)
    assert denied.value.error == "access_denied"


@pytest.mark.parametrize("status", [AuthorizationStatus.PENDING, AuthorizationStatus.DENIED, AuthorizationStatus.USED])
def test_only_an_approved_code_signs_a_box_in(status):
    with pytest.raises(OAuthError):
        use(authorization(status), ZHANG)


def test_a_code_signs_the_box_in_only_for_the_household_that_approved_it():
    with pytest.raises(OAuthError):
        use(approved_by(ZHANG), LI)


# --- refresh tokens --------------------------------------------------------------


def test_a_refresh_token_works_once_and_its_reuse_names_the_family_to_revoke():
    box, _ = use(approved_by(ZHANG), ZHANG)
    first, _ = domain.RefreshToken.issue(box, POLICY, T0)
    second, second_token = first.use(box, POLICY, T0 + dt.timedelta(hours=1))
    assert second.family_id == first.family_id and second.token_hash == domain.digest(second_token)
    with pytest.raises(domain.RefreshReused) as reused:
        first.use(box, POLICY, T0 + dt.timedelta(hours=2))
    assert (reused.value.family_id, reused.value.device_id, reused.value.error) == (
        first.family_id,
        box.id,
        "invalid_grant",
    )


def test_a_refresh_token_expires_and_is_refused_for_a_revoked_box():
    box, _ = use(approved_by(ZHANG), ZHANG)
    token, _ = domain.RefreshToken.issue(box, POLICY, T0)
    with pytest.raises(OAuthError):
        token.use(box, POLICY, T0 + POLICY.refresh_ttl)
    token, _ = domain.RefreshToken.issue(box, POLICY, T0)
    box.revoke(ZHANG, box.caller(ZHANG), "", T0)
    with pytest.raises(OAuthError):
        token.use(box, POLICY, T0 + dt.timedelta(minutes=1))


# --- signing in with a secret ---------------------------------------------------


def test_staff_and_departments_sign_in_with_their_own_secret_and_get_their_roles():
    tech = StaffMember.enrol("tech", "技术员", "pass-tech", frozenset({"technician"}), "330411101")
    assert domain.authenticate(tech, "pass-tech") is tech
    assert tech.caller() == Caller(
        subject=f"staff:{tech.id}",
        kind=CallerKind.STAFF,
        area_code="330411101",
        roles=frozenset({"technician"}),
        name="技术员",
        username="tech",
    )
    dept = DepartmentClient.enrol(
        "dept-weather", "气象局", "weather-secret", frozenset({Role.DEPARTMENT_OFFICER}), "330411"
    )
    assert domain.authenticate(dept, "weather-secret") is dept
    assert dept.caller() == Caller(
        subject="department:dept-weather",
        kind=CallerKind.DEPARTMENT,
        area_code="330411",
        roles=frozenset({Role.DEPARTMENT_OFFICER}),
        name="气象局",
    )
    member = HouseholdMember.enrol(ZHANG, "13800000001", "张伟", "pass-zhang")
    assert member.household_id == ZHANG.id and "pass-zhang" not in member.password_hash
    assert domain.authenticate(member, "pass-zhang") is member


def test_a_wrong_secret_or_an_unknown_account_is_one_error():
    tech = StaffMember.enrol("tech", "技术员", "pass-tech", frozenset({"technician"}))
    messages = set()
    for account, secret in [(tech, "nope"), (tech, ""), (None, "pass-tech"), (None, "")]:
        with pytest.raises(Unauthenticated) as exc:
            domain.authenticate(account, secret)
        messages.add(exc.value.message)
    assert messages == {domain.bad_credentials().message}


def test_an_unknown_account_costs_the_same_hash_as_a_wrong_secret(monkeypatch):
    checked = []
    real = domain.check_secret
    monkeypatch.setattr(domain, "check_secret", lambda secret, stored: checked.append(stored) or real(secret, stored))
    with pytest.raises(Unauthenticated):
        domain.authenticate(None, "guess")
    assert checked == [domain.DUMMY_HASH]


# --- tokens and roles -------------------------------------------------------


@pytest.mark.parametrize(
    "caller, ttl",
    [
        (
            Caller("dev-1", CallerKind.DEVICE, household_id="hh-1", device_id="dev-1", area_code="330411"),
            POLICY.access_ttl,
        ),
        (Caller("staff-1", CallerKind.STAFF, roles=frozenset({"technician"}), name="Li"), dt.timedelta(hours=12)),
        (Caller("dept-1", CallerKind.DEPARTMENT, roles=frozenset({Role.DEPARTMENT_OFFICER})), dt.timedelta(hours=1)),
    ],
)
def test_token_claims_live_as_long_as_the_callers_kind_allows(caller, ttl):
    now = T0.replace(microsecond=987654)
    claims = domain.token_claims(caller, now, "j-1", POLICY)
    assert claims["exp"] - claims["iat"] == int(ttl.total_seconds())
    assert claims["iat"] == int(now.timestamp())
    assert claims["jti"] == "j-1"
    # The claims carry who the caller is, and read back as the same caller.
    assert Caller.from_claims(claims) == caller


def test_every_caller_kind_has_a_token_lifetime():
    kinds = {v for k, v in vars(CallerKind).items() if not k.startswith("_")}
    # A box's and a phone member's lifetimes are the data's (DevicePolicy), the others TOKEN_TTL's.
    assert kinds <= {*domain.TOKEN_TTL, CallerKind.DEVICE, CallerKind.MEMBER}
    for kind in kinds:
        claims = domain.token_claims(Caller(subject="x", kind=kind), T0, "jti", POLICY)
        assert claims["exp"] > claims["iat"], kind


KNOWN = set(registry.load().roles())


def test_parse_roles_accepts_the_registrys_roles():
    assert domain.parse_roles(["technician", "alert_issuer"], KNOWN) == {"technician", "alert_issuer"}
    assert domain.parse_roles([], KNOWN) == frozenset()
    assert domain.parse_roles(sorted(KNOWN), KNOWN) == KNOWN
    assert Role.DEPARTMENT_OFFICER in KNOWN


@pytest.mark.parametrize("raw", [["admin"], ["technician", "root"], ["Technician"]])
def test_parse_roles_rejects_unknown_roles(raw):
    with pytest.raises(InvalidArgument) as exc:
        domain.parse_roles(raw, KNOWN)
    assert set(exc.value.field_errors) == {"roles"}


def test_bad_credentials_says_nothing_about_which_part_was_wrong():
    err = domain.bad_credentials()
    assert "user name or password" in err.message


# --- failed sign-ins ---

SIGN_IN_POLICY = domain.SignInPolicy.of(json.loads((service.DATA / "sign_in.json").read_text(encoding="utf-8")))


class FakeClock:
    def __init__(self):
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def test_the_lockout_doubles_up_to_the_longest():
    p = domain.SignInPolicy(free_failures=3, window_seconds=900, first_lockout_seconds=30, longest_lockout_seconds=100)
    assert [p.lockout_seconds(n) for n in range(1, 7)] == [0, 0, 30, 60, 100, 100]
    assert p.lockout_seconds(10**6) == 100


def test_a_full_memory_refuses_sign_ins_rather_than_forgetting_failures():
    clock = FakeClock()
    attempts = SignInAttempts(SIGN_IN_POLICY, max_keys=2, clock=clock)
    attempts.failed(["staff:a", "staff:b"])
    with pytest.raises(ResourceExhausted):
        attempts.failed(["staff:c"])
    # Once the first failures are forgotten (the window passed), there is room again.
    clock.t += SIGN_IN_POLICY.window_seconds + 1
    attempts.failed(["staff:c"])
    attempts.check(["staff:c"])
