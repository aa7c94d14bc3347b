"""Identity's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded; those that sign someone in return their
token. Called by the servicer (from the aio server, on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from identity import domain
from identity.store import UnitOfWork
from identity.throttle import SignInAttempts
from runtime.auth import Caller, CallerKind, Signer
from runtime.errors import NotFound, PermissionDenied, Unauthenticated, check_text, require


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_in: int
    # A box's: its refresh token, and its secret (at its first sign-in only).
    refresh_token: str = ""
    device_secret: str = ""


def issue_token(signer: Signer, caller: Caller, policy: domain.DevicePolicy, now: dt.datetime, **extra: str) -> Token:
    claims = domain.token_claims(caller, now, str(uuid.uuid4()), policy)
    return Token(signer.sign(claims), claims["exp"] - claims["iat"], **extra)


# --- the device authorization grant (RFC 8628) ---


def start_device_authorization(
    uow: UnitOfWork, client_id: str, device_serial: str, device_secret: str, now: dt.datetime
) -> domain.DeviceAuthorization:
    """A box asks to sign in; one that sends the secret it got at its first sign-in keeps its
    device id. A wrong or missing secret is not an error: that box signs in as a new device."""
    domain.check_input(client_id=client_id, device_serial=device_serial)
    if device_secret:
        domain.check_input(device_secret=device_secret)
    for _ in range(5):  # a user-code collision is rare; draw again
        try:
            with uow:
                known = next(
                    (d for d in uow.devices.with_serial(device_serial) if d.proves(device_serial, device_secret)), None
                )
                auth = domain.DeviceAuthorization.start(client_id, device_serial, now, known)
                uow.device_authorizations.add(auth)
                uow.commit()
            return auth
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free user code")


def confirm_device_authorization(
    uow: UnitOfWork,
    attempts: SignInAttempts,
    policy: domain.DevicePolicy,
    user_code: str,
    phone: str,
    password: str,
    approve: bool,
    now: dt.datetime,
) -> domain.DeviceAuthorization:
    """A household member approves or declines a TV's sign-in on the phone. The code is checked
    before the password: for a code that is not waiting, the answer is the same whatever the
    password (it is never looked at), so nobody learns from it whether a password is right."""
    require({"user_code": user_code, "phone": phone, "password": password})
    domain.check_input(phone=phone, password=password)
    user_code = domain.normalize_user_code(user_code)
    account, code = domain.sign_in_keys("member", phone) + domain.sign_in_keys("code", user_code)
    attempts.check([account, code])
    with uow:
        auth = uow.device_authorizations.by_user_code_for_update(user_code)
        if auth is None:
            attempts.failed([account])
            raise NotFound("no sign-in is waiting for this code", {"user_code": "unknown code"})
        auth.check_confirmable(now)
        try:
            member = domain.authenticate(uow.members.by_phone(phone), password)
        except Unauthenticated:
            attempts.failed([account, code])
            raise
        attempts.succeeded([account])
        if approve:
            household = uow.households.get(member.household_id)
            if household is None:
                raise NotFound("household not found")
            devices = uow.devices.count_active(household.id, besides=auth.device_id)
            auth.confirm(member, household, devices, policy, now)
        else:
            auth.decline(now)
        uow.commit()
        return auth


def approve_device_authorization(
    uow: UnitOfWork,
    attempts: SignInAttempts,
    policy: domain.DevicePolicy,
    caller: Caller,
    user_code: str,
    approve: bool,
    now: dt.datetime,
) -> domain.DeviceAuthorization:
    """A member signed in on the phone approves or declines a TV's code (scanned from its QR code):
    the member's token stands for the password. Unknown codes count against the code's and the
    member's throttle, as on the phone page."""
    if caller.kind != CallerKind.MEMBER:
        raise PermissionDenied("this call is for a household member signed in on the phone app")
    require({"user_code": user_code})
    user_code = domain.normalize_user_code(user_code)
    keys = domain.sign_in_keys("member", caller.subject) + domain.sign_in_keys("code", user_code)
    attempts.check(keys)
    with uow:
        auth = uow.device_authorizations.by_user_code_for_update(user_code)
        if auth is None:
            attempts.failed(keys)
            raise NotFound("no sign-in is waiting for this code", {"user_code": "unknown code"})
        auth.check_confirmable(now)
        member = uow.members.get(caller.subject.removeprefix("member:"))
        household = uow.households.get(caller.household_id)
        if member is None or household is None or member.household_id != household.id:
            raise NotFound("household not found")
        if approve:
            devices = uow.devices.count_active(household.id, besides=auth.device_id)
            auth.confirm(member, household, devices, policy, now)
        else:
            auth.decline(now)
        uow.commit()
        return auth


