"""A batch has two envelopes in hand at once; their pages still share ``jobs`` slots."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from pipeline import tasks
from pipeline.flows import intake_batch

PAGES = ("page-003.jpg", "page-004.jpg", "page-005.jpg", "page-006.jpg")
OTHER_PAGES = ("page-001.jpg", "page-002.jpg", "page-007.jpg", "page-008.jpg")


def _envelope(folder: Path, sample_scans: Path, pages: tuple[str, ...] = PAGES) -> None:
    folder.mkdir(parents=True)
    for name in pages:
        shutil.copy2(sample_scans / "p0002" / name, folder / name)


def test_the_later_of_two_copies_in_one_batch_is_its_duplicate(
    tmp_path: Path, sample_scans: Path
) -> None:
    """GIVEN two copies of one envelope next to each other in the inbox WHEN the batch runs,
    two envelopes at once THEN the second waits for the first to be stored and is flagged
    its duplicate (run together, each would look for the other before either was stored)."""
    inbox = tmp_path / "inbox"
    for name in ("a-first", "b-again"):
        _envelope(inbox / name, sample_scans)
    reports = {r.packet_id: r for r in intake_batch(inbox, tmp_path / "data")}
    assert not [f for f in reports["a-first"].flags if f.code.value == "duplicate_packet"]
    dup = [f for f in reports["b-again"].flags if f.code.value == "duplicate_packet"]
    assert dup and dup[0].of == "a-first"


def test_pages_of_envelopes_in_hand_together_keep_to_the_jobs(
    tmp_path: Path, sample_scans: Path, monkeypatch
) -> None:
    """GIVEN one job and two envelopes at once WHEN the batch runs THEN never more than one
    page is in the page chain at a time, and every page of both envelopes is read."""
    real, lock = tasks.process_page, threading.Lock()
    now, most = [0], [0]

    def counted(scan, source, **kw):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        try:
            return real(scan, source, **kw)
        finally:
            with lock:
                now[0] -= 1

    monkeypatch.setattr(tasks, "process_page", counted)
    inbox = tmp_path / "inbox"
    _envelope(inbox / "a", sample_scans)
    _envelope(inbox / "b", sample_scans, OTHER_PAGES)
    config = tmp_path / "one-job.toml"
    config.write_text("jobs = 1\nenvelopes_at_once = 2\n", encoding="utf-8")
    reports = intake_batch(inbox, tmp_path / "data", config_path=config)
    assert [len(r.pages) for r in reports] == [len(PAGES), len(OTHER_PAGES)]
    assert most[0] == 1
