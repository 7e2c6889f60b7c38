"""Flow tests run real Prefect flows against a temporary local Prefect database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _flows_need_prefect(prefect_harness):
    yield
