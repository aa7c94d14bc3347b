"""E-government's steps on the household's TV: egov's events (sbc.egov.application.step.v1) as
notifications' consumer reads them from the real Kafka, each a Chinese-first message from the
catalog in ListMyPushMessages and on the push topic; a malformed record is parked on the dead-letter
topic and the next one still arrives. And the words themselves (pure)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import threading
import time
import uuid

import pytest

from notifications import domain, events
from notifications.service import SERVICE
from runtime import dead_letters, kafka_clients
from runtime.consumer import Consumer, RetryPolicy
from runtime.events import Event
from runtime.testing import household, staff
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.events.v1 import egov_events_pb2
from sbc.notifications.v1 import notifications_pb2 as pb
from sbc.notifications.v1 import notifications_pb2_grpc

ZH = events.catalog()
CJK = re.compile(r"[\u4e00-\u9fff]")
HOME = household("hh-egov-zhang")
PENSION = "城乡居民基本养老保险参保登记"
# Thursday 3 December 2026, 09:30 in Xiuzhou.
AT = dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
HALL = domain.Appointment("秀洲区行政服务中心", "秀洲区中山西路1号", "综合受理窗口1", AT, "Asia/Shanghai")


def step(action: str, **kw) -> domain.ApplicationStep:
    return domain.ApplicationStep(action=action, item_name=PENSION, **kw)


# --- the words (pure) ---


@pytest.mark.parametrize(
    "action",
    [
        "submitted",
        "resubmitted",
        "accepted",
        "returned",
        "rejected",
        "approved",
        "refused",
        "rating_invited",
        "handed_over",
    ],
)
def test_each_step_the_household_is_told_of_is_chinese_and_names_the_item(action):
    notice = domain.application_step(ZH, step(action, reason="材料不清晰", materials=("居民身份证",)))
    assert notice is not None and notice.kind == f"egov.{action}"
    assert PENSION in notice.title + notice.body
    assert CJK.search(notice.title) and CJK.search(notice.body)
    assert "{" not in notice.title + notice.body, "every placeholder filled"


@pytest.mark.parametrize("action", sorted(ZH.applications["steps"]))
def test_an_items_own_name_is_never_doubled_up(action):
    """Handling items are named 临时救助申请, 居住证申领: the words around the name add no 申请 of their own."""
    notice = domain.application_step(
        ZH, domain.ApplicationStep(action=action, item_name="临时救助申请", reason="符合条件", appointment=HALL)
    )
    text = notice.title + notice.body
    assert "临时救助申请" in text and "申请申请" not in text


def test_a_return_for_correction_says_why_and_lists_the_materials_by_name():
    notice = domain.application_step(ZH, step("returned", reason="照片不清晰", materials=("居民身份证", "户口簿")))
    assert notice.title == f"请补正材料：{PENSION}"
    assert "照片不清晰" in notice.body and "居民身份证、户口簿" in notice.body


def test_decisions_carry_the_departments_reason():
    assert "不符合参保条件" in domain.application_step(ZH, step("refused", reason="不符合参保条件")).body
    assert "不在本区办理范围" in domain.application_step(ZH, step("rejected", reason="不在本区办理范围")).body
    assert domain.application_step(ZH, step("approved", reason="符合条件")).title == f"已办结：{PENSION}"


def test_the_reminder_says_where_when_and_what_to_bring_in_the_districts_time():
    notice = domain.application_step(
        ZH, step("appointment_reminded", appointment=HALL, materials=("居民身份证", "户口簿"))
    )
    assert notice.kind == "egov.appointment_reminded"
    assert "秀洲区行政服务中心" in notice.title
    body = notice.body
    assert "12月3日（周四）09:30" in body, body  # 01:30 UTC is 09:30 in Xiuzhou
    assert "综合受理窗口1" in body and "秀洲区中山西路1号" in body and "居民身份证、户口簿" in body


def test_a_step_a_village_agent_took_names_the_agent():
    notice = domain.application_step(ZH, step("submitted", agent_name="王代办"))
    assert "代办员王代办" in notice.body
    assert "代办" not in domain.application_step(ZH, step("submitted")).body


@pytest.mark.parametrize("action", ["started", "material_added", "visited", "rated", "called_back", "unknown"])
def test_steps_the_household_took_itself_or_internal_ones_are_not_pushed(action):
    assert domain.application_step(ZH, step(action)) is None


def test_an_item_without_a_name_still_reads_as_chinese():
    notice = domain.application_step(ZH, domain.ApplicationStep(action="accepted", item_name=""))
    assert "政务服务事项" in notice.title


def test_every_language_has_the_same_application_steps_and_fills_them():
    for language in sorted(p.stem for p in events.MESSAGES.glob("*.json")):
        c = events.catalog(language)
        assert c.applications["steps"].keys() == ZH.applications["steps"].keys(), language
        for action in c.applications["steps"]:
            notice = domain.application_step(
                c, step(action, reason="r", materials=("m",), appointment=HALL, agent_name="a")
            )
            assert notice is not None and "{" not in notice.title + notice.body, (language, action)


# --- through the real Kafka ---

FAST = RetryPolicy(attempts=2, first_pause=0.05)


def application_step(action: str, household_id: str = HOME.household_id, **kw) -> Event:
    m = egov_events_pb2.EgovApplicationStep(
        application_id="app-1",
        household_id=household_id,
        item_code="330222001000-new",
        item_name=PENSION,
        department="dept-hrss",
        action=action,
        **{
            "actor": "dept-hrss",
            "actor_kind": "department",
            "actor_name": "区人力社保局",
            "at": to_timestamp(AT),
            **kw,
        },
    )
    return Event.new(m, type=events.APPLICATION_STEP, source="sbc/egov", subject="app-1")


def send(bootstrap: str, topic: str, records: list[tuple[list, bytes]]) -> None:
    producer = kafka_clients.producer(bootstrap)
    try:
        for headers, payload in records:
            producer.send(topic, key=b"app-1", value=payload, headers=headers)
        producer.flush(10)
    finally:
        producer.close()


@contextlib.contextmanager
def running(consumer: Consumer):
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        consumer.stop()
        thread.join(15)


def wait_for(condition, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
async def svc(grpc_service, database_url):
    running_ = await grpc_service(SERVICE, database_url)
    running_.api = running_.stub(notifications_pb2_grpc.NotificationServiceStub)
    return running_


async def mine(svc, caller=HOME) -> list:
    page = common_pb2.PageRequest(page_size=50)
    return list(
        (await svc.api.ListMyPushMessages(pb.ListMyPushMessagesRequest(page=page), metadata=svc.md(caller))).messages
    )


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_an_egov_step_from_kafka_reaches_the_household_and_a_malformed_one_is_parked(
    svc, kafka_bootstrap, new_topic
):
    topic, dead = new_topic(partitions=1), new_topic(partitions=1)
    submitted = application_step("submitted", actor="agent.hh", actor_kind="village_agent", actor_name="王代办")
    returned = application_step("returned", reason="照片不清晰", materials=["居民身份证"])
    # Of egov's type, but not an EgovApplicationStep: it can never be applied.
    broken = Event.new(
        egov_events_pb2.EgovApplicationStep(), type=events.APPLICATION_STEP, source="sbc/egov", subject="x"
    )
    reminded = application_step(
        "appointment_reminded",
        materials=["居民身份证", "户口簿"],
        appointment=egov_events_pb2.EgovAppointment(
            hall_name=HALL.hall,
            hall_address=HALL.address,
            window_name=HALL.window,
            starts_at=to_timestamp(AT),
            time_zone="Asia/Shanghai",
        ),
        actor_kind="platform",
    )
    send(
        kafka_bootstrap,
        topic,
        [
            (submitted.headers(), submitted.payload),
            (broken.headers(), b"\x0a\x7fnot protobuf: field 1 says 127 bytes follow"),
            (returned.headers(), returned.payload),
            (reminded.headers(), reminded.payload),
        ],
    )
    consumer = Consumer(
        svc.db,
        kafka_bootstrap,
        f"notifications-{uuid.uuid4().hex[:8]}",
        [topic],
        events.HANDLERS,
        retry=FAST,
        dead_letter_topic=dead,
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3 and consumer.parked >= 1, what="three applied, one parked")

    messages = await mine(svc)
    assert [m.kind for m in messages] == ["egov.appointment_reminded", "egov.returned", "egov.submitted"]
    reminder, correction, filed = messages
    assert reminder.household_id == HOME.household_id and reminder.cause_event_id == reminded.id
    assert "12月3日（周四）09:30" in reminder.body and "综合受理窗口1" in reminder.body
    assert "居民身份证、户口簿" in reminder.body and "代办员" not in reminder.body
    assert "照片不清晰" in correction.body and "居民身份证" in correction.body
    assert "代办员" not in correction.body
    assert "代办员王代办" in filed.body and PENSION in filed.title, "the agent who took the step is named"

    [parked] = dead_letters.read_topic(kafka_bootstrap, dead)
    assert dict(parked.headers)["ce_id"].decode() == broken.id


@pytest.mark.parametrize(
    "app, screen, name", [("tv", "egov.js", "PUSHED"), ("phone", "notifications.js", "EGOV_STEPS")]
)
def test_the_tv_and_the_phone_listen_for_every_step_notifications_pushes(app, screen, name):
    """The apps' EventSource hears only the kinds a screen names: each step of the catalog, no other."""
    path = events.MESSAGES.parents[3] / "gateway" / "static" / app / "screens" / screen
    listed = re.search(rf"var {name} = \[([^\]]*)\]", path.read_text(encoding="utf-8"))
    assert listed, f"{screen} lists the steps it listens for"
    assert sorted(re.findall(r'"([a-z_]+)"', listed.group(1))) == sorted(ZH.applications["steps"])


