"""The gate's page (/tourism/gate) in real Chromium, through the real gateway (uvicorn) to tourism's
real gRPC server on SQLite, the page's clock and the service's on the same moved time: with the
network cut (the browser context offline) the gate verifies tickets itself with the service's key,
refuses a forged one, another venue's and one it let in already, and keeps what it let in; back
online it uploads each entry once, as at the time it was let in (after the slot ended, here), and
the service counts them; a ticket cancelled meanwhile is listed as refused on upload."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent import futures

import grpc
import pytest
import pytest_asyncio
from grpc_health.v1 import health, health_pb2_grpc

from conftest import CHROMIUM, CHROMIUM_ARGS
from gateway.tests.test_cap_intake import Jwks
from gateway.tests.test_rate_limit import running_gateway
from runtime.testing import household
from sbc.identity.v1 import identity_pb2_grpc
from sbc.tourism.v1 import tourism_pb2 as pb
from tourism.tests.conftest import HALL, MUSEUM, TODAY, ids, slot_id
from tourism.tests.test_grpc import book

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tourism.db'}"  # the page's behaviour; both databases: test_grpc.py


@pytest_asyncio.fixture(loop_scope="session")
async def gate(svc, tokens, who):
    identity = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(Jwks(tokens.signer.jwks()), identity)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), identity)
    port = identity.add_insecure_port("127.0.0.1:0")
    identity.start()
    from playwright.async_api import async_playwright

    with contextlib.ExitStack() as stack:
        base = await asyncio.to_thread(
            stack.enter_context,
            running_gateway(tourism_addr=f"127.0.0.1:{svc.port}", identity_addr=f"127.0.0.1:{port}"),
        )
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = await browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
            token = tokens.mint(who.gate)
            await context.add_init_script(f"sessionStorage.setItem('sbc-token', '{token}')")
            page = await context.new_page()
            await page.clock.install(time=svc.clock())
            await page.goto(base + "/tourism/gate")
            yield page
            await browser.close()
        await asyncio.to_thread(stack.close)
    identity.stop(0)


async def scan(page, code: str) -> str:
    await page.fill("#code", code)
    await page.click("#check-form button")
    await page.wait_for_function("document.querySelector('#code').value === ''")
    return await page.inner_text("#result")


async def test_offline_the_gate_verifies_itself_and_uploads_each_entry_once_when_back(gate, svc, who):
    page = gate
    two = await book(svc, who.home, slot_id(MUSEUM, TODAY, 2), ids(1, 2), key="a")
    one = await book(svc, who.neighbour, slot_id(MUSEUM, TODAY, 2), ids(10, 1), key="b")
    hall = await book(svc, household("hh-hall-visitor", area_code="330411103001"), slot_id(HALL, TODAY, 2), ids(20, 1))
    await page.wait_for_function("localStorage.getItem('sbc-gate-key')")  # kept while online
    await page.select_option("#venue", MUSEUM)

    await page.context.set_offline(True)
    await page.wait_for_function("document.querySelector('#network').className === 'offline'")
    assert "离线" in await page.inner_text("#network")
    forged = two.ticket_code[:-4] + ("AAAA" if not two.ticket_code.endswith("AAAA") else "BBBB")
    assert "伪造" in await scan(page, forged)
    assert "非本场馆" in await scan(page, hall.ticket_code)
    assert "准予入场" in await scan(page, two.ticket_code) and "2 人" in await page.inner_text("#result")
    assert "已使用" in await scan(page, two.ticket_code), "the gate remembers what it let in"
    assert "准予入场" in await scan(page, one.ticket_code)
    assert await page.inner_text("#pending") == "2"
    inside = await svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.gate))
    assert inside.entered_today == 0, "nothing reached the service yet"

    # Meanwhile one is cancelled; the network is back 3 hours later, after the slot ended (13:30).
    await svc.api.CancelReservation(pb.ReservationRef(id=one.id), metadata=svc.md(who.neighbour))
    svc.clock.move(hours=3)
    await page.clock.fast_forward("03:00:00")
    await page.context.set_offline(False)
    await page.wait_for_function("document.querySelector('#pending').textContent === '0'")
    assert "在线" in await page.inner_text("#network")
    assert "预约已取消" in await page.inner_text("#rejected")
    got = await svc.api.GetReservation(pb.ReservationRef(id=two.id), metadata=svc.md(who.home))
    entered = svc.clock().timestamp() - 3 * 3600  # the page's clock flows on between its steps: a minute's leeway
    assert got.state == "attended" and abs(got.checked_in_at.seconds - entered) < 60, "as at the entry"
    occupancy = await svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.gate))
    assert occupancy.entered_today == 2, "each entry once"
    # Another pass of the uploader (its timer) sends nothing again.
    await page.clock.fast_forward("00:00:20")
    assert (await svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.gate))).entered_today == 2


async def second_gate(page, svc, tokens, who):
    """Another gate's page at the same venue, in its own browser context (its own storage)."""
    context = await page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    await context.add_init_script(f"sessionStorage.setItem('sbc-token', '{tokens.mint(who.gate)}')")
    other = await context.new_page()
    await other.clock.install(time=svc.clock())
    await other.goto(page.url)
    await other.wait_for_function("localStorage.getItem('sbc-gate-key')")
    await other.select_option("#venue", MUSEUM)
    return other


async def test_two_offline_gates_let_one_ticket_in_the_page_shows_the_double_entry_and_online_gates_share(
    gate, svc, tokens, who
):
    a = gate
    b = await second_gate(a, svc, tokens, who)
    await a.wait_for_function("localStorage.getItem('sbc-gate-key')")
    await a.select_option("#venue", MUSEUM)
    both = await book(svc, who.home, slot_id(MUSEUM, TODAY, 2), ids(1, 2), key="a")
    early = await book(svc, who.neighbour, slot_id(MUSEUM, TODAY, 2), ids(10, 1), key="b")

    # Online, A lets one ticket in; B learns it (its list of today's entries) before its network goes.
    assert "准予入场" in await scan(a, early.ticket_code)
    await b.clock.fast_forward("00:00:11")
    entered = "localStorage.getItem('sbc-gate-entered-' + new Date().toLocaleDateString('sv')) || ''"
    await b.wait_for_function(f"({entered}).includes('{early.id}')")
    for page in (a, b):
        await page.context.set_offline(True)
        await page.wait_for_function("document.querySelector('#network').className === 'offline'")
    assert "已使用" in await scan(b, early.ticket_code), "offline, B refuses what A let in online"
    # Both offline: each lets the same ticket in (the window that remains).
    assert "准予入场" in await scan(a, both.ticket_code)
    assert "准予入场" in await scan(b, both.ticket_code)
    # A is back first, then B: the service has one visit and one double entry, which both pages show.
    await a.context.set_offline(False)
    await a.wait_for_function("document.querySelector('#pending').textContent === '0'")
    await b.context.set_offline(False)
    await b.wait_for_function("document.querySelector('#pending').textContent === '0'")
    await b.wait_for_function("!document.querySelector('#doubles-box').hidden")
    assert "重复入场" in await b.inner_text("#doubles-box") and "2 人" in await b.inner_text("#doubles")
    assert await b.inner_text("#rejected") == "", "a double entry is recorded, not refused"
    occupancy = await svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.gate))
    assert occupancy.entered_today == 3, "the party of two counted once, with the one A let in online"
    listed = await svc.api.ListGateEntries(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.gate))
    assert [d.reservation_id for d in listed.double_entries] == [both.id]
    await a.clock.fast_forward("00:00:11")
    await a.wait_for_function("!document.querySelector('#doubles-box').hidden")
    await b.context.close()
