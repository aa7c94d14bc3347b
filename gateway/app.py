"""The gateway application: FastAPI with OpenAPI docs at /docs.

Each public service of the registry has its route module, gateway/routes/<service>.py (its API
under /v1/<service>/, its pages under /<service>/); gateway/routes/terminal.py is the gateway's own
(the terminals' push stream), and so are gateway/routes/home.py (the TV's home screen in one call)
and gateway/routes/handbook.py (the standards handbook, a page and a PDF, from every service's answers).
The TV app is plain files under gateway/static/tv/, served at /tv/ (`/` sends a browser there)."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import pathlib

import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from gateway import documents, openapi, phone, problems
from gateway.clients import STATUS_SCHEMA, Backends, DependencyWatch
from gateway.middleware import BodyLimitMiddleware, RequestIdMiddleware
from gateway.push import AlertHub, PushHub
from gateway.routes import handbook, home, terminal
from gateway.routes.identity import Identity
from gateway.security import Security
from gateway.settings import GatewaySettings
from runtime import registry
from runtime.auth import Revocations, TokenVerifier, grpc_jwks_fetcher

STATIC = pathlib.Path(__file__).resolve().parent / "static"

READINESS = openapi.obj(status={"type": "string", "enum": ["ready", "not ready"]})


def route_modules() -> list:
    """The gateway's own route modules, then the route module of each public service of the
    registry. A request is matched against the routes one by one, in this order, and each match
    costs several microseconds: the calls every TV makes most (its stream, receipts, the home)
    come first, not after the 150 routes of the services; the published documents (the
    standards handbook, gateway/routes/handbook.py), read seldom, come last."""
    services = [importlib.import_module(f"gateway.routes.{s.name}") for s in registry.load().public()]
    return [terminal, home, *services, handbook]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # Async clients bind to the running event loop: make them here, not at import. (The route
        # modules' own lifespans, e.g. the alerts service's batches, run inside this one.)
        app.state.backends = Backends(settings)
        # The home's cache (gateway/routes/home.py); each call has a short deadline there.
        app.state.redis = aioredis.from_url(settings.redis_url, socket_timeout=0.25, socket_connect_timeout=0.25)
        # A push to a household means something of its changed, whoever changed it (a technician,
        # an agent, a department): its cached home is dropped, on every replica, so that every
        # screen of the household (another TV, the phone) sees it at once.
        app.state.push.on_message = lambda message: home.forget(app, message.household_id)
        revocations = Revocations(
            lambda: Identity(app.state.backends, min(2.0, settings.backend_timeout)).revocations(),
            settings.revocation_refresh_seconds,
        )
        app.state.security = Security(
            TokenVerifier(grpc_jwks_fetcher(settings.identity_addr)),
            settings.redis_url,
            settings.rate_limit_device,
            settings.rate_limit_ip,
            revocations,
        )
        revocations.start()
        app.state.dependencies = DependencyWatch(
            app.state.backends,
            settings.redis_url,
            app.state.security.limits,
            {"push": app.state.push.reader, "alert_push": app.state.alert_push.reader},
            hubs=(app.state.push, app.state.alert_push),
        )
        app.state.push.start(asyncio.get_running_loop())
        app.state.alert_push.start(asyncio.get_running_loop())
        app.state.dependencies.start()
        app.state.serving = True
        yield
        app.state.serving = False
        await app.state.dependencies.stop()
        await revocations.stop()
        app.state.push.stop()
        app.state.alert_push.stop()
        await app.state.backends.close()
        await app.state.redis.aclose()
        documents.close()

    app = FastAPI(
        title="Xiuzhou smart-broadcast gateway",
        version="1",
        description="REST/JSON for set-top boxes, phones and staff pages. Each service's API is under "
        "/v1/<service>/, its pages under /<service>/. Errors are RFC 9457 application/problem+json.",
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry: one server span per request, none per SSE chunk (the ASGI
        # instrumentation made a span for every message sent to every terminal), and none for
        # each step inside a request (dependencies, endpoint, serialization), which cost a
        # quarter of a small call's CPU when ten thousand TVs sent their receipts at once.
        telemetry={
            "exclude": lambda scope: scope.get("path") in ("/healthz", "/readyz", "/status"),
            "operation_spans": False,
        },
    )
    app.state.settings = settings
    app.state.serving = False
    app.state.push = PushHub(settings.kafka_bootstrap_servers, settings.stream_limits())
    app.state.alert_push = AlertHub(settings.kafka_bootstrap_servers)

    problems.install(app)

    # The probes first: the kubelet asks every few seconds (see route_modules).
    @app.get(
        "/healthz",
        tags=["health"],
        summary="The process is alive",
        responses={200: openapi.body(openapi.obj(status={"type": "string", "const": "ok"}))},
    )
    async def healthz():
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="The process can serve (its dependencies are reported by /status, not here)",
        responses={200: openapi.body(READINESS), 503: openapi.body(READINESS, "Starting or stopping")},
    )
    async def readyz(request: Request):
        # The process's own state only: a dependency that is away degrades its own routes, and
        # taking every replica out of the Service at once would help no one.
        ok = request.app.state.serving
        return JSONResponse({"status": "ready" if ok else "not ready"}, status_code=200 if ok else 503)

    @app.get(
        "/status",
        tags=["health"],
        summary="Each dependency's state (services, Redis, the push topics' readers), checked in the background",
        responses={200: openapi.body(STATUS_SCHEMA)},
    )
    async def status(request: Request):
        return request.app.state.dependencies.snapshot()

    for module in route_modules():
        app.include_router(module.router)
        if hasattr(module, "pages"):
            app.include_router(module.pages)

    # The TV app: plain files (no build step).
    app.mount("/tv", StaticFiles(directory=STATIC / "tv", html=True), name="tv")
    # The phone app (a PWA).
    phone.mount(app)

    @app.get("/", include_in_schema=False)
    async def root():
        return RedirectResponse("/tv/", status_code=302)

    openapi.install(app)
    # Outermost first: every response, even a 413, carries the request id.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        per_path={
            "/v1/alerts/cap": settings.cap_max_bytes,
            "/v1/egov/applications/[^/]+/materials/[^/]+": settings.material_max_bytes,
        },
    )
    app.add_middleware(RequestIdMiddleware)
    return app
