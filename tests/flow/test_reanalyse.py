"""Page results kept beside each report, and the packet stage applied again to them."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.reanalyse import PAGES_JSON, load_pages, reanalyse_all
from pipeline.store import open_store
from pipeline.workdir import DataDir
from schemas.config import load_config

INTAKE = str(Path(sys.executable).parent / "intake")


def _contract(report: dict) -> dict:
    """What re-analysis must reproduce: everything but the day the report was made."""
    return {k: v for k, v in report.items() if k not in ("report_date", "deadline")}


@pytest.fixture()
def copy(sample_batch, tmp_path):
    """A copy of the sample batch's data folder, so that the shared one stays untouched."""
    data, truths, reports = sample_batch
    target = tmp_path / "data"
    shutil.copytree(data, target)
    return target, truths, reports


def test_every_envelope_keeps_its_page_results_privately(sample_batch) -> None:
    data, _, reports = sample_batch
    for pid, report in reports.items():
        path = data / "reports" / pid / PAGES_JSON
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        stored = load_pages(path.parent)
        assert stored.packet_id == pid
        assert [p.page_no for p in stored.pages] == [p.page for p in report.pages]
        assert stored.received_date == report.received_date


def test_reanalysis_reproduces_the_reports(copy) -> None:
    data, truths, _ = copy
    before = {
        pid: json.loads((data / "reports" / pid / "report.json").read_text(encoding="utf-8"))
        for pid in truths
    }
    again = reanalyse_all(data, cfg=load_config(), registry=None, pdf=False)
    assert {r.packet_id for r in again} >= set(truths)
    for r in again:
        if r.packet_id not in before:
            continue
        assert _contract(json.loads(r.model_dump_json())) == _contract(before[r.packet_id])
        assert not (data / "reports" / r.packet_id / "report.pdf").exists()


def test_a_configuration_change_applies_without_reading_pages_again(copy, tmp_path) -> None:
    data, _, reports = copy
    flagged = [pid for pid, r in reports.items()
               if r.status.value in ("needs_review", "incomplete") and not r.issues]
    assert flagged, "the sample batch holds envelopes with flags"
    codes = sorted({f.code.value for pid in flagged for f in reports[pid].flags})
    # A deployment that takes none of these findings as a reason to stop the file.
    cfg_file = tmp_path / "lenient.toml"
    cfg_file.write_text(
        "[flags]\n" + "".join(
            f'{c} = {{ severity = "info", outcome = "complete" }}\n' for c in codes),
        encoding="utf-8",
    )
    out = subprocess.run(
        [INTAKE, "reanalyse", *flagged, "--data", str(data), "--config", str(cfg_file),
         "--no-pdf"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    store = open_store(DataDir(data).db_url)
    for pid in flagged:
        saved = json.loads((data / "reports" / pid / "report.json").read_text(encoding="utf-8"))
        assert saved["status"] == "complete", pid
        assert {f["severity"] for f in saved["flags"]} == {"info"}
        assert store.get(pid).status == "complete"


def test_reanalysing_an_unknown_packet_fails(copy) -> None:
    data, _, _ = copy
    out = subprocess.run(
        [INTAKE, "reanalyse", "no-such-packet", "--data", str(data)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 1


def test_eval_scores_stored_pages_without_reading_them(copy, sample_scans, tmp_path) -> None:
    """A labelled corpus of truth files only (no scan at all): the figures come from the
    stored page results, and every wrongly raised or missed flag is listed."""
    data, truths, reports = copy
    corpus = tmp_path / "corpus"
    for pid in truths:
        (corpus / pid).mkdir(parents=True)
        shutil.copy(sample_scans / pid / "truth.json", corpus / pid / "truth.json")
    out_json = tmp_path / "scores.json"
    out = subprocess.run(
        [INTAKE, "eval", str(corpus), "--reanalyse", str(data), "--json", str(out_json),
         "--errors"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    scores = json.loads(out_json.read_text(encoding="utf-8"))
    assert scores["packets"] == len(truths)
    assert scores["pages"] == sum(len(t["pages"]) for t in truths.values())
    assert scores["pages_per_minute"] is None
    wrong = sum(d["fp"] + d["fn"] for d in scores["flags"].values())
    assert len(scores["flag_errors"]) == wrong
