"""Shared fixtures for the scoring tests: one offline scorer per session (loading is cheap,
but there is no reason to do it per test)."""

from __future__ import annotations

import pytest

from scoring.offline.scorer import OfflineScorer


@pytest.fixture(scope="session")
def scorer() -> OfflineScorer:
    return OfflineScorer()
