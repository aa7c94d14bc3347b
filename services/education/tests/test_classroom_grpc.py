"""The air classroom over real gRPC on SQLite and PostgreSQL: an editor plans a field class after
an episode; households take its places through the shared booking rules, never more than its
capacity even when many sign up at once for the last places; members check in with the venue's
rotating code (present, then late), the village agent records someone who missed it; sessions
before a member enrolled never count as absences; the certificate of completion."""

from __future__ import annotations

import asyncio
import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from education import store
from education.tests.conftest import HLS, NOW, XINCHENG_TOWN
from runtime.grpc_server import field_errors_of
from runtime.testing import household, rpc_error, staff
from runtime.times import to_timestamp
from sbc.education.v1 import education_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

VILLAGE = "330411103001"
CLASS_AT = NOW + dt.timedelta(days=2)  # Thursday 10:00 local


async def episode(svc, who):
    series = await svc.api.CreateSeries(
        pb.CreateSeriesRequest(town_code=XINCHENG_TOWN, title="郝老师课堂", local=True), metadata=svc.md(who.editor)
    )
    r = pb.AddEpisodeRequest(
        series_id=series.id,
        number=1,
        title="田头课：油菜越冬",
        kind="video",
        topic="agriculture",
        duration_seconds=900,
        presenters=["郝老师"],
        media_url=HLS.format(1),
    )
    return await svc.api.AddEpisode(r, metadata=svc.md(who.editor))


async def plan(svc, who, ep, at=CLASS_AT, capacity=30):
    r = pb.PlanSessionRequest(
        episode_id=ep.id,
        village_code=VILLAGE,
        place="村文化礼堂",
        starts_at=to_timestamp(at),
        ends_at=to_timestamp(at + dt.timedelta(hours=1)),
        capacity=capacity,
    )
    return await svc.api.PlanSession(r, metadata=svc.md(who.editor))


def sign_up(svc, caller, session_id, member="爷爷"):
    return svc.api.SignUp(pb.SignUpRequest(session_id=session_id, member=member), metadata=svc.md(caller))


def sign_up_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.sign_ups))


async def test_the_last_places_are_never_oversold(svc, who):
    ep = await episode(svc, who)
    session = await plan(svc, who, ep, capacity=5)
    for i in range(3):
        await sign_up(svc, household(f"hh-first-{i}", area_code=VILLAGE), session.id)
    homes = [household(f"hh-storm-{i}", area_code=VILLAGE) for i in range(24)]
    results = await asyncio.gather(*(sign_up(svc, h, session.id) for h in homes), return_exceptions=True)
    won = [r for r in results if isinstance(r, pb.SignUpResult)]
    lost = [r for r in results if not isinstance(r, pb.SignUpResult)]
    assert len(won) == 2 and sign_up_count(svc.db) == 5
    assert all(e.code() == grpc.StatusCode.FAILED_PRECONDITION for e in lost), {e.details() for e in lost}
    listed = await svc.api.ListSessions(pb.ListSessionsRequest(), metadata=svc.md(who.home))
    assert [(s.id, s.places_left, s.episode_title) for s in listed.sessions] == [(session.id, 0, "田头课：油菜越冬")]


