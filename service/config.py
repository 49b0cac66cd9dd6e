"""Settings read from the environment (pydantic-settings)."""

from __future__ import annotations

import secrets
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPSMATCH_", extra="ignore")

    database_url: str = "sqlite:///./ipsmatch.db"
    secret_key: str = secrets.token_urlsafe(32)
    session_cookie_secure: bool = False
    default_language: str = "sv"
    demo: bool = False
    demo_seed: int = 7
    demo_town: str = "Karlstad"


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment; DATABASE_URL (unprefixed) is honoured as in PRODUCT.md."""
    import os

    overrides = {}
    if os.environ.get("DATABASE_URL"):
        overrides["database_url"] = os.environ["DATABASE_URL"]
    return Settings(**overrides)
