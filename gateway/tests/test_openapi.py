"""The gateway's OpenAPI document, without any backend: every operation states its responses, the
gateway's own answers once for all, protobuf messages as the JSON the gateway sends, and a 405's
Allow header names the methods the document lists. (e2e/test_openapi_schemathesis.py holds the
document to what the running platform answers.)"""

from __future__ import annotations

import httpx
import jsonschema
import pytest

from gateway.app import create_app
from gateway.common import to_json
from gateway.openapi import message_schema
from gateway.settings import GatewaySettings
from runtime import registry
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2

PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
def app():
    return create_app(GatewaySettings())


@pytest.fixture(scope="module")
def doc(app) -> dict:
    return app.openapi()


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_module_follows_the_path_convention(doc):
    modules = {s.name for s in registry.load().public()} | {"terminal", "home", "handbook"}
    for path, method, _ in operations(doc):
        if path in ("/healthz", "/readyz", "/status"):
            continue
        first, second = (path.strip("/").split("/") + [""])[:2]
        # a module's document in another format is /v1/<module>.<format> (/v1/handbook.pdf)
        assert (first == "v1" and second.split(".")[0] in modules) or first in modules, f"{method.upper()} {path}"


def test_every_operation_states_its_body_and_the_gateways_own_answers(doc):
    for path, method, op in operations(doc):
        name, responses = f"{method.upper()} {path}", op["responses"]
        ok = [s for s in responses if s.startswith("2")]
        assert len(ok) == 1, name
        assert ok == ["204"] or all("schema" in c for c in responses[ok[0]]["content"].values()), name
        if "health" in op.get("tags", []):
            continue
        for status in ("429", "500", "503", "504"):
            assert PROBLEM_JSON in responses[status]["content"], (name, status)
        assert responses["429"]["headers"]["Retry-After"]["required"], name
        if op.get("security"):
            assert {"401", "403"} <= set(responses), name
        if "requestBody" in op:
            assert {"400", "413", "422"} <= set(responses), name
        if "{" in path:
            assert "404" in responses, name


def test_the_token_and_the_phone_page_answer_in_their_own_media_types(doc):
    token = doc["paths"]["/v1/identity/token"]["post"]["responses"]
    assert set(token["400"]["content"]) == {"application/json", PROBLEM_JSON}
    page = doc["paths"]["/identity/device"]["post"]["responses"]
    assert set(page["404"]["content"]) == {"text/html", PROBLEM_JSON}
    assert doc["paths"]["/v1/terminal/events"]["get"]["responses"]["200"]["content"].keys() == {"text/event-stream"}


def test_every_reference_resolves_and_fastapis_own_422_is_gone(doc):
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "Problem" in schemas

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for v in node.values():
                yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_a_message_schema_is_the_json_the_gateway_sends():
    schema = message_schema(servicedesk_pb2.ServiceRequest.DESCRIPTOR)
    assert schema["properties"]["submitted_at"] == {"type": "string", "format": "date-time"}
    assert schema["properties"]["area"] == {"$ref": "#/components/schemas/sbc.common.v1.Area"}
    money = message_schema(common_pb2.Money.DESCRIPTOR)
    assert money["properties"]["fen"]["type"] == "string"  # int64: a string in protobuf's JSON
    standard = message_schema(servicedesk_pb2.ServiceStandard.DESCRIPTOR)
    assert standard["properties"]["time_limit_hours"]["additionalProperties"]["type"] == "integer"
    sent = to_json(
        servicedesk_pb2.ServiceStandard(code="x", time_limit_hours={"urban": 24}, fee=common_pb2.Money(fen=20000))
    )
    jsonschema.validate(sent, {**standard, "properties": {**standard["properties"], "fee": money}})


async def test_a_405_names_the_methods_the_document_lists(app):
    # No lifespan: nothing here reaches a backend.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c:
        r = await c.request("OPTIONS", "/v1/alerts/terminals")
        assert r.status_code == 405 and r.headers["allow"] == "POST"
        assert r.headers["content-type"] == PROBLEM_JSON
        assert (await c.request("OPTIONS", "/v1/servicedesk/requests")).headers["allow"] == "GET, POST"
        assert (await c.request("DELETE", "/v1/alerts/abc/receipts")).headers["allow"] == "POST"
