"""The terminal's side: the push stream (SSE) and the list of push messages."""

from __future__ import annotations

import asyncio
import json
import logging

import grpc
from cachetools import LRUCache
from fastapi import APIRouter, Depends, Query, Request
from sse_starlette import ServerSentEvent
from sse_starlette.sse import EventSourceResponse

from gateway.batching import Batcher
from gateway.common import signed_in, to_json
from gateway.problems import Problem
from sbc.alerts.v1 import alerts_pb2
from sbc.common.v1 import common_pb2
from sbc.events.v1 import alert_events_pb2
from sbc.notifications.v1 import notifications_pb2

router = APIRouter(prefix="/v1")
log = logging.getLogger(__name__)


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


@router.get("/push-messages", tags=["terminal"], summary="Messages pushed to the household, newest first")
async def list_push_messages(
    request: Request,
    page_size: int = Query(20, ge=1, le=100),
    page_token: str = Query("", max_length=40),
    auth=Depends(signed_in),
):
    _, token = auth
    r = await request.app.state.backends.notifications.ListMyPushMessages(
        notifications_pb2.ListMyPushMessagesRequest(
            page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)
        ),
        metadata=request.app.state.backends.auth(token),
        timeout=request.app.state.settings.backend_timeout,
    )
    return {"messages": [to_json(x) for x in r.messages], "next_page_token": r.page.next_page_token}


@router.get("/terminal/events", tags=["terminal"], summary="Server-sent events for the signed-in terminal")
async def terminal_events(request: Request):
    caller, token = await request.app.state.security.require(request, allow_query_token=True)
    if not caller.is_household():
        raise Problem(403, "the push stream is for a household's signed-in terminal")
    hub = request.app.state.push
    alert_hub = request.app.state.alert_push

    async def stream():
        # Subscribed here, inside the stream, so that a terminal gone before its stream started
        # leaves nothing behind; and before asking for the active alerts, so none is missed.
        sub = hub.subscribe(caller.household_id, caller.device_id, caller.area_code)
        alert_hub.add(sub)
        try:
            active = await _connect_terminal(request, token)
            yield {"event": "ready", "data": json.dumps({"household_id": caller.household_id})}
            for alert in active:  # alerts active in this terminal's area when it connects
                sub.offer_alert(alert)
            while True:
                message = await sub.queue.get()
                if isinstance(message, alert_events_pb2.AlertBroadcast):
                    yield alert_frame(message)
                    continue
                yield {
                    "id": message.id,
                    "event": message.kind,
                    "data": json.dumps(to_json(message), ensure_ascii=False),
                }
        except asyncio.CancelledError:
            raise
        finally:
            hub.unsubscribe(sub)
            alert_hub.unsubscribe(sub)

    return EventSourceResponse(stream(), ping=15)


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


def connections_batcher(backends, timeout: float) -> Batcher:
    """Terminals opening their streams, many to a ConnectTerminals call."""

    async def send(tokens: list) -> list:
        r = await backends.alerts.ConnectTerminals(alerts_pb2.ConnectTerminalsRequest(tokens=tokens), timeout=timeout)
        return list(r.connections)

    return Batcher("terminal-connections", send)
