"""Playback on the village loudspeakers over real gRPC and real HTTP controllers, on SQLite and
PostgreSQL: an editor registers a town's controllers (only on the allow-list, only in their own
towns); at a slot's time the playout worker sends it to each controller and keeps its play
report (played, or failed with why: a refusal, a dead controller); the compliance check counts
them. An emergency alert in force preempts a programme (never sent), one arriving on air cuts it;
both are recorded. A pass never sends a slot twice."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest

from education import events, playout, store
from education.tests.conftest import LOCAL_CONTROLLERS, NOW, XINCHENG_TOWN
from education.tests.test_programmes_grpc import episode_request, make_series, slot_request
from runtime.consumer import Consumer
from runtime.events import Event
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from runtime.times import to_timestamp
from sbc.education.v1 import education_pb2 as pb
from sbc.events.v1 import alert_events_pb2

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

VILLAGE = XINCHENG_TOWN + "001"
SETTINGS = {"http_backoff_seconds": [0.05], "http_timeout_seconds": 2, "deadline_seconds": 3, "http_concurrency": 8}


class Controller:
    """A village loudspeaker controller: `played` plays what it gets, `broken` says it cannot, `dead` is 503."""

    def __init__(self, mode: str = "played"):
        self.received: list[dict] = []
        me = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                me.received.append(body)
                if mode == "dead":
                    self.send_response(503)
                    self.end_headers()
                    return
                result = {"result": "played"} if mode == "played" else {"result": "failed", "reason": "功放故障"}
                reply = json.dumps({"PlayID": body["PlayID"], **result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/play"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def controllers():
    made = {"ok": Controller("played"), "broken": Controller("broken"), "dead": Controller("dead")}
    yield made
    for c in made.values():
        c.close()


async def register(svc, caller, controller_id, endpoint, village=VILLAGE):
    r = pb.RegisterControllerRequest(controller_id=controller_id, village_code=village, endpoint=endpoint)
    return await svc.api.RegisterController(r, metadata=svc.md(caller))


async def scheduled_slot(svc, who, at: dt.datetime, number: int = 1):
    series = await make_series(svc, who.editor, title=f"郝老师课堂{number}")
    episode = await svc.api.AddEpisode(episode_request(series.id, number), metadata=svc.md(who.editor))
    return await svc.api.ScheduleSlot(slot_request(episode.id, at=at), metadata=svc.md(who.editor))


async def plays(svc, who) -> tuple[dict, int]:
    c = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    town = next(t for t in c.towns if t.town_code == XINCHENG_TOWN)
    return dict(town.plays), town.aired


def alert(svc, alert_id: str, areas: list[str], kind: str = "alert", drill: bool = False) -> None:
    """The alerts service's broadcast at the clock's time, applied by education's alerts consumer."""
    b = alert_events_pb2.AlertBroadcast(alert_id=alert_id, kind=kind, area_codes=areas, drill=drill)
    b.expires.CopyFrom(to_timestamp(NOW + dt.timedelta(days=1)))
    consumer = Consumer(svc.db, "unused:9092", "education-alerts", [events.ALERT_BROADCAST], events.HANDLERS)
    event = Event.new(b, events.ALERT_BROADCAST, "sbc/alerts", alert_id)
    consumer.apply(dataclasses.replace(event, time=svc.clock().isoformat()))


