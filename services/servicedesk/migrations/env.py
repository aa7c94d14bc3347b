from runtime.db import run_migrations_env
from servicedesk.store import Base

run_migrations_env(Base.metadata)
