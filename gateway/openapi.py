"""The OpenAPI document: every response each operation can give, with its schema.

A route declares what is its own: its 2xx body (`body(pb.Message)`: a protobuf message as the
gateway sends it, see `message_schema`) and the problems its service answers (`problems(404, 409)`).
`install(app)` adds, once for every operation, what the gateway itself answers, as
application/problem+json with the one Problem schema:

- 400 (a malformed body, or a value the service refused) and 422 (the request does not match
  this document) where the operation takes input; 413 and 415 where it takes a body;
- 401 and 403 where it needs a signed-in caller (it names the bearer scheme);
- 404 where its path names something;
- 429 with Retry-After (rate limits), 500, 503 and 504 (a service away or too slow) everywhere
  but the health checks.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from gateway.problems import PROBLEM_JSON, TITLES

SCHEMAS = "#/components/schemas/"
PROBLEM_REF = {"$ref": SCHEMAS + "Problem"}

PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance", "request_id"],
    "additionalProperties": False,
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, for a person"},
        "instance": {"type": "string", "description": "The path that was called"},
        "request_id": {"type": "string", "description": "Also in the X-Request-Id header; quote it"},
        "errors": {
            "type": "object",
            "description": "What is wrong with each field, by its name",
            "additionalProperties": {"type": "string"},
        },
    },
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}

MEANINGS = {
    400: "The body is not valid JSON, or the service refused a value (`errors` names it)",
    401: "Sign in first, or the token is invalid or expired",
    403: "The caller may not do this",
    404: "No such thing, or not the caller's to see",
    409: "It conflicts with the current state",
    413: "The body is too large",
    415: "The body is not of the media type this operation takes",
    422: "The request does not match this document (`errors` names each field)",
    429: "Too many requests: wait Retry-After seconds",
    500: "An internal error (logged with the request id)",
    503: "A service behind the gateway is unavailable: try again",
    504: "A service behind the gateway took too long: try again",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Problems an operation may answer besides the gateway's own (e.g. 404, 409 from its service)."""
    return {status: problem_response(status) for status in statuses}


def problem_response(status: int, description: str = "") -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description or MEANINGS.get(status, TITLES.get(status, "Error")),
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if status == 429:
        response["headers"] = RETRY_AFTER
    return response


def body(schema: Any, description: str = "", media_type: str = "application/json") -> dict[str, Any]:
    """A response with a body: a protobuf message class (as `to_json` renders it) or a JSON schema."""
    if not isinstance(schema, dict):
        schema = ref(schema)
    return {"description": description or "OK", "content": {media_type: {"schema": schema}}}


def ref(message: Any) -> dict[str, str]:
    """A reference to a protobuf message's schema (added to the document's components by `install`)."""
    return {"$ref": SCHEMAS + message.DESCRIPTOR.full_name}


def array(items: Any) -> dict[str, Any]:
    return {"type": "array", "items": items if isinstance(items, dict) else ref(items)}


def obj(**properties: Any) -> dict[str, Any]:
    """An object with exactly these properties, each always present."""
    props = {k: v if isinstance(v, dict) else ref(v) for k, v in properties.items()}
    return {"type": "object", "required": list(props), "additionalProperties": False, "properties": props}


# The token of a list's next page; empty on the last one.
NEXT_PAGE_TOKEN = {"type": "string", "pattern": "^[0-9]{0,18}$"}
# A page_token query parameter (the service refuses a token it did not give with 400).
NEXT_PAGE_TOKEN_PARAM: dict[str, Any] = {
    "max_length": 40,
    "description": "The previous page's next_page_token",
    "json_schema_extra": {"pattern": NEXT_PAGE_TOKEN["pattern"]},
}


def page_of(name: str, message: Any) -> dict[str, Any]:
    """One page of a list: its items under `name`, and the next page's token."""
    return obj(**{name: array(message), "next_page_token": NEXT_PAGE_TOKEN})


# --- protobuf messages as JSON (google.protobuf.json_format.MessageToDict, field names kept) ---

