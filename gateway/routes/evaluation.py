"""Evaluation under /v1/evaluation/: a household's items, filed, read, listed and closed from its TV or phone.
(Made by `python -m runtime.new evaluation --public`: replace the example Item with the domain's own.)
gateway/app.py includes this module because the registry marks evaluation public; the gateway's own
answers (401, 403, 413, 415, 422, 429, 5xx) are added to the document for every operation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.common import ID, IDEMPOTENCY_KEY, LINE, IdempotencyKey, ServiceClient, SignedIn, json_body, to_json
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, body, page_of, problems
from sbc.common.v1 import common_pb2
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc

router = APIRouter(prefix="/v1/evaluation", tags=["evaluation"])


class Evaluation(ServiceClient):
    service = "evaluation"
    stub_class = evaluation_pb2_grpc.EvaluationServiceStub

    async def create_item(self, title: str, idempotency_key: str) -> pb.Item:
        request = pb.CreateItemRequest(title=title, idempotency_key=idempotency_key)
        return await self.stub.CreateItem(request, **self.options)

    async def get_item(self, item_id: str) -> pb.Item:
        return await self.stub.GetItem(pb.GetItemRequest(id=item_id), **self.options)

    async def my_items(self, page: common_pb2.PageRequest) -> pb.ListMyItemsResponse:
        return await self.stub.ListMyItems(pb.ListMyItemsRequest(page=page), **self.options)

    async def close_item(self, item_id: str) -> pb.Item:
        return await self.stub.CloseItem(pb.CloseItemRequest(id=item_id), **self.options)


def client(request: Request, auth: SignedIn) -> Evaluation:
    return Evaluation.of(request, auth[1])


Client = Annotated[Evaluation, Depends(client)]
ItemId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The item's id")]


class NewItem(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"title": "第一件事"}]})
    title: str = Field(min_length=1, max_length=200, pattern=LINE)


@router.post(
    "/items",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="The signed-in household files an item",
    responses={201: body(pb.Item), **problems(409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def create_item(client: Client, body: NewItem, key: IdempotencyKey):
    return to_json(await client.create_item(body.title, key))


@router.get("/items", summary="The household's items, newest first", responses={200: body(page_of("items", pb.Item))})
async def list_items(
    client: Client,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.my_items(common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"items": [to_json(i) for i in r.items], "next_page_token": r.page.next_page_token}


@router.get("/items/{item_id}", summary="One of the household's items", responses={200: body(pb.Item)})
async def get_item(client: Client, item_id: ItemId):
    return to_json(await client.get_item(item_id))


@router.post(
    "/items/{item_id}/close",
    summary="Close one of the household's items (409 when it is closed already)",
    responses={200: body(pb.Item), **problems(409)},
)
async def close_item(client: Client, item_id: ItemId):
    return to_json(await client.close_item(item_id))
