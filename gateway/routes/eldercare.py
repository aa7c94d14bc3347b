"""Eldercare under /v1/eldercare/: elders enrolled by their households, family bound by a code the
TV shows, the home kit's devices (provisioned here with their profile's key and secret), their
alarms (acknowledged by whoever may see the elder, resolved by care staff with the follow-up), the
remote's SOS key, medication schedules and their doses (the TV confirms them), persistent commands
to devices, care orders with their 好差评, the care centre's live page (/eldercare/live), and what
the TV's home screen shows (home_tile, has_elder: the TV app calls them).
gateway/app.py includes this module because the registry marks eldercare public; the gateway's own
answers (401, 403, 413, 415, 422, 429, 5xx) are added to the document for every operation.

Where a field's schema names values the eldercare service checks (a profile, a code), the service
refuses others with 404 or 400, naming the field; what the gateway checks itself is 422."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import pathlib
import re
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sse_starlette.sse import EventSourceResponse, SendTimeoutError

from gateway.common import (
    ID,
    LINE,
    RATING_LEVELS,
    TEXT,
    ServiceClient,
    SignedIn,
    json_body,
    signed_in_stream,
    to_json,
)
from gateway.openapi import array, body, obj, problem_response, problems
from gateway.problems import Problem
from gateway.routes.home import ITEM as HOME_ITEM
from runtime.auth import Caller, CallerKind
from runtime.events import Event
from runtime.reader import TopicTail
from runtime.settings import kafka_name
from sbc.eldercare.v1 import eldercare_pb2 as pb
from sbc.eldercare.v1 import eldercare_pb2_grpc
from sbc.events.v1 import eldercare_events_pb2

log = logging.getLogger(__name__)
ALARMS_TOPIC = "sbc.eldercare.alarms.v1"
CARE_STAFF = ("care_operator", "village_caregiver")
RETRY_LATER = {"Retry-After": "30"}  # eldercare's roles (the registry lists them)


class LiveStream:
    """One care-staff page's stream: the changes of the alarms of its area, as they happen."""

    def __init__(self, caller: Caller, buffer: int):
        self.area_code = caller.area_code
        self.operator = "care_operator" in caller.roles
        self.username = caller.username
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=buffer)
        self.closed = False

    def sees(self, change: dict) -> bool:
        # An alarm of a device no elder has yet is the care centre's alone (as the service's may_see).
        if not change["household_id"]:
            return self.operator
        return bool(self.area_code) and change["area_code"].startswith(self.area_code)

    def offer(self, change: dict) -> None:
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            self.closed = True  # a page that does not read reconnects and lists the alarms again
            with contextlib.suppress(asyncio.QueueFull, asyncio.QueueEmpty):
                self.queue.get_nowait()
                self.queue.put_nowait(None)


class AlarmHub:
    """eldercare's alarm events (raised, acknowledged, resolved, reminded, overdue, noted) read whole by
    every gateway replica (no consumer group: a page may be connected to any), each handed to the
    live pages of care staff who see its area. The page lists the alarms again on each change: what
    it shows is always the service's answer, with its visibility rules."""

    # The events of the alarms' topic, each with its message.
    MESSAGES = {
        "sbc.eldercare.alarm.raised.v1": eldercare_events_pb2.EldercareAlarmRaised,
        "sbc.eldercare.alarm.acknowledged.v1": eldercare_events_pb2.EldercareAlarmAcknowledged,
        "sbc.eldercare.alarm.resolved.v1": eldercare_events_pb2.EldercareAlarmResolved,
        "sbc.eldercare.alarm.reminded.v1": eldercare_events_pb2.EldercareAlarmReminded,
        "sbc.eldercare.alarm.overdue.v1": eldercare_events_pb2.EldercareAlarmOverdue,
        "sbc.eldercare.alarm.noted.v1": eldercare_events_pb2.EldercareAlarmNoted,
    }
    # Streams one replica keeps open (each holds a buffer), and per member of staff.
    LIMIT, PER_STAFF, BUFFER = 500, 4, 200

    def __init__(self, bootstrap_servers: str):
        self.streams: set[LiveStream] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.reader = TopicTail(
            bootstrap_servers, kafka_name(ALARMS_TOPIC), self._handle, client_id="sbc-gateway-eldercare-live"
        )

    def subscribe(self, caller: Caller) -> LiveStream:
        mine = sum(s.username == caller.username for s in self.streams)
        if len(self.streams) >= self.LIMIT or mine >= self.PER_STAFF:
            raise Problem(
                429, "too many live streams open; close one, or try again later", headers={"Retry-After": "30"}
            )
        stream = LiveStream(caller, self.BUFFER)
        self.streams.add(stream)
        return stream

    def unsubscribe(self, stream: LiveStream) -> None:
        self.streams.discard(stream)

    def deliver(self, change: dict) -> None:
        for s in list(self.streams):
            if s.sees(change):
                s.offer(change)

    def _handle(self, record) -> None:
        try:
            event = Event.from_headers(record.headers, record.value)
            message_class = self.MESSAGES.get(event.type)
            if message_class is None:
                return
            m = event.decode(message_class)
        except Exception:
            log.warning("alarms reader: skipping an unreadable record", extra={"offset": record.offset})
            return
        change = {
            "alarm_id": m.alarm_id,
            "change": event.type.split(".")[3],
            "area_code": m.where.area_code,
            "household_id": m.where.household_id,
            "device_id": getattr(m, "device_id", ""),
            "at": m.at.ToDatetime(dt.UTC).isoformat(),
        }
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.deliver, change)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    """The care centre's live pages: the alarms' topic read from its end, while the gateway runs."""
    hub = app.state.eldercare_live = AlarmHub(app.state.settings.kafka_bootstrap_servers)
    hub.loop = asyncio.get_running_loop()
    hub.reader.start()
    yield
    hub.reader.stop(5)


