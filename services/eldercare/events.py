"""What eldercare publishes (through its outbox: each domain event as a protobuf message on its
topic, keyed by the aggregate id). It consumes no other service's events yet."""

from __future__ import annotations

from sqlalchemy.orm import Session

from eldercare import domain
from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import eldercare_events_pb2 as pb

ALARMS_TOPIC = "sbc.eldercare.alarms.v1"
DEVICES_TOPIC = "sbc.eldercare.devices.v1"
CARE_TOPIC = "sbc.eldercare.care.v1"
SOURCE = "sbc/eldercare"
ALARM_RAISED = "sbc.eldercare.alarm.raised.v1"
ALARM_ACKNOWLEDGED = "sbc.eldercare.alarm.acknowledged.v1"
ALARM_RESOLVED = "sbc.eldercare.alarm.resolved.v1"
ALARM_REMINDED = "sbc.eldercare.alarm.reminded.v1"
ALARM_NOTED = "sbc.eldercare.alarm.noted.v1"
ALARM_OVERDUE = "sbc.eldercare.alarm.overdue.v1"
ELDER_ENROLLED = "sbc.eldercare.elder.enrolled.v1"
DEVICE_PROVISIONED = "sbc.eldercare.device.provisioned.v1"
DEVICE_DEPROVISIONED = "sbc.eldercare.device.deprovisioned.v1"
DOSE_REMINDED = "sbc.eldercare.dose.reminded.v1"
DOSE_CONFIRMED = "sbc.eldercare.dose.confirmed.v1"
DOSE_MISSED = "sbc.eldercare.dose.missed.v1"
DEVICE_COMMAND = "sbc.eldercare.device.command.v1"
CARE_ORDER = "sbc.eldercare.care_order.changed.v1"
RECTIFICATION = "sbc.eldercare.rectification.changed.v1"


def where(w: domain.Where) -> pb.EldercareWhere:
    return pb.EldercareWhere(elder_id=w.elder_id, household_id=w.household_id, area_code=w.area_code)


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    at = to_timestamp(event.at)
    message: object
    match event:
        case domain.AlarmRaised():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_RAISED
            message = pb.EldercareAlarmRaised(
                alarm_id=event.alarm_id,
                type=event.type,
                severity=event.severity,
                device_id=event.device_id,
                where=where(event.where),
                at=at,
            )
        case domain.AlarmAcknowledged():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_ACKNOWLEDGED
            message = pb.EldercareAlarmAcknowledged(
                alarm_id=event.alarm_id, where=where(event.where), by=event.by, at=at
            )
        case domain.AlarmResolved():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_RESOLVED
            message = pb.EldercareAlarmResolved(
                alarm_id=event.alarm_id, where=where(event.where), by=event.by, follow_up=event.follow_up, at=at
            )
        case domain.AlarmNoted():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_NOTED
            message = pb.EldercareAlarmNoted(
                alarm_id=event.alarm_id, where=where(event.where), by=event.by, text=event.text, at=at
            )
        case domain.AlarmReminded():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_REMINDED
            message = pb.EldercareAlarmReminded(
                alarm_id=event.alarm_id,
                where=where(event.where),
                who=event.who,
                step=event.step,
                repeat=event.repeat,
                at=at,
                type=event.type,
                family_household_ids=list(event.family),
            )
        case domain.AlarmOverdue():
            topic, key, kind = ALARMS_TOPIC, event.alarm_id, ALARM_OVERDUE
            message = pb.EldercareAlarmOverdue(alarm_id=event.alarm_id, where=where(event.where), at=at)
        case domain.ElderEnrolled():
            topic, key, kind = DEVICES_TOPIC, event.elder_id, ELDER_ENROLLED
            message = pb.EldercareElderEnrolled(
                elder_id=event.elder_id, household_id=event.household_id, area_code=event.area_code, at=at
            )
        case domain.DeviceProvisioned():
            topic, key, kind = DEVICES_TOPIC, event.device_id, DEVICE_PROVISIONED
            message = pb.EldercareDeviceProvisioned(
                device_id=event.device_id, profile=event.profile, elder_id=event.elder_id, at=at
            )
        case domain.DeviceDeprovisioned():
            topic, key, kind = DEVICES_TOPIC, event.device_id, DEVICE_DEPROVISIONED
            message = pb.EldercareDeviceDeprovisioned(
                device_id=event.device_id, profile=event.profile, elder_id=event.elder_id, at=at
            )
        case domain.DoseReminded():
            topic, key, kind = CARE_TOPIC, event.dose_id, DOSE_REMINDED
            message = pb.EldercareDoseReminded(
                dose_id=event.dose_id,
                where=where(event.where),
                medicine=event.medicine,
                due_at=to_timestamp(event.due_at),
                repeat=event.repeat,
                at=at,
                dose=event.dose,
            )
        case domain.DoseConfirmed():
            topic, key, kind = CARE_TOPIC, event.dose_id, DOSE_CONFIRMED
            message = pb.EldercareDoseConfirmed(dose_id=event.dose_id, where=where(event.where), by=event.by, at=at)
        case domain.DoseMissed():
            topic, key, kind = CARE_TOPIC, event.dose_id, DOSE_MISSED
            message = pb.EldercareDoseMissed(
                dose_id=event.dose_id,
                where=where(event.where),
                medicine=event.medicine,
                due_at=to_timestamp(event.due_at),
                at=at,
                dose=event.dose,
                family_household_ids=event.family,
                elder_name=event.elder_name,
            )
        case domain.CommandChanged():
            topic, key, kind = DEVICES_TOPIC, event.device_id, DEVICE_COMMAND
            message = pb.EldercareDeviceCommandChanged(
                command_id=event.command_id,
                device_id=event.device_id,
                where=where(event.where),
                command=event.command,
                state=event.state,
                at=at,
            )
        case domain.CareOrderChanged():
            topic, key, kind = CARE_TOPIC, event.order_id, CARE_ORDER
            message = pb.EldercareCareOrderChanged(
                order_id=event.order_id,
                where=where(event.where),
                kind=event.kind,
                state=event.state,
                rating=event.rating,
                at=at,
            )
        case domain.RectificationChanged():
            topic, key, kind = CARE_TOPIC, event.rectification_id, RECTIFICATION
            message = pb.EldercareRectificationChanged(
                rectification_id=event.rectification_id,
                where=where(event.where),
                subject=event.subject,
                subject_id=event.subject_id,
                state=event.state,
                rated_by=event.rated_by,
                at=at,
            )
        case _:
            raise TypeError(f"eldercare publishes no {type(event).__name__}")
    outbox.publish(s, topic=topic, key=key, message=message, event_type=kind, source=SOURCE)


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
