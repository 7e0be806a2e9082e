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

    # LTI 1.3 (sim/programs/lti): the tool's public address as platforms reach it (the launch,
    # login and JWKS URLs are built from it; unset: taken from each request, right on a single
    # host, wrong behind a proxy that rewrites Host), how long a rotated-out key stays in the
    # JWKS, and how often scores owed to platforms are looked for.
    public_url: Annotated[str | None, Field(max_length=500)] = None
    lti_key_grace_hours: Annotated[float, Field(ge=0, le=24 * 90)] = 72.0
    lti_score_poll_s: Annotated[float, Field(ge=0.2, le=3600)] = 5.0
