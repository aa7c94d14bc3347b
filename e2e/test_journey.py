"""One citizen journey through every part, each a separate process: a TV signs
in, files a repair request, and its open SSE stream gets "request received";
one trace covers gateway → gRPC → database/outbox → Kafka → consumer → push."""

from __future__ import annotations

import secrets
import time

import pytest

from e2e.platform import SseListener, sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow]


def test_tv_files_a_repair_request_and_is_told_it_was_received(platform, client, otlp):
    household = platform.households_of("journey")[0]
    token = sign_in_tv(client, household, serial=f"STB-{platform.run_id}-journey")
    auth = {"Authorization": f"Bearer {token}"}
    stream = SseListener(platform.base_url, token).start()

    trace_id = secrets.token_hex(16)
    r = client.post(
        "/v1/servicedesk/requests",
        json={"service_type": "fault_repair_general", "description": "电视没有信号 no signal since this morning"},
        headers={
            **auth,
            "Idempotency-Key": secrets.token_hex(8),
            "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01",
        },
    )
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["state"] == "submitted" and filed["household_id"] == household["id"]
    assert filed["reference_number"].startswith("SR-")

    pushed = stream.wait_for(lambda e: filed["reference_number"] in e["data"].get("body", ""), timeout=30)
    stream.stop()
    assert len(pushed) == 1, f"expected one push message, got {pushed}"
    assert pushed[0]["event"] == "service_request.received"
    assert f"受理编号 {filed['reference_number']}" in pushed[0]["data"]["body"]

    mine = client.get("/v1/servicedesk/requests", headers=auth).json()["requests"]
    assert [x["id"] for x in mine] == [filed["id"]]
    assert (
        client.get(f"/v1/servicedesk/requests/{filed['id']}", headers=auth).json()["reference_number"]
        == filed["reference_number"]
    )
    inbox = client.get("/v1/notifications/messages", headers=auth).json()["messages"]
    assert [m["id"] for m in inbox] == [pushed[0]["id"]]

    # One trace, across every process, each hop a child of the one before. A process exports its
    # spans in batches, a server's span after the database spans inside it: wait for every hop.
    hops = [
        ("servicedesk", "/sbc.servicedesk.v1.ServiceDeskService/CreateServiceRequest"),
        ("servicedesk-relay", "sbc.servicedesk.requests.v1 publish"),
        ("notifications-consumer", "sbc.servicedesk.requests.v1 process"),
        ("notifications-relay", "sbc.notifications.push.v1 publish"),
        ("gateway", "sbc.notifications.push.v1 process"),
        ("gateway", "push to terminals"),
    ]
    deadline = time.monotonic() + 30
    spans, by_name = [], set()
    while time.monotonic() < deadline:
        spans = otlp.trace(trace_id)
        by_name = {(s["service"], s["name"]) for s in spans}
        if all(hop in by_name for hop in hops):
            break
        time.sleep(0.3)
    for hop in hops:
        assert hop in by_name, f"missing hop {hop}; have {sorted(by_name)}"
    ids = {s["span_id"] for s in spans}
    roots = [s for s in spans if s["parent_id"] not in ids]
    assert len(roots) == 1 and roots[0]["service"] == "gateway", f"trace is not one tree: roots {roots}"
