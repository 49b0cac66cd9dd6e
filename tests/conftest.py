"""One suite, two databases: fresh in-memory SQLite per test, or PostgreSQL when
TEST_DATABASE_URL is set (an outer transaction per test, rolled back at the end)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import employers.models  # noqa: F401  (registers tables)
import profiles.models  # noqa: F401
from profiles.models import Role, User
from service import db
from service.config import Settings
from service.security import hash_password

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105

# Property tests judge results, not speed: a loaded CI machine must not turn them flaky.
hypothesis_settings.register_profile(
    "ipsmatch", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("ipsmatch")


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Real argon2id, with the lowest cost: production parameters take ~0.3 s a hash."""
    from argon2 import PasswordHasher

    from service import security

    production = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = production


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine | None]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield None
        return
    engine = db.make_engine(url)
    with engine.begin() as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(postgres_engine: Engine | None) -> Iterator[Engine]:
    if postgres_engine is not None:
        yield postgres_engine
        return
    engine = db.make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine, postgres_engine: Engine | None) -> Iterator[Session]:
    if postgres_engine is None:
        with Session(engine) as session:
            yield session
        return
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="sqlite://", secret_key="test-secret")


@pytest.fixture
def app(settings: Settings, engine: Engine, session: Session):
    from service.app import create_app

    application = create_app(settings=settings, engine=engine)

    def test_session() -> Iterator[Session]:
        yield session

    application.dependency_overrides[db.get_session] = test_session
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    """Create a user with a role; the password is TEST_PASSWORD."""
    counter = {"n": 0}

    def factory(role: Role = Role.coach, username: str | None = None) -> User:
        counter["n"] += 1
        name = username or f"{role.value}{counter['n']}"
        user = User(
            username=name,
            display_name=name.title(),
            role=role,
            password_hash=hash_password(TEST_PASSWORD),
        )
        session.add(user)
        session.commit()
        session.refresh(user)
        return user

    return factory


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)


def login(client: TestClient, username: str, password: str = TEST_PASSWORD) -> str:
    """Log in through the form; returns the CSRF token for later form posts."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


@pytest.fixture
def login_as(client: TestClient, make_user) -> Callable[..., tuple[User, str]]:
    """Create a user with the role, log the test client in; returns (user, csrf token)."""

    def do(role: Role = Role.coach, username: str | None = None) -> tuple[User, str]:
        user = make_user(role, username)
        return user, login(client, user.username)

    return do
