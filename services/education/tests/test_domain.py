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
