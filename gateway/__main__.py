"""python -m gateway: serve the gateway with uvicorn (SIGTERM: graceful)."""
from __future__ import annotations

import uvicorn

from gateway.app import create_app
from gateway.settings import GatewaySettings
from runtime import telemetry
from runtime.logs import setup_logging
from runtime.settings import env


def main() -> None:
    settings = GatewaySettings.from_env()
    setup_logging("gateway", env("LOG_LEVEL", "INFO"))
    telemetry.setup_telemetry("gateway")
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
