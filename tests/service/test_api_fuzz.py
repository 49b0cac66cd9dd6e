"""A bounded, deterministic schemathesis run over the JSON API, as an admin, on the demo
municipality: no generated request (valid or not) gets a 500, and every documented answer
matches /openapi.json. A few examples per operation; the deep runs are done by hand."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rich.console import Console
from sqlmodel import Session

from profiles.models import Role
from service import db
from service.demo import generate_demo

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 2


def test_generated_requests_get_no_server_error_and_match_the_schema(
    app, client, login_as, session
):
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
    )

    def request_session() -> Iterator[Session]:
        try:
            yield session
        finally:  # a request whose flush failed must not poison the next (each has its own)
            session.rollback()

    app.dependency_overrides[db.get_session] = request_session
    generate_demo(session, seed=7, console=Console(file=io.StringIO()))
    _, csrf = login_as(Role.admin)
    cookies = {"ipsmatch_session": client.cookies["ipsmatch_session"]}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(mode))
            def call(case) -> None:
                case.call_and_validate(
                    cookies=cookies, headers={"X-CSRF-Token": csrf}, checks=checks
                )

            try:
                call()
            except Unsatisfiable:
                continue  # no invalid request exists for this operation (e.g. no parameters)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
