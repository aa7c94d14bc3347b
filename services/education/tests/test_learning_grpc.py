"""Lessons on demand over real gRPC on SQLite and PostgreSQL: a household member's progress moves
forward only as fast as one can watch, the resume position goes anywhere, a lesson completes at
the district's percent (once, announced); my courses with where to resume; programmes today for
the household's town; bad input, callers who may not, and out-of-order reports."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from education import store
from education.tests.conftest import HLS, HONGHE, XINCHENG_TOWN
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import household, rpc_error
from runtime.times import to_timestamp
from sbc.education.v1 import education_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def course(svc, who, lessons=2, duration=600):
    series = await svc.api.CreateSeries(
        pb.CreateSeriesRequest(town_code=XINCHENG_TOWN, title="郝老师课堂", local=True), metadata=svc.md(who.editor)
    )
    eps = []
    for n in range(1, lessons + 1):
        r = pb.AddEpisodeRequest(
            series_id=series.id,
            number=n,
            title=f"第{n}课",
            kind="video",
            topic="agriculture",
            duration_seconds=duration,
            presenters=["郝老师"],
            media_url=HLS.format(n),
        )
        eps.append(await svc.api.AddEpisode(r, metadata=svc.md(who.editor)))
    return series, eps


def report(svc, caller, episode_id, position, member="爷爷"):
    r = pb.ReportProgressRequest(episode_id=episode_id, member=member, position_seconds=position)
    return svc.api.ReportProgress(r, metadata=svc.md(caller))


def completions(db) -> int:
    t = outbox_table()
    with db.transaction() as s:
        return s.scalar(
            select(func.count()).select_from(t).where(t.c.event_type == "sbc.education.lesson.completed.v1")
        )


async def test_a_member_watches_rewinds_resumes_and_completes(svc, who):
    series, eps = await course(svc, who)
    p = await report(svc, who.home, eps[0].id, 0)
    assert (p.percent, p.position_seconds, p.completed) == (0, 0, False)
    svc.clock.move(seconds=120)
    p = await report(svc, who.home, eps[0].id, 120)
    assert (p.watched_seconds, p.percent) == (120, 20)
    # A seek to the end watches nothing beyond what the time allows (2x, plus 30 s of slack).
    svc.clock.move(seconds=10)
    p = await report(svc, who.home, eps[0].id, 590)
    assert p.watched_seconds == 120 + 20 + 30 and p.position_seconds == 590 and not p.completed
    # Rewinding moves the resume position back, never what was watched.
    svc.clock.move(seconds=10)
    p = await report(svc, who.home, eps[0].id, 60)
    assert p.watched_seconds == 170 and p.position_seconds == 60
    # Another member of the household has progress of their own.
    svc.clock.move(seconds=1)
    other = await report(svc, who.home, eps[0].id, 0, member="小明")
    assert other.watched_seconds == 0

    mine = await svc.api.ListMyCourses(pb.ListMyCoursesRequest(member="爷爷"), metadata=svc.md(who.home))
    [c] = mine.courses
    assert (c.series_id, c.member, c.lessons, c.completed_lessons, c.resume_episode_id) == (
        series.id,
        "爷爷",
        2,
        0,
        eps[0].id,
    )
    assert (
        c.resume_position_seconds == 60 and c.resume_media_url == HLS.format(1) and c.percent == 14
    )  # 28 % of one lesson of two
    both = await svc.api.ListMyCourses(pb.ListMyCoursesRequest(), metadata=svc.md(who.home))
    assert [c.member for c in both.courses] == ["小明", "爷爷"]

    # Watching on to 90 % completes the lesson, once.
    for _ in range(8):
        svc.clock.move(seconds=60)
        p = await report(svc, who.home, eps[0].id, min(600, p.watched_seconds + 60))
    assert p.completed and p.percent >= 90 and p.completed_at.seconds
    svc.clock.move(seconds=60)
    p = await report(svc, who.home, eps[0].id, 600)
    assert completions(svc.db) == 1
    c = (await svc.api.ListMyCourses(pb.ListMyCoursesRequest(member="爷爷"), metadata=svc.md(who.home))).courses[0]
    assert (c.completed_lessons, c.completed) == (1, False)
    # Another household sees none of it.
    assert not (await svc.api.ListMyCourses(pb.ListMyCoursesRequest(), metadata=svc.md(household("hh-x")))).courses


async def test_programmes_today_are_the_households_towns(svc, who):
    _, eps = await course(svc, who, lessons=2)
    today_evening = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)  # 19:00 local
    for ep, at, channel in [
        (eps[0], today_evening, "loudspeaker"),
        (eps[1], today_evening + dt.timedelta(hours=1), "tv"),
        (eps[1], today_evening + dt.timedelta(days=1), "loudspeaker"),  # tomorrow
    ]:
        r = pb.ScheduleSlotRequest(
            town_code=XINCHENG_TOWN, channel=channel, episode_id=ep.id, starts_at=to_timestamp(at)
        )
        await svc.api.ScheduleSlot(r, metadata=svc.md(who.editor))
    r = pb.ScheduleSlotRequest(
        town_code=HONGHE, channel="loudspeaker", episode_id=eps[0].id, starts_at=to_timestamp(today_evening)
    )
    await svc.api.ScheduleSlot(r, metadata=svc.md(who.district_editor))
    today = await svc.api.GetProgrammesToday(pb.GetProgrammesTodayRequest(), metadata=svc.md(who.home))
    assert (today.date, today.town_code, today.brand) == ("2026-12-01", XINCHENG_TOWN, "郝老师课堂")
    assert [(s.channel_name, s.episode_title) for s in today.slots] == [("村村响", "第1课"), ("电视", "第2课")]
    outside = household("hh-out", area_code="330402001001")
    assert not (await svc.api.GetProgrammesToday(pb.GetProgrammesTodayRequest(), metadata=svc.md(outside))).slots
    err = await rpc_error(svc.api.GetProgrammesToday(pb.GetProgrammesTodayRequest(), metadata=svc.md(who.editor)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_bad_reports_are_refused_and_change_nothing(svc, who):
    _, eps = await course(svc, who, lessons=1)
    for episode_id, member, position, field, code in [
        (eps[0].id, "", 10, "member", grpc.StatusCode.INVALID_ARGUMENT),
        (eps[0].id, "x" * 21, 10, "member", grpc.StatusCode.INVALID_ARGUMENT),
        (eps[0].id, "a\x00", 10, "member", grpc.StatusCode.INVALID_ARGUMENT),
        (eps[0].id, "爷爷", -1, "position_seconds", grpc.StatusCode.INVALID_ARGUMENT),
        (eps[0].id, "爷爷", 601, "position_seconds", grpc.StatusCode.INVALID_ARGUMENT),
        ("", "爷爷", 10, "episode_id", grpc.StatusCode.INVALID_ARGUMENT),
        ("no-such-episode", "爷爷", 10, "episode_id", grpc.StatusCode.NOT_FOUND),
    ]:
        err = await rpc_error(report(svc, who.home, episode_id, position, member))
        assert err.code() == code and field in field_errors_of(err), (member, position, err.details())
    with svc.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(store.progress)) == 0
    for caller in (who.editor, who.technician):
        assert (await rpc_error(report(svc, caller, eps[0].id, 10))).code() == grpc.StatusCode.PERMISSION_DENIED
        err = await rpc_error(svc.api.ListMyCourses(pb.ListMyCoursesRequest(), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