def poll_device_token(
    uow: UnitOfWork, signer: Signer, policy: domain.DevicePolicy, client_id: str, device_code: str, now: dt.datetime
) -> Token:
    domain.check_input(client_id=client_id, device_code=device_code)
    with uow:
        auth = uow.device_authorizations.get_for_update(device_code)
        if auth is None:
            raise domain.unknown_device_code()
        try:
            auth.poll(client_id, now)
        except domain.OAuthError:
            uow.commit()  # the poll is remembered (slow_down counts from it), though it gets no token
            raise
        # Locked: two boxes approved at once are counted one after the other.
        household = uow.households.get_for_update(auth.household_id or "")
        if household is None:
            raise domain.unknown_device_code()
        known = uow.devices.get(auth.device_id) if auth.device_id else None
        devices = uow.devices.count_active(household.id, besides=auth.device_id)
        try:
            device, secret = auth.use(household, known, devices, policy, now)
        except domain.OAuthError:
            uow.commit()  # the code is used up either way
            raise
        uow.devices.add(device)
        refresh, refresh_token = domain.RefreshToken.issue(device, policy, now)
        uow.refresh_tokens.add(refresh)
        uow.commit()
        caller = device.caller(household)
    return issue_token(signer, caller, policy, now, refresh_token=refresh_token, device_secret=secret)


def refresh_device_token(
    uow: UnitOfWork, signer: Signer, policy: domain.DevicePolicy, client_id: str, refresh_token: str, now: dt.datetime
) -> Token:
    """A box trades its refresh token for a new access token and a new refresh token. An old
    one used again revokes its whole family, and the box's access tokens with it."""
    return _refresh(uow, signer, policy, domain.SET_TOP_BOX_CLIENT_ID, client_id, refresh_token, now)


def refresh_member_token(
    uow: UnitOfWork, signer: Signer, policy: domain.DevicePolicy, client_id: str, refresh_token: str, now: dt.datetime
) -> Token:
    """The phone app trades its member's refresh token, as a box does (same families, same reuse rule)."""
    return _refresh(uow, signer, policy, domain.PHONE_CLIENT_ID, client_id, refresh_token, now)


def _refresh(
    uow: UnitOfWork,
    signer: Signer,
    policy: domain.DevicePolicy,
    expected_client: str,
    client_id: str,
    refresh_token: str,
    now: dt.datetime,
) -> Token:
    domain.check_input(client_id=client_id, refresh_token=refresh_token)
    if client_id != expected_client:
        raise domain.OAuthError("invalid_client", "unknown client_id")
    members = expected_client == domain.PHONE_CLIENT_ID
    with uow:
        presented = uow.refresh_tokens.get_for_update(domain.digest(refresh_token))
        # A box's refresh token is not a phone's, nor the other way round.
        if presented is None or presented.is_members != members:
            raise domain.OAuthError("invalid_grant", "unknown refresh token")
        holder: domain.Device | domain.HouseholdMember | None = (
            uow.members.get(presented.member_id or "") if members else uow.devices.get(presented.device_id)
        )
        try:
            nxt, token = presented.use(holder, policy, now)
        except domain.RefreshReused as reused:
            for t in uow.refresh_tokens.of_family(reused.family_id):
                t.revoke(now)
            uow.revocations.add(domain.Revocation.of(reused.subject, policy, now))
            uow.commit()
            raise
        assert holder is not None  # use() refuses a token whose holder is gone
        household = uow.households.get(holder.household_id)
        if household is None:
            raise domain.OAuthError("invalid_grant", "unknown refresh token")
        uow.refresh_tokens.add(nxt)
        uow.commit()
        caller = holder.caller(household)
    return issue_token(signer, caller, policy, now, refresh_token=token)


# --- a household member on the phone (the password grant) ---


def member_password_token(
    uow: UnitOfWork,
    attempts: SignInAttempts,
    signer: Signer,
    policy: domain.DevicePolicy,
    client_id: str,
    phone: str,
    password: str,
    now: dt.datetime,
) -> Token:
    """A household member signs in on the phone app: an access token as the household's member,
    and a refresh token of a new family. Failures count against the same account as the phone
    page's confirmations of a TV's code."""
    domain.check_input(client_id=client_id, phone=phone, password=password)
    if client_id != domain.PHONE_CLIENT_ID:
        raise domain.OAuthError("invalid_client", "unknown client_id")
    with uow:
        member = _authenticate(attempts, "member", phone, password, uow.members.by_phone)
        household = uow.households.get(member.household_id)
        if household is None:
            raise NotFound("household not found")
        refresh, refresh_token = domain.RefreshToken.issue(member, policy, now)
        uow.refresh_tokens.add(refresh)
        uow.commit()
        caller = member.caller(household)
    return issue_token(signer, caller, policy, now, refresh_token=refresh_token)


# --- a household's boxes, and revocation ---


def my_devices(uow: UnitOfWork, caller: Caller) -> list[domain.Device]:
    household_id = caller.require_household()
    with uow:
        return uow.devices.of_household(household_id)


def household_devices(uow: UnitOfWork, caller: Caller, household_id: str) -> list[domain.Device]:
    """A household's boxes, for the operator's staff who manage boxes in its area."""
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied(f"this call is for the operator's staff with the role {domain.Role.DEVICE_MANAGER}")
    require({"household_id": household_id})
    check_text({"household_id": (household_id, 36)})
    with uow:
        household = uow.households.get(household_id)
        if household is None:
            raise NotFound(f"no household {household_id!r} is registered")
        domain.check_manages(caller, household)
        return uow.devices.of_household(household_id)


