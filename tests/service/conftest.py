"""Service tests: the real service, real SQLite, real processes; a fast processor where the
pipeline itself is not what is tested."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    return inbox, data
