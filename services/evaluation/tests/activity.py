"""Services' events as they publish them (their real protobuf messages and CloudEvents types), for
the read model's tests and the benchmark."""

from __future__ import annotations

import datetime as dt

from evaluation import events
from runtime.events import Event
from runtime.times import to_timestamp
from sbc.events.v1 import education_events_pb2 as edu
from sbc.events.v1 import egov_events_pb2 as egov
from sbc.events.v1 import eldercare_events_pb2 as care
from sbc.events.v1 import servicedesk_events_pb2 as sd


def submitted(rid: str, area: str, point: str, at: dt.datetime, deadline: dt.datetime, service_type="repair") -> Event:
    m = sd.ServiceRequestSubmitted(
        request_id=rid,
        area_code=area,
        service_point_code=point,
        service_type=service_type,
        channel="tv",
        submitted_at=to_timestamp(at),
        deadline=to_timestamp(deadline),
    )
    return Event.new(m, type=events.REQUEST_SUBMITTED, source="sbc/servicedesk", subject=rid)


def transitioned(rid: str, area: str, point: str, submitted_at, deadline, to_state: str, at: dt.datetime) -> Event:
    m = sd.ServiceRequestTransitioned(
        request_id=rid,
        area_code=area,
        service_point_code=point,
        service_type="repair",
        to_state=to_state,
        at=to_timestamp(at),
        submitted_at=to_timestamp(submitted_at),
        deadline=to_timestamp(deadline),
    )
    return Event.new(m, type=events.REQUEST_TRANSITIONED, source="sbc/servicedesk", subject=rid)


def rated(rid: str, point: str, level: str, at: dt.datetime) -> Event:
    m = sd.ServiceRequestRated(
        request_id=rid,
        service_point_code=point,
        level=level,
        at=to_timestamp(at),
        rectification_deadline=to_timestamp(at + dt.timedelta(days=21)),
    )
    return Event.new(m, type=events.REQUEST_RATED, source="sbc/servicedesk", subject=rid)


def followed_up(rid: str, point: str, at: dt.datetime) -> Event:
    m = sd.RectificationFollowedUp(request_id=rid, service_point_code=point, at=to_timestamp(at), on_time=True)
    return Event.new(m, type=events.RECTIFICATION_FOLLOWED_UP, source="sbc/servicedesk", subject=rid)


def application_step(app: str, area: str, action: str, to_state: str, at: dt.datetime, detail="") -> Event:
    m = egov.EgovApplicationStep(
        application_id=app,
        area_code=area,
        item_code="330222001000-new",
        item_name="城乡居民基本养老保险参保登记",
        action=action,
        to_state=to_state,
        detail=detail,
        at=to_timestamp(at),
    )
    return Event.new(m, type=events.APPLICATION_STEP, source="sbc/egov", subject=app)


def alarm_raised(alarm: str, area: str, at: dt.datetime) -> Event:
    m = care.EldercareAlarmRaised(
        alarm_id=alarm, type="sos", severity="CRITICAL", where=care.EldercareWhere(area_code=area), at=to_timestamp(at)
    )
    return Event.new(m, type=events.ALARM_RAISED, source="sbc/eldercare", subject=alarm)


def alarm_acknowledged(alarm: str, area: str, at: dt.datetime) -> Event:
    m = care.EldercareAlarmAcknowledged(alarm_id=alarm, where=care.EldercareWhere(area_code=area), at=to_timestamp(at))
    return Event.new(m, type=events.ALARM_ACKNOWLEDGED, source="sbc/eldercare", subject=alarm)


def slot_scheduled(slot: str, town: str, starts_at: dt.datetime) -> Event:
    m = edu.EducationSlotScheduled(
        slot_id=slot,
        town_code=town,
        channel="村村响",
        starts_at=to_timestamp(starts_at),
        ends_at=to_timestamp(starts_at + dt.timedelta(minutes=30)),
        at=to_timestamp(starts_at - dt.timedelta(days=3)),
    )
    return Event.new(m, type=events.SLOT_SCHEDULED, source="sbc/education", subject=slot)