_SCALARS: dict[int, dict[str, Any]] = {
    FieldDescriptor.TYPE_STRING: {"type": "string"},
    FieldDescriptor.TYPE_BOOL: {"type": "boolean"},
    FieldDescriptor.TYPE_DOUBLE: {"type": "number"},
    FieldDescriptor.TYPE_FLOAT: {"type": "number"},
    FieldDescriptor.TYPE_INT32: {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    FieldDescriptor.TYPE_SINT32: {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    FieldDescriptor.TYPE_SFIXED32: {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    FieldDescriptor.TYPE_UINT32: {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    FieldDescriptor.TYPE_FIXED32: {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    # 64-bit integers are strings in protobuf's JSON (a JavaScript number loses digits past 2^53).
    FieldDescriptor.TYPE_INT64: {"type": "string", "pattern": "^-?[0-9]+$", "format": "int64"},
    FieldDescriptor.TYPE_SINT64: {"type": "string", "pattern": "^-?[0-9]+$", "format": "int64"},
    FieldDescriptor.TYPE_SFIXED64: {"type": "string", "pattern": "^-?[0-9]+$", "format": "int64"},
    FieldDescriptor.TYPE_UINT64: {"type": "string", "pattern": "^[0-9]+$", "format": "uint64"},
    FieldDescriptor.TYPE_FIXED64: {"type": "string", "pattern": "^[0-9]+$", "format": "uint64"},
    FieldDescriptor.TYPE_BYTES: {"type": "string", "contentEncoding": "base64"},
}

# Well-known types have a JSON form of their own.
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?s$"},
    "google.protobuf.DoubleValue": {"type": "number"},
    "google.protobuf.FloatValue": {"type": "number"},
    "google.protobuf.Int32Value": _SCALARS[FieldDescriptor.TYPE_INT32],
    "google.protobuf.UInt32Value": _SCALARS[FieldDescriptor.TYPE_UINT32],
    "google.protobuf.Int64Value": _SCALARS[FieldDescriptor.TYPE_INT64],
    "google.protobuf.UInt64Value": _SCALARS[FieldDescriptor.TYPE_UINT64],
    "google.protobuf.BoolValue": {"type": "boolean"},
    "google.protobuf.StringValue": {"type": "string"},
    "google.protobuf.Struct": {"type": "object"},
    "google.protobuf.Value": {},
}


def _value_schema(field: FieldDescriptor) -> dict[str, Any]:
    if field.type == FieldDescriptor.TYPE_ENUM:
        return {"type": "string", "enum": [v.name for v in field.enum_type.values]}
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        name = field.message_type.full_name
        return dict(_WELL_KNOWN.get(name) or {"$ref": SCHEMAS + name})
    return dict(_SCALARS[field.type])


def _field_schema(field: FieldDescriptor) -> dict[str, Any]:
    message = field.message_type
    if message is not None and message.GetOptions().map_entry:
        return {"type": "object", "additionalProperties": _value_schema(message.fields_by_name["value"])}
    if field.is_repeated:
        return {"type": "array", "items": _value_schema(field)}
    return _value_schema(field)


def message_schema(message: Descriptor) -> dict[str, Any]:
    """A message's JSON: every field optional, since fields with their default value are left out."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _field_schema(f) for f in message.fields},
    }


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _add_message_schemas(doc: dict[str, Any]) -> None:
    """Each protobuf message the document refers to (and those they refer to) as a component."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    pool = descriptor_pool.Default()
    while missing := {r.removeprefix(SCHEMAS) for r in _refs(doc) if r.startswith(SCHEMAS)} - set(schemas):
        for name in sorted(missing):
            schemas[name] = message_schema(pool.FindMessageTypeByName(name))


# --- what the gateway itself answers, on every operation ---


def _gateway_answers(path: str, operation: dict[str, Any]) -> list[int]:
    if "health" in operation.get("tags", []):
        return [500]
    takes_body = "requestBody" in operation
    form = takes_body and "application/x-www-form-urlencoded" in operation["requestBody"].get("content", {})
    statuses = [429, 500, 503, 504]
    if takes_body or operation.get("parameters"):
        statuses += [400, 422]
    if takes_body:
        statuses.append(413)
    if takes_body and not form:  # a form with another media type is a form without fields: 422
        statuses.append(415)
    if operation.get("security"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    return statuses


def _document(doc: dict[str, Any]) -> dict[str, Any]:
    doc.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            # FastAPI's own 422 (its HTTPValidationError) is answered here as a problem.
            if responses.get("422", {}).get("content", {}).get("application/json"):
                del responses["422"]
            for status in _gateway_answers(path, operation):
                responses.setdefault(str(status), problem_response(status))
            operation["responses"] = dict(sorted(responses.items()))
    for unused in ("HTTPValidationError", "ValidationError"):
        doc["components"]["schemas"].pop(unused, None)
    _add_message_schemas(doc)
    return doc


def install(app: FastAPI) -> None:
    """Serve the document with every operation's responses stated (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
