"""The terminal's side: the push stream (SSE) and the list of push messages."""
from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, Query, Request
from sse_starlette.sse import EventSourceResponse

from gateway.common import signed_in, to_json
from gateway.problems import Problem
from sbc.common.v1 import common_pb2
from sbc.notifications.v1 import notifications_pb2

router = APIRouter(prefix="/v1")


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
    caller, _ = await request.app.state.security.require(request, allow_query_token=True)
    if not caller.is_household():
        raise Problem(403, "the push stream is for a household's signed-in terminal")
    hub = request.app.state.push
    sub = hub.subscribe(caller.household_id, caller.device_id)

    async def stream():
        try:
            yield {"event": "ready", "data": json.dumps({"household_id": caller.household_id})}
            while True:
                message = await sub.queue.get()
                yield {"id": message.id, "event": message.kind, "data": json.dumps(to_json(message), ensure_ascii=False)}
        except asyncio.CancelledError:
            raise
        finally:
            hub.unsubscribe(sub)

    return EventSourceResponse(stream(), ping=15)
