"""CAP as real warning agencies send it, over real gRPC on SQLite and PostgreSQL: signed
(XML-DSig, verified with the sender's registered certificate), in the encoding its XML
declaration names, several MiB with embedded audio, with self-intersecting polygons, and
referencing alerts this platform never received. What is really invalid is still refused."""

from __future__ import annotations

import base64
import datetime as dt

import grpc
import pytest
import pytest_asyncio
import signxml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from alerts import cap, store
from alerts.service import SERVICE
from alerts.tests.support import FLOOD, RAINSTORM, TRUSTED, Svc
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.alerts.v1 import alerts_pb2 as pb
from sbc.alerts.v1 import alerts_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

SENDER = "xiuzhou.weather@330411"


def certificate(common_name: str) -> tuple[bytes, bytes]:
    """A self-signed certificate and its private key (PEM), as a department would sign with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


CERT, KEY = certificate(SENDER)
OTHER_CERT, OTHER_KEY = certificate("someone else")


def signed(xml: str, cert: bytes = CERT, key: bytes = KEY) -> bytes:
    """The message with an enveloped XML-DSig signature, as the last child of <alert>."""
    root = etree.fromstring(xml.encode("utf-8"))
    return etree.tostring(signxml.XMLSigner().sign(root, key=key, cert=cert), xml_declaration=True, encoding="UTF-8")


@pytest_asyncio.fixture(loop_scope="session")
async def signing(grpc_service, database_url, monkeypatch, tmp_path) -> Svc:
    """The service with a certificate registered for the meteorological office's sender."""
    (tmp_path / f"{SENDER}.pem").write_bytes(CERT)
    monkeypatch.setenv("ALERTS_CAP_CERTIFICATES_DIR", str(tmp_path))
    running = await grpc_service(SERVICE, database_url)
    return Svc(running, running.stub(alerts_pb2_grpc.AlertServiceStub))


async def submit_bytes(svc: Svc, raw: bytes) -> pb.Alert:
    return await svc.stub.SubmitCap(pb.SubmitCapRequest(cap=raw), metadata=svc.md(TRUSTED), timeout=60)


def get(svc: Svc, alert_id: str):
    return svc.stub.GetAlert(pb.GetAlertRequest(alert_id=alert_id), metadata=svc.md(TRUSTED))


# --- signed CAP ---


async def test_a_signed_message_is_schema_valid_and_verified_with_the_senders_certificate(signing):
    a = await submit_bytes(signing, signed(FLOOD))
    assert a.state == "issued" and a.sender == SENDER
    assert [b.kind for _, b in signing.broadcasts()] == ["alert"]


async def test_a_signed_message_of_a_sender_without_a_certificate_is_accepted(svc):
    a = await submit_bytes(svc, signed(FLOOD, OTHER_CERT, OTHER_KEY))
    assert a.state == "issued"


async def test_a_bad_signature_or_an_unsigned_message_of_a_registered_sender_is_refused(signing):
    good = signed(FLOOD)
    tampered = good.replace("运河水位上涨。".encode(), "运河水位下降。".encode())
    assert tampered != good
    cases = {
        "tampered": tampered,
        "another key": signed(FLOOD, OTHER_CERT, OTHER_KEY),
        "unsigned": FLOOD.encode(),
    }
    for name, raw in cases.items():
        err = await rpc_error(submit_bytes(signing, raw))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, (name, err.details())
        assert "signature" in field_errors_of(err), name
        assert "sign" in err.details(), name
    assert signing.count(store.alerts) == 0 and signing.broadcasts() == []


# --- declared encodings ---


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "UTF-16", "GB18030", "GBK"])
async def test_a_message_in_the_encoding_its_declaration_names_is_accepted(svc, encoding):
    xml = RAINSTORM if encoding.startswith("GB") else FLOOD.replace("运河水位上涨。", "Le canal monte à Wangjiangjing.")
    if encoding == "ISO-8859-1":  # no Chinese in Latin-1: the English info only
        start = xml.index("<info>", xml.index("</info>"))
        xml = xml[:start] + xml[xml.index("</info>", start) + len("</info>") :]
    raw = xml.replace('encoding="UTF-8"', f'encoding="{encoding}"').encode(encoding)
    assert raw != xml.encode("utf-8")
    a = await submit_bytes(svc, raw)
    assert a.state == "issued"
    texts = {t.language: t for t in a.texts}
    if encoding.startswith("GB"):
        assert texts["zh-CN"].headline == "秀洲区气象台发布暴雨黄色预警"
    else:
        assert texts["en-US"].headline == "Flood warning for Wangjiangjing"


async def test_an_undeclared_non_utf8_message_or_a_wrong_declaration_is_refused(svc):
    gb = RAINSTORM.replace('encoding="UTF-8"', 'encoding="GB18030"').encode("gb18030")
    cases = {
        "undeclared GB18030": (RAINSTORM.replace('<?xml version="1.0" encoding="UTF-8"?>', "").encode("gb18030")),
        "declared UTF-8, is GB18030": RAINSTORM.encode("gb18030"),
        "unknown encoding": gb.replace(b'encoding="GB18030"', b'encoding="KLINGON"'),
        "not a text encoding": gb.replace(b'encoding="GB18030"', b'encoding="base64"'),
    }
    for name, raw in cases.items():
        err = await rpc_error(submit_bytes(svc, raw))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (name, err.details())
        assert "encoding" in err.details() or "UTF-8" in err.details(), (name, err.details())
    assert "declares no encoding" in (await rpc_error(submit_bytes(svc, cases["undeclared GB18030"]))).details()
    assert svc.count(store.alerts) == 0


