"""One envelope that crashes must not stop a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline import tasks
from pipeline.flows import intake_batch


def test_a_crashing_envelope_is_left_out_and_the_batch_goes_on(
    tmp_path: Path, sample_scans: Path, monkeypatch
) -> None:
    """GIVEN a page chain that crashes on one envelope (as a library bug would),
    WHEN the batch runs, THEN the other envelopes get their reports."""
    real = tasks.process_page

    def crashing(scan, source, **kw):
        if "boom" in str(scan.path):
            raise RuntimeError("a library crashed")
        return real(scan, source, **kw)

    monkeypatch.setattr(tasks, "process_page", crashing)
    inbox = tmp_path / "inbox"
    for name in ("a-ok", "b-boom", "c-ok"):
        (inbox / name).mkdir(parents=True)
        shutil.copy2(sample_scans / "p0002" / "page-008.jpg", inbox / name / "page-001.jpg")
    reports = intake_batch(inbox, tmp_path / "data")
    assert [r.packet_id for r in reports] == ["a-ok", "c-ok"]
    batches = list((tmp_path / "data" / "batches").glob("*/batch.json"))
    assert len(batches) == 1


def test_a_completed_run_whose_state_lost_its_report_is_read_from_its_folder(
    tmp_path: Path, sample_scans: Path
) -> None:
    """GIVEN an envelope the batch has read WHEN Prefect hands back its completed state
    without data (as it now and then does: ``MissingResult``) THEN its report comes from its
    folder; with no folder either, nothing (the batch goes on without it)."""
    from prefect.states import Completed

    from pipeline.flows import _envelope_report

    inbox = tmp_path / "inbox"
    (inbox / "a-ok").mkdir(parents=True)
    shutil.copy2(sample_scans / "p0002" / "page-008.jpg", inbox / "a-ok" / "page-001.jpg")
    (report,) = intake_batch(inbox, tmp_path / "data")
    bare = Completed()  # a completed state without data, as the API answers it
    assert _envelope_report(bare, tmp_path / "data", "a-ok") == report
    assert _envelope_report(bare, tmp_path / "data", "never-read") is None