router = APIRouter(prefix="/v1/eldercare", tags=["eldercare"], lifespan=lifespan)
pages = APIRouter(prefix="/eldercare", include_in_schema=False)
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "eldercare"
TV_SCREEN = "eldercare"  # the TV app's screen the home tile opens


class Eldercare(ServiceClient):
    service = "eldercare"
    stub_class = eldercare_pb2_grpc.EldercareServiceStub

    async def enrol_elder(self, request: pb.EnrolElderRequest) -> pb.Elder:
        return await self.stub.EnrolElder(request, **self.options)

    async def list_elders(self, request: pb.ListEldersRequest) -> pb.ListEldersResponse:
        return await self.stub.ListElders(request, **self.options)

    async def invite_family(self, request: pb.InviteFamilyRequest) -> pb.FamilyInvitation:
        return await self.stub.InviteFamily(request, **self.options)

    async def bind_family(self, request: pb.BindFamilyRequest) -> pb.FamilyBinding:
        return await self.stub.BindFamily(request, **self.options)

    async def list_device_profiles(self, request: pb.ListDeviceProfilesRequest) -> pb.ListDeviceProfilesResponse:
        return await self.stub.ListDeviceProfiles(request, **self.options)

    async def register_device(self, request: pb.RegisterDeviceRequest) -> pb.Device:
        return await self.stub.RegisterDevice(request, **self.options)

    async def provision_device(self, request: pb.ProvisionDeviceRequest) -> pb.ProvisionedDevice:
        return await self.stub.ProvisionDevice(request, **self.options)

    async def assign_device(self, request: pb.AssignDeviceRequest) -> pb.Device:
        return await self.stub.AssignDevice(request, **self.options)

    async def list_devices(self, request: pb.ListDevicesRequest) -> pb.ListDevicesResponse:
        return await self.stub.ListDevices(request, **self.options)

    async def list_alarms(self, request: pb.ListAlarmsRequest) -> pb.ListAlarmsResponse:
        return await self.stub.ListAlarms(request, **self.options)

    async def acknowledge_alarm(self, request: pb.AcknowledgeAlarmRequest) -> pb.Alarm:
        return await self.stub.AcknowledgeAlarm(request, **self.options)

    async def resolve_alarm(self, request: pb.ResolveAlarmRequest) -> pb.Alarm:
        return await self.stub.ResolveAlarm(request, **self.options)

    async def add_follow_up_note(self, request: pb.AddFollowUpNoteRequest) -> pb.Alarm:
        return await self.stub.AddFollowUpNote(request, **self.options)

    async def get_alarm_figures(self, request: pb.GetAlarmFiguresRequest) -> pb.AlarmFigures:
        return await self.stub.GetAlarmFigures(request, **self.options)

    async def press_sos(self, request: pb.PressSosRequest) -> pb.Alarm:
        return await self.stub.PressSos(request, **self.options)

    async def get_home_summary(self, request: pb.GetHomeSummaryRequest) -> pb.HomeSummary:
        return await self.stub.GetHomeSummary(request, **self.options)

    async def set_medication_schedule(self, request: pb.SetMedicationScheduleRequest) -> pb.MedicationSchedule:
        return await self.stub.SetMedicationSchedule(request, **self.options)

    async def stop_medication_schedule(self, request: pb.StopMedicationScheduleRequest) -> pb.MedicationSchedule:
        return await self.stub.StopMedicationSchedule(request, **self.options)

    async def list_medication_schedules(
        self, request: pb.ListMedicationSchedulesRequest
    ) -> pb.ListMedicationSchedulesResponse:
        return await self.stub.ListMedicationSchedules(request, **self.options)

    async def list_doses(self, request: pb.ListDosesRequest) -> pb.ListDosesResponse:
        return await self.stub.ListDoses(request, **self.options)

    async def confirm_dose(self, request: pb.ConfirmDoseRequest) -> pb.Dose:
        return await self.stub.ConfirmDose(request, **self.options)

    async def send_device_command(self, request: pb.SendDeviceCommandRequest) -> pb.DeviceCommand:
        return await self.stub.SendDeviceCommand(request, **self.options)

    async def list_device_commands(self, request: pb.ListDeviceCommandsRequest) -> pb.ListDeviceCommandsResponse:
        return await self.stub.ListDeviceCommands(request, **self.options)

    async def list_care_order_kinds(self, request: pb.ListCareOrderKindsRequest) -> pb.ListCareOrderKindsResponse:
        return await self.stub.ListCareOrderKinds(request, **self.options)

    async def response_commitments(self) -> pb.ResponseCommitments:
        return await self.stub.GetResponseCommitments(pb.GetResponseCommitmentsRequest(), **self.options)

    async def create_care_order(self, request: pb.CreateCareOrderRequest) -> pb.CareOrder:
        return await self.stub.CreateCareOrder(request, **self.options)

    async def list_care_orders(self, request: pb.ListCareOrdersRequest) -> pb.ListCareOrdersResponse:
        return await self.stub.ListCareOrders(request, **self.options)

    async def accept_care_order(self, request: pb.CareOrderRequest) -> pb.CareOrder:
        return await self.stub.AcceptCareOrder(request, **self.options)

    async def complete_care_order(self, request: pb.CompleteCareOrderRequest) -> pb.CareOrder:
        return await self.stub.CompleteCareOrder(request, **self.options)

    async def cancel_care_order(self, request: pb.CareOrderRequest) -> pb.CareOrder:
        return await self.stub.CancelCareOrder(request, **self.options)

    async def rate_care_order(self, request: pb.RateCareOrderRequest) -> pb.CareOrder:
        return await self.stub.RateCareOrder(request, **self.options)

    async def rate_alarm(self, request: pb.RateAlarmRequest) -> pb.Alarm:
        return await self.stub.RateAlarm(request, **self.options)

    async def list_rectifications(self, request: pb.ListRectificationsRequest) -> pb.ListRectificationsResponse:
        return await self.stub.ListRectifications(request, **self.options)

    async def call_back_rectification(self, request: pb.AnswerRectificationRequest) -> pb.Rectification:
        return await self.stub.CallBackRectification(request, **self.options)

    async def fix_rectification(self, request: pb.AnswerRectificationRequest) -> pb.Rectification:
        return await self.stub.FixRectification(request, **self.options)

    async def rotate_device_credential(self, request: pb.DeviceRequest) -> pb.ProvisionedDevice:
        return await self.stub.RotateDeviceCredential(request, **self.options)

    async def list_family_invitations(
        self, request: pb.ListFamilyInvitationsRequest
    ) -> pb.ListFamilyInvitationsResponse:
        return await self.stub.ListFamilyInvitations(request, **self.options)

    async def deprovision_device(self, request: pb.DeviceRequest) -> pb.Device:
        return await self.stub.DeprovisionDevice(request, **self.options)

    async def set_offline_timeout(self, request: pb.SetDeviceOfflineTimeoutRequest) -> pb.Device:
        return await self.stub.SetDeviceOfflineTimeout(request, **self.options)


