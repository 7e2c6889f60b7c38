"""Fault drills with real processes: SIGKILL, slow copies, a full disk, a flood, two workers.

The service runs as ``python -m pipeline.service_cli watch`` with a fast processor (the
pipeline's own speed is not what is tested here); ``python -m pipeline.faults --mode real``
runs the same drills with the real pipeline.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.drill_kit import ServiceRun, drop, envelope_bytes, service_args, tally
from pipeline.faults import Sizes, disk_drill, flood_drill, kill_drill, main, slow_drill


def _clean(t) -> None:
    assert t.lost == 0, t.notes
    assert t.processed_twice == 0, t.notes
    assert t.unfinished == 0
    assert t.not_private == 0


class TestFaultDrills:
    def test_sigkill_at_random_moments_loses_nothing_and_runs_nothing_twice(
        self, tmp_path: Path
    ) -> None:
        """GIVEN 50 envelopes WHEN the service is SIGKILLed 3 times mid-batch and restarted
        THEN every envelope is done exactly once."""
        t = kill_drill(tmp_path, fast=True, count=50, kills=3, seed=11)
        _clean(t)
        assert t.processed == 50

    def test_slow_copies_are_never_taken_early(self, tmp_path: Path) -> None:
        """GIVEN files written over 4 s (one pausing 3 s, longer than the settle time)
        THEN each is claimed once, whole: no envelope with a partial sha-256 exists."""
        t = slow_drill(tmp_path, fast=True, count=4)
        _clean(t)
        assert t.processed == 4

    def test_a_full_report_disk_retries_then_quarantines_then_retry_replays(
        self, tmp_path: Path
    ) -> None:
        t = disk_drill(tmp_path, fast=True, count=6)
        _clean(t)
        assert t.quarantined == 6 and t.retried == 6 and t.processed == 6

    def test_two_workers_on_one_inbox_share_it_without_overlap(self, tmp_path: Path) -> None:
        inbox, data = tmp_path / "inbox", tmp_path / "data"
        inbox.mkdir()
        data.mkdir()
        dropped = {
            f"w{i:03d}.png": drop(inbox, f"w{i:03d}.png", envelope_bytes(i, real=False))
            for i in range(60)
        }
        args = service_args(settle_s=0.3, fast=True)
        runs = [
            ServiceRun(
                inbox, data, args, tmp_path / f"w{n}.log", env={"INTAKE_DRILL_WORK_S": "0.1"}
            ).start()
            for n in range(2)
        ]
        codes = [r.wait(300) for r in runs]
        assert codes == [0, 0]
        t = tally(data, dropped, inbox=inbox)
        _clean(t)
        assert t.processed == 60
        logs = [(tmp_path / f"w{n}.log").read_text() for n in range(2)]
        assert all(": done" in log for log in logs), "both workers should have taken a share"

    @pytest.mark.slow
    def test_500_envelopes_at_once_all_done_with_bounded_memory(self, tmp_path: Path) -> None:
        t = flood_drill(tmp_path, fast=True, count=500)
        _clean(t)
        assert t.processed == 500
        assert t.peak_mb < 600


def test_the_faults_command_prints_the_figures(tmp_path: Path, capsys) -> None:
    code = main(mode="fast", scenarios=["flood"], workdir=tmp_path, sizes=Sizes(0, 0, 0, 0, 3))
    out = capsys.readouterr().out
    assert code == 0
    for word in (
        "dropped",
        "processed",
        "quarantined",
        "retried",
        "lost 0",
        "processed twice 0",
        "peak memory",
    ):
        assert word in out


def test_the_faults_command_runs_as_a_module(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.faults", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "--mode" in result.stdout
