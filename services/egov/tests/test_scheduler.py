"""E-government's scheduler on SQLite and PostgreSQL, on a clock the test moves: the TV reminder the
day before an appointment (hall, window, time, the materials to bring), once, and never for a
cancelled appointment or one booked after the reminder's time; the invitation to rate an application
still unrated 3 days after its completion, once, and never after the household rated. Each is a step
of the application (GetApplication shows it) and an event on egov's topic, which notifications
pushes to the household's TV."""

from __future__ import annotations

import datetime as dt
import types
from zoneinfo import ZoneInfo

import pytest

from egov.domain import Application
from egov.service import scheduler_pass
from egov.tests.conftest import catalog_data
from egov.tests.test_appointments import RESIDENCE, book, slot_id
from egov.tests.test_grpc import DIBAO, outbox, start, submitted
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hh, mm, tzinfo=SHANGHAI).astimezone(dt.UTC)


def tick(svc):
    """One pass of the scheduler process, at the test's clock."""
    scheduler_pass(types.SimpleNamespace(db=svc.db), clock=svc.clock)()


def sent(svc, action: str) -> list:
    return [e for e in outbox(svc.db) if e.action == action]


async def steps(svc, who, app_id) -> list[str]:
    shown = await svc.api.GetApplication(pb.ApplicationRef(id=app_id), metadata=svc.md(who.home))
    return [s.action for s in shown.steps]


async def test_the_day_before_an_appointment_the_tv_is_reminded_once_with_where_when_and_what_to_bring(svc, who):
    app = await start(svc, who.home, RESIDENCE)
    booked = await book(svc, who.home, app.id, slot_id("xzsc", "A01", 2, 9, 0))  # Wednesday 09:00

    svc.clock.at = at(1, 17, 59)
    tick(svc)
    assert not sent(svc, "appointment_reminded"), "not before 18:00 the day before"

    svc.clock.at = at(1, 18, 0)
    tick(svc)
    [reminder] = sent(svc, "appointment_reminded")
    assert (reminder.application_id, reminder.household_id, reminder.actor_kind) == (
        app.id,
        who.home.household_id,
        "platform",
    )
    a = reminder.appointment
    assert (a.appointment_id, a.hall_name, a.window_name) == (
        booked.id,
        "秀洲区行政服务中心 (check)",
        "综合受理窗口1 (check)",
    )
    assert a.hall_address and a.time_zone == "Asia/Shanghai"
    assert a.starts_at.ToDatetime(dt.UTC) == at(2, 9, 0)
    data = catalog_data()
    assert reminder.item_name == app.item_name
    # The guide's required materials, by name: 居民身份证 first.
    assert list(reminder.materials)[0] == data["materials"]["id_card"]["name"] == "居民身份证"
    assert len(reminder.materials) == 3
    assert (await steps(svc, who, app.id))[-1] == "appointment_reminded"

    svc.clock.at = at(1, 21, 0)
    tick(svc)
    svc.clock.at = at(2, 8, 0)
    tick(svc)
    assert len(sent(svc, "appointment_reminded")) == 1, "once"


async def test_no_reminder_for_a_cancelled_appointment_or_one_booked_after_the_reminders_time(svc, who):
    first = await start(svc, who.home, RESIDENCE, key="k1")
    cancelled = await book(svc, who.home, first.id, slot_id("xzsc", "A01", 2, 9, 0))
    await svc.api.CancelAppointment(pb.AppointmentRef(id=cancelled.id), metadata=svc.md(who.home))

    svc.clock.at = at(1, 19, 0)  # after 18:00: this booking was just confirmed on screen
    late = await start(svc, who.neighbour, RESIDENCE, key="k2")
    await book(svc, who.neighbour, late.id, slot_id("xzsc", "A01", 2, 10, 0))
    tick(svc)
    svc.clock.at = at(2, 8, 0)
    tick(svc)
    assert sent(svc, "appointment_reminded") == []
    assert "appointment_reminded" not in await steps(svc, who, first.id)


async def test_an_unrated_application_is_invited_to_be_rated_3_days_after_completion_once(svc, who):
    app = await submitted(svc, who.home)
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=app.id), metadata=svc.md(who.civil))
    await svc.dept.ApproveApplication(pb.DecisionRequest(id=app.id, reason="符合条件"), metadata=svc.md(who.civil))
    decided = svc.clock.at
    days = catalog_data()["rating"]["invite_after_days"]
    assert days == 3

    svc.clock.at = decided + dt.timedelta(days=days, minutes=-1)
    tick(svc)
    assert not sent(svc, "rating_invited")

    svc.clock.at = decided + dt.timedelta(days=days)
    tick(svc)
    [invitation] = sent(svc, "rating_invited")
    assert (invitation.application_id, invitation.household_id, invitation.to_state) == (
        app.id,
        who.home.household_id,
        "approved",
    )
    assert invitation.item_name == app.item_name and invitation.actor_kind == "platform"

    svc.clock.move(days=1)
    tick(svc)
    assert len(sent(svc, "rating_invited")) == 1, "once"
    # The invitation is no rating: the household still rates, once.
    rated = await svc.api.RateApplication(
        pb.RateApplicationRequest(id=app.id, level="satisfied"), metadata=svc.md(who.home)
    )
    assert rated.rating.level == "satisfied"


async def test_no_invitation_after_the_household_rated_nor_for_an_open_application(svc, who):
    rated = await submitted(svc, who.home, key="k1")
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=rated.id), metadata=svc.md(who.civil))
    await svc.dept.ApproveApplication(pb.DecisionRequest(id=rated.id, reason="符合条件"), metadata=svc.md(who.civil))
    await svc.api.RateApplication(
        pb.RateApplicationRequest(id=rated.id, level="very_satisfied"), metadata=svc.md(who.home)
    )
    still_open = await submitted(svc, who.home, DIBAO, key="k2")

    svc.clock.move(days=10)
    tick(svc)
    assert sent(svc, "rating_invited") == []
    assert "rating_invited" not in await steps(svc, who, rated.id)
    assert "rating_invited" not in await steps(svc, who, still_open.id)


async def test_one_appointment_that_cannot_be_reminded_never_holds_back_the_others(svc, who, monkeypatch):
    broken = await start(svc, who.home, RESIDENCE, key="k1")
    await book(svc, who.home, broken.id, slot_id("xzsc", "A01", 2, 9, 0))  # the first in line
    fine = await start(svc, who.neighbour, RESIDENCE, key="k2")
    await book(svc, who.neighbour, fine.id, slot_id("xzsc", "A01", 2, 9, 30))
    remind = Application.remind_of_appointment

    def failing(app, *args, **kw):
        if app.id == broken.id:
            raise RuntimeError("its guide cannot be read")
        return remind(app, *args, **kw)

    monkeypatch.setattr(Application, "remind_of_appointment", failing)
    svc.clock.at = at(1, 18, 0)
    tick(svc)
    assert [e.application_id for e in sent(svc, "appointment_reminded")] == [fine.id]
    monkeypatch.undo()
    tick(svc)
    assert [e.application_id for e in sent(svc, "appointment_reminded")] == [fine.id, broken.id], "tried again"
