"""Factories for register tests (synthetic employers; no real personal data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from employers import service
from employers.models import Employer
from employers.schemas import EmployerCreate

# Valid organisation numbers (Luhn check digit), made up for tests.
ORG_A = "556036-0793"
ORG_B = "212000-0142"


@pytest.fixture
def make_employer(session: Session) -> Callable[..., Employer]:
    def factory(name: str = "Karlstad Lager AB", **fields) -> Employer:
        fields.setdefault("municipality_code", "1780")
        return service.create_employer(session, data=EmployerCreate(name=name, **fields))

    return factory