def client(request: Request, auth: SignedIn) -> Eldercare:
    return Eldercare.of(request, auth[1])


def anonymous(request: Request) -> Eldercare:
    return Eldercare.of(request)


Client = Annotated[Eldercare, Depends(client)]
AnId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID)]
ElderFilter = Annotated[
    str, Query(max_length=36, pattern="^[A-Za-z0-9-]*$", description="One elder's (empty: every elder the caller sees)")
]
Line = Field(min_length=1, max_length=100, pattern=LINE)
DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def listed(name: str, message) -> dict:
    return body(obj(**{name: array(message)}))


# --- elders and families ---


class NewElder(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "张阿婆", "birth_year": 1942, "conditions": ["高血压"]}]},
    )
    name: str = Field(min_length=1, max_length=50, pattern=LINE)
    birth_year: int = Field(ge=1900, le=dt.date.today().year)
    conditions: list[Annotated[str, Line]] = Field(default=[], max_length=10)
    emergency_contacts: list[Annotated[str, Line]] = Field(default=[], max_length=10)


@router.post(
    "/elders",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="The signed-in household enrols one of its elders (its consent to the care centre's watch)",
    responses={201: body(pb.Elder)},
)
async def enrol_elder(client: Client, body: NewElder):
    request = pb.EnrolElderRequest(
        name=body.name,
        birth_year=body.birth_year,
        conditions=body.conditions,
        emergency_contacts=body.emergency_contacts,
    )
    return to_json(await client.enrol_elder(request))


@router.get("/elders", summary="The elders the caller may see", responses={200: listed("elders", pb.Elder)})
async def list_elders(client: Client):
    r = await client.list_elders(pb.ListEldersRequest())
    return {"elders": [to_json(e) for e in r.elders]}


class Invitee(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"phone": "13900000002"}]})
    phone: str = Field(default="", pattern="^(1[3-9][0-9]{9})?$", description="the family member's mobile number")


@router.post(
    "/elders/{elder_id}/family-invitations",
    status_code=201,
    summary="The elder's household asks for a code to show on its TV, or invites a family member by number",
    description="With no body (or no phone): an 8-digit code for the TV, which family enter within its window. "
    "With a phone: an invitation for a week, which only the member signed in with that number sees on their "
    "phone and accepts. 404: not an elder of the caller's household. 409: the caller's own number.",
    responses={201: body(pb.FamilyInvitation), **problems(404, 409)},
)
async def invite_family(client: Client, elder_id: AnId, body: Annotated[Invitee | None, Body()] = None):
    phone = body.phone if body else ""
    return to_json(await client.invite_family(pb.InviteFamilyRequest(elder_id=elder_id, phone=phone)))


@router.get(
    "/family-invitations",
    summary="The invitations by number waiting for the member signed in on this phone",
    description="403: not a household member signed in on the phone (a TV has no number).",
    responses={200: listed("invitations", pb.FamilyInvitation)},
)
async def list_family_invitations(client: Client):
    r = await client.list_family_invitations(pb.ListFamilyInvitationsRequest())
    return {"invitations": [to_json(i) for i in r.invitations]}


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "12345678"}]})
    code: str = Field(pattern="^[0-9]{8}$")


@router.post(
    "/family-bindings",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A family member's household enters the code the elder's TV shows (404: wrong, used or expired)",
    responses={201: body(pb.FamilyBinding), **problems(404, 409)},
)
async def bind_family(client: Client, body: Code):
    return to_json(await client.bind_family(pb.BindFamilyRequest(code=body.code)))


# --- devices ---


