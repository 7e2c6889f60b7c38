"""The real service on the real pipeline: ``intake serve`` end to end.

One run of ``python -m pipeline.service_cli serve`` (Prefect server, watcher, sweep deployment;
JSON logs at DEBUG) over an inbox holding ~30 malformed or hostile entries, real problem scans,
envelopes whose names and pages carry canary personal data, and the same scan dropped twice.
A run of the sweep deployment is started while the watcher works: both claim from one inbox.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from pipeline.archive import is_private
from pipeline.claim import payload_digest
from pipeline.drill_kit import page_image
from pipeline.intake_state import State, open_envelopes
from pipeline.prefect_server import free_port
from pipeline.workdir import DataDir
from tests.service.bad_inputs import build_bad_inputs, copy_problem_files

#: The problem scans run through the real pipeline here (every one of them goes through the
#: service's claim and archive in test_service.py; INTAKE_ALL_PROBLEM_SCANS=1 runs all here).
PROBLEM_SCANS = [
    "invalid.pdf",
    "skew-encrypted.pdf",
    "hugemono.pdf",
    "blank.pdf",
    "tagged.pdf",
    "aspect.pdf",
]
if os.environ.get("INTAKE_ALL_PROBLEM_SCANS"):  # all 24: ~7 min here instead of ~2
    PROBLEM_SCANS = None

CANARY_NAMES = ("Gédéon Vachon-Tremblay", "Philomène Brisebois-Ouellette", "Ouellette")
CANARY_DATES = ("1987-03-14", "14/03/1987", "1992-11-05")


@dataclass
class RealRun:
    root: Path
    inbox: Path
    data: Path
    expected: dict[str, str]
    returncode: int
    log: str
    opened_outside: list[str]
    deployment: dict
    sweep_run: dict
    vacuum: dict
    children_left: list
    seconds: float

    def rows(self):
        return open_envelopes(DataDir(self.data).db_url).list()

    def by_name(self):
        return {r.original_name: r for r in self.rows()}


class _Opens(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: list[str] = []

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "modified", "created", "deleted", "moved"):
            self.events.append(f"{event.event_type} {event.src_path}")


def _canary_envelopes(inbox: Path) -> dict[str, str]:
    """Names and page text carrying invented personal data that must never reach a log."""
    lines = (
        "NOM: VACHON-TREMBLAY  PRENOM: GEDEON",
        "Gédéon Vachon-Tremblay né le 14/03/1987",
        "DATE DE NAISSANCE 1987-03-14",
    )
    page_image("DEMANDE", size=(800, 500), lines=lines).save(
        inbox / "Gédéon Vachon-Tremblay 1987-03-14.png"
    )
    folder = inbox / "Famille Brisebois-Ouellette 1992-11-05"
    folder.mkdir()
    page_image("LETTRE", size=(800, 400), lines=("Philomène Brisebois-Ouellette",)).save(
        folder / "Philomène Brisebois-Ouellette passeport.png"
    )
    return {"Gédéon Vachon-Tremblay 1987-03-14.png": "processed", folder.name: "processed"}


def _duplicates(inbox: Path) -> dict[str, str]:
    page_image("MEME LETTRE", size=(600, 300)).save(inbox / "lettre.png")
    shutil.copy(inbox / "lettre.png", inbox / "lettre (copie).png")
    return {"lettre.png": "processed", "lettre (copie).png": "processed"}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory, real_scans: Path) -> RealRun:
    root = tmp_path_factory.mktemp("real")
    inbox, data, staging, outside = (
        root / "inbox",
        root / "data",
        root / "staging",
        root / "outside",
    )
    for d in (inbox, staging):
        d.mkdir()
    expected = build_bad_inputs(staging, outside)
    expected |= copy_problem_files(real_scans / "problem-pdfs", staging, PROBLEM_SCANS)
    expected |= _canary_envelopes(staging)
    expected |= _duplicates(staging)
    for entry in staging.iterdir():  # everything lands at once
        entry.rename(inbox / entry.name)
    opens = _Opens()
    observer = Observer()
    observer.schedule(opens, str(outside), recursive=True)
    observer.start()
    started = time.monotonic()
    try:
        run = _serve_until_done(root, inbox, data, expected)
    finally:
        observer.stop()
        observer.join()
    return RealRun(
        root,
        inbox,
        data,
        expected,
        opened_outside=opens.events,
        seconds=time.monotonic() - started,
        **run,
    )


def _serve_until_done(root: Path, inbox: Path, data: Path, expected: dict[str, str]) -> dict:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(root / "prefect-home"), "INTAKE_LOG_LEVEL": "DEBUG"}
    env.pop("PREFECT_API_URL", None)
    log_path = root / "serve.log"
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline.service_cli",
                "serve",
                str(inbox),
                "--data",
                str(data),
                "--port",
                str(port),
                "--cron",
                "15 2 * * *",
                "--settle",
                "1",
                "--broken-after",
                "3",
                "--log-json",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = f"http://127.0.0.1:{port}/api"
    try:
        [dep] = _until(lambda: _api(f"{api}/deployments/filter", {}), 300, "the deployment")
        vacuum = _api(f"{api}/admin/settings")["server"]["services"]["db_vacuum"]
        children = psutil.Process(proc.pid).children(recursive=True)
        created = _until(
            lambda: _api(f"{api}/deployments/{dep['id']}/create_flow_run", {}), 60, "a sweep run"
        )
        sweep = _until(lambda: _finished_run(api, created["id"]), 600, "the sweep run")
        _until(lambda: _all_done(data, expected), 900, "every envelope")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    left = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    return {
        "returncode": proc.returncode,
        "log": log_path.read_text(encoding="utf-8", errors="replace"),
        "deployment": dep,
        "sweep_run": sweep,
        "vacuum": vacuum,
        "children_left": left,
    }


def _finished_run(api: str, run_id: str) -> dict | None:
    run = _api(f"{api}/flow_runs/{run_id}")
    return run if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED") else None


def _all_done(data: Path, expected: dict[str, str]) -> bool:
    wanted = {n for n, o in expected.items() if o != "ignored"}
    if not (data / "intake.sqlite").exists():
        return False
    rows = open_envelopes(DataDir(data).db_url).list()
    finished = {r.original_name for r in rows if r.state in (State.DONE, State.QUARANTINED)}
    return wanted <= finished


def _api(url: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url,
        data=data,
        headers={"content-type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def _until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            got = check()
        except OSError:  # the server is still starting (refused, 503)
            got = None
        if got:
            return got
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


class TestRealService:
    def test_serve_stops_cleanly_and_leaves_no_process(self, real_run: RealRun) -> None:
        assert real_run.returncode == 0, real_run.log[-3000:]
        assert "failed; going on" not in real_run.log
        assert real_run.children_left == []

    def test_the_sweep_is_deployed_on_its_schedule_and_runs(self, real_run: RealRun) -> None:
        dep = real_run.deployment
        assert dep["name"] == "nightly-sweep"
        assert dep["entrypoint"] == "pipeline.sweep.sweep_inbox"
        assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["15 2 * * *"]
        assert dep["global_concurrency_limit"]["limit"] == 1
        assert dep["parameters"]["inbox"] == str(real_run.inbox.resolve())
        assert real_run.sweep_run["state"]["type"] == "COMPLETED", real_run.sweep_run["state"]

    def test_prefect_forgets_finished_runs_after_two_weeks(self, real_run: RealRun) -> None:
        """Prefect's own run history would grow every night and slow every run after it:
        the server the service starts vacuums finished flow runs 14 days old."""
        assert "flow_runs" in real_run.vacuum["enabled"], real_run.vacuum
        assert real_run.vacuum["retention_period"] == "P14D"

    def test_every_entry_ends_unreadable_or_processed_with_a_reason(
        self, real_run: RealRun
    ) -> None:
        rows = real_run.by_name()
        for name, outcome in real_run.expected.items():
            if outcome == "ignored":
                assert name not in rows, f"{name!r} should never be taken"
                continue
            env = rows[name]
            assert env.state is State.DONE, f"{name!r}: {env.state} {env.reason}"
            report = json.loads((Path(env.report_dir) / "report.json").read_text(encoding="utf-8"))
            if outcome == "unreadable":
                assert report["status"] == "unreadable", name
            if report["status"] == "unreadable":
                reasons = [f["message"] for f in report["flags"] if f["code"] == "unreadable_file"]
                assert reasons and all(len(r) > 15 for r in reasons), (name, report["flags"])
            elif outcome == "processed":
                assert report["pages"], name

    def test_ignored_entries_stay_untouched_in_the_inbox(self, real_run: RealRun) -> None:
        left = {p.name for p in real_run.inbox.iterdir()} - {".intake-work"}
        assert left == {n for n, o in real_run.expected.items() if o == "ignored"}

    def test_nothing_outside_the_data_directories_is_read_or_written(
        self, real_run: RealRun
    ) -> None:
        assert real_run.opened_outside == []
        assert sorted(p.name for p in (real_run.root / "outside").iterdir()) == [
            "outside-secret.png"
        ]
        outside_png = (real_run.root / "outside" / "outside-secret.png").read_bytes()
        for p in real_run.data.rglob("*"):
            assert p.resolve().is_relative_to(real_run.data.resolve()) or p.is_symlink()
            if p.is_file() and not p.is_symlink():
                assert p.read_bytes() != outside_png, f"{p} holds the outside file"
        top = {p.name for p in real_run.root.iterdir()}
        assert top <= {"inbox", "data", "staging", "outside", "prefect-home", "serve.log"}

    def test_archived_names_are_sanitised(self, real_run: RealRun) -> None:
        archive = real_run.data / "archive"
        for p in archive.rglob("*"):
            assert "\n" not in p.name and "\r" not in p.name and not p.name.startswith(".")
            if p.is_symlink():  # kept as the link it was, never followed
                assert p.readlink().name == "outside-secret.png"
            else:
                assert p.resolve().is_relative_to(archive.resolve())
        for env in real_run.rows():
            assert payload_digest(Path(env.archive_path)) == env.sha256

    def test_the_same_scan_twice_is_flagged_duplicate_of_the_first(self, real_run: RealRun) -> None:
        rows = real_run.by_name()
        first, second = rows["lettre.png"], rows["lettre (copie).png"]
        assert first.sha256 == second.sha256 and first.id != second.id
        dups = [e for e in (first, second) if e.duplicate_of]
        assert len(dups) == 1 and dups[0].duplicate_of in {first.id, second.id} - {dups[0].id}

    def test_logs_are_json_lines_with_ids_and_no_personal_data(self, real_run: RealRun) -> None:
        records = [json.loads(line) for line in real_run.log.splitlines() if line.strip()]
        assert any(r.get("envelope") and r.get("sha256") for r in records)
        _assert_no_canary(real_run.log, "service logs")

    def test_prefect_never_receives_personal_data(self, real_run: RealRun) -> None:
        """Flow-run parameters, logs sent to the API and the server's own log."""
        home = real_run.root / "prefect-home"
        blobs = [p for p in home.rglob("*") if p.is_file()]
        blobs += [p for p in (real_run.data / "logs").rglob("*") if p.is_file()]
        assert blobs
        for p in blobs:
            _assert_no_canary(p.read_bytes().decode("utf-8", "replace"), str(p))

    def test_data_and_reports_are_owner_and_group_only(self, real_run: RealRun) -> None:
        assert all(
            is_private(p) for p in [real_run.data, *real_run.data.rglob("*")] if not p.is_symlink()
        )


def _assert_no_canary(text: str, where: str) -> None:
    low = text.lower()
    for canary in (*CANARY_NAMES, *CANARY_DATES, "Vachon", "Gédéon", "Philomène", "Brisebois"):
        for form in {canary, canary.upper(), canary.lower()}:
            assert form.lower() not in low, f"{canary!r} found in {where}"
