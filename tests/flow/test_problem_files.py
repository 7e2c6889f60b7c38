"""The real problem PDFs each end with a clear outcome, and a batch holding them carries on."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from pipeline.flows import intake_batch

# file → (status, flag code expected, what the reviewer reads)
OUTCOMES = {
    "invalid.pdf": ("unreadable", "unreadable_file"),
    "skew-encrypted.pdf": ("unreadable", "unreadable_file"),
    "hugemono.pdf": ("unreadable", "unreadable_file"),
    "blank.pdf": (None, "blank_page"),
    "tagged.pdf": (None, None),
}
ERROR_PAGES = ("error-page.pdf", "error-page-again.pdf")


@pytest.fixture(scope="module")
def batch_run(
    tmp_path_factory, real_scans: Path
) -> tuple[dict[str, dict], list[logging.LogRecord]]:
    """The batch's reports by packet, and what Prefect logged at ERROR while it ran."""
    inbox = tmp_path_factory.mktemp("inbox")
    for name in OUTCOMES:
        shutil.copy(real_scans / "problem-pdfs" / name, inbox / name)
    # Two envelopes holding the same bytes that are no scan: a portal's error page saved
    # as a PDF (synthetic text).
    page = b"<!DOCTYPE html><html><body><p>Session expired</p></body></html>"
    for name in ERROR_PAGES:
        (inbox / name).write_bytes(page)
    data = tmp_path_factory.mktemp("data")
    errors = _Collect(logging.ERROR)
    logging.getLogger("prefect").addHandler(errors)
    try:
        reports = intake_batch(inbox, data)
    finally:
        logging.getLogger("prefect").removeHandler(errors)
    return {r.packet_id: json.loads(r.model_dump_json()) for r in reports}, errors.records


@pytest.fixture(scope="module")
def batch_reports(batch_run) -> dict[str, dict]:
    return batch_run[0]


class _Collect(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class TestProblemFiles:
    def test_every_file_has_a_report(self, batch_reports: dict) -> None:
        """GIVEN a batch of broken and odd files WHEN it runs THEN none stops the batch."""
        assert sorted(batch_reports) == sorted(Path(n).stem for n in (*OUTCOMES, *ERROR_PAGES))

    def test_the_same_non_scan_twice_is_no_duplicate_application(self, batch_reports: dict) -> None:
        """GIVEN two envelopes holding the same file that is no scan at all WHEN the batch
        runs THEN both are unreadable and neither is a duplicate: there is no application in
        either to compare (the same encrypted scan twice is one: ``test_postgres``)."""
        for packet in (Path(n).stem for n in ERROR_PAGES):
            codes = {f["code"] for f in batch_reports[packet]["flags"]}
            assert "unreadable_file" in codes and "duplicate_packet" not in codes

    @pytest.mark.parametrize("name", sorted(OUTCOMES))
    def test_outcome(self, batch_reports: dict, name: str) -> None:
        status, code = OUTCOMES[name]
        report = batch_reports[Path(name).stem]
        codes = {f["code"] for f in report["flags"]}
        if status:
            assert report["status"] == status
        if code:
            assert code in codes
        if code == "unreadable_file":
            flag = next(f for f in report["flags"] if f["code"] == code)
            assert flag["file"] == name and len(flag["message"]) > 20

    def test_refused_files_are_no_errors_in_the_run_log(self, batch_run) -> None:
        """GIVEN encrypted, corrupt, huge and non-scan files WHEN the batch runs THEN the people
        who run it read one warning each, not a task failure with its traceback: a refused
        file is an outcome, flagged in its report."""
        reports, errors = batch_run
        assert reports
        assert [r.getMessage()[:120] for r in errors] == []

    def test_born_digital_pdf_reuses_its_text_layer(self, batch_reports: dict) -> None:
        report = batch_reports["tagged"]
        assert report["pages"] and "unreadable_file" not in {f["code"] for f in report["flags"]}


class TestTaskOutcomes:
    """What a task returns and what it raises (its function, run without a flow)."""

    def test_a_scans_own_fault_is_returned(self, real_scans: Path) -> None:
        from extractors.errors import EncryptedPdfError
        from pipeline.tasks import preflight_task
        from schemas.config import LimitsConfig

        result = preflight_task.fn(real_scans / "problem-pdfs" / "skew-encrypted.pdf",
                                   LimitsConfig())  # fmt: skip
        assert isinstance(result, EncryptedPdfError)

    def test_a_fault_of_this_machine_is_raised(self, real_scans: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
        """GIVEN poppler missing WHEN a page that needs it (JBIG2) is read THEN the task fails
        loudly: the scan is not to blame."""
        from extractors.envelope import plan_pages
        from extractors.errors import OcrEngineMissingError
        from extractors.preflight import preflight
        from pipeline.tasks import process_page_task
        from schemas.config import load_config

        cfg = load_config()
        scan = preflight(real_scans / "problem-pdfs" / "linn.pdf", cfg.limits)
        (source,) = plan_pages([scan])
        monkeypatch.setenv("PATH", "/nonexistent")
        with pytest.raises(OcrEngineMissingError):
            process_page_task.fn(scan, source, tmp_path, cfg)
