"""Shared fixtures. Tests run the real Tesseract, poppler, Prefect and SQLite: a missing
engine fails the run loudly instead of skipping."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "extractors,pipeline")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from schemas.config import PipelineConfig, load_config  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL_SCANS = ROOT / "tests" / "data" / "real-scans"


@pytest.fixture(scope="session")
def config() -> PipelineConfig:
    return load_config()


@pytest.fixture(scope="session")
def real_scans() -> Path:
    return REAL_SCANS


@pytest.fixture(scope="session")
def sample_scans() -> Path:
    return ROOT / "sample_scans" / "packets"


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    d = tmp_path / "work"
    d.mkdir()
    return d
