"""The loudspeaker channel against abuse and bad controllers, through the service's real gRPC
API, the outbox, real Kafka and real HTTP controllers: a terminal is registered only in the
registrar's own area and is audited, no one takes over another's controller, endpoints must be on
the allow-list, and a trickling, a broken and a dead controller never hold up the others."""

from __future__ import annotations

import socket
import threading
import time
import uuid

import grpc
import pytest
from sqlalchemy import select

from alerts import channels, store
from alerts.domain import Role
from alerts.tests.support import RAINSTORM, TRUSTED
from alerts.tests.test_channels import SETTINGS, Controller, broadcast_topic, relay, run, wait_status  # noqa: F401
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error, staff
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
HONGHE, WJJ = "330411105", "330411101"


def request(terminal_id: str, area: str, endpoint: str = "", channel: str = "loudspeaker"):
    return pb.RegisterTerminalRequest(channel=channel, terminal_id=terminal_id, area_code=area, endpoint=endpoint)


def audit(svc, terminal_id: str) -> list[tuple[str, str, str]]:
    with svc.db.transaction() as s:
        t = store.terminal_audit
        rows = s.execute(select(t).where(t.c.terminal_id == terminal_id).order_by(t.c.seq))
        return [(r.action, r.actor, r.detail) for r in rows]


async def targeted(svc, area: str) -> int:
    a = await svc.submit(TRUSTED, RAINSTORM.replace("_20260701130000", f"_{uuid.uuid4().hex[:12]}"))
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    return sum(r.targeted for r in status.rows if r.channel == "loudspeaker" and r.area_code.startswith(area))