class Provisioning(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"provision_key": "pk-smoke-sensor", "provision_secret": "demo-smoke-sensor-secret", "serial": "S-1"}
            ]
        },
    )
    provision_key: str = Field(min_length=1, max_length=100, pattern=LINE)
    provision_secret: str = Field(min_length=1, max_length=200, pattern=LINE)
    serial: str = Field(min_length=1, max_length=64, pattern=LINE)


@router.post(
    "/provision",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A device presents its profile's key and secret (no token) and gets its own credential and MQTT topics",
    description="404: a wrong key or secret. 409: a pre-provisioned profile and a serial not on its list, "
    "or a device provisioned already.",
    responses={201: body(pb.ProvisionedDevice), **problems(404, 409)},
)
async def provision(request: Request, client: Annotated[Eldercare, Depends(anonymous)], body: Provisioning):
    await request.app.state.security.open(request)
    r = pb.ProvisionDeviceRequest(
        provision_key=body.provision_key, provision_secret=body.provision_secret, serial=body.serial
    )
    return to_json(await client.provision_device(r))


@router.get(
    "/profiles",
    summary="The thing model: every device profile's properties, telemetry keys, events, commands and rules",
    responses={200: listed("profiles", pb.DeviceProfile)},
)
async def profiles(client: Client):
    r = await client.list_device_profiles(pb.ListDeviceProfilesRequest())
    return {"profiles": [to_json(p) for p in r.profiles]}


@router.get(
    "/devices",
    summary="The devices of the elders the caller may see, with their last state",
    responses={200: listed("devices", pb.Device), **problems(404)},
)
async def devices(client: Client, elder_id: ElderFilter = ""):
    r = await client.list_devices(pb.ListDevicesRequest(elder_id=elder_id))
    return {"devices": [to_json(d) for d in r.devices]}


class NewDevice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: str = Field(min_length=1, max_length=40, pattern="^[a-z_]+$")
    serial: str = Field(min_length=1, max_length=64, pattern=LINE)
    elder_id: str = Field(min_length=1, max_length=36, pattern=ID)


@router.post(
    "/staff/devices",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A care operator puts a serial on the pre-provisioned list, for an elder of their area",
    responses={201: body(pb.Device), **problems(404, 409)},
)
async def register_device(client: Client, body: NewDevice):
    r = pb.RegisterDeviceRequest(profile=body.profile, serial=body.serial, elder_id=body.elder_id)
    return to_json(await client.register_device(r))


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    elder_id: str = Field(min_length=1, max_length=36, pattern=ID)


@router.post(
    "/staff/devices/{device_id}/assign",
    dependencies=[Depends(json_body)],
    summary="A care operator gives a device that provisioned itself to an elder of their area (409: it has one)",
    responses={200: body(pb.Device), **problems(409)},
)
async def assign_device(client: Client, device_id: AnId, body: Assignment):
    r = pb.AssignDeviceRequest(device_id=device_id, elder_id=body.elder_id)
    return to_json(await client.assign_device(r))


@router.post(
    "/staff/devices/{device_id}/rotate-credential",
    summary="A care operator gives a provisioned device a new credential (shown once); the old one is refused",
    description="Its broker password changes (a device connected with the old one is disconnected). 403: not a "
    "care operator. 404: not a device of the caller's area. 409: not provisioned (or deprovisioned). "
    "503: the broker's accounts did not answer (nothing changed).",
    responses={200: body(pb.ProvisionedDevice), **problems(404, 409)},
)
async def rotate_credential(client: Client, device_id: AnId):
    return to_json(await client.rotate_device_credential(pb.DeviceRequest(device_id=device_id)))


@router.post(
    "/staff/devices/{device_id}/deprovision",
    summary="A care operator takes a device out of service: its broker account is removed, it never provisions again",
    description="403: not a care operator. 404: not a device of the caller's area. 409: deprovisioned already. "
    "503: the broker's accounts did not answer (nothing changed).",
    responses={200: body(pb.Device), **problems(404, 409)},
)
async def deprovision(client: Client, device_id: AnId):
    return to_json(await client.deprovision_device(pb.DeviceRequest(device_id=device_id)))


class OfflineTimeout(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"offline_after_seconds": 7200}]})
    offline_after_seconds: int = Field(
        ge=0, le=604800, description="60..604800 seconds without a message before it shows offline; 0: its profile's"
    )


@router.put(
    "/staff/devices/{device_id}/offline-timeout",
    dependencies=[Depends(json_body)],
    summary="A care operator sets a device's own offline timeout (0: back to its profile's)",
    description="How long without a message before the device shows offline and its queued commands wait. "
    "403: not a care operator. 404: not a device of the caller's area. 400: not 0 and not 60..604800 seconds. "
    "409: deprovisioned.",
    responses={200: body(pb.Device), **problems(404, 409)},
)
async def set_offline_timeout(client: Client, device_id: AnId, body: OfflineTimeout):
    r = pb.SetDeviceOfflineTimeoutRequest(device_id=device_id, offline_after_seconds=body.offline_after_seconds)
    return to_json(await client.set_offline_timeout(r))


class NewCommand(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"command": "silence", "ttl_seconds": 300}]}
    )
    command: str = Field(
        min_length=1, max_length=40, pattern="^[a-z_]+$", description="One of the device profile's commands (else 404)"
    )
    ttl_seconds: int = Field(default=0, ge=0, le=86400, description="0: the default time to live")


