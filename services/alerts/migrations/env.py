from alerts.store import Base
from runtime.db import run_migrations_env

run_migrations_env(Base.metadata)
