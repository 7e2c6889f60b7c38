"""The intake flow end to end on committed sample envelopes, against their truth.json."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from pipeline.store import open_store
from pipeline.workdir import DataDir

CONTRACT_KEYS = {"packet_id", "status", "received_date", "pages", "fields", "flags"}


@pytest.fixture(scope="module")
def run(sample_batch):
    return sample_batch


class TestSampleScans:
    def test_every_envelope_has_a_report_on_disk_and_in_the_store(self, run) -> None:
        data, _, reports = run
        store = open_store(DataDir(data).db_url)
        for pid, report in reports.items():
            folder = data / "reports" / pid
            saved = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            assert saved.keys() >= CONTRACT_KEYS
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

    def test_every_flag_about_a_page_shows_its_image(self, run) -> None:
        data, _, reports = run
        for pid, report in reports.items():
            html = (data / "reports" / pid / "report.html").read_text(encoding="utf-8")
            about_a_page = [
                f for f in report.flags if f.page or any(e.page for e in f.evidence)
            ]
            assert html.count('class="crop"') + html.count('class="pagecrop"') >= len(about_a_page)

    def test_reports_are_private(self, run) -> None:
        data, _, _ = run
        for path in (data / "reports").rglob("*"):
            assert path.stat().st_mode & 0o007 == 0, path

    def test_every_report_is_also_a_pdf_for_the_file(self, run) -> None:
        data, _, reports = run
        for pid in reports:
            pdf = data / "reports" / pid / "report.pdf"
            assert pdf.read_bytes()[:5] == b"%PDF-"
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert pid in text
            assert pdf.stat().st_mode & 0o007 == 0


class TestBatchReport:
    def test_the_batch_report_counts_sorts_and_plots(self, run) -> None:
        data, _, reports = run
        (folder,) = list((data / "batches").iterdir())
        summary = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
        assert sum(summary["by_status"].values()) == len(reports) == len(summary["envelopes"])
        assert summary["by_status"]["unreadable"] == 2  # p0012 and its copy p0013
        deadlines = [e["deadline"] for e in summary["envelopes"]]
        dated = [d for d in deadlines if d]
        assert deadlines[: len(dated)] == sorted(dated), "envelopes with a deadline come first"
        flags = sum(len(r.flags) for r in reports.values())
        assert sum(n for _, n in summary["flags_per_day"]) == flags
        assert summary["top_flags"][0][1] == max(n for _, n in summary["top_flags"])
        html = (folder / "batch.html").read_text(encoding="utf-8")
        assert html.count("<svg") == 3
        for pid in reports:
            assert f"../../reports/{pid}/report.html" in html