@router.post(
    "/devices/{device_id}/commands",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A persistent command to a device (silence its siren, test it): queued, sent while it is online",
    description="Its state goes QUEUED, SENT, DELIVERED, then SUCCESSFUL or FAILED as the device replies; "
    "EXPIRED if never sent within its time to live, TIMEOUT if unanswered. 403: family (the elder's household "
    "or care staff of the area command devices). 404: no such device, or its profile has no such command. "
    "409: the device is not provisioned yet.",
    responses={201: body(pb.DeviceCommand), **problems(404, 409)},
)
async def send_command(client: Client, device_id: AnId, body: NewCommand):
    r = pb.SendDeviceCommandRequest(device_id=device_id, command=body.command, ttl_seconds=body.ttl_seconds)
    return to_json(await client.send_device_command(r))


@router.get(
    "/devices/{device_id}/commands",
    summary="A device's commands, newest first, with their states",
    responses={200: listed("commands", pb.DeviceCommand), **problems(404)},
)
async def list_commands(client: Client, device_id: AnId, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    r = await client.list_device_commands(pb.ListDeviceCommandsRequest(device_id=device_id, limit=limit))
    return {"commands": [to_json(c) for c in r.commands]}


# --- alarms ---


@router.get(
    "/alarms",
    summary="Alarms of the elders the caller may see, newest first",
    responses={200: listed("alarms", pb.Alarm), **problems(404)},
)
async def alarms(
    client: Client,
    elder_id: ElderFilter = "",
    open_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    r = await client.list_alarms(pb.ListAlarmsRequest(elder_id=elder_id, open_only=open_only, limit=limit))
    return {"alarms": [to_json(a) for a in r.alarms]}


@router.post(
    "/alarms/{alarm_id}/acknowledge",
    summary="Answer an alarm: its reminders stop (409: acknowledged already)",
    responses={200: body(pb.Alarm), **problems(409)},
)
async def acknowledge(client: Client, alarm_id: AnId):
    return to_json(await client.acknowledge_alarm(pb.AcknowledgeAlarmRequest(id=alarm_id)))


# One event of the live stream (OpenAPI 3.1: the schema of text/event-stream describes each event).
LIVE_EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {
            "type": "string",
            "description": "ready (the stream is open: list the alarms now), or alarm (one changed: "
            "its alarm_id, device_id (when raised), change: raised, acknowledged, resolved, reminded, overdue or "
            "noted; list them again)",
        },
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


@router.get(
    "/alarms/events",
    response_class=EventSourceResponse,
    summary="The care centre's live stream: each change of an alarm the member of staff sees, as it happens",
    description="For care staff (care_operator, village_caregiver; 403 for anyone else). A page that does not "
    "read is disconnected; on reconnecting (the ready event) it lists the alarms again.",
    responses={
        200: body(LIVE_EVENT, "The stream, until the page hangs up", "text/event-stream"),
        429: problem_response(429, "Too many calls, or as many live streams open as may be"),
    },
)
async def live_events(
    request: Request,
    auth: Annotated[tuple, Depends(signed_in_stream)],
    access_token: Annotated[
        str | None, Query(max_length=4096, description="The token, where a browser's EventSource sends no header")
    ] = None,
):
    caller: Caller = auth[0]
    if caller.kind != CallerKind.STAFF or not caller.roles.intersection(CARE_STAFF):
        raise Problem(403, "the live stream is for the care centre's staff")
    hub: AlarmHub = request.app.state.eldercare_live
    stream = hub.subscribe(caller)

    async def changes():
        yield {"event": "ready", "data": json.dumps({"area_code": caller.area_code})}
        while not stream.closed:
            change = await stream.queue.get()
            if change is None:
                return
            yield {"event": "alarm", "data": json.dumps(change)}

    return LiveResponse(changes(), hub, stream)


class LiveResponse(EventSourceResponse):
    """The stream's subscription ends with the response, however it ends (also before it started)."""

    def __init__(self, content, hub: AlarmHub, stream: LiveStream):
        super().__init__(content, ping=15, send_timeout=10)
        self.hub, self.stream = hub, stream

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except SendTimeoutError:
            log.warning("a live page took no data in time; its stream is closed")
        finally:
            self.hub.unsubscribe(self.stream)


class FollowUp(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"follow_up": "已电话联系，老人安好"}]})
    follow_up: str = Field(min_length=1, max_length=1000, pattern=TEXT)


@router.post(
    "/alarms/{alarm_id}/resolve",
    dependencies=[Depends(json_body)],
    summary="Care staff close an acknowledged alarm with the follow-up (409: not acknowledged yet, or resolved)",
    responses={200: body(pb.Alarm), **problems(409)},
)
async def resolve(client: Client, alarm_id: AnId, body: FollowUp):
    return to_json(await client.resolve_alarm(pb.ResolveAlarmRequest(id=alarm_id, follow_up=body.follow_up)))


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "电话联系女儿，正在赶去"}]})
    text: str = Field(min_length=1, max_length=1000, pattern=TEXT)


@router.post(
    "/alarms/{alarm_id}/notes",
    dependencies=[Depends(json_body)],
    summary="Care staff add a follow-up note to an acknowledged or resolved alarm (409: not acknowledged yet)",
    responses={200: body(pb.Alarm), **problems(404, 409)},
)
async def add_note(client: Client, alarm_id: AnId, body: Note):
    return to_json(await client.add_follow_up_note(pb.AddFollowUpNoteRequest(id=alarm_id, text=body.text)))


@router.get(
    "/alarms/figures",
    summary="The care staff's figures: follow-up rate (against 100%) and answer times (against TSA QSF's 60 s / 180 s)",
    description="Over the alarms of the caller's area raised in the last `days` (30 when not given); 403 for "
    "anyone but care staff.",
    responses={200: body(pb.AlarmFigures)},
)
async def figures(client: Client, days: Annotated[int, Query(ge=1, le=366)] = 30):
    return to_json(await client.get_alarm_figures(pb.GetAlarmFiguresRequest(days=days)))


