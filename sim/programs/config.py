"""The programs wing's own settings (env prefix SIM_, like sim/config.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ProgramSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIM_", env_file=".env", extra="ignore")

    # practice transcripts (turns) are deleted this many days after the session ended;
    # unset: kept. A program's own transcript_retention_days wins for its attempts.
    transcript_retention_days: Annotated[int | None, Field(ge=1, le=36_500)] = None
