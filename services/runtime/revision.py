"""Make a new migration for a service from its models:
python -m runtime.revision <service> "<message>" (against a scratch SQLite database)."""

from __future__ import annotations

import sys
import tempfile

from alembic import command

from runtime.db import alembic_config
from runtime.settings import REPO_ROOT


def main() -> None:
    service, message = sys.argv[1], sys.argv[2]
    migrations = REPO_ROOT / "services" / service / "migrations"
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(migrations, f"sqlite:///{tmp}/scratch.db")
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True)


if __name__ == "__main__":
    main()
