"""The gateway's own module: a signed-in terminal's push stream (server-sent events) at
/v1/terminal/events, fed from Kafka by gateway/push.py. Receipts for alerts go to
/v1/alerts/{id}/receipts (gateway/routes/alerts.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Annotated

import grpc
from cachetools import LRUCache
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import ServerSentEvent
from sse_starlette.sse import EventSourceResponse, SendTimeoutError

from gateway.batching import Batcher
from gateway.common import SignedIn, json_body, signed_in_stream, to_json
from gateway.openapi import body, obj, problem_response, problems
from gateway.problems import Problem
from gateway.push import STAFF_PUSH_ROLES, BadSubscription, StreamsFull, Subscription, WebPush
from gateway.routes.alerts import Alerts
from runtime.auth import CallerKind
from runtime.settings import env
from sbc.events.v1 import alert_events_pb2

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    """Terminals opening their streams are registered with the alerts service many to a
    ConnectTerminals call (every TV reconnects at once after a gateway restarts)."""

    client = Alerts(app.state.backends, app.state.settings.backend_timeout)  # the tokens are the call's items

    async def send(tokens: list) -> list:
        return list((await client.connect_terminals(tokens)).connections)

    app.state.connections = Batcher("terminal-connections", send)
    app.state.connections.start()
    app.state.web_push = web_push(app)
    yield
    await app.state.connections.stop()


def web_push(app: FastAPI) -> WebPush | None:
    """Web Push to the members' phones, when the platform has a VAPID key (WEB_PUSH_VAPID_KEY_FILE):
    each push message is also sent to the household's subscriptions."""
    key_file = env("WEB_PUSH_VAPID_KEY_FILE")
    if not key_file:
        return None
    sender = WebPush(
        app.state.redis,
        key_file,
        env("WEB_PUSH_SUBJECT", "mailto:noc@example.invalid"),
        tuple(p for p in env("WEB_PUSH_LOCAL_ENDPOINTS").split(",") if p),
    )
    pending: set[asyncio.Task] = set()
    before = app.state.push.on_message

    def on_message(message) -> None:
        if before is not None:
            before(message)
        task = asyncio.ensure_future(sender.send(message))
        pending.add(task)  # kept until done: the loop holds tasks weakly
        task.add_done_callback(pending.discard)

    app.state.push.on_message = on_message
    return sender


router = APIRouter(prefix="/v1/terminal", tags=["terminal"], lifespan=lifespan)

_alert_frames: LRUCache = LRUCache(maxsize=256)


def alert_frame(alert: alert_events_pb2.AlertBroadcast) -> bytes:
    """An emergency alert on the stream: event "alert"; the TV shows it over whatever plays,
    marked as a drill when `drill` is true, and removes it on kind cancel/expire.

    Encoded once per (alert, kind, attempt), not once per terminal: the same bytes go to
    thousands of streams at once. (Only the event loop's thread calls this.)"""
    key = (alert.alert_id, alert.kind, alert.attempt)
    frame = _alert_frames.get(key)
    if frame is None:
        frame = _alert_frames[key] = ServerSentEvent(
            id=f"alert-{alert.alert_id}-{alert.kind}-{alert.attempt}",
            event="alert",
            data=json.dumps(to_json(alert) | {"drill": alert.drill}, ensure_ascii=False),
        ).encode()
    return frame


# One event of the stream (OpenAPI 3.1: the schema of text/event-stream describes each event).
EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {
            "type": "string",
            "description": "ready (the stream is open), alert (an emergency alert: show it over whatever plays; "
            "its kind cancel or expire takes it down), or a push message's kind, e.g. service_request.received "
            "(its data's `opens`, where set, names the screen and id it is about, e.g. egov.application/<id>)",
        },
        "data": {"type": "string", "contentMediaType": "application/json"},
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
}


# How long a household refused for too many streams is asked to wait.
STREAMS_FULL_RETRY_AFTER = 30


class TerminalStream(EventSourceResponse):
    """The stream of one terminal: its subscription ends with the response, however it ends
    (also when the terminal is gone before the stream started). A write that the terminal does
    not take within the send timeout closes the stream, without holding any other up."""

    def __init__(self, content, subscription: Subscription, hubs: tuple, send_timeout: float):
        super().__init__(content, ping=15, send_timeout=send_timeout)
        self.subscription = subscription
        self.hubs = hubs

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except SendTimeoutError:
            log.warning(
                "a terminal took no data in time; its stream is closed",
                extra={"household": self.subscription.household_id},
            )
        finally:
            for hub in self.hubs:
                hub.unsubscribe(self.subscription)