def test_a_step_older_than_the_cut_off_is_not_news():
    hour = dt.timedelta(hours=1)
    assert domain.still_news(AT - hour, AT, hour) and domain.still_news(None, AT, hour)
    assert not domain.still_news(AT - hour - dt.timedelta(seconds=1), AT, hour)


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_a_first_deploy_does_not_push_days_of_old_steps(svc, kafka_bootstrap, new_topic, monkeypatch):
    """The consumer reads the topic from its start: a week-old step is applied (its offset moves on)
    but not pushed; one within the cut-off (the setting) is."""
    monkeypatch.setenv(events.EGOV_MAX_AGE_SETTING, "3600")
    topic = new_topic(partitions=1)
    now = dt.datetime.now(dt.UTC)
    old = application_step("approved", reason="一周前", at=to_timestamp(now - dt.timedelta(days=7)))
    late = application_step("accepted", at=to_timestamp(now - dt.timedelta(minutes=61)))
    fresh = application_step("approved", reason="刚刚", at=to_timestamp(now - dt.timedelta(minutes=5)))
    send(kafka_bootstrap, topic, [(e.headers(), e.payload) for e in (old, late, fresh)])
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3, what="all three applied")
    assert [(m.kind, m.cause_event_id) for m in await mine(svc)] == [("egov.approved", fresh.id)]