class Sos(BaseModel):
    model_config = ConfigDict(extra="forbid")
    elder_id: str = Field(default="", max_length=36, pattern="^[A-Za-z0-9-]*$")


@router.post(
    "/sos",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="The remote's SOS key: an SOS alarm for the household's elder (its only one when elder_id is empty)",
    description="A repeat while the alarm is open folds into it (the same alarm, one more repeat). "
    "404: no such elder of the household, or none enrolled.",
    responses={201: body(pb.Alarm), **problems(404)},
)
async def sos(client: Client, body: Sos):
    return to_json(await client.press_sos(pb.PressSosRequest(elder_id=body.elder_id)))


# --- medication reminders ---


class Timing(BaseModel):
    """Like FHIR Timing.repeat: timeOfDay, dayOfWeek, a period in days, boundsPeriod (local dates)."""

    model_config = ConfigDict(extra="forbid")
    times_of_day: list[Annotated[str, Field(pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$")]] = Field(
        min_length=1, max_length=6, description="HH:MM in the district's time zone, all different (else 400)"
    )
    days_of_week: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default=[], max_length=7, description="Empty: every day; all different (else 400)"
    )
    every_days: int = Field(default=1, ge=1, le=30, description="A dose day every N days from starts_on")
    starts_on: str = Field(pattern=DATE, description="YYYY-MM-DD (a real date, else 400)")
    ends_on: str = Field(
        default="", pattern="^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", description="Empty: no end; not before starts_on"
    )


class NewSchedule(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "medicine": "氨氯地平",
                    "dose": "1片",
                    "timing": {"times_of_day": ["08:00", "20:00"], "starts_on": "2026-12-01"},
                }
            ]
        },
    )
    medicine: str = Field(min_length=1, max_length=50, pattern=LINE)
    dose: str = Field(min_length=1, max_length=50, pattern=LINE)
    timing: Timing


@router.post(
    "/elders/{elder_id}/medication",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Bound family or the elder's care staff set a medication schedule; its doses remind the elder's TV",
    description="403: the elder's own household (it confirms doses; family set them). "
    "409: the elder has the most active schedules already.",
    responses={201: body(pb.MedicationSchedule), **problems(404, 409)},
)
async def set_medication(client: Client, elder_id: AnId, body: NewSchedule):
    t = body.timing
    request = pb.SetMedicationScheduleRequest(
        elder_id=elder_id,
        medicine=body.medicine,
        dose=body.dose,
        timing=pb.MedicationTiming(
            times_of_day=t.times_of_day,
            days_of_week=t.days_of_week,
            every_days=t.every_days,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
        ),
    )
    return to_json(await client.set_medication_schedule(request))


@router.get(
    "/elders/{elder_id}/medication",
    summary="An elder's medication schedules, stopped ones too",
    responses={200: listed("schedules", pb.MedicationSchedule), **problems(404)},
)
async def list_medication(client: Client, elder_id: AnId):
    r = await client.list_medication_schedules(pb.ListMedicationSchedulesRequest(elder_id=elder_id))
    return {"schedules": [to_json(x) for x in r.schedules]}


@router.post(
    "/medication/{schedule_id}/stop",
    summary="Bound family or care staff stop a schedule: no dose falls due after it (409: stopped already)",
    responses={200: body(pb.MedicationSchedule), **problems(404, 409)},
)
async def stop_medication(client: Client, schedule_id: AnId):
    return to_json(await client.stop_medication_schedule(pb.StopMedicationScheduleRequest(id=schedule_id)))


@router.get(
    "/doses",
    summary="Medication doses of the elders the caller may see, newest first (the family sees missed ones here)",
    responses={200: listed("doses", pb.Dose), **problems(404)},
)
async def list_doses(
    client: Client,
    elder_id: ElderFilter = "",
    state: Literal["", "due", "confirmed", "missed"] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    r = await client.list_doses(pb.ListDosesRequest(elder_id=elder_id, state=state, limit=limit))
    return {"doses": [to_json(d) for d in r.doses]}


@router.post(
    "/doses/{dose_id}/confirm",
    summary="The elder's TV (its confirm key) or care staff confirm a dose was taken",
    description="403: family (they see doses; the elder confirms them). "
    "409: confirmed already, or its window is over (missed).",
    responses={200: body(pb.Dose), **problems(404, 409)},
)
async def confirm_dose(client: Client, dose_id: AnId):
    return to_json(await client.confirm_dose(pb.ConfirmDoseRequest(id=dose_id)))


# --- care orders ---

INDICATOR = "^[a-z_]{1,32}$"


@router.get(
    "/care-order-kinds",
    summary="The kinds of care order: their names, working days, providers, and the 好差评 indicators and reasons",
    responses={200: body(pb.ListCareOrderKindsResponse)},
)
async def care_order_kinds(client: Client):
    return to_json(await client.list_care_order_kinds(pb.ListCareOrderKindsRequest()))


class NewCareOrder(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"kind": "meals", "details": "每天中午送餐", "provider": "村（社区）老年食堂 (check)"}]
        },
    )
    kind: str = Field(
        min_length=1, max_length=40, pattern="^[a-z_]+$", description="One of care-order-kinds' (else 400)"
    )
    details: str = Field(default="", max_length=500, pattern=TEXT)
    provider: str = Field(min_length=1, max_length=100, pattern=LINE, description="One of the kind's (else 404)")


