"""The single Alembic migration creates exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from service import db


def test_migration_matches_models(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    db.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migration differ; run scripts/make_migration.py: {diff}"


def test_upgrade_is_idempotent(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    db.upgrade(engine)
    db.upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
    engine.dispose()
