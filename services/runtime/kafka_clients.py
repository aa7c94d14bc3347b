"""Every Kafka client of the platform is made here, so each is configured for the broker's security
the same way: the relay's producer, the consumers, the dead-letter tools, the gateway's readers.

From the environment (the same names in the chart):
    KAFKA_SECURITY_PROTOCOL   PLAINTEXT (default), SASL_SSL, SASL_PLAINTEXT or SSL
    KAFKA_SASL_MECHANISM      SCRAM-SHA-512 (default) or SCRAM-SHA-256
    KAFKA_USERNAME            this process's principal; by default its service's name (`use_principal`)
    KAFKA_PASSWORD            its password, or KAFKA_PASSWORD_FILE (a mounted Secret), or
    KAFKA_CREDENTIALS_FILE    a JSON object of user -> password (what infra/local writes for a laptop)
    KAFKA_CA_FILE             the CA that signed the broker's certificate (PEM)
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

from runtime.settings import env

SASL = ("SASL_SSL", "SASL_PLAINTEXT")
TLS = ("SSL", "SASL_SSL")

# The principal of this process when KAFKA_USERNAME does not name one (a service's runner and the
# gateway set it to their name); tools and tests without either act as the local admin.
_principal = ""


def use_principal(name: str) -> None:
    global _principal
    _principal = name


def username() -> str:
    return env("KAFKA_USERNAME") or _principal or "admin"


def password(user: str) -> str:
    if env("KAFKA_PASSWORD"):
        return env("KAFKA_PASSWORD")
    if env("KAFKA_PASSWORD_FILE"):
        return pathlib.Path(env("KAFKA_PASSWORD_FILE")).read_text().strip()
    if env("KAFKA_CREDENTIALS_FILE"):
        users = json.loads(pathlib.Path(env("KAFKA_CREDENTIALS_FILE")).read_text())
        if user in users:
            return users[user]
    raise SystemExit(f"no Kafka password for {user!r}: set KAFKA_PASSWORD or KAFKA_PASSWORD_FILE")


def security() -> dict[str, Any]:
    """kafka-python's security options for this process."""
    protocol = env("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper()
    options: dict[str, Any] = {"security_protocol": protocol}
    if protocol in SASL:
        user = username()
        options.update(
            sasl_mechanism=env("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
            sasl_plain_username=user,
            sasl_plain_password=password(user),
        )
    if protocol in TLS and env("KAFKA_CA_FILE"):
        options["ssl_cafile"] = env("KAFKA_CA_FILE")
    return options


def _servers(bootstrap_servers: str) -> list[str]:
    return bootstrap_servers.split(",")


def producer(bootstrap_servers: str, **options: Any):
    from kafka import KafkaProducer

    return KafkaProducer(bootstrap_servers=_servers(bootstrap_servers), **security(), **options)


def consumer(bootstrap_servers: str, *topics: str, **options: Any):
    from kafka import KafkaConsumer

    return KafkaConsumer(*topics, bootstrap_servers=_servers(bootstrap_servers), **security(), **options)


def admin(bootstrap_servers: str, **options: Any):
    from kafka.admin import KafkaAdminClient

    return KafkaAdminClient(bootstrap_servers=_servers(bootstrap_servers), **security(), **options)