@router.post(
    "/elders/{elder_id}/care-orders",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Bound family or the elder's care staff order care (a doctor's visit, transport, meals, ...)",
    description="Due within the kind's working days. 403: the elder's own household (family or care staff "
    "order). 404: no such elder, or a provider the kind does not have.",
    responses={201: body(pb.CareOrder), **problems(404)},
)
async def create_care_order(client: Client, elder_id: AnId, body: NewCareOrder):
    r = pb.CreateCareOrderRequest(elder_id=elder_id, kind=body.kind, details=body.details, provider=body.provider)
    return to_json(await client.create_care_order(r))


@router.get(
    "/care-orders",
    summary="Care orders of the elders the caller may see, newest first",
    responses={200: listed("orders", pb.CareOrder), **problems(404)},
)
async def list_care_orders(
    client: Client,
    elder_id: ElderFilter = "",
    state: Literal["", "requested", "accepted", "done", "cancelled"] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    r = await client.list_care_orders(pb.ListCareOrdersRequest(elder_id=elder_id, state=state, limit=limit))
    return {"orders": [to_json(o) for o in r.orders]}


@router.post(
    "/care-orders/{order_id}/accept",
    summary="Care staff of the elder's area take an order on (409: not requested)",
    responses={200: body(pb.CareOrder), **problems(404, 409)},
)
async def accept_care_order(client: Client, order_id: AnId):
    return to_json(await client.accept_care_order(pb.CareOrderRequest(id=order_id)))


class Done(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "医生已上门，已调整用药"}]})
    note: str = Field(min_length=1, max_length=1000, pattern=TEXT)


@router.post(
    "/care-orders/{order_id}/complete",
    dependencies=[Depends(json_body)],
    summary="Care staff record an accepted order done, with what was done (409: not accepted, or over)",
    responses={200: body(pb.CareOrder), **problems(404, 409)},
)
async def complete_care_order(client: Client, order_id: AnId, body: Done):
    return to_json(await client.complete_care_order(pb.CompleteCareOrderRequest(id=order_id, note=body.note)))


@router.post(
    "/care-orders/{order_id}/cancel",
    summary="Bound family or care staff cancel an order not yet done (409: done or cancelled already)",
    responses={200: body(pb.CareOrder), **problems(404, 409)},
)
async def cancel_care_order(client: Client, order_id: AnId):
    return to_json(await client.cancel_care_order(pb.CareOrderRequest(id=order_id)))


def indicator_names(indicators: dict[str, int]) -> dict[str, int]:
    if any(not re.fullmatch(INDICATOR, k) for k in indicators):
        raise ValueError("an indicator's name is 1..32 of a-z and _")
    return indicators


class OrderRating(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"level": "satisfied", "indicators": {"punctuality": 5}, "reasons": []}]},
    )
    level: str = Field(min_length=1, max_length=32, json_schema_extra={"enum": RATING_LEVELS})
    indicators: Annotated[dict[str, Annotated[int, Field(ge=1, le=5)]], AfterValidator(indicator_names)] = Field(
        default_factory=dict,
        max_length=5,
        description="care-order-kinds' rating_indicators, 1..5 each (else 400)",
        json_schema_extra={"propertyNames": {"pattern": INDICATOR}},
    )
    reasons: list[Annotated[str, Field(min_length=1, max_length=32, pattern=LINE)]] = Field(
        default_factory=list, max_length=10, description="care-order-kinds' rating_reasons, each once (else 400)"
    )
    comment: str = Field(default="", max_length=500, pattern=TEXT)


@router.post(
    "/care-orders/{order_id}/rating",
    dependencies=[Depends(json_body)],
    summary="The elder's household or bound family rate a done order (好差评), once",
    description="403: staff. 409: not done yet, or rated already.",
    responses={200: body(pb.CareOrder), **problems(404, 409)},
)
async def rate_care_order(client: Client, order_id: AnId, body: OrderRating):
    r = pb.RateCareOrderRequest(
        id=order_id, level=body.level, indicators=body.indicators, reasons=body.reasons, comment=body.comment
    )
    return to_json(await client.rate_care_order(r))


class AlarmRating(OrderRating):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"level": "dissatisfied", "indicators": {"response": 2}, "reasons": ["响应太慢"]}]
        },
    )
    indicators: Annotated[dict[str, Annotated[int, Field(ge=1, le=5)]], AfterValidator(indicator_names)] = Field(
        default_factory=dict,
        max_length=5,
        description="the indicators of eldercare's alarm_rating (its care.json), 1..5 each (else 400)",
        json_schema_extra={"propertyNames": {"pattern": INDICATOR}},
    )
    reasons: list[Annotated[str, Field(min_length=1, max_length=32, pattern=LINE)]] = Field(
        default_factory=list,
        max_length=10,
        description="the reasons of eldercare's alarm_rating (its care.json), each once (else 400)",
    )


@router.post(
    "/alarms/{alarm_id}/rating",
    dependencies=[Depends(json_body)],
    summary="The elder's household or bound family rate how a resolved alarm was handled (好差评), once",
    description="Indicators overall, response, attitude; reasons among care.json's alarm_rating (else 400). "
    "A bad rating (dissatisfied, very_dissatisfied) opens a rectification (GET /rectifications). "
    "403: staff. 409: not resolved yet, or rated already.",
    responses={200: body(pb.Alarm), **problems(404, 409)},
)
async def rate_alarm(client: Client, alarm_id: AnId, body: AlarmRating):
    r = pb.RateAlarmRequest(
        id=alarm_id, level=body.level, indicators=body.indicators, reasons=body.reasons, comment=body.comment
    )
    return to_json(await client.rate_alarm(r))


