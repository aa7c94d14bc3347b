"""The published response-time commitments over real gRPC (both databases): the same escalation per
severity that the alarms are held to, and the care centre's answer-time and follow-up targets."""

from __future__ import annotations

import grpc
import pytest

from eldercare import store
from eldercare.tests.test_grpc import (
    OPERATOR,
    SON,
    svc,  # noqa: F401 (the fixture)
)
from runtime.testing import rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_a_household_and_care_staff_read_the_response_commitments(svc):
    for who in (SON, OPERATOR):
        c = await svc.api.GetResponseCommitments(pb.GetResponseCommitmentsRequest(), metadata=svc.md(who))
        first = c.severities[0]
        assert first.severity == "CRITICAL" and first.severity_name == "紧急"
        # what an SOS is held to: acknowledged within 10 minutes, family told at once, the care centre after 5
        assert (
            first.acknowledge_within_seconds == store.escalation("CRITICAL").acknowledge_within.total_seconds() == 600
        )
        assert "一键呼叫" in first.alarm_names and "跌倒" in first.alarm_names
        assert [(s.who_name, s.after_seconds) for s in first.steps] == [
            ("家属", 0),
            ("村级照护员", 120),
            ("照护服务中心", 300),
        ]
        assert [s.severity for s in c.severities] == ["CRITICAL", "MAJOR", "default"]
        assert "长时间无活动" in c.severities[1].alarm_names  # a device rule's MAJOR alarm
        assert [(a.seconds, a.share) for a in c.answered_within] == [(60, 0.975), (180, 0.99)]
        assert c.follow_up_target == 1.0 and c.follow_up_standard


async def test_no_commitments_without_a_sign_in(svc):
    err = await rpc_error(svc.api.GetResponseCommitments(pb.GetResponseCommitmentsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