async def test_sign_up_check_in_attendance_and_certificate(svc, who):
    ep = await episode(svc, who)
    first = await plan(svc, who, ep, at=CLASS_AT)
    second = await plan(svc, who, ep, at=CLASS_AT + dt.timedelta(days=1))
    await sign_up(svc, household("hh-early", area_code=VILLAGE), first.id)
    # The household enrols after the first session, for the second: the first never counts against it.
    svc.clock.at = CLASS_AT + dt.timedelta(hours=2)
    home = household("hh-a", area_code=VILLAGE)
    made = await sign_up(svc, home, second.id)
    assert made.state == "confirmed" and made.session.places_left == 29
    err = await rpc_error(sign_up(svc, home, second.id))  # the same sign-up twice
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and sign_up_count(svc.db) == 2
    await sign_up(svc, home, second.id, member="奶奶")
    await sign_up(svc, home, second.id, member="爸爸")
    series_id = ep.series_id

    agent = staff("village_agent", username="agent.xc", area_code=VILLAGE)
    svc.clock.at = CLASS_AT + dt.timedelta(days=1, minutes=-5)
    shown = await svc.api.GetCheckInCode(pb.GetCheckInCodeRequest(session_id=second.id), metadata=svc.md(agent))
    code = shown.code
    assert len(code) == 6 and code.isdigit()  # the TV's number keys type it
    assert shown.changes_at.ToDatetime(dt.UTC) > svc.clock.at
    entry = await svc.api.CheckIn(
        pb.CheckInRequest(session_id=second.id, member="爷爷", code=code), metadata=svc.md(home)
    )
    assert entry.status == "present"
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="爷爷", code=code), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "member" in field_errors_of(err)
    # For someone else: another household's member, or naming another household.
    other = household("hh-b", area_code=VILLAGE)
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="奶奶", code=code), metadata=svc.md(other))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "member" in field_errors_of(err)
    err = await rpc_error(
        svc.api.CheckIn(
            pb.CheckInRequest(session_id=second.id, member="奶奶", code=code, household_id="hh-a"),
            metadata=svc.md(other),
        )
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # A wrong code, and a code two periods old.
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="奶奶", code="00000000"), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "code" in field_errors_of(err)
    svc.clock.move(minutes=20)
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="奶奶", code=code), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    late_code = (
        await svc.api.GetCheckInCode(pb.GetCheckInCodeRequest(session_id=second.id), metadata=svc.md(who.editor))
    ).code
    assert late_code != code
    # The code another session's venue shows now does not check in here.
    first_code = (
        await svc.api.GetCheckInCode(pb.GetCheckInCodeRequest(session_id=first.id), metadata=svc.md(who.editor))
    ).code
    assert first_code != late_code
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="爸爸", code=first_code), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "code" in field_errors_of(err)
    # Fifteen minutes after the start, with this period's code: late.
    entry = await svc.api.CheckIn(
        pb.CheckInRequest(session_id=second.id, member="爸爸", code=late_code), metadata=svc.md(home)
    )
    assert entry.status == "late"
    # After the session, the code no longer checks in: the agent records 奶奶, who missed it.
    svc.clock.at = CLASS_AT + dt.timedelta(days=1, hours=2)
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(session_id=second.id, member="奶奶", code=late_code), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    record = pb.RecordAttendanceRequest(
        session_id=second.id, household_id="hh-a", consent="电话确认 2026-12-04", member="奶奶", status="late"
    )
    other_agent = staff("village_agent", username="agent.far", area_code="330411103002")
    assert (await rpc_error(svc.api.RecordAttendance(record, metadata=svc.md(other_agent)))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    entry = await svc.api.RecordAttendance(record, metadata=svc.md(agent))
    assert entry.status == "late" and "village_agent" in entry.recorded_by and "hh-a" in entry.recorded_by
    # The venue's roster: the agent's and the editors', in the order of signing up; no one else's.
    roster = await svc.api.GetRoster(pb.GetRosterRequest(session_id=second.id), metadata=svc.md(agent))
    assert [(e.household_id, e.member, e.status) for e in roster.entries] == [
        ("hh-a", "爷爷", "present"),
        ("hh-a", "奶奶", "late"),
        ("hh-a", "爸爸", "late"),
    ]
    assert "venue code" in roster.entries[0].recorded_by and "village_agent" in roster.entries[1].recorded_by
    same = await svc.api.GetRoster(pb.GetRosterRequest(session_id=second.id), metadata=svc.md(who.editor))
    assert same == roster
    for caller in (other_agent, home, staff("station_editor", username="ed.far", area_code="330411105")):
        err = await rpc_error(svc.api.GetRoster(pb.GetRosterRequest(session_id=second.id), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(svc.api.GetRoster(pb.GetRosterRequest(session_id="no-such"), metadata=svc.md(agent)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    for bad in ("", "x" * 100):  # missing, oversized
        err = await rpc_error(svc.api.GetRoster(pb.GetRosterRequest(session_id=bad), metadata=svc.md(agent)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "session_id" in field_errors_of(err)

    att = await svc.api.GetMyAttendance(
        pb.GetMyAttendanceRequest(series_id=series_id, member="爷爷"), metadata=svc.md(home)
    )
    assert [(s.session_id, s.status) for s in att.sessions] == [(first.id, "not_enrolled"), (second.id, "present")]
    assert (att.attended, att.counted, att.percent, att.complete) == (1, 1, 100, True)
    cert = await svc.api.IssueCertificate(
        pb.IssueCertificateRequest(series_id=series_id, member="爷爷"), metadata=svc.md(home)
    )
    assert (cert.series_title, cert.member, cert.attended, cert.counted) == ("郝老师课堂", "爷爷", 1, 1)
    again = await svc.api.IssueCertificate(
        pb.IssueCertificateRequest(series_id=series_id, member="爷爷"), metadata=svc.md(home)
    )
    assert again.id == cert.id


async def test_absences_and_certificates_not_earned(svc, who):
    ep = await episode(svc, who)
    s1 = await plan(svc, who, ep, at=CLASS_AT)
    s2 = await plan(svc, who, ep, at=CLASS_AT + dt.timedelta(days=1))
    home = household("hh-a", area_code=VILLAGE)
    await sign_up(svc, home, s1.id)
    await sign_up(svc, home, s2.id)
    err = await rpc_error(
        svc.api.IssueCertificate(
            pb.IssueCertificateRequest(series_id=ep.series_id, member="爷爷"), metadata=svc.md(home)
        )
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION  # sessions still to come
    svc.clock.at = CLASS_AT + dt.timedelta(days=3)
    att = await svc.api.GetMyAttendance(
        pb.GetMyAttendanceRequest(series_id=ep.series_id, member="爷爷"), metadata=svc.md(home)
    )
    assert [s.status for s in att.sessions] == ["absent", "absent"] and not att.complete
    err = await rpc_error(sign_up(svc, household("hh-late", area_code=VILLAGE), s1.id))  # after it began
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_bad_sessions_and_callers_are_refused(svc, who):
    ep = await episode(svc, who)
    base = dict(
        episode_id=ep.id,
        village_code=VILLAGE,
        place="村文化礼堂",
        starts_at=to_timestamp(CLASS_AT),
        ends_at=to_timestamp(CLASS_AT + dt.timedelta(hours=1)),
        capacity=30,
    )
    for change, field in [
        ({"village_code": "330411105001"}, "village_code"),  # another town's village
        ({"village_code": "x"}, "village_code"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"place": ""}, "place"),
        ({"place": "x" * 101}, "place"),
        ({"starts_at": to_timestamp(NOW - dt.timedelta(hours=1))}, "starts_at"),
        ({"ends_at": to_timestamp(CLASS_AT - dt.timedelta(hours=1))}, "ends_at"),
    ]:
        err = await rpc_error(
            svc.api.PlanSession(pb.PlanSessionRequest(**{**base, **change}), metadata=svc.md(who.editor))
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (change, err.details())
    for caller in (who.home, who.technician, who.honghe_editor):
        err = await rpc_error(svc.api.PlanSession(pb.PlanSessionRequest(**base), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    session = await svc.api.PlanSession(pb.PlanSessionRequest(**base), metadata=svc.md(who.editor))
    for caller in (who.editor, who.technician):
        assert (await rpc_error(sign_up(svc, caller, session.id))).code() == grpc.StatusCode.PERMISSION_DENIED
    for member in ("", "x" * 21):
        err = await rpc_error(sign_up(svc, who.home, session.id, member=member))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "member" in field_errors_of(err)
    assert (await rpc_error(sign_up(svc, who.home, "no-such"))).code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.GetCheckInCode(pb.GetCheckInCodeRequest(session_id=session.id), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # Not open yet: booking opens 14 days ahead (the data's policy).
    far = await svc.api.PlanSession(
        pb.PlanSessionRequest(
            **{
                **base,
                "starts_at": to_timestamp(NOW + dt.timedelta(days=20)),
                "ends_at": to_timestamp(NOW + dt.timedelta(days=20, hours=1)),
            }
        ),
        metadata=svc.md(who.editor),
    )
    assert (await rpc_error(sign_up(svc, who.home, far.id))).code() == grpc.StatusCode.FAILED_PRECONDITION
    assert sign_up_count(svc.db) == 0