# --- size ---


def with_audio(xml: str, size: int) -> str:
    audio = base64.b64encode(b"\x01\x02" * (size // 2)).decode()
    resource = (
        "<resource><resourceDesc>广播音频</resourceDesc><mimeType>audio/mpeg</mimeType>"
        f"<derefUri>{audio}</derefUri></resource>"
    )
    return xml.replace("<area><areaDesc>王江泾镇</areaDesc>", resource + "<area><areaDesc>王江泾镇</areaDesc>")


async def test_a_message_of_several_mib_with_embedded_audio_is_accepted(svc):
    a = await submit_bytes(svc, with_audio(FLOOD, 5 * 1024 * 1024).encode())
    assert a.state == "issued"


async def test_past_the_size_limit_and_parser_attacks_are_still_refused(svc):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(9))
        + "]><alert>&lol8;</alert>"
    )
    deep = f'<alert xmlns="{cap.CAP_NS}">' + "<a>" * 100_000 + "</a>" * 100_000 + "</alert>"
    cases = {
        "billion laughs": laughs.encode(),
        "huge depth": deep.encode(),
        "over ALERTS_CAP_MAX_BYTES": with_audio(FLOOD, cap.DEFAULT_MAX_BYTES * 3 // 4).encode(),  # base64: 4/3
    }
    for name, raw in cases.items():
        err = await rpc_error(submit_bytes(svc, raw))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (name, err.details())
    err = await rpc_error(submit_bytes(svc, b"<" * (cap.DEFAULT_MAX_BYTES + 1024 * 1024)))
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, "past the server's message size"
    assert svc.count(store.alerts) == 0


# --- polygons ---


def with_polygon(points: str) -> str:
    return RAINSTORM.replace("<areaDesc>洪合镇</areaDesc>", f"<areaDesc>洪合镇</areaDesc><polygon>{points}</polygon>")


async def test_a_self_intersecting_polygon_is_repaired_and_accepted(svc):
    bowtie = "30.70,120.60 30.80,120.70 30.80,120.60 30.70,120.70 30.70,120.60"
    a = await svc.submit(TRUSTED, with_polygon(bowtie))
    assert a.state == "issued"
    with svc.uow() as uow:
        [area] = uow.alerts.get(a.id).message.areas
    assert len(area.polygons) == 2, "the bow tie's two triangles"


async def test_a_polygon_that_encloses_no_area_is_refused(svc):
    for points in (
        "30.70,120.60 30.75,120.65 30.80,120.70 30.70,120.60",  # all on one line
        "30.70,120.60 30.70,120.60 30.70,120.60 30.70,120.60",  # one point
    ):
        err = await rpc_error(svc.submit(TRUSTED, with_polygon(points)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "area.polygon" in field_errors_of(err)
    assert svc.count(store.alerts) == 0


# --- references to alerts never received ---

NEVER = f"{SENDER},33041141600000_20260701110000,2026-07-01T11:00:00+08:00"
ORIGINAL = FLOOD.replace("20260701120000", "20260701110000").replace("12:00:00+08:00", "11:00:00+08:00")


def update_of(ref: str) -> str:
    return FLOOD.replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>").replace(
        "<scope>Public</scope>", f"<scope>Public</scope><references>{ref}</references>"
    )


def cancel_of(ref: str) -> str:
    return (
        f'<alert xmlns="{cap.CAP_NS}"><identifier>33041141600000_20260701123000</identifier>'
        f"<sender>{SENDER}</sender><sent>2026-07-01T12:30:00+08:00</sent><status>Actual</status>"
        f"<msgType>Cancel</msgType><scope>Public</scope><references>{ref}</references></alert>"
    )


async def test_an_update_of_an_alert_never_received_is_the_alert_now_in_force(svc):
    u = await svc.submit(TRUSTED, update_of(NEVER))
    assert u.state == "issued" and list(u.area_codes) == ["330411101"]
    active = await svc.stub.ListActiveAlerts(pb.ListActiveAlertsRequest(), metadata=svc.md(TRUSTED))
    assert [x.alert_id for x in active.alerts] == [u.id]
    assert [(b.kind, list(b.supersedes)) for _, b in svc.broadcasts()] == [("update", [])]
    late = await svc.submit(TRUSTED, ORIGINAL)
    assert late.state == "superseded", "the original arriving after its update is not shown"
    assert len(svc.broadcasts()) == 1, "and is never broadcast"


async def test_a_cancel_of_an_alert_never_received_is_recorded_and_the_late_original_never_broadcast(svc):
    c = await svc.submit(TRUSTED, cancel_of(NEVER))
    assert c.state == "recorded"
    assert svc.broadcasts() == [], "nothing to withdraw"
    trail = await svc.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=c.id), metadata=svc.md(TRUSTED))
    assert [e.action for e in trail.entries] == ["received", "recorded"]
    late = await svc.submit(TRUSTED, ORIGINAL)
    assert late.state == "cancelled"
    assert svc.broadcasts() == [], "the cancelled original is never broadcast"
    active = await svc.stub.ListActiveAlerts(pb.ListActiveAlertsRequest(), metadata=svc.md(TRUSTED))
    assert list(active.alerts) == []
    trail = await svc.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=late.id), metadata=svc.md(TRUSTED))
    assert [e.action for e in trail.entries] == ["received", "cancelled"]
    err = await rpc_error(svc.submit(TRUSTED, cancel_of(NEVER)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
