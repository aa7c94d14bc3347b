"""Alembic's environment for every service: the service's tables are its store's `metadata`
(services/<name>/store.py); its migrations are services/<name>/migrations/versions."""

import importlib

from alembic import context

from runtime.db import run_migrations_env

run_migrations_env(importlib.import_module(f"{context.config.get_main_option('sbc_service')}.store").metadata)
