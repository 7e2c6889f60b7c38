"""Shared fixtures. Tests run the real Tesseract, poppler, Prefect and SQLite: a missing
engine fails the run loudly instead of skipping."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "extractors,pipeline")

import json  # noqa: E402
import shutil  # noqa: E402
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


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect database for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# A set of image files, a complete PDF with a blank page, a complete TIFF, and a file that is
# not a scan: every container kind and three of the four statuses, in about 25 pages.
SAMPLE_BATCH = ("p0002", "p0007", "p0008", "p0012")


@pytest.fixture(scope="session")
def sample_batch(tmp_path_factory, sample_scans: Path, prefect_harness):
    """The batch flow run once over committed sample envelopes: (data dir, truths, reports).

    Also holds p0013, a second copy of p0012 mailed later, which must be flagged duplicate.
    """
    from pipeline.flows import intake_batch

    inbox = tmp_path_factory.mktemp("inbox")
    truths = {}
    for pid in SAMPLE_BATCH:
        shutil.copytree(sample_scans / pid, inbox / pid)
        truths[pid] = json.loads((sample_scans / pid / "truth.json").read_text(encoding="utf-8"))
    shutil.copytree(sample_scans / "p0012", inbox / "p0013")
    data = tmp_path_factory.mktemp("data")
    received = {pid: t["received_date"] for pid, t in truths.items()}
    reports = intake_batch(inbox, data, received_dates=received)
    return data, truths, {r.packet_id: r for r in reports}


@pytest.fixture(scope="session")
def postgres() -> str:
    """Base URL of a real PostgreSQL server started for this test session."""
    import tempfile

    from tests.postgres import postgres_server

    # Not under pytest's temporary folder: that one is private to root, and the server runs
    # as the postgres account when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="intake-pg-"))
    try:
        with postgres_server(root) as url:
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)
