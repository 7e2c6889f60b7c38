"""The intake flow end to end on committed sample envelopes, against their truth.json."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.flows import intake_batch
from pipeline.store import open_store
from pipeline.workdir import DataDir

# A set of image files, a complete PDF with a blank page, a complete TIFF, and a file that is
# not a scan: every container kind and three of the four statuses, in about 25 pages.
PACKETS = ("p0002", "p0007", "p0008", "p0012")
CONTRACT_KEYS = {"packet_id", "status", "received_date", "pages", "fields", "flags"}


@pytest.fixture(scope="module")
def run(tmp_path_factory, sample_scans: Path):
    inbox = tmp_path_factory.mktemp("inbox")
    truths = {}
    for pid in PACKETS:
        shutil.copytree(sample_scans / pid, inbox / pid)
        truths[pid] = json.loads((sample_scans / pid / "truth.json").read_text(encoding="utf-8"))
    # The same envelope mailed twice, under a later id.
    shutil.copytree(sample_scans / "p0012", inbox / "p0013")
    data = tmp_path_factory.mktemp("data")
    received = {pid: t["received_date"] for pid, t in truths.items()}
    reports = intake_batch(inbox, data, received_dates=received)
    return data, truths, {r.packet_id: r for r in reports}


class TestSampleScans:
    def test_every_envelope_has_a_report_on_disk_and_in_the_store(self, run) -> None:
        data, _, reports = run
        store = open_store(DataDir(data).db_url)
        for pid, report in reports.items():
            folder = data / "reports" / pid
            saved = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            assert CONTRACT_KEYS <= saved.keys()
            assert saved["status"] == report.status.value
            assert (folder / "report.html").stat().st_size > 1000
            assert store.get(pid).status == report.status.value

    def test_no_defective_envelope_comes_out_complete(self, run) -> None:
        _, truths, reports = run
        for pid, truth in truths.items():
            if truth["expected"]["status"] != "complete":
                assert reports[pid].status.value != "complete", pid

    def test_unreadable_and_incomplete_envelopes_get_their_status(self, run) -> None:
        _, _, reports = run
        assert reports["p0012"].status.value == "unreadable"
        codes = {f.code.value for f in reports["p0002"].flags}
        assert {"form_page_missing", "form_unsigned", "form_undated"} <= codes
        assert reports["p0002"].deadline is not None

    def test_pages_are_classified_as_labelled(self, run) -> None:
        _, truths, reports = run
        got = want = 0
        for pid in ("p0002", "p0007", "p0008"):
            by_no = {p.page: p.doc_type.value for p in reports[pid].pages}
            for p in truths[pid]["pages"]:
                want += 1
                got += by_no.get(p["page"]) == p["doc_type"]
        assert got / want >= 0.85

    def test_form_fields_have_values_and_image_boxes(self, run) -> None:
        _, truths, reports = run
        fields = reports["p0008"].fields
        truth = truths["p0008"]["form"]
        assert fields["dossier_number"].value == truth["dossier_number"]
        assert fields["sex"].value == truth["sex"]
        assert all(f.bbox for f in fields.values()), [n for n, f in fields.items() if not f.bbox]

    def test_a_second_copy_of_an_envelope_is_flagged_duplicate(self, run) -> None:
        _, _, reports = run
        dup = [f for f in reports["p0013"].flags if f.code.value == "duplicate_packet"]
        assert dup and dup[0].of == "p0012"

    def test_html_report_shows_a_crop_for_every_flag_with_a_region(self, run) -> None:
        data, _, reports = run
        for pid, report in reports.items():
            html = (data / "reports" / pid / "report.html").read_text(encoding="utf-8")
            with_region = sum(1 for f in report.flags for e in f.evidence if e.bbox and e.page)
            assert len(re.findall(r'class="crop"', html)) == with_region

    def test_reports_are_private(self, run) -> None:
        data, _, _ = run
        for path in (data / "reports").rglob("*"):
            assert path.stat().st_mode & 0o007 == 0, path
