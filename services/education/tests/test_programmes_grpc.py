"""Programmes over real gRPC (the runtime's server, token checks and error mapping) on SQLite and
PostgreSQL: the station's editors make a series and its episodes and schedule them on a town's
networks; the weekly compliance check shows each town's gap; bad input, callers who may not and
calls out of order are refused and change nothing."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from education import store
from education.tests.conftest import HLS, HONGHE, NOW, XINCHENG_TOWN
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error
from runtime.times import to_timestamp
from sbc.education.v1 import education_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

# Wednesday 2026-12-02, 19:00 in Xiuzhou.
EVENING = dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)


def outbox_types(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type for r in s.execute(select(t).order_by(t.c.seq))]


def count(db, table) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table))


async def make_series(svc, caller, town=XINCHENG_TOWN, title="郝老师课堂", local=True):
    r = pb.CreateSeriesRequest(town_code=town, title=title, description="农技与政策", local=local)
    return await svc.api.CreateSeries(r, metadata=svc.md(caller))


def episode_request(series_id, number=1, **kw) -> pb.AddEpisodeRequest:
    fields = dict(
        series_id=series_id,
        number=number,
        title=f"第{number}期 冬季油菜田管",
        kind="audio",
        topic="agriculture",
        duration_seconds=900,
        presenters=["郝老师"],
        media_url=HLS.format(number),
    )
    return pb.AddEpisodeRequest(**{**fields, **kw})


def slot_request(episode_id, at=EVENING, town=XINCHENG_TOWN, channel="loudspeaker") -> pb.ScheduleSlotRequest:
    return pb.ScheduleSlotRequest(town_code=town, channel=channel, episode_id=episode_id, starts_at=to_timestamp(at))


async def test_the_station_schedules_a_week_and_the_check_shows_the_gap(svc, who):
    towns = await svc.api.ListTowns(pb.ListTownsRequest(), metadata=svc.md(who.home))
    assert len(towns.towns) == 9 and towns.farm_programmes_per_week == 3
    assert {t.code: t.brand.name for t in towns.towns}[XINCHENG_TOWN] == "郝老师课堂"

    series = await make_series(svc, who.editor)
    assert series.town_code == XINCHENG_TOWN and series.local and series.created_by == "editor.xc"
    eps = [await svc.api.AddEpisode(episode_request(series.id, n), metadata=svc.md(who.editor)) for n in (1, 2, 3)]
    listed = await svc.api.ListEpisodes(pb.ListEpisodesRequest(series_id=series.id), metadata=svc.md(who.home))
    assert [e.number for e in listed.episodes] == [1, 2, 3] and listed.episodes[0].presenters == ["郝老师"]

    # Two farm programmes on the loudspeakers, one on TV is video only: refused; one health talk.
    s1 = await svc.api.ScheduleSlot(slot_request(eps[0].id), metadata=svc.md(who.editor))
    assert s1.farm and s1.local and s1.state == "scheduled" and s1.series_title == "郝老师课堂"
    assert s1.ends_at.seconds - s1.starts_at.seconds == 900
    await svc.api.ScheduleSlot(slot_request(eps[1].id, EVENING + dt.timedelta(days=2)), metadata=svc.md(who.editor))
    # the district's editor schedules for any town of the district
    health = await svc.api.AddEpisode(
        episode_request(series.id, 4, topic="health", kind="video"), metadata=svc.md(who.editor)
    )
    await svc.api.ScheduleSlot(slot_request(health.id, channel="tv"), metadata=svc.md(who.district_editor))

    week = await svc.api.ListSchedule(
        pb.ListScheduleRequest(town_code=XINCHENG_TOWN, week_of="2026-12-03"), metadata=svc.md(who.home)
    )
    assert week.week_start == "2026-11-30" and [s.channel for s in week.slots] == ["loudspeaker", "tv", "loudspeaker"]
    next_week = await svc.api.ListSchedule(
        pb.ListScheduleRequest(town_code=XINCHENG_TOWN, week_of="2026-12-07"), metadata=svc.md(who.home)
    )
    assert not next_week.slots

    c = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.district_editor))
    assert c.week_start == "2026-11-30" and c.required == 3 and len(c.towns) == 9 and c.towns_short == 9
    xc = next(t for t in c.towns if t.town_code == XINCHENG_TOWN)
    assert (xc.farm_programmes, xc.gap, xc.brand) == (2, 1, "郝老师课堂")
    assert list(xc.by_day) == [0, 0, 1, 0, 1, 0, 0] and dict(xc.by_topic) == {"agriculture": 2, "health": 1}
    # A town's editor sees their own town only.
    own = await svc.api.GetCompliance(pb.GetComplianceRequest(week_of="2026-12-01"), metadata=svc.md(who.editor))
    assert [t.town_code for t in own.towns] == [XINCHENG_TOWN]

    # The third closes the gap.
    await svc.api.ScheduleSlot(slot_request(eps[2].id, EVENING + dt.timedelta(days=3)), metadata=svc.md(who.editor))
    own = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    assert (own.towns[0].farm_programmes, own.towns[0].gap, own.towns_short) == (3, 0, 0)
    types = outbox_types(svc.db)
    assert types.count("sbc.education.slot.scheduled.v1") == 4 and types[0] == "sbc.education.series.created.v1"


async def test_overlapping_slots_on_one_loudspeaker_network_are_refused(svc, who):
    series = await make_series(svc, who.editor)
    a = await svc.api.AddEpisode(episode_request(series.id, 1), metadata=svc.md(who.editor))
    b = await svc.api.AddEpisode(episode_request(series.id, 2), metadata=svc.md(who.editor))
    await svc.api.ScheduleSlot(slot_request(a.id), metadata=svc.md(who.editor))
    before = outbox_types(svc.db)
    err = await rpc_error(
        svc.api.ScheduleSlot(slot_request(b.id, EVENING + dt.timedelta(minutes=10)), metadata=svc.md(who.editor))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "starts_at" in field_errors_of(err)
    assert "不能重叠" in err.details()
    assert count(svc.db, store.slots) == 1 and outbox_types(svc.db) == before
    # Right after it, on another town's network, or on demand: fine.
    await svc.api.ScheduleSlot(slot_request(b.id, EVENING + dt.timedelta(minutes=15)), metadata=svc.md(who.editor))
    await svc.api.ScheduleSlot(slot_request(b.id, channel="vod"), metadata=svc.md(who.editor))
    await svc.api.ScheduleSlot(slot_request(b.id, channel="vod"), metadata=svc.md(who.editor))
    await svc.api.ScheduleSlot(slot_request(a.id, town=HONGHE), metadata=svc.md(who.district_editor))
    # A cancelled slot frees its time.
    first = (
        await svc.api.ListSchedule(pb.ListScheduleRequest(town_code=XINCHENG_TOWN), metadata=svc.md(who.editor))
    ).slots[0]
    await svc.api.CancelSlot(pb.CancelSlotRequest(id=first.id), metadata=svc.md(who.editor))
    await svc.api.ScheduleSlot(slot_request(b.id, EVENING - dt.timedelta(minutes=10)), metadata=svc.md(who.editor))


BAD_EPISODES = [
    ({"media_url": ""}, "media_url"),  # an episode without media
    ({"media_url": "https://media.example.cn/ep1.mp4"}, "media_url"),  # not a stream
    ({"media_url": "file:///srv/ep1.m3u8"}, "media_url"),
    ({"media_url": "https://m.example.cn/" + "x" * 600 + ".m3u8"}, "media_url"),  # oversized
    ({"title": ""}, "title"),
    ({"title": "x" * 101}, "title"),
    ({"title": "a\x00b"}, "title"),
    ({"kind": "film"}, "kind"),
    ({"topic": "sports"}, "topic"),
    ({"duration_seconds": 0}, "duration_seconds"),
    ({"duration_seconds": 99999}, "duration_seconds"),
    ({"presenters": []}, "presenters"),
    ({"presenters": ["x" * 51]}, "presenters"),
    ({"number": 0}, "number"),
]


async def test_a_bad_episode_is_refused_naming_the_field(svc, who):
    series = await make_series(svc, who.editor)
    before = outbox_types(svc.db)
    for change, field in BAD_EPISODES:
        err = await rpc_error(svc.api.AddEpisode(episode_request(series.id, **change), metadata=svc.md(who.editor)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (change, err.details())
    assert count(svc.db, store.episodes) == 0 and outbox_types(svc.db) == before


async def test_bad_schedules_are_refused_and_change_nothing(svc, who):
    series = await make_series(svc, who.editor)
    ep = await svc.api.AddEpisode(episode_request(series.id), metadata=svc.md(who.editor))
    before = outbox_types(svc.db)
    cases = [
        (slot_request(ep.id, town="330402001"), "town_code", grpc.StatusCode.INVALID_ARGUMENT),  # another district
        (slot_request(ep.id, town=""), "town_code", grpc.StatusCode.INVALID_ARGUMENT),
        (slot_request(ep.id, channel="radio"), "channel", grpc.StatusCode.INVALID_ARGUMENT),
        (slot_request(ep.id, channel="tv"), "channel", grpc.StatusCode.INVALID_ARGUMENT),  # audio on TV
        (slot_request(ep.id, NOW - dt.timedelta(hours=1)), "starts_at", grpc.StatusCode.INVALID_ARGUMENT),
        (slot_request(ep.id, NOW + dt.timedelta(days=61)), "starts_at", grpc.StatusCode.INVALID_ARGUMENT),
        (pb.ScheduleSlotRequest(town_code=XINCHENG_TOWN, channel="loudspeaker", episode_id=ep.id), "starts_at", None),
        (slot_request("x" * 37), "episode_id", grpc.StatusCode.INVALID_ARGUMENT),
        (slot_request("no-such-episode"), "episode_id", grpc.StatusCode.NOT_FOUND),
    ]
    for request, field, code in cases:
        err = await rpc_error(svc.api.ScheduleSlot(request, metadata=svc.md(who.district_editor)))
        assert err.code() == (code or grpc.StatusCode.INVALID_ARGUMENT), (request, err.details())
        assert field in field_errors_of(err), (request, err.details())
    assert count(svc.db, store.slots) == 0 and outbox_types(svc.db) == before
    err = await rpc_error(
        svc.api.ListSchedule(pb.ListScheduleRequest(town_code="330402001"), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND and "town_code" in field_errors_of(err)
    for request, field in [
        (pb.ListScheduleRequest(town_code=XINCHENG_TOWN, week_of="2026-13-01"), "week_of"),
        (pb.ListScheduleRequest(town_code=XINCHENG_TOWN, week_of="tomorrow"), "week_of"),
    ]:
        err = await rpc_error(svc.api.ListSchedule(request, metadata=svc.md(who.home)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    err = await rpc_error(
        svc.api.CreateSeries(
            pb.CreateSeriesRequest(town_code="330402001", title="x"), metadata=svc.md(who.district_editor)
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "town_code" in field_errors_of(err)


async def test_who_may_call_what(svc, who):
    assert (await rpc_error(svc.api.ListTowns(pb.ListTownsRequest()))).code() == grpc.StatusCode.UNAUTHENTICATED
    series = await make_series(svc, who.editor)
    ep = await svc.api.AddEpisode(episode_request(series.id), metadata=svc.md(who.editor))
    for caller in (who.home, who.technician, who.honghe_editor):
        for call in (
            svc.api.CreateSeries(
                pb.CreateSeriesRequest(town_code=XINCHENG_TOWN, title="另一个"), metadata=svc.md(caller)
            ),
            svc.api.AddEpisode(episode_request(series.id, 2), metadata=svc.md(caller)),
            svc.api.ScheduleSlot(slot_request(ep.id), metadata=svc.md(caller)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    for caller in (who.home, who.technician):
        err = await rpc_error(svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    slot = await svc.api.ScheduleSlot(slot_request(ep.id), metadata=svc.md(who.editor))
    err = await rpc_error(svc.api.CancelSlot(pb.CancelSlotRequest(id=slot.id), metadata=svc.md(who.honghe_editor)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert count(svc.db, store.series) == 1 and count(svc.db, store.episodes) == 1


async def test_out_of_order_and_repeated_calls_are_refused(svc, who):
    series = await make_series(svc, who.editor)
    err = await rpc_error(make_series(svc, who.editor))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "title" in field_errors_of(err)
    ep = await svc.api.AddEpisode(episode_request(series.id), metadata=svc.md(who.editor))
    err = await rpc_error(svc.api.AddEpisode(episode_request(series.id), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "number" in field_errors_of(err)
    err = await rpc_error(svc.api.AddEpisode(episode_request("no-such-series"), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    slot = await svc.api.ScheduleSlot(slot_request(ep.id), metadata=svc.md(who.editor))
    cancelled = await svc.api.CancelSlot(pb.CancelSlotRequest(id=slot.id), metadata=svc.md(who.editor))
    assert cancelled.state == "cancelled"
    err = await rpc_error(svc.api.CancelSlot(pb.CancelSlotRequest(id=slot.id), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    # A slot that has begun stays.
    again = await svc.api.ScheduleSlot(slot_request(ep.id), metadata=svc.md(who.editor))
    svc.clock.at = EVENING + dt.timedelta(minutes=1)
    err = await rpc_error(svc.api.CancelSlot(pb.CancelSlotRequest(id=again.id), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    err = await rpc_error(svc.api.CancelSlot(pb.CancelSlotRequest(id="no-such-slot"), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert outbox_types(svc.db).count("sbc.education.slot.cancelled.v1") == 1
