"""Notifications under /v1/notifications/: the messages pushed to the household's terminals, for
a terminal that was away when they were streamed (gateway/routes/terminal.py streams them live)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway.common import ServiceClient, SignedIn, to_json
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, body, page_of
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


@router.get(
    "/messages",
    summary="Messages pushed to the household, newest first",
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
