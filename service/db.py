"""Engine creation, migrations and the request session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from fastapi import Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class NulInText(ValueError):
    """Text with a NUL character: PostgreSQL cannot store it, so no database gets it."""


def _named_values(parameters: Any, names: list[str]) -> Iterator[tuple[str, Any]]:
    """(bind name or "", value) of one statement's parameters: a dict, a row, or many rows."""
    if isinstance(parameters, dict):
        yield from parameters.items()
        return
    values = list(parameters or ())
    if values and all(isinstance(v, dict | list | tuple) for v in values):
        for row in values:  # executemany
            yield from _named_values(row, names)
        return
    # One row, or several rows flattened into one INSERT (insertmanyvalues).
    cycle = names if names and len(values) % len(names) == 0 else []
    for i, value in enumerate(values):
        yield (cycle[i % len(cycle)] if cycle else ""), value


def _refuse_nul(conn, cursor, statement, parameters, context, executemany) -> None:
    """Answer text with NUL characters as invalid input (field named when known), on every
    database alike, instead of PostgreSQL's DataError (a 500) or stored garbage on SQLite."""
    names = list(getattr(getattr(context, "compiled", None), "positiontup", None) or ())
    for name, value in _named_values(parameters, names):
        if isinstance(value, str) and "\x00" in value:
            field = re.sub(r"_\d+$", "", str(name)) or "text"
            raise NulInText(f"{field}: contains a NUL character")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on and, in memory, one shared connection.

    Every engine refuses text with NUL characters (see ``_refuse_nul``).
    """
    engine = _make_engine(url)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        kwargs: dict = {"connect_args": {"check_same_thread": False}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates every table on an empty database)."""
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session