@router.get(
    "/rectifications",
    summary="Rectifications after a 差评 of an alarm's handling or a care order, newest first",
    description="Each with its call-back deadline (24 h) and its fix deadline (15 working days), the care "
    "centre's call back and its answer: the rater, the elder's household and family, and the area's care "
    "staff see them. 404: an elder the caller does not see.",
    responses={200: listed("rectifications", pb.Rectification), **problems(404)},
)
async def list_rectifications(
    client: Client,
    elder_id: ElderFilter = "",
    open_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    r = await client.list_rectifications(
        pb.ListRectificationsRequest(elder_id=elder_id, open_only=open_only, limit=limit)
    )
    return {"rectifications": [to_json(x) for x in r.rectifications]}


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "已电话致歉，了解了情况"}]})
    text: str = Field(min_length=1, max_length=1000, pattern=TEXT)


@router.post(
    "/rectifications/{rectification_id}/call-back",
    dependencies=[Depends(json_body)],
    summary="Care staff record the call back to the rater of a 差评 (409: called back already)",
    description="403: not care staff. 404: not of the caller's area.",
    responses={200: body(pb.Rectification), **problems(404, 409)},
)
async def call_back(client: Client, rectification_id: AnId, body: Answer):
    r = pb.AnswerRectificationRequest(id=rectification_id, text=body.text)
    return to_json(await client.call_back_rectification(r))


@router.post(
    "/rectifications/{rectification_id}/fix",
    dependencies=[Depends(json_body)],
    summary="Care staff record a 差评's fix, with the answer the rater reads (409: not called back yet, or fixed)",
    description="403: not care staff. 404: not of the caller's area.",
    responses={200: body(pb.Rectification), **problems(404, 409)},
)
async def fix(client: Client, rectification_id: AnId, body: Answer):
    r = pb.AnswerRectificationRequest(id=rectification_id, text=body.text)
    return to_json(await client.fix_rectification(r))


# --- the care centre's live page ---


@pages.get("/live")
async def live_page():
    """Open alarms by severity and age, each with its escalation clock, acknowledged and followed up."""
    return FileResponse(STATIC / "live.html", media_type="text/html")


# --- the TV's home screen ---

BIND_ITEM = {"title": "绑定家中老人", "detail": "输入老人电视上的邀请码", "state": "bind"}

# The home screen's tile contract (gateway/routes/home.py): a title, a few items, the screen it opens.
TILE = obj(
    service={"type": "string", "const": "eldercare"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


async def _summary(request: Request, caller: Caller, token: str) -> pb.HomeSummary | None:
    """The household's summary, fetched once per HTTP request (the home screen asks for the tile
    and for has_elder in the same request)."""
    if not caller.is_household():
        return None
    if not hasattr(request.state, "eldercare_summary"):
        request.state.eldercare_summary = asyncio.ensure_future(_fetch_summary(request, token))
    return await asyncio.shield(request.state.eldercare_summary)


async def _fetch_summary(request: Request, token: str) -> pb.HomeSummary | None:
    try:
        return await Eldercare.of(request, token).get_home_summary(pb.GetHomeSummaryRequest())
    except grpc.aio.AioRpcError as exc:
        # The home screen shows without this tile rather than fail.
        log.warning("eldercare's home summary failed: %s", exc.code().name)
        return None


def _tile(s: pb.HomeSummary | None, caller: Caller) -> dict | None:
    if s is None:
        return None
    if s.elders == 0 and s.family_elders == 0:
        # A member on the phone is where family bind, by the code the elder's TV shows.
        if caller.kind != CallerKind.MEMBER:
            return None
        return {"service": "eldercare", "title": "智慧养老", "screen": TV_SCREEN, "items": [BIND_ITEM]}
    items = []
    if s.due_doses:
        items.append({"title": "该吃药了", "detail": f"{s.due_doses} 次待确认", "state": "due_doses"})
    if s.missed_doses:
        items.append({"title": "家人漏服药", "detail": f"{s.missed_doses} 次", "state": "missed_doses"})
    if s.open_alarms:
        items.append({"title": "未处理的告警", "detail": f"{s.open_alarms} 条", "state": "open_alarms"})
    if s.reminders:
        items.append({"title": "已发出的提醒", "detail": f"{s.reminders} 次", "state": "reminders"})
    return {"service": "eldercare", "title": "智慧养老", "screen": TV_SCREEN, "items": items}


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The home screen's eldercare tile for a household with an elder or bound as family, and on a
    member's phone to bind family (None otherwise): its title, the doses due, the family's missed
    doses, the open alarms and the reminders sent for them, and the screen it opens."""
    return _tile(await _summary(request, caller, token), caller)


async def has_elder(request: Request, caller: Caller, token: str) -> bool:
    """Whether the household has an elder enrolled (the TV then starts in its simple mode)."""
    s = await _summary(request, caller, token)
    return s is not None and s.elders > 0


@router.get(
    "/home",
    summary="What the TV's home screen shows of eldercare: the tile (null without an elder) and simple mode",
    responses={200: body(obj(tile={"oneOf": [TILE, {"type": "null"}]}, has_elder={"type": "boolean"}))},
)
async def home(request: Request, auth: SignedIn):
    # The same two calls the TV app's home screen makes (so that this route tests them over HTTP).
    return {"tile": await home_tile(request, *auth), "has_elder": await has_elder(request, *auth)}
