"""The broker's settings as the chart renders them: each service that uses MQTT connects with its
own client (its password from the broker Secret), only eldercare's server gets the accounts' admin
(provisioning makes the devices' accounts), TLS with the CA from a Secret when configured."""

from __future__ import annotations

from .chartlib import CHART, by_name, checked, container_env, render
from .test_chart_bad_input import refused

MINIMAL = CHART / "ci" / "minimal-values.yaml"


def env_of(docs: list[dict], deployment: str) -> dict:
    container = by_name(docs, "Deployment")[deployment]["spec"]["template"]["spec"]["containers"][0]
    return container_env(container, docs)


def secret_key(value) -> tuple[str, str]:
    ref = value["secretKeyRef"]
    return ref["name"], ref["key"]


def test_each_service_has_its_own_broker_client_and_only_eldercares_server_the_admin():
    docs = render([MINIMAL])
    server, bridge, iot = (
        env_of(docs, "sbc-eldercare"),
        env_of(docs, "sbc-eldercare-bridge"),
        env_of(docs, "sbc-alerts-iot"),
    )
    assert server["MQTT_ADMIN_USERNAME"] == "sbc-admin" and secret_key(server["MQTT_ADMIN_PASSWORD"]) == (
        "sbc-mqtt",
        "admin",
    )
    assert bridge["ELDERCARE_MQTT_USERNAME"] == "sbc-eldercare"
    assert secret_key(bridge["ELDERCARE_MQTT_PASSWORD"]) == ("sbc-mqtt", "eldercare")
    assert iot["ALERTS_MQTT_USERNAME"] == "sbc-alerts" and secret_key(iot["ALERTS_MQTT_PASSWORD"]) == (
        "sbc-mqtt",
        "alerts",
    )
    for env in (bridge, iot):
        assert "MQTT_ADMIN_PASSWORD" not in env and "MQTT_CA_FILE" not in env
    assert (server["MQTT_HOST"], server["MQTT_PORT"]) == ("mosquitto.sbc-infra", "1883")
    checked("each MQTT user has its own broker client; only eldercare's server the accounts' admin")


def test_tls_to_the_broker_mounts_the_ca_from_its_secret():
    docs = render([MINIMAL], ["mqtt.tls.caSecret=sbc-mqtt-ca", "mqtt.port=8883"])
    iot = by_name(docs, "Deployment")["sbc-alerts-iot"]["spec"]["template"]["spec"]
    env = container_env(iot["containers"][0], docs)
    assert (env["MQTT_CA_FILE"], env["MQTT_PORT"]) == (
        "/var/run/secrets/sbc/mqtt-ca/ca.crt",
        "8883",
    )
    (volume,) = [v for v in iot["volumes"] if v["name"] == "mqtt-ca"]
    assert volume["secret"]["secretName"] == "sbc-mqtt-ca"
    (mount,) = [m for m in iot["containers"][0]["volumeMounts"] if m["name"] == "mqtt-ca"]
    assert mount["readOnly"] and env["MQTT_CA_FILE"].startswith(mount["mountPath"] + "/")


def test_a_component_that_uses_mqtt_needs_the_broker_secret():
    assert "uses mqtt: set mqtt.existingSecret" in refused("mqtt.existingSecret=")
