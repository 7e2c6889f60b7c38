"""``intake bench-memory``: the pipeline's peak memory on long envelopes, really run."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench import run_memory


def test_a_long_envelope_runs_through_the_pipeline(sample_scans: Path, tmp_path: Path) -> None:
    """One short envelope (a Prefect server start each): the command's wiring, not figures."""
    sources = sorted((sample_scans / "p0002").glob("page-004.jpg"))
    figures = run_memory([2], sources=sources, keep=tmp_path, jobs=1)
    run = figures["runs"][2]
    assert run["pages"] == 2 and run["peak_mb"] > 50 and run["seconds"] > 0
    assert figures["spread"] == 0