def revoke_device(
    uow: UnitOfWork, policy: domain.DevicePolicy, caller: Caller, device_id: str, reason: str, now: dt.datetime
):
    """A box removed (stolen, sold): its refresh tokens and access tokens stop working."""
    domain.check_input(device_id=device_id)
    with uow:
        device = uow.devices.get(device_id)
        household = uow.households.get(device.household_id) if device is not None else None
        revocation = domain.revoke_device(caller, device, household, reason, policy, now)
        for t in uow.refresh_tokens.of_device(device_id):
            t.revoke(now)
        uow.revocations.add(revocation)
        uow.commit()


def revoke_staff_member(
    uow: UnitOfWork, policy: domain.DevicePolicy, caller: Caller, username: str, reason: str, now: dt.datetime
) -> None:
    """A staff member who left: no sign-in from now on, and their tokens listed as revoked."""
    domain.check_input(username=username)
    with uow:
        member = uow.staff.by_username(username)
        uow.revocations.add(domain.revoke_staff_member(caller, member, reason, policy, now))
        uow.commit()


def revocations_in_force(uow: UnitOfWork, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    with uow:
        return [(r.subject, r.revoked_at) for r in uow.revocations.in_force(now)]


# --- staff and departments ---


def staff_token(
    uow: UnitOfWork,
    attempts: SignInAttempts,
    signer: Signer,
    policy: domain.DevicePolicy,
    username: str,
    password: str,
    now: dt.datetime,
) -> Token:
    domain.check_input(username=username, password=password)
    with uow:
        account = _authenticate(attempts, "staff", username, password, uow.staff.by_username)
        caller = account.caller()
    return issue_token(signer, caller, policy, now)


def client_credentials_token(
    uow: UnitOfWork,
    attempts: SignInAttempts,
    signer: Signer,
    policy: domain.DevicePolicy,
    client_id: str,
    client_secret: str,
    now: dt.datetime,
) -> Token:
    domain.check_input(client_id=client_id, client_secret=client_secret)
    with uow:
        account = _authenticate(attempts, "department", client_id, client_secret, uow.departments.get)
        caller = account.caller()
    return issue_token(signer, caller, policy, now)


def _authenticate(attempts: SignInAttempts, kind: str, name: str, secret: str, load):
    """The account of `name`, if `secret` is its own and it is not locked; each failure counts."""
    keys = domain.sign_in_keys(kind, name)
    attempts.check(keys)
    try:
        account = domain.authenticate(load(name), secret)
    except Unauthenticated:
        attempts.failed(keys)
        raise
    attempts.succeeded(keys)
    return account


# --- the caller's household ---


def my_household(uow: UnitOfWork, caller: Caller) -> domain.Household:
    household_id = caller.require_household()
    with uow:
        household = uow.households.get(household_id)
        if household is None:
            raise NotFound("household not found")
        return household


def registered_household(
    uow: UnitOfWork, caller: Caller, household_id: str, acting_roles: frozenset[str]
) -> domain.Household:
    """A household as registered, for a service about to act for it on a staff caller's behalf."""
    if caller.kind != CallerKind.STAFF or not caller.roles & acting_roles:
        raise PermissionDenied(f"this call is for staff who act for households ({', '.join(sorted(acting_roles))})")
    require({"household_id": household_id})
    check_text({"household_id": (household_id, 36)})
    with uow:
        household = uow.households.get(household_id)
        if household is None:
            raise NotFound(f"no household {household_id!r} is registered")
        return household


# --- seeds ---


def load_seed(uow: UnitOfWork, seed: dict, known_roles: set[str]) -> None:
    """Add the households, members, staff and departments of a seed (local development and demos)
    that are not there yet; secrets are hashed on the way in. A role no service defines (not in
    `known_roles`, the registry's) refuses the whole seed."""
    for who in seed.get("staff", []) + seed.get("departments", []):
        domain.parse_roles(who.get("roles", []), known_roles)
    with uow:
        for h in seed.get("households", []):
            household = uow.households.get(h["id"])
            if household is None:
                household = uow.households.add(
                    domain.Household(h["id"], h["name"], h["area_code"], h.get("address", ""))
                )
            for m in h.get("members", []):
                if uow.members.by_phone(m["phone"]) is None:
                    uow.members.add(
                        domain.HouseholdMember.enrol(household, m["phone"], m.get("name", ""), m["password"])
                    )
        for s in seed.get("staff", []):
            if uow.staff.by_username(s["username"]) is None:
                roles = domain.parse_roles(s["roles"], known_roles)
                uow.staff.add(
                    domain.StaffMember.enrol(s["username"], s["name"], s["password"], roles, s.get("area_code", ""))
                )
        for c in seed.get("departments", []):
            if uow.departments.get(c["client_id"]) is None:
                roles = domain.parse_roles(c.get("roles", []), known_roles)
                uow.departments.add(
                    domain.DepartmentClient.enrol(
                        c["client_id"], c["name"], c["client_secret"], roles, c.get("area_code", "")
                    )
                )
        uow.commit()
