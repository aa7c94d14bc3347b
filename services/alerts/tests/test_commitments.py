"""The published delivery commitments over real gRPC (both databases): how soon an alert is to reach
the public, each channel, the re-delivery the scheduler enforces and the warning levels."""

from __future__ import annotations

import grpc
import pytest

from alerts import store
from runtime.testing import household, rpc_error, staff
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_anyone_signed_in_reads_the_delivery_commitments(svc, monkeypatch):
    monkeypatch.delenv("ALERTS_REDELIVER_SECONDS", raising=False)
    for who in (household("hh-c", area_code="330411101001"), staff("alert_issuer")):
        c = await svc.stub.GetDeliveryCommitments(pb.GetDeliveryCommitmentsRequest(), metadata=svc.md(who))
        assert c.reach_within_seconds == 600 and "10分钟" in c.reach_source
        assert [ch.code for ch in c.channels] == ["tv", "loudspeaker", "iot"] and all(
            ch.commitment for ch in c.channels
        )
        assert (c.redeliver_after_seconds, c.max_attempts) == (30, 5) == store.redelivery()
        assert [(lv.roman, lv.colour, lv.name) for lv in c.levels][0] == ("Ⅰ", "red", "特别重大") and len(c.levels) == 4
    # the scheduler's setting is what is published
    monkeypatch.setenv("ALERTS_REDELIVER_SECONDS", "3")
    c = await svc.stub.GetDeliveryCommitments(
        pb.GetDeliveryCommitmentsRequest(), metadata=svc.md(staff("alert_issuer"))
    )
    assert c.redeliver_after_seconds == 3


async def test_no_commitments_without_a_sign_in(svc):
    err = await rpc_error(svc.stub.GetDeliveryCommitments(pb.GetDeliveryCommitmentsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
