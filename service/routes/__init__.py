"""Every router of the service, included in one place."""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI

# Each module defines `router`; order matters only for overlapping paths.
ROUTER_MODULES = [
    "service.routes.core",
    "service.routes.coach",
    "service.routes.admin",
    "service.routes.api_participants",
    "service.routes.api_occupations",
    "service.routes.employers",
    "service.routes.evaluation",
]


def include_routers(app: FastAPI) -> None:
    for name in ROUTER_MODULES:
        app.include_router(import_module(name).router)
