"""Two people saving the same employer at the same moment: exactly one save wins.

Runs on a real database with two connections (PostgreSQL when TEST_DATABASE_URL is set,
otherwise a SQLite file), committed outside the per-test rollback, and cleaned up after.
"""

import threading

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from employers import service
from employers.errors import VersionConflict
from employers.models import Employer
from employers.schemas import EmployerCreate, EmployerUpdate
from service import db


@pytest.fixture
def shared_engine(postgres_engine: Engine | None, tmp_path):
    if postgres_engine is not None:
        yield postgres_engine
        return
    engine = db.make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_simultaneous_saves_on_the_same_version(shared_engine: Engine):
    with Session(shared_engine) as session:
        employer = service.create_employer(session, data=EmployerCreate(name="Racet AB"))
        employer_id = employer.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(trade: str) -> None:
        with Session(shared_engine) as session:
            barrier.wait()
            try:
                service.update_employer(
                    session, employer_id=employer_id, data=EmployerUpdate(version=1, trade=trade)
                )
                outcomes.append("saved")
            except VersionConflict:
                outcomes.append("conflict")

    try:
        for _ in range(5):
            outcomes.clear()
            with Session(shared_engine) as session:
                row = session.get(Employer, employer_id)
                row.version = 1
                session.add(row)
                session.commit()
            threads = [threading.Thread(target=save, args=(t,)) for t in ("Café", "Bageri")]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(outcomes) == ["conflict", "saved"]
            with Session(shared_engine) as session:
                assert session.get(Employer, employer_id).version == 2
    finally:
        with Session(shared_engine) as session:
            session.exec(delete(Employer).where(Employer.id == employer_id))
            session.commit()
