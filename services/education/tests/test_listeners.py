"""Listeners over real gRPC on SQLite and PostgreSQL, and the reminder through the real Kafka: a
household follows a series and gets 快开播了 on its TV a while before its programme in its town
(the playout worker records it once, education's relay publishes it, notifications' consumer
pushes it); listeners ask questions and rate episodes (好差评, once per member); the station sees
each episode's audience, ratings and questions. Bad input and callers who may not change nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import uuid

import grpc
import pytest

from education import events, playout, store
from education.tests.conftest import LOCAL_CONTROLLERS, XINCHENG_TOWN
from education.tests.test_playout import SETTINGS, Controller, register
from education.tests.test_programmes_grpc import episode_request, make_series, slot_request
from notifications import events as notification_events
from notifications.service import SERVICE as NOTIFICATIONS
from runtime.consumer import Consumer, RetryPolicy
from runtime.grpc_server import field_errors_of
from runtime.outbox import Relay
from runtime.testing import household, rpc_error
from runtime.times import utcnow
from sbc.common.v1 import common_pb2
from sbc.education.v1 import education_pb2 as pb
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

FOLLOWER = household("hh-follow-xc", area_code="330411103002")
LEFT = household("hh-follow-left", area_code="330411103003")  # followed, then stopped
ELSEWHERE = household("hh-follow-hh", area_code="330411105001")  # follows, in another town
NOT_FOLLOWING = household("hh-follow-none", area_code="330411103004")


async def follow(svc, who, series_id, following=True):
    return await svc.api.FollowSeries(
        pb.FollowSeriesRequest(series_id=series_id, following=following), metadata=svc.md(who)
    )


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


async def test_a_follower_is_reminded_on_its_tv_once_before_the_programme_through_kafka(
    svc, who, clock, grpc_service, kafka_bootstrap, new_topic, tmp_path, monkeypatch
):
    topic = new_topic(partitions=1)
    monkeypatch.setattr(events, "TOPIC", topic)
    clock.at = utcnow().replace(microsecond=0)  # notifications push only what has not begun (real time)
    series = await make_series(svc, who.editor, title="郝老师课堂·提醒")
    episode = await svc.api.AddEpisode(episode_request(series.id, 1), metadata=svc.md(who.editor))
    at = clock.at + dt.timedelta(hours=2)
    slot = await svc.api.ScheduleSlot(slot_request(episode.id, at=at), metadata=svc.md(who.editor))
    for h in (FOLLOWER, LEFT, ELSEWHERE):
        assert (await follow(svc, h, series.id)).following
    await follow(svc, FOLLOWER, series.id)  # again: nothing changes
    assert not (await follow(svc, LEFT, series.id, following=False)).following
    mine = await svc.api.ListFollowing(pb.ListFollowingRequest(), metadata=svc.md(FOLLOWER))
    assert [s.title for s in mine.series] == ["郝老师课堂·提醒"]

    worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)
    clock.at = at - dt.timedelta(minutes=11)
    await asyncio.to_thread(worker.tick)
    clock.at = at - dt.timedelta(minutes=9)  # the district's 10 minutes before
    await asyncio.to_thread(worker.tick)
    clock.move(seconds=30)
    await asyncio.to_thread(worker.tick)  # once

    notifications = await grpc_service(NOTIFICATIONS, f"sqlite:///{tmp_path / 'notifications.db'}")
    api = notifications.stub(notifications_pb2_grpc.NotificationServiceStub)
    relay = Relay(svc.db, kafka_bootstrap, idle_sleep=0.02)
    consumer = Consumer(
        notifications.db,
        kafka_bootstrap,
        f"notifications-{uuid.uuid4().hex[:8]}",
        [topic],
        notification_events.HANDLERS,
        retry=RetryPolicy(attempts=2, first_pause=0.05),
    )
    threads = [threading.Thread(target=w.run_forever, daemon=True) for w in (relay, consumer)]
    for t in threads:
        t.start()
    try:
        # Every event of the topic (the series, episode, slot...) is read; only the reminder tells anyone.
        await asyncio.to_thread(wait_for, lambda: consumer.applied >= 4, "education's events applied")
    finally:
        relay.stop()
        consumer.stop()
        for t in threads:
            t.join(15)

    async def told(h) -> list:
        r = await api.ListMyPushMessages(
            notifications_pb2.ListMyPushMessagesRequest(page=common_pb2.PageRequest(page_size=20)),
            metadata=notifications.md(h),
        )
        return list(r.messages)

    [message] = await told(FOLLOWER)
    assert (message.kind, message.title) == ("education.starting_soon", "快开播了")
    local = at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert message.body.startswith(f"9 分钟后（{local:%H:%M}）村村响播出《郝老师课堂·提醒》第1期"), message.body
    for h in (LEFT, ELSEWHERE, NOT_FOLLOWING):
        assert await told(h) == [], h.household_id
    with store.UnitOfWork(svc.db) as uow:
        assert uow.slots.get(slot.id).reminded


async def test_following_is_for_households_and_known_series(svc, who):
    series = await make_series(svc, who.editor)
    for caller, series_id, code in [
        (who.editor, series.id, grpc.StatusCode.PERMISSION_DENIED),
        (FOLLOWER, "no-such-series", grpc.StatusCode.NOT_FOUND),
        (FOLLOWER, "", grpc.StatusCode.INVALID_ARGUMENT),
        (FOLLOWER, "x" * 37, grpc.StatusCode.INVALID_ARGUMENT),
    ]:
        e = await rpc_error(follow(svc, caller, series_id))
        assert e.code() == code, (series_id, e.details())
    e = await rpc_error(svc.api.FollowSeries(pb.FollowSeriesRequest(series_id=series.id, following=True)))
    assert e.code() == grpc.StatusCode.UNAUTHENTICATED
    mine = await svc.api.ListFollowing(pb.ListFollowingRequest(), metadata=svc.md(FOLLOWER))
    assert list(mine.series) == []


async def ask(svc, who, episode_id, text, member="爷爷"):
    return await svc.api.AskQuestion(
        pb.AskQuestionRequest(episode_id=episode_id, member=member, text=text), metadata=svc.md(who)
    )


async def rate(svc, who, episode_id, level, member="爷爷", comment=""):
    return await svc.api.RateEpisode(
        pb.RateEpisodeRequest(episode_id=episode_id, member=member, level=level, comment=comment),
        metadata=svc.md(who),
    )


async def listeners(svc, caller, series_id):
    return await svc.api.GetSeriesListeners(pb.GetSeriesListenersRequest(series_id=series_id), metadata=svc.md(caller))


async def test_listeners_ask_and_rate_and_the_station_sees_each_episodes_audience(svc, who, clock):
    series = await make_series(svc, who.editor)
    one = await svc.api.AddEpisode(episode_request(series.id, 1), metadata=svc.md(who.editor))
    two = await svc.api.AddEpisode(episode_request(series.id, 2), metadata=svc.md(who.editor))
    loudspeaker = Controller("played")
    try:
        await register(svc, who.editor, "XC-ls-1", loudspeaker.url)
        at = clock.at + dt.timedelta(hours=2)
        await svc.api.ScheduleSlot(slot_request(one.id, at=at), metadata=svc.md(who.editor))
        worker = playout.Playout(svc.db, store.load_districts(), SETTINGS, LOCAL_CONTROLLERS, now=clock)
        clock.at = at - dt.timedelta(seconds=30)
        assert await asyncio.to_thread(worker.tick) == 1
    finally:
        loudspeaker.close()
    for h, member, position in [(FOLLOWER, "爷爷", 900), (FOLLOWER, "奶奶", 60), (LEFT, "本人", 120)]:
        r = pb.ReportProgressRequest(episode_id=one.id, member=member, position_seconds=0)
        await svc.api.ReportProgress(r, metadata=svc.md(h))
        clock.move(minutes=10)
        r.position_seconds = position
        await svc.api.ReportProgress(r, metadata=svc.md(h))

    q = await ask(svc, FOLLOWER, one.id, "油菜什么时候追肥最好？")
    assert (q.member, q.text) == ("爷爷", "油菜什么时候追肥最好？")
    clock.move(seconds=5)
    await ask(svc, LEFT, one.id, "下期能讲讲稻田养虾吗？\n谢谢", member="本人")
    assert (await rate(svc, FOLLOWER, one.id, "very_satisfied", comment="讲得清楚")).level == "very_satisfied"
    await rate(svc, FOLLOWER, one.id, "dissatisfied", member="奶奶")
    await rate(svc, LEFT, one.id, "satisfied", member="本人")

    # Bad input, a second rating, too many questions and callers who may not: refused, nothing kept.
    for call, code, field in [
        (ask(svc, FOLLOWER, one.id, ""), grpc.StatusCode.INVALID_ARGUMENT, "text"),
        (ask(svc, FOLLOWER, one.id, "   "), grpc.StatusCode.INVALID_ARGUMENT, "text"),
        (ask(svc, FOLLOWER, one.id, "问" * 301), grpc.StatusCode.INVALID_ARGUMENT, "text"),
        (ask(svc, FOLLOWER, one.id, "hi\x00"), grpc.StatusCode.INVALID_ARGUMENT, "text"),
        (ask(svc, FOLLOWER, one.id, "问题", member=""), grpc.StatusCode.INVALID_ARGUMENT, "member"),
        (ask(svc, FOLLOWER, "no-such-episode", "问题"), grpc.StatusCode.NOT_FOUND, ""),
        (ask(svc, who.editor, one.id, "问题"), grpc.StatusCode.PERMISSION_DENIED, ""),
        (rate(svc, FOLLOWER, one.id, "satisfied"), grpc.StatusCode.FAILED_PRECONDITION, ""),
        (rate(svc, FOLLOWER, one.id, "great"), grpc.StatusCode.INVALID_ARGUMENT, "level"),
        (rate(svc, FOLLOWER, two.id, ""), grpc.StatusCode.INVALID_ARGUMENT, "level"),
        (rate(svc, FOLLOWER, two.id, "satisfied", comment="长" * 201), grpc.StatusCode.INVALID_ARGUMENT, "comment"),
        (rate(svc, FOLLOWER, "", "satisfied"), grpc.StatusCode.INVALID_ARGUMENT, "episode_id"),
        (rate(svc, who.editor, two.id, "satisfied"), grpc.StatusCode.PERMISSION_DENIED, ""),
        (listeners(svc, who.honghe_editor, series.id), grpc.StatusCode.PERMISSION_DENIED, ""),
        (listeners(svc, FOLLOWER, series.id), grpc.StatusCode.PERMISSION_DENIED, ""),
        (listeners(svc, who.editor, "no-such-series"), grpc.StatusCode.NOT_FOUND, ""),
    ]:
        e = await rpc_error(call)
        assert e.code() == code, e.details()
        if field:
            assert field in field_errors_of(e), e.details()
    for n in range(4):  # five questions per household and episode (the district's data)
        await ask(svc, NOT_FOLLOWING, two.id, f"第{n}个问题", member="本人")
    await ask(svc, NOT_FOLLOWING, two.id, "第5个问题", member="本人")
    e = await rpc_error(ask(svc, NOT_FOLLOWING, two.id, "第6个问题", member="本人"))
    assert e.code() == grpc.StatusCode.FAILED_PRECONDITION

    got = await listeners(svc, who.editor, series.id)
    first, second = got.episodes
    assert (first.number, first.tv_households, first.tv_members, first.completed, first.villages) == (1, 2, 3, 1, 1)
    assert dict(first.ratings) == {"very_satisfied": 1, "dissatisfied": 1, "satisfied": 1}
    assert first.satisfied_percent == 66
    assert [q.text for q in first.questions] == ["下期能讲讲稻田养虾吗？\n谢谢", "油菜什么时候追肥最好？"]
    assert (second.tv_households, second.villages, dict(second.ratings), len(second.questions)) == (0, 0, {}, 5)
    district_wide = await listeners(svc, who.district_editor, series.id)
    assert len(district_wide.episodes) == 2

    c = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    town = next(t for t in c.towns if t.town_code == XINCHENG_TOWN)
    assert (town.tv_households, town.villages_reached) == (2, 1)
