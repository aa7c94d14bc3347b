"""The museum exhibition area's three live public figures through the gateway's public route
(GET /v1/tourism/exhibition/figures, no sign-in), composed from the real servers of the service
desk, alerts and e-government (SQLite) and kept in the real Redis: each figure is the one its
service's own API gives, a figure whose service cannot be read is unavailable while the rest show,
and a second screen within the cache's time reads Redis, not the three services."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest
import redis.asyncio as aioredis
from egov.service import SERVICE as EGOV

from alerts.service import SERVICE as ALERTS
from alerts.tests.support import FLOOD, TRUSTED, device
from gateway.app import create_app
from gateway.clients import Backends
from gateway.routes import tourism as routes
from gateway.security import Security
from gateway.settings import GatewaySettings, backend_addrs
from identity.service import SERVICE as IDENTITY
from runtime.testing import staff
from sbc.alerts.v1 import alerts_pb2, alerts_pb2_grpc
from sbc.egov.v1 import egov_pb2, egov_pb2_grpc
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc
from servicedesk.service import SERVICE as SERVICEDESK

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

OFFICE = staff("egov_office", username="egov.office", area_code="330411")


@pytest.fixture
async def services(grpc_service, tmp_path):
    return {s.name: await grpc_service(s, f"sqlite:///{tmp_path / s.name}.db") for s in (SERVICEDESK, ALERTS, EGOV)}


def key(app) -> str:
    return routes.figures_key(app.state.settings)


async def gateway(services, tokens, redis_url, office: bool):
    backends = {**backend_addrs(), **{name: f"127.0.0.1:{s.port}" for name, s in services.items()}}
    settings = GatewaySettings(
        backends=backends, redis_url=redis_url, exhibition_staff_username="egov.office" if office else ""
    )
    app = create_app(settings)
    app.state.backends = Backends(settings)
    app.state.security = Security(tokens.verifier(), redis_url, "10000/minute", "10000/minute")
    app.state.redis = aioredis.from_url(redis_url)
    if office:
        # The lent office account's token as identity would issue it (identity's own sign-in is
        # tested with identity); the gateway keeps it as it keeps the one it signs in for.
        app.state.exhibition_token = (tokens.mint(OFFICE), float("inf"))
    await app.state.redis.delete(key(app))
    return app


async def test_the_public_figures_are_the_services_own_without_a_sign_in_and_kept_briefly(services, tokens, redis_url):
    alerts = services["alerts"].stub(alerts_pb2_grpc.AlertServiceStub)
    tv = device("330411101001")
    await alerts.ConnectTerminal(alerts_pb2.ConnectTerminalRequest(), metadata=services["alerts"].md(tv))
    a = await alerts.SubmitCap(alerts_pb2.SubmitCapRequest(xml=FLOOD), metadata=services["alerts"].md(TRUSTED))
    await alerts.RecordReceipt(
        alerts_pb2.RecordReceiptRequest(alert_id=a.id, kind="delivered"), metadata=services["alerts"].md(tv)
    )
    app = await gateway(services, tokens, redis_url, office=True)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as gw:
            r = await gw.get("/v1/tourism/exhibition/figures")  # no Authorization header
            assert r.status_code == 200, r.text
            f = r.json()
            desk = (
                await services["servicedesk"]
                .stub(servicedesk_pb2_grpc.ServiceDeskServiceStub)
                .GetPublicFigures(servicedesk_pb2.GetPublicFiguresRequest())
            )
            assert f["service_requests"] == {
                "available": True,
                "since": desk.since,
                "done": desk.done,
                "done_on_time": desk.done_on_time,
            }
            assert f["alerts"] == {"available": True, "alerts": 1, "targeted": 1, "delivered": 1}
            office = (
                await services["egov"]
                .stub(egov_pb2_grpc.EgovServiceStub)
                .GetFigures(egov_pb2.GetFiguresRequest(), metadata=services["egov"].md(OFFICE))
            )
            assert f["egov"]["available"] and f["egov"]["done"] == office.district.done
            # A second screen a moment later reads what Redis keeps: a new receipt shows at the next composition.
            other = device("330411101002")
            await alerts.ConnectTerminal(alerts_pb2.ConnectTerminalRequest(), metadata=services["alerts"].md(other))
            await alerts.RecordReceipt(
                alerts_pb2.RecordReceiptRequest(alert_id=a.id, kind="delivered"), metadata=services["alerts"].md(other)
            )
            again = (await gw.get("/v1/tourism/exhibition/figures")).json()
            assert again == f
            ttl = await app.state.redis.ttl(key(app))
            assert 0 < ttl <= routes.PUBLIC_FIGURES_SECONDS
            await app.state.redis.delete(key(app))  # as when it lapses
            later = (await gw.get("/v1/tourism/exhibition/figures")).json()
            assert later["alerts"]["delivered"] == 2 and later["at"] != f["at"]
            # The route takes no input: a query changes nothing, and the staff figures still need a sign-in.
            assert (await gw.get("/v1/tourism/exhibition/figures", params={"x": "1" * 5000})).status_code == 200
            assert (await gw.get("/v1/tourism/exhibition")).status_code == 401
    finally:
        await app.state.backends.close()
        await app.state.redis.aclose()


async def test_a_figure_that_cannot_be_read_is_unavailable_and_asked_again_soon(services, tokens, redis_url):
    app = await gateway(services, tokens, redis_url, office=False)  # no office account lent
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as gw:
            f = (await gw.get("/v1/tourism/exhibition/figures")).json()
            assert f["service_requests"]["available"] and f["alerts"]["available"]
            assert f["egov"] == {"available": False}
            assert 0 < await app.state.redis.ttl(key(app)) <= routes.DEGRADED_SECONDS
    finally:
        await app.state.backends.close()
        await app.state.redis.aclose()


async def test_a_refused_office_account_is_not_asked_again_for_a_while(
    grpc_service, services, tokens, redis_url, tmp_path
):
    """A wrong password for the lent account: identity (its real server) refuses, and the gateway does
    not sign in again at every screen's poll (failed sign-ins would lock the office's own account)."""
    identity = await grpc_service(IDENTITY, f"sqlite:///{tmp_path / 'identity.db'}")
    app = await gateway({**services, "identity": identity}, tokens, redis_url, office=False)
    app.state.settings = dataclasses.replace(
        app.state.settings, exhibition_staff_username="egov.office", exhibition_staff_password="wrong"
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as gw:
            f = (await gw.get("/v1/tourism/exhibition/figures")).json()
            assert f["egov"] == {"available": False} and f["alerts"]["available"]
            token, until = app.state.exhibition_token
            assert token == "" and until - time.monotonic() > routes.REFUSED_SIGN_IN_SECONDS - 10
    finally:
        await app.state.backends.close()
        await app.state.redis.aclose()