@router.get(
    "/events",
    response_class=EventSourceResponse,
    summary="Server-sent events for the signed-in terminal: push messages and emergency alerts; "
    "for a village agent, the push messages addressed to them",
    description="A box may keep a few streams open (a newer one closes its oldest past the limit, "
    "STREAM_LIMIT_DEVICE); a household past its limit (STREAM_LIMIT_HOUSEHOLD) is refused with 429 and "
    "Retry-After. A terminal that does not read is disconnected (STREAM_BUFFER, STREAM_SEND_TIMEOUT_SECONDS). "
    "A village agent's stream carries the push messages addressed to them (the applications they filed); "
    "other staff, and departments, get 403.",
    responses={
        200: body(EVENT, "The stream, until the terminal hangs up", "text/event-stream"),
        429: problem_response(429, "Too many calls, or the household has as many push streams open as it may"),
    },
)
async def terminal_events(
    request: Request,
    auth: Annotated[tuple, Depends(signed_in_stream)],
    access_token: Annotated[
        str | None, Query(max_length=4096, description="The token, where a browser's EventSource sends no header")
    ] = None,
):
    caller, token = auth
    if caller.kind == CallerKind.STAFF and caller.roles & STAFF_PUSH_ROLES:
        return _staff_stream(request, caller)
    if not caller.is_household():
        raise Problem(403, "the push stream is for a household's signed-in terminal, or a village agent")
    hub = request.app.state.push
    alert_hub = request.app.state.alert_push
    try:
        # A phone member has no device: its stream is its own terminal, as alerts registers it.
        sub = hub.subscribe(caller.household_id, caller.device_id or caller.subject, caller.area_code)
    except StreamsFull as exc:
        raise Problem(429, str(exc), headers={"Retry-After": str(STREAMS_FULL_RETRY_AFTER)}) from exc
    # Before asking for the active alerts, so none is missed.
    alert_hub.add(sub)

    async def stream():
        active = await _connect_terminal(request, token)
        yield {"event": "ready", "data": json.dumps({"household_id": caller.household_id})}
        for alert in active:  # alerts active in this terminal's area when it connects
            sub.offer_alert(alert)
        while True:
            message = await sub.queue.get()
            if sub.closed:
                log.info("push stream closed by the gateway", extra={"reason": sub.closed})
                return
            if isinstance(message, alert_events_pb2.AlertBroadcast):
                yield alert_frame(message)
                continue
            yield push_frame(message)

    return TerminalStream(stream(), sub, (hub, alert_hub), request.app.state.settings.stream_send_timeout)


def _staff_stream(request: Request, caller) -> TerminalStream:
    """A staff member's stream: the messages addressed to them (no alerts: those are the terminals')."""
    hub = request.app.state.push
    try:
        sub = hub.subscribe("", caller.subject, caller.area_code, staff=caller.subject)
    except StreamsFull as exc:
        raise Problem(429, str(exc), headers={"Retry-After": str(STREAMS_FULL_RETRY_AFTER)}) from exc

    async def stream():
        yield {"event": "ready", "data": json.dumps({"staff": caller.subject})}
        while True:
            message = await sub.queue.get()
            if sub.closed:
                return
            yield push_frame(message)

    return TerminalStream(stream(), sub, (hub,), request.app.state.settings.stream_send_timeout)


def push_frame(message) -> dict:
    """A push message on a stream: event its kind, data the message (with what it opens)."""
    return {"id": message.id, "event": message.kind, "data": json.dumps(to_json(message), ensure_ascii=False)}


async def _connect_terminal(request: Request, token: str) -> list:
    """Register the terminal with the alerts service and get the alerts active in its area
    (together with the terminals connecting at the same moment). The stream opens even when
    that service is away: ordinary pushes still flow."""
    try:
        connection = await request.app.state.connections.call(token)
    except grpc.aio.AioRpcError as exc:
        log.warning("alerts service unavailable on connect", extra={"code": exc.code().name})
        return []
    if connection.code:
        log.warning(
            "alerts service refused the terminal", extra={"code": connection.code, "detail": connection.message}
        )
    return list(connection.alerts)


# --- Web Push: the phone app subscribes, to be told while it is closed ---


def _web_push(request: Request, caller) -> WebPush:
    sender = request.app.state.web_push
    if sender is None:
        raise Problem(404, "Web Push is not configured on this platform")
    if caller.kind != CallerKind.MEMBER:
        raise Problem(403, "Web Push is for a household member's phone")
    return sender


@router.get(
    "/web-push",
    summary="The platform's VAPID public key, for the phone app's push subscription",
    description="404 where Web Push is not configured (WEB_PUSH_VAPID_KEY_FILE); 403 for a caller that is not a "
    "household member signed in on the phone.",
    responses={200: body(obj(public_key={"type": "string"})), **problems(404)},
)
async def web_push_key(request: Request, auth: SignedIn):
    return {"public_key": _web_push(request, auth[0]).public_key()}


class PushKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")
    p256dh: str = Field(min_length=1, max_length=200, pattern="^[A-Za-z0-9_=-]+$")
    auth: str = Field(min_length=1, max_length=64, pattern="^[A-Za-z0-9_=-]+$")


class PushSubscription(BaseModel):
    """The browser's PushSubscription as its toJSON() gives it."""

    model_config = ConfigDict(extra="ignore")
    endpoint: str = Field(min_length=1, max_length=1024, pattern="^https?://[^\\s]+$")
    keys: PushKeys


@router.put(
    "/web-push/subscription",
    status_code=204,
    dependencies=[Depends(json_body)],
    summary="Subscribe this phone to its household's push messages (Web Push)",
    description="The endpoint must be a browser push service's (400 otherwise, naming the field); the keys are "
    "the browser's (p256dh a P-256 public key, auth 16 bytes). Subscribing again is harmless.",
    responses={204: {"description": "Subscribed"}, **problems(404)},
)
async def web_push_subscribe(request: Request, auth: SignedIn, subscription: PushSubscription):
    sender = _web_push(request, auth[0])
    try:
        await sender.subscribe(
            auth[0].household_id, subscription.endpoint, subscription.keys.p256dh, subscription.keys.auth
        )
    except BadSubscription as exc:
        raise Problem(400, str(exc), errors={exc.field: str(exc)}) from exc
    return Response(status_code=204)


class PushEndpoint(BaseModel):
    model_config = ConfigDict(extra="ignore")
    endpoint: str = Field(min_length=1, max_length=1024)


@router.post(
    "/web-push/unsubscribe",
    status_code=204,
    dependencies=[Depends(json_body)],
    summary="Stop Web Push to this phone",
    responses={204: {"description": "Unsubscribed"}, **problems(404)},
)
async def web_push_unsubscribe(request: Request, auth: SignedIn, subscription: PushEndpoint):
    await _web_push(request, auth[0]).unsubscribe(auth[0].household_id, subscription.endpoint)
    return Response(status_code=204)
