"""A real HLS stream end to end, on SQLite and PostgreSQL: a 6-second test stream (made with the
`av` wheel's FFmpeg libraries: education.tests.hls) served over HTTP is an episode's media; the
playout worker sends its slot to a village controller that, like a real one, reads the playlist
and its segments and decodes them before it reports played, with how much it played."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from education import playout, store
from education.tests import hls
from education.tests.conftest import LOCAL_CONTROLLERS, NOW, XINCHENG_TOWN
from education.tests.test_playout import SETTINGS, register
from education.tests.test_programmes_grpc import episode_request, make_series, slot_request
from sbc.education.v1 import education_pb2 as pb

pytestmark = pytest.mark.infra


class Player:
    """A loudspeaker controller that plays what it is sent: it decodes the stream, then reports."""

    def __init__(self):
        self.played: dict[str, float] = {}
        me = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                try:
                    seconds = hls.decoded_seconds(body["media_url"])
                    me.played[body["PlayID"]] = seconds
                    result = {"result": "played", "seconds": round(seconds, 1)}
                except Exception as e:  # a stream it cannot play is its report, not a crash
                    result = {"result": "failed", "reason": f"cannot play the stream: {type(e).__name__}"}
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
        self.server.server_close()


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hls")
    hls.make_stream(folder / "ok", seconds=6)
    (folder / "broken").mkdir()
    (folder / "broken" / "index.m3u8").write_text("#EXTM3U\n#EXTINF:2.0,\nmissing.ts\n#EXT-X-ENDLIST\n")
    with hls.served(folder) as base:
        yield base


def test_the_test_stream_is_hls_in_segments_that_decode(stream, tmp_path):
    playlist = hls.make_stream(tmp_path / "video", seconds=4, video=True).read_text()
    assert playlist.startswith("#EXTM3U") and playlist.count("#EXTINF") == 2 and "#EXT-X-ENDLIST" in playlist
    assert 5.9 <= hls.decoded_seconds(f"{stream}/ok/index.m3u8") <= 6.2


@pytest.mark.asyncio(loop_scope="session")
async def test_a_controller_plays_the_real_stream_and_reports_it(svc, who, clock, stream):
    player = Player()
    try:
        await register(svc, who.editor, "XC-player", player.url)
        series = await make_series(svc, who.editor, title="郝老师课堂·真流")
        good, broken = [
            await svc.api.AddEpisode(
                episode_request(series.id, n, media_url=f"{stream}/{name}/index.m3u8"), metadata=svc.md(who.editor)
            )
            for n, name in ((1, "ok"), (2, "broken"))
        ]
        at = NOW + dt.timedelta(hours=2)
        slots = [
            await svc.api.ScheduleSlot(slot_request(e.id, at=at + dt.timedelta(hours=i)), metadata=svc.md(who.editor))
            for i, e in enumerate((good, broken))
        ]
        worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)
        for s in slots:
            clock.at = s.starts_at.ToDatetime(dt.UTC) - dt.timedelta(seconds=30)
            assert await asyncio.to_thread(worker.tick) == 1
    finally:
        player.close()
    assert 5.9 <= player.played[f"{slots[0].id}/XC-player"] <= 6.2
    with store.UnitOfWork(svc.db) as uow:
        reports = {r.slot_id: (r.result, r.detail) for r in uow.play_reports.of_slots({s.id for s in slots})}
    assert reports[slots[0].id] == ("played", "")
    assert reports[slots[1].id][0] == "failed" and "cannot play the stream" in reports[slots[1].id][1]
    c = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    town = next(t for t in c.towns if t.town_code == XINCHENG_TOWN)
    assert (town.aired, dict(town.plays)) == (1, {"played": 1, "failed": 1})
