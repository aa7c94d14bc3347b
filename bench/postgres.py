"""A fresh PostgreSQL database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import uuid

from sqlalchemy import create_engine, text


@contextlib.contextmanager
def fresh_database(prefix: str):
    """Yields the new database's URL (on the server of PG_ADMIN_URL, which infra.sh env sets)."""
    admin_url = os.environ.get("PG_ADMIN_URL", "postgresql+psycopg://sbc:sbc@127.0.0.1:15432/sbc")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
