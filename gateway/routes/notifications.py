"""Notifications under /v1/notifications/: the messages pushed to the household's terminals, for
a terminal that was away when they were streamed (gateway/routes/terminal.py streams them live),
and the household's preferences (simple mode, 适老化) for all its terminals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, StrictBool

from gateway.common import ServiceClient, SignedIn, json_body, to_json
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, body, obj, page_of
from sbc.common.v1 import common_pb2
from sbc.events.v1 import notification_events_pb2
from sbc.notifications.v1 import notifications_pb2 as pb
from sbc.notifications.v1 import notifications_pb2_grpc

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


class Notifications(ServiceClient):
    service = "notifications"
    stub_class = notifications_pb2_grpc.NotificationServiceStub

    async def my_push_messages(self, page: common_pb2.PageRequest) -> pb.ListMyPushMessagesResponse:
        return await self.stub.ListMyPushMessages(pb.ListMyPushMessagesRequest(page=page), **self.options)

    async def my_preferences(self) -> pb.Preferences:
        return await self.stub.GetMyPreferences(pb.GetMyPreferencesRequest(), **self.options)

    async def choose_simple_mode(self, on: bool) -> pb.Preferences:
        return await self.stub.SetMyPreferences(pb.SetMyPreferencesRequest(simple_mode=on), **self.options)


@router.get(
    "/messages",
    summary="Messages pushed to the household, or addressed to the signed-in staff member, newest first",
    description="What a terminal that was off, or a village agent whose page was closed, missed. "
    "403: a department (neither a household nor staff).",
    responses={200: body(page_of("messages", notification_events_pb2.PushMessage))},
)
async def list_messages(
    request: Request,
    auth: SignedIn,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await Notifications.of(request, auth[1]).my_push_messages(
        common_pb2.PageRequest(page_size=page_size, page_token=page_token)
    )
    return {"messages": [to_json(x) for x in r.messages], "next_page_token": r.page.next_page_token}


PREFERENCES = obj(
    simple_mode={"type": ["boolean", "null"], "description": "null: the household has not chosen (the TV's default)"},
    updated_at={"type": ["string", "null"], "format": "date-time"},
)
PREFERENCES["required"] = ["simple_mode", "updated_at"]


def preferences(p: pb.Preferences) -> dict:
    return {
        "simple_mode": p.simple_mode if p.HasField("simple_mode") else None,
        "updated_at": to_json(p).get("updated_at"),
    }


@router.get(
    "/preferences",
    summary="The household's preferences for all its terminals",
    responses={200: body(PREFERENCES)},
)
async def get_preferences(request: Request, auth: SignedIn):
    return preferences(await Notifications.of(request, auth[1]).my_preferences())


class NewPreferences(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"simple_mode": True}]})
    simple_mode: StrictBool


@router.put(
    "/preferences",
    dependencies=[Depends(json_body)],
    summary="The household switches simple mode (适老化: large type, fewer items, no pop-ups) on or off",
    responses={200: body(PREFERENCES)},
)
async def set_preferences(request: Request, auth: SignedIn, body: NewPreferences):
    return preferences(await Notifications.of(request, auth[1]).choose_simple_mode(body.simple_mode))


# --- the TV's home screen (gateway/routes/home.py) ---


async def home_tile(request: Request, caller, token: str) -> dict:
    """The household's latest messages."""
    r = await Notifications.of(request, token).my_push_messages(common_pb2.PageRequest(page_size=3))
    return {
        "title": "消息",
        "screen": "messages",
        "items": [{"id": m.id, "title": m.title, "detail": m.body, "at": to_json(m)["created_at"]} for m in r.messages],
    }