async def test_a_terminal_is_registered_only_in_the_registrars_own_area_and_role_and_is_audited(svc):
    honghe_tech = staff(Role.TECHNICIAN, area_code=HONGHE)
    ls = f"LS-{uuid.uuid4().hex[:8]}"
    t = await svc.stub.RegisterTerminal(
        request(ls, HONGHE + "001", "http://10.33.1.7/ebd"), metadata=svc.md(honghe_tech)
    )
    assert (t.area_code, t.endpoint) == (HONGHE + "001", "http://10.33.1.7/ebd")
    assert audit(svc, ls) == [("registered", honghe_tech.subject, "330411105001 http://10.33.1.7/ebd")]
    # Another town, a role that registers nothing, a household: refused, and nothing changes.
    for caller, area in [
        (honghe_tech, WJJ + "001"),
        (honghe_tech, "330411"),
        (staff("service_point_manager", area_code=HONGHE), HONGHE + "002"),
    ]:
        err = await rpc_error(
            svc.stub.RegisterTerminal(
                request(f"LS-{uuid.uuid4().hex[:8]}", area, "http://10.33.1.8/ebd"), metadata=svc.md(caller)
            )
        )
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err.details()
    err = await rpc_error(
        svc.stub.RegisterTerminal(request(ls, WJJ + "001", "http://10.33.1.7/ebd"), metadata=svc.md(honghe_tech))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "not moved out of the registrar's area"
    assert await targeted(svc, WJJ) == 0
    assert len(audit(svc, ls)) == 1


async def test_registering_again_never_takes_over_anothers_controller(svc):
    first, other = staff(Role.TECHNICIAN, area_code=HONGHE), staff(Role.TECHNICIAN, area_code=HONGHE)
    ls = f"LS-{uuid.uuid4().hex[:8]}"
    await svc.stub.RegisterTerminal(request(ls, HONGHE + "001", "http://10.33.1.7/ebd"), metadata=svc.md(first))
    err = await rpc_error(
        svc.stub.RegisterTerminal(request(ls, HONGHE + "002", "http://10.33.9.9/ebd"), metadata=svc.md(other))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "someone else" in err.details()
    # Its registrar may move it; so may an alert approver of its area. Each move is audited.
    t = await svc.stub.RegisterTerminal(request(ls, HONGHE + "001", "http://10.33.1.8/ebd"), metadata=svc.md(first))
    assert t.endpoint == "http://10.33.1.8/ebd"
    approver = staff(Role.ALERT_APPROVER, area_code="330411")
    t = await svc.stub.RegisterTerminal(request(ls, HONGHE + "002", "http://10.33.1.9/ebd"), metadata=svc.md(approver))
    assert (t.area_code, t.endpoint) == (HONGHE + "002", "http://10.33.1.9/ebd")
    assert [(action, actor) for action, actor, _ in audit(svc, ls)] == [
        ("registered", first.subject),
        ("moved", first.subject),
        ("moved", approver.subject),
    ]
    assert audit(svc, ls)[1][2] == "330411105001 http://10.33.1.7/ebd -> 330411105001 http://10.33.1.8/ebd"
    err = await rpc_error(
        svc.stub.RegisterTerminal(request(ls, HONGHE + "001", "http://10.33.1.7/ebd"), metadata=svc.md(first))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "now the approver's"


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "http://127.0.0.2:8080/ebd",  # loopback outside this run's local network
        "http://localhost/ebd",
        "http://2130706433/ebd",  # 127.0.0.1 as a number
        "http://10.0.0.1/ebd",  # a private network that is not the controllers'
        "http://10.33.1.7:22/ebd",  # the right network, a port that is not
        "http://admin:pw@10.33.1.7/ebd",
        "ftp://10.33.1.7/ebd",
        "file:///etc/passwd",
        "http://[::1]/ebd",
        "http://10.33.1.7/e bd",
        "http://ls.example.org/ebd",  # a host name not on the list
        "http://10.33.1.7/" + "x" * 500,
        "",
    ],
)
async def test_a_loudspeaker_endpoint_must_be_on_the_allow_list(svc, endpoint):
    tech = staff(Role.TECHNICIAN, area_code=HONGHE)
    ls = f"LS-{uuid.uuid4().hex[:8]}"
    err = await rpc_error(svc.stub.RegisterTerminal(request(ls, HONGHE + "001", endpoint), metadata=svc.md(tech)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "endpoint" in field_errors_of(err)
    assert audit(svc, ls) == []


class Trickler:
    """A controller that answers one byte every `every` seconds; notes when the client hangs up."""

    def __init__(self, every: float = 4.0):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/ebd"
        self.every = every
        self.connected: list[float] = []
        self.hung_up: list[float] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        self.connected.append(time.monotonic())
        request = conn.makefile("rb")
        length = 0
        while (line := request.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        request.read(length)
        reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        try:
            for byte in reply:
                conn.sendall(bytes([byte]))
                time.sleep(self.every)
                try:
                    if conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                        break  # the client hung up
                except BlockingIOError:
                    pass
        except OSError:
            pass
        self.hung_up.append(time.monotonic())
        conn.close()

    def close(self):
        self.sock.close()


class ListReplier(Controller):
    """Replies `[]` (valid JSON, not a receipt)."""

    def __init__(self):
        super().__init__()
        original = self.server.RequestHandlerClass.do_POST

        def do_POST(handler):
            terminal = handler.path.rsplit("/", 1)[-1]
            if terminal.startswith("LS-LIST"):
                handler.rfile.read(int(handler.headers["Content-Length"]))
                self.tries[terminal] = self.tries.get(terminal, 0) + 1
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", "2")
                handler.end_headers()
                handler.wfile.write(b"[]")
                return
            original(handler)

        self.server.RequestHandlerClass.do_POST = do_POST


async def test_a_trickling_a_broken_and_a_dead_controller_never_hold_up_the_others(
    svc, relay, broadcast_topic, kafka_bootstrap
):
    settings = {**SETTINGS, "http_timeout_seconds": 5, "delivery_deadline_seconds": 8}
    good, trickler = ListReplier(), Trickler(every=4.0)
    dead = socket.create_server(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()  # nothing listens there
    tech = staff(Role.TECHNICIAN, area_code=HONGHE)
    for ls, url in [
        ("LS-OK", good.url + "/LS-OK"),
        ("LS-LIST", good.url + "/LS-LIST"),
        ("LS-SLOW", trickler.url),
        ("LS-DEAD", f"http://127.0.0.1:{dead_port}/ebd"),
    ]:
        await svc.stub.RegisterTerminal(request(ls, HONGHE + "001", url), metadata=svc.md(tech))
    worker = channels.Loudspeakers(
        svc.db, kafka_bootstrap, settings, group=f"test-{uuid.uuid4().hex[:8]}", topic=broadcast_topic
    )
    thread = run(worker)
    try:
        for n in range(2):
            a = await svc.submit(TRUSTED, RAINSTORM.replace("_20260701130000", f"_2026070113000{n}"))
            rows = await wait_status(svc, a.id, "loudspeaker", lambda rows: sum(r.displayed for r in rows) == 1, 60)
            # Each controller gets its EBDs in order: the trickler's delivery of this alert is still under way.
            assert len(trickler.hung_up) <= n, f"alert {n}: the good controller's receipt waited for the slow one"
            assert [(r.targeted, r.delivered, r.displayed) for r in rows] == [(4, 1, 1)], "only LS-OK's reply counts"
        assert good.tries == {"LS-OK": 2, "LS-LIST": 2}, "a [] reply never stops the worker"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(trickler.hung_up) < 1:
            time.sleep(0.2)
        assert trickler.hung_up, f"the trickling controller was never cut off: {trickler.connected} {time.monotonic()}"
        assert trickler.hung_up[0] - trickler.connected[0] < 8 + 4 + 1, "cut off at the delivery's deadline"
        assert worker.parked == 0 and thread.is_alive()
    finally:
        worker.stop()
        thread.join(15)
        good.close()
        trickler.close()