def test_a_step_opens_its_application_and_a_request_its_request():
    assert domain.application_step(ZH, step("accepted", application_id="app-9")).opens == "egov.application/app-9"
    assert domain.application_step(ZH, step("accepted")).opens == "", "no id: nothing in particular"
    received = domain.request_received(ZH, "SR-1", "fault_repair_general", "req-7")
    assert received.opens == "servicedesk.request/req-7"


def pushed_on_the_topic(svc) -> list:
    """The push messages notifications has put in its outbox for the push topic (what the gateway reads)."""
    from notifications.store import metadata
    from sbc.events.v1 import notification_events_pb2

    outbox = metadata.tables["outbox"]
    with svc.db.transaction() as s:
        rows = s.execute(outbox.select().where(outbox.c.topic == events.PUSH_TOPIC).order_by(outbox.c.seq)).all()
    return [(r.key, notification_events_pb2.PushMessage.FromString(r.payload)) for r in rows]


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_an_application_an_agent_filed_reaches_the_household_and_the_agent_each_once(
    svc, kafka_bootstrap, new_topic
):
    """Every step of an application a village agent filed is a message to the household and one to
    the agent (keyed by the agent's subject, which the gateway streams to them); each opens the
    application. A household's own filing reaches the household alone; a redelivery adds nothing."""
    topic = new_topic(partitions=1)
    agent = f"staff:{uuid.uuid4()}"
    now = to_timestamp(dt.datetime.now(dt.UTC))
    own = household(f"hh-{uuid.uuid4().hex[:8]}")
    accepted = application_step("accepted", household_id=own.household_id, agent=agent, at=now)
    filed_at_home = application_step("accepted", household_id=own.household_id, at=now)
    internal = application_step("material_added", household_id=own.household_id, agent=agent, at=now)
    records = [(e.headers(), e.payload) for e in (accepted, filed_at_home, internal)]
    send(kafka_bootstrap, topic, records + records[:1])  # (the first one delivered twice)
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3, what="three applied")
        time.sleep(0.3)  # (the redelivered one too)

    pushed = [(k, m) for k, m in pushed_on_the_topic(svc) if k in (own.household_id, agent)]
    to_agent = [m for k, m in pushed if k == agent]
    to_household = [m for k, m in pushed if k == own.household_id]
    assert len(to_household) == 2 and len(to_agent) == 1, [(k, m.kind) for k, m in pushed]
    [m] = to_agent
    assert (m.staff_subject, m.household_id, m.kind) == (agent, "", "egov.accepted")
    assert m.opens == "egov.application/app-1" and PENSION in m.title
    assert {h.opens for h in to_household} == {"egov.application/app-1"}
    assert all(not h.staff_subject for h in to_household)
    # The agent's message is no household's: it never shows in a household's list.
    assert agent not in {x.staff_subject for x in await mine(svc)}
    # The agent lists it (what they missed while their page was closed); another agent sees nothing of it.
    the_agent = dataclasses.replace(staff("village_agent"), subject=agent)
    assert [(x.kind, x.opens) for x in await mine(svc, the_agent)] == [("egov.accepted", "egov.application/app-1")]
    assert not await mine(svc, staff("village_agent"))
