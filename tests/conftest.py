"""Suite-wide collection order.

Playwright's sync API keeps an event loop running in the main thread for as long as its
session-scoped browser lives; pytest-asyncio cannot start a loop while that one runs. So the
real-browser tests run last, after every async test has finished.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
