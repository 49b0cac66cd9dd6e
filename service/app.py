"""The web application factory."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from service import db
from service.config import Settings, get_settings
from service.errors import document_errors, install_error_handlers
from service.security import csrf_protect

HERE = Path(__file__).parent


def _template_globals(templates: Jinja2Templates) -> None:
    """Vocabularies every form may offer: condition tags with their labels in both languages,
    municipalities by name."""
    from employers.adapters import condition_tags
    from matching.places import all_municipalities
    from matching.types import CONDITION_TAGS, condition_label

    templates.env.globals["CONDITION_TAGS"] = tuple(CONDITION_TAGS)
    templates.env.globals["condition_label"] = condition_label
    templates.env.globals["condition_tags"] = condition_tags
    swedish = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # å, ä, ö sort after z
    templates.env.globals["MUNICIPALITIES"] = tuple(
        (m.code, m.name)
        for m in sorted(all_municipalities(), key=lambda m: m.name.lower().translate(swedish))
    )


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app; the engine is created (and migrated) at start-up unless one is given."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.engine is None:
            app.state.engine = db.make_engine(settings.database_url)
            db.upgrade(app.state.engine)
        yield

    app = FastAPI(
        title="ipsmatch",
        summary="Job matching for IPS supported employment",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    _template_globals(app.state.templates)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="ipsmatch_session",
        same_site="lax",
        https_only=settings.session_cookie_secure,
        max_age=12 * 3600,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    install_error_handlers(app)

    from service.routes import include_routers

    include_routers(app)
    plain_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