async def test_a_controller_is_registered_only_on_the_allow_list_and_by_its_towns_editor(svc, who, controllers):
    ok = await register(svc, who.editor, "XC-001-A", controllers["ok"].url)
    assert (ok.town_code, ok.village_code, ok.registered_by) == (XINCHENG_TOWN, VILLAGE, "editor.xc")
    for caller, cid, endpoint, village, code, field in [
        (who.editor, "XC-001-B", "http://203.0.113.9/play", VILLAGE, grpc.StatusCode.INVALID_ARGUMENT, "endpoint"),
        (who.editor, "XC-001-B", "ftp://127.0.0.1/play", VILLAGE, grpc.StatusCode.INVALID_ARGUMENT, "endpoint"),
        (who.editor, "XC 001", controllers["ok"].url, VILLAGE, grpc.StatusCode.INVALID_ARGUMENT, "controller_id"),
        (who.editor, "x" * 65, controllers["ok"].url, VILLAGE, grpc.StatusCode.INVALID_ARGUMENT, "controller_id"),
        (who.editor, "XC-001-B", controllers["ok"].url, "3304", grpc.StatusCode.INVALID_ARGUMENT, "village_code"),
        (who.editor, "XC-001-B", controllers["ok"].url, "", grpc.StatusCode.INVALID_ARGUMENT, "village_code"),
        (who.honghe_editor, "XC-001-A", controllers["dead"].url, VILLAGE, grpc.StatusCode.PERMISSION_DENIED, ""),
        (who.honghe_editor, "XC-001-A", controllers["dead"].url, "330411105001", grpc.StatusCode.PERMISSION_DENIED, ""),
        (who.technician, "XC-001-B", controllers["ok"].url, VILLAGE, grpc.StatusCode.PERMISSION_DENIED, ""),
        (who.home, "XC-001-B", controllers["ok"].url, VILLAGE, grpc.StatusCode.PERMISSION_DENIED, ""),
    ]:
        e = await rpc_error(register(svc, caller, cid, endpoint, village))
        assert e.code() == code, (cid, endpoint, village, e.details())
        if field:
            assert field in field_errors_of(e), e.details()
    with store.UnitOfWork(svc.db) as uow:
        kept = uow.controllers.of_towns({XINCHENG_TOWN, "330411105"})
    assert [(c.id, c.endpoint) for c in kept] == [("XC-001-A", controllers["ok"].url)], "nothing else changed"
    anonymous = pb.RegisterControllerRequest(controller_id="A", village_code=VILLAGE)
    e = await rpc_error(svc.api.RegisterController(anonymous))
    assert e.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_slot_is_played_at_its_time_and_every_controller_reports(svc, who, controllers, clock):
    for name, c in controllers.items():
        await register(svc, who.editor, f"XC-{name}", c.url)
    at = NOW + dt.timedelta(hours=2)
    slot = await scheduled_slot(svc, who, at)
    worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)

    assert await asyncio.to_thread(worker.tick) == 0, "nothing is sent before its time"
    assert not controllers["ok"].received
    clock.at = at - dt.timedelta(seconds=30)
    assert await asyncio.to_thread(worker.tick) == 1
    got = controllers["ok"].received
    assert [b["PlayID"] for b in got] == [f"{slot.id}/XC-ok"]
    assert got[0]["media_url"].endswith(".m3u8") and got[0]["title"] == "第1期 冬季油菜田管"
    assert len(controllers["dead"].received) == 2, "a 503 is tried again, then given up"
    assert await plays(svc, who) == ({"played": 1, "failed": 2}, 1)
    with store.UnitOfWork(svc.db) as uow:
        reports = {r.controller_id: (r.result, r.detail) for r in uow.play_reports.of_slots({slot.id})}
    assert reports["XC-broken"] == ("failed", "功放故障")
    assert reports["XC-dead"][0] == "failed"

    clock.move(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 0 and len(controllers["ok"].received) == 1, "a slot is sent once"


async def test_an_emergency_alert_preempts_a_programme_and_cuts_one_on_air(svc, who, controllers, clock):
    await register(svc, who.editor, "XC-ok", controllers["ok"].url)
    await register(svc, who.editor, "XC-v2", controllers["ok"].url, village=XINCHENG_TOWN + "002")
    first, second, third = (NOW + dt.timedelta(hours=h) for h in (1, 3, 5))
    for n, at in enumerate((first, second, third), 1):
        await scheduled_slot(svc, who, at, n)
    worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)
    sent = controllers["ok"].received

    clock.at = first - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 1
    clock.at = first + dt.timedelta(minutes=5)  # on air
    alert(svc, "drill-1", ["330411"], drill=True)
    assert await plays(svc, who) == ({"played": 2}, 1), "a drill neither cuts nor preempts"
    alert(svc, "a-1", [XINCHENG_TOWN])
    alert(svc, "a-1", [XINCHENG_TOWN])  # the same alert again (an update) cuts it once
    assert await plays(svc, who) == ({"played": 2, "interrupted": 1}, 1)

    alert(svc, "a-2", ["330411105"])  # another town's alert
    clock.at = second - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 0, "under an alert in force the programme is not sent"
    assert len(sent) == 2
    assert await plays(svc, who) == ({"played": 2, "interrupted": 1, "preempted": 2}, 1)

    alert(svc, "a-1", [XINCHENG_TOWN], kind="cancel")
    alert(svc, "a-3", [VILLAGE])  # one village's alert silences only that village's controller
    clock.at = third - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 1
    assert [b["controller"] for b in sent[2:]] == ["XC-v2"]
    assert await plays(svc, who) == ({"played": 3, "interrupted": 1, "preempted": 3}, 2)


async def test_a_programme_an_alert_cut_resumes_in_the_towns_next_free_time_once_the_alert_is_over(
    svc, who, controllers, clock
):
    await register(svc, who.editor, "XC-ok", controllers["ok"].url)
    first = NOW + dt.timedelta(hours=1)
    cut = await scheduled_slot(svc, who, first, 1)  # 15 minutes
    after = await scheduled_slot(svc, who, first + dt.timedelta(minutes=16), 2)
    worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)
    sent = controllers["ok"].received

    clock.at = first - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 1
    clock.at = first + dt.timedelta(minutes=5)
    alert(svc, "a-1", [XINCHENG_TOWN])
    clock.at = first + dt.timedelta(minutes=8)
    assert await asyncio.to_thread(worker.tick) == 0, "nothing resumes while the alert is in force"
    alert(svc, "a-1", [XINCHENG_TOWN], kind="cancel")
    clock.at = first + dt.timedelta(minutes=10)
    # Its 10 minutes left do not fit before the next programme: they go after it.
    assert await asyncio.to_thread(worker.tick) == 0
    clock.at = after.starts_at.ToDatetime(dt.UTC) - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 1
    assert sent[-1]["PlayID"] == f"{after.id}/XC-ok" and sent[-1]["resume_from_seconds"] == 0
    clock.at = first + dt.timedelta(minutes=31) - dt.timedelta(seconds=10)
    assert await asyncio.to_thread(worker.tick) == 1
    rest = sent[-1]
    assert rest["title"] == "第1期 冬季油菜田管" and rest["resume_from_seconds"] == 300
    assert rest["starts_at"] == (first + dt.timedelta(minutes=31)).isoformat()
    assert rest["ends_at"] == (first + dt.timedelta(minutes=41)).isoformat()
    clock.move(minutes=20)
    assert await asyncio.to_thread(worker.tick) == 0 and len(sent) == 3, "resumed once"

    c = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    town = next(t for t in c.towns if t.town_code == XINCHENG_TOWN)
    assert (town.farm_programmes, town.aired, town.resumed) == (2, 2, 1), "the rest is no programme of its own"
    assert dict(town.plays) == {"played": 3, "interrupted": 1}
    with store.UnitOfWork(svc.db) as uow:
        report = uow.play_reports.of_slot_controller(cut.id, "")
    assert report is not None and report.detail == "emergency alert a-1; resumed 11:31 from 300 s"
