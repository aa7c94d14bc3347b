"""Eldercare's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from eldercare import broker, domain, handlers, store
from eldercare.broker import DeviceAccounts
from eldercare.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.times import to_timestamp, utcnow
from sbc.eldercare.v1 import eldercare_pb2 as pb
from sbc.eldercare.v1 import eldercare_pb2_grpc

PUBLIC_METHODS = ("ProvisionDevice",)


def elder_proto(e: domain.Elder) -> pb.Elder:
    return pb.Elder(
        id=e.id,
        household_id=e.household_id,
        area_code=e.area_code,
        name=e.name,
        birth_year=e.birth_year,
        conditions=list(e.conditions),
        emergency_contacts=list(e.emergency_contacts),
        consent_at=to_timestamp(e.consent_at),
    )


def device_proto(d: domain.Device, now: dt.datetime) -> pb.Device:
    profile = store.profiles()[d.profile]
    return pb.Device(
        id=d.id,
        profile=d.profile,
        serial=d.serial,
        state=d.state,
        elder_id=d.elder_id,
        online=d.online(profile, now),
        last_seen_at=to_timestamp(d.last_seen_at),
        latest_json=d.latest,
        offline_after_seconds=int(d.offline_after(profile).total_seconds()),
        own_offline_timeout=bool(d.offline_after_seconds),
    )


def alarm_proto(a: domain.Alarm) -> pb.Alarm:
    return pb.Alarm(
        id=a.id,
        type=a.type,
        name=store.care()["alarm_names"].get(a.type, a.type),
        severity=a.severity,
        state=a.state,
        device_id=a.device_id,
        elder_id=a.elder_id,
        area_code=a.area_code,
        raised_at=to_timestamp(a.raised_at),
        last_at=to_timestamp(a.last_at),
        repeats=a.repeats,
        acknowledged_at=to_timestamp(a.acknowledged_at),
        acknowledged_by=a.acknowledged_by,
        cleared_at=to_timestamp(a.cleared_at),
        resolved_at=to_timestamp(a.resolved_at),
        resolved_by=a.resolved_by,
        follow_up=a.follow_up,
        escalation_step=a.escalation_step,
        reminders=a.reminders,
        acknowledge_by=to_timestamp(a.acknowledge_deadline(store.escalation(a.severity))),
        overdue=a.overdue,
        notes=[pb.FollowUpNote(by=n.by, text=n.text, at=to_timestamp(n.at)) for n in a.notes],
        rating_level=a.rating_level,
        rated_at=to_timestamp(a.rated_at),
    )


def rectification_proto(r: domain.Rectification, now) -> pb.Rectification:
    return pb.Rectification(
        id=r.id,
        subject=r.subject,
        subject_id=r.subject_id,
        elder_id=r.elder_id,
        rated_by=r.rated_by,
        level=r.level,
        comment=r.comment,
        reasons=json.loads(r.reasons),
        opened_at=to_timestamp(r.opened_at),
        state=r.state,
        overdue=r.overdue(now),
        call_back_by=to_timestamp(r.call_back_by),
        due_at=to_timestamp(r.due_at),
        called_back_at=to_timestamp(r.called_back_at),
        call_back_note=r.call_back_note,
        fixed_at=to_timestamp(r.fixed_at),
        answer=r.answer,
    )


def figures_proto(f: domain.AlarmFigures) -> pb.AlarmFigures:
    return pb.AlarmFigures(
        days=f.days,
        raised=f.raised,
        closed=f.closed,
        followed_up=f.followed_up,
        follow_up_rate=f.follow_up_rate,
        follow_up_target=f.follow_up_target,
        follow_up_standard=f.follow_up_standard,
        answer_times=[
            pb.AnswerTimeFigure(
                within_seconds=t.within_seconds,
                answered=t.answered,
                counted=t.counted,
                share=t.share,
                target=t.target,
                standard=t.standard,
            )
            for t in f.answer_times
        ],
        median_answer_seconds=f.median_answer_seconds,
    )


def schedule_proto(s: domain.MedicationSchedule) -> pb.MedicationSchedule:
    return pb.MedicationSchedule(
        id=s.id,
        elder_id=s.elder_id,
        medicine=s.medicine,
        dose=s.dose,
        timing=pb.MedicationTiming(
            times_of_day=list(s.times_of_day),
            days_of_week=list(s.days_of_week),
            every_days=s.every_days,
            starts_on=s.starts_on.isoformat(),
            ends_on=s.ends_on.isoformat() if s.ends_on else "",
        ),
        created_by=s.created_by,
        created_at=to_timestamp(s.created_at),
        stopped_at=to_timestamp(s.stopped_at),
    )


def dose_proto(d: domain.Dose, may_confirm: bool = False) -> pb.Dose:
    return pb.Dose(
        may_confirm=may_confirm and d.state == domain.DoseState.DUE,
        id=d.id,
        schedule_id=d.schedule_id,
        elder_id=d.elder_id,
        medicine=d.medicine,
        dose=d.dose,
        due_at=to_timestamp(d.due_at),
        state=d.state,
        reminders=d.reminders,
        confirm_by=to_timestamp(d.missed_after(store.medication().confirm_within)),
        confirmed_at=to_timestamp(d.confirmed_at),
        confirmed_by=d.confirmed_by,
        missed_at=to_timestamp(d.missed_at),
    )


def command_proto(c: domain.DeviceCommand) -> pb.DeviceCommand:
    return pb.DeviceCommand(
        id=c.id,
        device_id=c.device_id,
        command=c.command,
        state=c.state,
        created_by=c.created_by,
        created_at=to_timestamp(c.created_at),
        expires_at=to_timestamp(c.expires_at),
        sent_at=to_timestamp(c.sent_at),
        delivered_at=to_timestamp(c.delivered_at),
        done_at=to_timestamp(c.done_at),
        result=c.result,
    )


def order_proto(o: domain.CareOrder, now: dt.datetime) -> pb.CareOrder:
    return pb.CareOrder(
        id=o.id,
        elder_id=o.elder_id,
        kind=o.kind,
        kind_name=store.order_rules().kinds[o.kind].name,
        details=o.details,
        provider=o.provider,
        state=o.state,
        created_by=o.created_by,
        created_at=to_timestamp(o.created_at),
        deadline=to_timestamp(o.deadline),
        overdue=o.overdue(now),
        accepted_at=to_timestamp(o.accepted_at),
        accepted_by=o.accepted_by,
        done_at=to_timestamp(o.done_at),
        done_by=o.done_by,
        note=o.note,
        cancelled_at=to_timestamp(o.cancelled_at),
        rating_level=o.rating_level,
        rating_indicators=json.loads(o.rating_indicators),
        rating_comment=o.rating_comment,
        rating_reasons=json.loads(o.rating_reasons),
        rated_at=to_timestamp(o.rated_at),
    )


def profile_proto(p: domain.Profile) -> pb.DeviceProfile:
    return pb.DeviceProfile(
        key=p.key,
        name=p.name,
        strategy=p.strategy,
        properties=sorted(p.properties),
        telemetry=[
            pb.TelemetryKey(key=k, type=s["type"], min=s.get("min", 0), max=s.get("max", 0), unit=s.get("unit", ""))
            for k, s in p.telemetry.items()
        ],
        events=sorted(p.events),
        commands=sorted(p.commands),
        rules=[
            pb.AlarmRule(
                alarm=r.alarm,
                kind=r.kind,
                key=r.key,
                severity=r.severity,
                has_below=r.below is not None,
                below=r.below or 0,
                has_above=r.above is not None,
                above=r.above or 0,
                seconds=r.seconds,
            )
            for r in p.rules
        ],
        offline_after_seconds=int(p.offline_after.total_seconds()),
    )


class EldercareServicer(eldercare_pb2_grpc.EldercareServiceServicer):
    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime] = utcnow,
        mqtt_root: str = "",
        accounts: DeviceAccounts | None = None,
    ):
        self.db = db
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock
        self.mqtt_root = mqtt_root or store.mqtt_root()
        # The devices' broker clients (Mosquitto's dynamic security on the configured broker).
        self.accounts = accounts or broker.from_env(self.mqtt_root)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def EnrolElder(self, request, context):
        elder = await run_sync(
            handlers.enrol_elder,
            self.uow(),
            current_caller(),
            request.name,
            request.birth_year,
            list(request.conditions),
            list(request.emergency_contacts),
            self.now(),
        )
        return elder_proto(elder)

    async def ListElders(self, request, context):
        found = await run_sync(handlers.list_elders, self.uow(), current_caller())
        return pb.ListEldersResponse(elders=[elder_proto(e) for e in found])

    async def InviteFamily(self, request, context):
        i = await run_sync(
            handlers.invite_family, self.uow(), current_caller(), request.elder_id, self.now(), request.phone
        )
        return pb.FamilyInvitation(
            code=i.code, elder_id=i.elder_id, expires_at=to_timestamp(i.expires_at), phone=i.phone
        )

    async def ListFamilyInvitations(self, request, context):
        waiting = await run_sync(handlers.invitations_waiting, self.uow(), current_caller(), self.now())
        return pb.ListFamilyInvitationsResponse(
            invitations=[
                pb.FamilyInvitation(
                    code=i.code,
                    elder_id=i.elder_id,
                    expires_at=to_timestamp(i.expires_at),
                    phone=i.phone,
                    elder_name=e.name,
                )
                for i, e in waiting
            ]
        )

    async def BindFamily(self, request, context):
        b, name = await run_sync(handlers.bind_family, self.uow(), current_caller(), request.code, self.now())
        return pb.FamilyBinding(
            elder_id=b.elder_id, elder_name=name, household_id=b.household_id, bound_at=to_timestamp(b.bound_at)
        )

    async def ListDeviceProfiles(self, request, context):
        return pb.ListDeviceProfilesResponse(profiles=[profile_proto(p) for p in store.profiles().values()])

    async def RegisterDevice(self, request, context):
        d = await run_sync(
            handlers.register_device,
            self.uow(),
            current_caller(),
            request.profile,
            request.serial,
            request.elder_id,
            self.now(),
        )
        return device_proto(d, self.now())

    async def ProvisionDevice(self, request, context):
        p = await run_sync(
            handlers.provision_device,
            self.uow(),
            self.accounts,
            request.provision_key,
            request.provision_secret,
            request.serial,
            self.now(),
        )
        return self._provisioned(p)

    def _provisioned(self, p: handlers.Provisioned) -> pb.ProvisionedDevice:
        return pb.ProvisionedDevice(
            device_id=p.device.id,
            profile=p.device.profile,
            credential=p.credential,
            telemetry_topic=f"{self.mqtt_root}/devices/{p.device.id}/telemetry",
            events_topic=f"{self.mqtt_root}/devices/{p.device.id}/events",
            commands_topic=f"{self.mqtt_root}/devices/{p.device.id}/commands",
            replies_topic=f"{self.mqtt_root}/devices/{p.device.id}/replies",
        )

    async def RotateDeviceCredential(self, request, context):
        p = await run_sync(handlers.rotate_credential, self.uow(), self.accounts, current_caller(), request.device_id)
        return self._provisioned(p)

    async def DeprovisionDevice(self, request, context):
        d = await run_sync(
            handlers.deprovision_device, self.uow(), self.accounts, current_caller(), request.device_id, self.now()
        )
        return device_proto(d, self.now())

    async def SetDeviceOfflineTimeout(self, request, context):
        d = await run_sync(
            handlers.set_offline_timeout, self.uow(), current_caller(), request.device_id, request.offline_after_seconds
        )
        return device_proto(d, self.now())

    async def AssignDevice(self, request, context):
        d = await run_sync(
            handlers.assign_device, self.uow(), self.accounts, current_caller(), request.device_id, request.elder_id
        )
        return device_proto(d, self.now())

    async def ListDevices(self, request, context):
        found = await run_sync(handlers.list_devices, self.uow(), current_caller(), request.elder_id)
        now = self.now()
        return pb.ListDevicesResponse(devices=[device_proto(d, now) for d in found])

    async def ListAlarms(self, request, context):
        found = await run_sync(
            handlers.list_alarms, self.uow(), current_caller(), request.elder_id, request.open_only, request.limit
        )
        return pb.ListAlarmsResponse(alarms=[alarm_proto(a) for a in found])

    async def AcknowledgeAlarm(self, request, context):
        a = await run_sync(handlers.acknowledge_alarm, self.uow(), current_caller(), request.id, self.now())
        return alarm_proto(a)

    async def ResolveAlarm(self, request, context):
        a = await run_sync(
            handlers.resolve_alarm, self.uow(), current_caller(), request.id, request.follow_up, self.now()
        )
        return alarm_proto(a)

    async def AddFollowUpNote(self, request, context):
        a = await run_sync(
            handlers.add_follow_up_note, self.uow(), current_caller(), request.id, request.text, self.now()
        )
        return alarm_proto(a)

    async def GetAlarmFigures(self, request, context):
        f = await run_sync(handlers.alarm_figures, self.uow(), current_caller(), request.days, self.now())
        return figures_proto(f)

    async def PressSos(self, request, context):
        return alarm_proto(
            await run_sync(handlers.press_sos, self.uow(), current_caller(), request.elder_id, self.now())
        )

    async def GetHomeSummary(self, request, context):
        s = await run_sync(handlers.home_summary, self.uow(), current_caller(), self.now())
        return pb.HomeSummary(
            elders=s.elders,
            open_alarms=s.open_alarms,
            reminders=s.reminders,
            due_doses=s.due_doses,
            family_elders=s.family_elders,
            missed_doses=s.missed_doses,
        )

    # --- medication ---

    async def SetMedicationSchedule(self, request, context):
        t = request.timing
        timing = handlers.TimingFields(list(t.times_of_day), list(t.days_of_week), t.every_days, t.starts_on, t.ends_on)
        s = await run_sync(
            handlers.set_medication,
            self.uow(),
            current_caller(),
            request.elder_id,
            request.medicine,
            request.dose,
            timing,
            self.now(),
        )
        return schedule_proto(s)

    async def StopMedicationSchedule(self, request, context):
        return schedule_proto(
            await run_sync(handlers.stop_medication, self.uow(), current_caller(), request.id, self.now())
        )

    async def ListMedicationSchedules(self, request, context):
        found = await run_sync(handlers.list_medication, self.uow(), current_caller(), request.elder_id)
        return pb.ListMedicationSchedulesResponse(schedules=[schedule_proto(s) for s in found])

    async def ListDoses(self, request, context):
        found = await run_sync(
            handlers.list_doses, self.uow(), current_caller(), request.elder_id, request.state, request.limit
        )
        return pb.ListDosesResponse(doses=[dose_proto(d, may_confirm) for d, may_confirm in found])

    async def ConfirmDose(self, request, context):
        return dose_proto(await run_sync(handlers.confirm_dose, self.uow(), current_caller(), request.id, self.now()))

    # --- commands to devices ---

    async def SendDeviceCommand(self, request, context):
        c = await run_sync(
            handlers.send_command,
            self.uow(),
            current_caller(),
            request.device_id,
            request.command,
            request.ttl_seconds,
            self.now(),
        )
        return command_proto(c)

    async def ListDeviceCommands(self, request, context):
        found = await run_sync(handlers.list_commands, self.uow(), current_caller(), request.device_id, request.limit)
        return pb.ListDeviceCommandsResponse(commands=[command_proto(c) for c in found])

    # --- care orders ---

    async def ListCareOrderKinds(self, request, context):
        rules = store.order_rules()
        kinds = [
            pb.CareOrderKind(key=k.key, name=k.name, working_days=k.working_days, providers=list(k.providers))
            for k in rules.kinds.values()
        ]
        return pb.ListCareOrderKindsResponse(
            kinds=kinds, rating_indicators=list(rules.indicators), rating_reasons=list(rules.reasons)
        )

    async def GetResponseCommitments(self, request, context):
        severities, standards = handlers.response_commitments()
        return pb.ResponseCommitments(
            severities=[
                pb.SeverityCommitment(
                    severity=c.severity,
                    severity_name=c.name,
                    acknowledge_within_seconds=int(c.acknowledge_within.total_seconds()),
                    alarm_names=c.alarm_names,
                    steps=[
                        pb.EscalationStep(
                            who=who,
                            who_name=name,
                            after_seconds=int(after.total_seconds()),
                            repeat_seconds=int(every.total_seconds()),
                        )
                        for who, name, after, every in c.steps
                    ],
                )
                for c in severities
            ],
            answered_within=[
                pb.AnswerTimeTarget(seconds=seconds, share=share, standard=standard)
                for seconds, share, standard in standards.answered_within
            ],
            follow_up_target=standards.follow_up_target,
            follow_up_standard=standards.follow_up_standard,
        )

    async def CreateCareOrder(self, request, context):
        o = await run_sync(
            handlers.create_order,
            self.uow(),
            current_caller(),
            request.elder_id,
            request.kind,
            request.details,
            request.provider,
            self.now(),
        )
        return order_proto(o, self.now())

    async def ListCareOrders(self, request, context):
        found = await run_sync(
            handlers.list_orders, self.uow(), current_caller(), request.elder_id, request.state, request.limit
        )
        now = self.now()
        return pb.ListCareOrdersResponse(orders=[order_proto(o, now) for o in found])

    async def AcceptCareOrder(self, request, context):
        o = await run_sync(handlers.accept_order, self.uow(), current_caller(), request.id, self.now())
        return order_proto(o, self.now())

    async def CompleteCareOrder(self, request, context):
        o = await run_sync(handlers.complete_order, self.uow(), current_caller(), request.id, request.note, self.now())
        return order_proto(o, self.now())

    async def CancelCareOrder(self, request, context):
        o = await run_sync(handlers.cancel_order, self.uow(), current_caller(), request.id, self.now())
        return order_proto(o, self.now())

    async def RateAlarm(self, request, context):
        a = await run_sync(
            handlers.rate_alarm,
            self.uow(),
            current_caller(),
            request.id,
            request.level,
            dict(request.indicators),
            request.comment,
            list(request.reasons),
            self.now(),
        )
        return alarm_proto(a)

    async def ListRectifications(self, request, context):
        found = await run_sync(
            handlers.list_rectifications,
            self.uow(),
            current_caller(),
            request.elder_id,
            request.open_only,
            request.limit,
        )
        now = self.now()
        return pb.ListRectificationsResponse(rectifications=[rectification_proto(r, now) for r in found])

    async def CallBackRectification(self, request, context):
        r = await run_sync(
            handlers.call_back_rectification, self.uow(), current_caller(), request.id, request.text, self.now()
        )
        return rectification_proto(r, self.now())

    async def FixRectification(self, request, context):
        r = await run_sync(
            handlers.fix_rectification, self.uow(), current_caller(), request.id, request.text, self.now()
        )
        return rectification_proto(r, self.now())

    async def RateCareOrder(self, request, context):
        o = await run_sync(
            handlers.rate_order,
            self.uow(),
            current_caller(),
            request.id,
            request.level,
            dict(request.indicators),
            request.comment,
            list(request.reasons),
            self.now(),
        )
        return order_proto(o, self.now())
