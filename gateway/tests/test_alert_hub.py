"""Which connected streams an alert is handed to (no Kafka needed: the hub's
reader hands each record to `deliver_alert`)."""

from __future__ import annotations

import asyncio

from gateway.push import AlertHub, Subscription
from sbc.events.v1 import alert_events_pb2


def streams(hub: AlertHub, *areas: str) -> list[Subscription]:
    subs = [Subscription(f"hh-{i}", f"box-{i}", area) for i, area in enumerate(areas)]
    for sub in subs:
        hub.add(sub)
    return subs


def got(sub: Subscription) -> list[tuple[str, int]]:
    out = []
    while not sub.queue.empty():
        m = sub.queue.get_nowait()
        out.append((m.alert_id, m.attempt))
    return out


def test_an_alert_reaches_the_streams_in_its_areas_once_each():
    async def run():
        hub = AlertHub("unused:9092")
        wjj_1, wjj_2, honghe, other_town = streams(hub, "330411101001", "330411101002", "330411105001", "330411102001")
        flood = alert_events_pb2.AlertBroadcast(
            alert_id="a1", kind="alert", attempt=1, area_codes=["330411101", "330411105001"]
        )
        assert hub.deliver_alert(flood) == 3
        assert hub.deliver_alert(flood) == 3  # Kafka may hand it over twice: each stream shows it once
        assert [got(s) for s in (wjj_1, wjj_2, honghe, other_town)] == [[("a1", 1)], [("a1", 1)], [("a1", 1)], []]
        assert hub.connected() == 4

    asyncio.run(run())


def test_a_redelivery_goes_only_to_the_boxes_it_names_and_a_closed_stream_gets_nothing():
    async def run():
        hub = AlertHub("unused:9092")
        silent, answered, gone = streams(hub, "330411101001", "330411101001", "330411101002")
        hub.unsubscribe(gone)
        again = alert_events_pb2.AlertBroadcast(
            alert_id="a1",
            kind="alert",
            attempt=2,
            area_codes=["330411101"],
            only_terminals=["set_top_box:box-0", "set_top_box:box-2", "loudspeaker:LS-1"],
        )
        assert hub.deliver_alert(again) == 1
        assert [got(s) for s in (silent, answered, gone)] == [[("a1", 2)], [], []]
        speakers_only = alert_events_pb2.AlertBroadcast(
            alert_id="a1", kind="alert", attempt=3, area_codes=["330411101"], only_terminals=["loudspeaker:LS-1"]
        )
        assert hub.deliver_alert(speakers_only) == 0
        assert hub.connected() == 2

    asyncio.run(run())
