"""Regenerate the initial migration from the models (before the first release only).

Usage: python scripts/make_migration.py "message"
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from service.db import MIGRATIONS_DIR, alembic_config, make_engine

with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
    cfg = alembic_config(engine)
    for old in (MIGRATIONS_DIR / "versions").glob("*.py"):
        old.unlink()
    command.revision(
        cfg,
        message=sys.argv[1] if len(sys.argv) > 1 else "initial schema",
        autogenerate=True,
        rev_id="0001",
    )
