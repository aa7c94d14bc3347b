"""The gateway's revocation check (runtime.auth.Revocations): which tokens of a revoked
subject it refuses, and that a failed read keeps the last list. No I/O: the fetch is a function
of the test's own (the real one, through identity, is in test_token_lifecycle.py)."""

from __future__ import annotations

import asyncio

import jwt
import pytest

from runtime.auth import Caller, CallerKind, Revocations

BOX = Caller(subject="device:box-1", kind=CallerKind.DEVICE, household_id="hh-1", device_id="box-1")
OTHER = Caller(subject="device:box-2", kind=CallerKind.DEVICE, household_id="hh-1", device_id="box-2")


def token(iat: int) -> str:
    # Only the issue time is read, after the signature was verified elsewhere.
    return jwt.encode({"sub": BOX.subject, "iat": iat}, "k" * 32, algorithm="HS256")


def test_tokens_issued_up_to_the_revocation_are_refused_and_later_ones_not():
    async def run():
        answers = [{BOX.subject: 1000.0}]
        revocations = Revocations(lambda: asyncio.sleep(0, answers[0]))
        assert not revocations.refuses(BOX, token(999))  # nothing read yet
        await revocations.refresh()
        assert revocations.refuses(BOX, token(999)) and revocations.refuses(BOX, token(1000))
        assert not revocations.refuses(BOX, token(1001))  # signed in again afterwards
        assert not revocations.refuses(OTHER, token(999))

    asyncio.run(run())


def test_a_failed_read_keeps_the_last_list():
    async def run():
        calls = []

        async def fetch():
            calls.append(1)
            if len(calls) > 1:
                raise ConnectionError("identity away")
            return {BOX.subject: 1000.0}

        revocations = Revocations(fetch)
        await revocations.refresh()
        with pytest.raises(ConnectionError):
            await revocations.refresh()
        assert revocations.refuses(BOX, token(999))

    asyncio.run(run())
