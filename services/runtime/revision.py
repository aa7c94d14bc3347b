"""Make a new migration for a service from its tables (its store's metadata):
python -m runtime.revision <service> "<message>" (against a scratch SQLite database). Revisions are
numbered in order: 0001, 0002, ..."""

from __future__ import annotations

import sys
import tempfile

from alembic import command

from runtime.db import alembic_config
from runtime.settings import REPO_ROOT


def main() -> None:
    service, message = sys.argv[1], sys.argv[2]
    migrations = REPO_ROOT / "services" / service / "migrations"
    (migrations / "versions").mkdir(parents=True, exist_ok=True)
    number = len(list((migrations / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))) + 1
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(migrations, f"sqlite:///{tmp}/scratch.db")
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=f"{number:04d}")


if __name__ == "__main__":
    main()
