"""python -m gateway: serve the gateway with uvicorn (SIGTERM: graceful)."""

from __future__ import annotations

import gc

import uvicorn

from gateway.app import create_app
from gateway.settings import GatewaySettings
from runtime import kafka_clients, telemetry
from runtime.logs import setup_logging
from runtime.settings import env


def main() -> None:
    settings = GatewaySettings.from_env()
    kafka_clients.use_principal("gateway")  # unless KAFKA_USERNAME names another
    setup_logging("gateway", env("LOG_LEVEL", "INFO"))
    telemetry.setup_telemetry("gateway")
    # The gateway holds thousands of open streams, each a few hundred long-lived objects; with
    # the default thresholds the cyclic collector kept walking them all, which made a small
    # call (a TV's receipt) cost nearly twice its CPU at 10,000 streams (make bench-alerts).
    # Collect the young generation less often and the whole heap rarely.
    gc.set_threshold(50_000, 20, 100)
    uvicorn.run(
        create_app(settings),
        host=env("HTTP_HOST", "0.0.0.0"),
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(float(env("SHUTDOWN_GRACE_SECONDS", "10"))),
    )


if __name__ == "__main__":
    main()
