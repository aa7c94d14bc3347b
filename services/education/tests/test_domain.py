"""Education's rules without I/O: what counts as a stream, the week, the weekly rule."""

from __future__ import annotations

import datetime as dt

import pytest

from education import domain, store

DISTRICT = store.load_districts().all["330411"]


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://media.example.cn/live/ep1.m3u8", True),
        ("http://10.0.0.5:8080/hls/ep1.m3u8?token=1", True),
        ("https://media.example.cn/ep1.mp4", False),
        ("ftp://media.example.cn/ep1.m3u8", False),
        ("https:///ep1.m3u8", False),
        ("https://media.example.cn/a b.m3u8", False),
        ("https://media.example.cn/" + "x" * 500 + ".m3u8", False),
    ],
)
def test_media_must_be_an_hls_stream(url, ok):
    assert (domain.stream_problem(DISTRICT, url) is None) is ok


def test_a_week_is_monday_to_sunday_in_local_time():
    monday, start, end = domain.week_of(DISTRICT, dt.date(2026, 12, 6))
    assert monday == dt.date(2026, 11, 30)
    assert start == dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC) and end - start == dt.timedelta(days=7)


def slot(town, channel="loudspeaker", topic="agriculture", local=True, state="scheduled", day=0):
    at = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC) + dt.timedelta(days=day)
    farm = DISTRICT.topics[topic].farm
    return domain.Slot("s", town, channel, "e", at, at, topic, local, farm, state, "x")


def test_only_local_farm_programmes_on_counted_channels_count():
    slots = [
        slot("330411103", day=0),
        slot("330411103", channel="tv", day=2),
        slot("330411103", channel="vod", day=3),  # on demand is not aired
        slot("330411103", local=False, day=3),  # bought in
        slot("330411103", topic="health", day=4),  # not a farm programme
        slot("330411103", state="cancelled", day=5),
        slot("330411105", day=1),
    ]
    xc, hh = domain.compliance(DISTRICT, dt.date(2026, 11, 30), ["330411103", "330411105"], slots)
    assert (xc.required, xc.farm_programmes, xc.gap) == (3, 2, 1)
    assert xc.by_day == (1, 0, 1, 0, 0, 0, 0)
    assert xc.by_topic == {"agriculture": 3, "health": 1}
    assert (hh.farm_programmes, hh.gap) == (1, 2)
    assert DISTRICT.towns["330411103"].brand == "郝老师课堂"


T0 = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def lesson(duration=600) -> domain.Episode:
    return domain.Episode("ep-1", "se-1", "330411103", 1, "第1课", "video", "agriculture", duration, ["郝老师"], "x")


def test_watched_moves_forward_no_faster_than_playback_and_completes_once():
    from runtime.testing import household

    p = domain.Progress.start(household("hh-1"), DISTRICT, "爷爷", lesson(), T0)
    p.report(DISTRICT, 500, T0)  # a seek at once: only the slack counts
    assert (p.watched_seconds, p.position_seconds) == (30, 500)
    p.report(DISTRICT, 100, T0 + dt.timedelta(seconds=100))
    assert (p.watched_seconds, p.position_seconds) == (100, 100)
    p.report(DISTRICT, 10, T0 + dt.timedelta(seconds=110))
    assert (p.watched_seconds, p.position_seconds) == (100, 10), "rewinding never lowers what was watched"
    p.report(DISTRICT, 540, T0 + dt.timedelta(seconds=400))
    assert p.completed and p.percent == 90
    p.report(DISTRICT, 600, T0 + dt.timedelta(seconds=500))
    assert [type(e).__name__ for e in p.pull_events()] == ["LessonCompleted"]


def session_at(start: dt.datetime, signed_up: dict[str, dt.datetime]) -> domain.Session:
    s = domain.Session(
        "s", "e", "se-1", "330411103", "330411103001", "礼堂", start, start + dt.timedelta(hours=1), 9, "k"
    )
    for hh, at in signed_up.items():
        s.sign_ups.append(domain.SignUp(f"u-{hh}-{start:%d}", "s", "se-1", hh, "330411103001", "爷爷", "confirmed", at))
    return s


def test_sessions_before_enrolment_never_count_as_absences():
    day = dt.timedelta(days=1)
    first = session_at(T0, {"hh-early": T0 - day})
    second = session_at(T0 + 2 * day, {"hh-1": T0 + day})
    third = session_at(T0 + 3 * day, {"hh-1": T0 + day})
    r = domain.attendance_of(DISTRICT, [third, first, second], "hh-1", "爷爷", T0 + 5 * day)
    assert [x.status for x in r.sessions] == ["not_enrolled", "absent", "absent"]
    assert (r.attended, r.counted, r.complete) == (0, 2, False)
