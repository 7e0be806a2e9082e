"""One settings object for the whole application (env prefix SIM_), validated at start-up.

A bad value fails fast with pydantic's message naming the variable, instead of surfacing as a
confusing error in the middle of a session.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIM_", env_file=".env", extra="ignore")

    # storage
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'sim.db'}"
    personas_dir: Path = REPO_ROOT / "personas"

    # the client's voice
    voice: Literal["scripted", "openai"] = "scripted"
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: SecretStr = SecretStr("not-needed-for-local-servers")
    llm_timeout_s: Annotated[float, Field(gt=0, le=300)] = 30.0
    llm_max_retries: Annotated[int, Field(ge=0, le=5)] = 1
    llm_temperature: Annotated[float, Field(ge=0, le=2)] = 0.7
    # a cap on every reply's length, sent with the request (the guard also trims to sentences)
    llm_max_tokens: Annotated[int, Field(ge=16, le=8192)] = 400
    # exchanges the voice hears verbatim; older ones are summarised by the state (prompts.py)
    llm_history_turns: Annotated[int, Field(ge=1, le=200)] = 12

    # the scorer
    scorer: Literal["offline", "llm"] = "offline"
    judge_model: str | None = None
    # the client reacts to a confrontation only at this calibrated probability or above
    confront_min_confidence: Annotated[float, Field(ge=0.5, le=1.0)] = 0.7

    # shared state across workers: rate limits, login throttling, caches (sim/shared/)
    redis_url: str | None = None
    redis_prefix: str = "sim:"

    # web
    cookie_secure: bool = False
    session_ttl_minutes: Annotated[int, Field(ge=5, le=60 * 24 * 30)] = 8 * 60
    max_message_chars: Annotated[int, Field(ge=100, le=20_000)] = 2_000
    max_turns_per_session: Annotated[int, Field(ge=1, le=1_000)] = 120
    rate_limit_per_minute: Annotated[int, Field(ge=1, le=10_000)] = 60
    # request bodies over this are refused with 413 as they arrive (sim/security/bodylimit.py);
    # unset: 64 KiB, or more when SIM_MAX_MESSAGE_CHARS needs it (see body_limit)
    max_body_bytes: Annotated[int | None, Field(ge=1024, le=16 * 1024 * 1024)] = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True

    @property
    def body_limit(self) -> int:
        """SIM_MAX_BODY_BYTES, or 64 KiB raised to fit the longest allowed turn as JSON (a
        character can take 12 bytes escaped: a surrogate pair as two \\uXXXX)."""
        if self.max_body_bytes is not None:
            return self.max_body_bytes
        return max(64 * 1024, 12 * self.max_message_chars + 4096)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value or None

    @field_validator("openai_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
