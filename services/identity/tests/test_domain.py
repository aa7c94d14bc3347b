"""Identity rules: device-grant user codes, secrets, the poll outcomes of the
device authorization grant (RFC 8628), token claims, roles. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from identity import domain
from identity.domain import (
    USER_CODE_ALPHABET,
    AuthorizationStatus,
    DeviceAuthorizationState,
    OAuthError,
    Role,
)
from runtime import registry
from runtime.auth import Caller, CallerKind
from runtime.errors import InvalidArgument

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


# --- polling the device authorization grant ---------------------------------


def state(status=AuthorizationStatus.PENDING, last_polled_at=None, expires_in=600, interval=5):
    return DeviceAuthorizationState(
        status=status,
        expires_at=T0 + dt.timedelta(seconds=expires_in),
        last_polled_at=last_polled_at,
        interval_seconds=interval,
    )


def oauth_error(auth, now) -> str:
    with pytest.raises(OAuthError) as exc:
        domain.poll_outcome(auth, now)
    assert exc.value.field_errors == {"oauth_error": exc.value.error}
    return exc.value.error


def test_poll_issues_a_token_once_approved():
    assert domain.poll_outcome(state(AuthorizationStatus.APPROVED), T0) == "issue"


def test_poll_issues_when_approved_and_polled_at_the_interval():
    auth = state(AuthorizationStatus.APPROVED, last_polled_at=T0 - dt.timedelta(seconds=5))
    assert domain.poll_outcome(auth, T0) == "issue"


def test_poll_while_pending_is_authorization_pending():
    assert oauth_error(state(), T0) == "authorization_pending"
    auth = state(last_polled_at=T0 - dt.timedelta(seconds=6))
    assert oauth_error(auth, T0) == "authorization_pending"


@pytest.mark.parametrize("status", [AuthorizationStatus.PENDING, AuthorizationStatus.APPROVED])
def test_polling_faster_than_the_interval_is_slow_down(status):
    auth = state(status, last_polled_at=T0 - dt.timedelta(seconds=2))
    assert oauth_error(auth, T0) == "slow_down"


def test_poll_interval_tolerates_a_little_clock_jitter():
    # A device polling every 5 s arrives a few ms early now and then: not slow_down.
    auth = state(last_polled_at=T0 - dt.timedelta(seconds=4.8))
    assert oauth_error(auth, T0) == "authorization_pending"


def test_denied_is_access_denied():
    assert oauth_error(state(AuthorizationStatus.DENIED), T0) == "access_denied"


def test_a_used_device_code_is_invalid_grant():
    assert oauth_error(state(AuthorizationStatus.USED), T0) == "invalid_grant"


@pytest.mark.parametrize(
    "status",
    [AuthorizationStatus.PENDING, AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED, AuthorizationStatus.USED],
)
def test_an_expired_code_is_expired_token_whatever_its_status(status):
    auth = state(status, expires_in=600)
    assert oauth_error(auth, T0 + dt.timedelta(seconds=600)) == "expired_token"
    assert oauth_error(auth, T0 + dt.timedelta(days=1)) == "expired_token"


def test_oauth_errors_map_to_failed_precondition():
    import grpc

    from runtime.grpc_server import grpc_code

    assert grpc_code(OAuthError("slow_down", "poll at most every 5 seconds")) == grpc.StatusCode.FAILED_PRECONDITION


# --- confirming on the phone ------------------------------------------------


def test_a_pending_unexpired_code_is_confirmable():
    assert domain.confirmable(state(), T0) is None


def test_an_expired_code_is_not_confirmable():
    with pytest.raises(InvalidArgument) as exc:
        domain.confirmable(state(expires_in=60), T0 + dt.timedelta(seconds=60))
    assert "user_code" in exc.value.field_errors


@pytest.mark.parametrize("status", [AuthorizationStatus.APPROVED, AuthorizationStatus.DENIED, AuthorizationStatus.USED])
def test_a_code_that_is_no_longer_pending_is_not_confirmable(status):
    with pytest.raises(InvalidArgument) as exc:
        domain.confirmable(state(status), T0)
    assert "user_code" in exc.value.field_errors


# --- tokens and roles -------------------------------------------------------


@pytest.mark.parametrize(
    "caller, ttl",
    [
        (
            Caller("dev-1", CallerKind.DEVICE, household_id="hh-1", device_id="dev-1", area_code="330411"),
            dt.timedelta(days=30),
        ),
        (Caller("staff-1", CallerKind.STAFF, roles=frozenset({"technician"}), name="Li"), dt.timedelta(hours=12)),
        (Caller("dept-1", CallerKind.DEPARTMENT, roles=frozenset({Role.DEPARTMENT_OFFICER})), dt.timedelta(hours=1)),
    ],
)
def test_token_claims_live_as_long_as_the_callers_kind_allows(caller, ttl):
    now = T0.replace(microsecond=987654)
    claims = domain.token_claims(caller, now, jti="j-1")
    assert claims["exp"] - claims["iat"] == int(ttl.total_seconds())
    assert claims["iat"] == int(now.timestamp())
    assert claims["jti"] == "j-1"
    # The claims carry who the caller is, and read back as the same caller.
    assert Caller.from_claims(claims) == caller


def test_every_caller_kind_has_a_token_lifetime():
    kinds = {v for k, v in vars(CallerKind).items() if not k.startswith("_")}
    assert kinds <= set(domain.TOKEN_TTL)


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
