"""The service loop with a fast processor: archive, retries, quarantine, retry, crash windows."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from pipeline.archive import READ_ONLY_FILE, REASON_FILE, is_private
from pipeline.claim import SIDECAR, claim, payload_digest
from pipeline.drill_kit import FastProcessor
from pipeline.intake_state import State
from pipeline.processing import Job
from pipeline.recovery import ORPHAN_GRACE_S
from tests.service.helpers import FlakyProcessor, drain, make_service


def _png(inbox: Path, name: str, shade: int = 255) -> str:
    buf = io.BytesIO()
    Image.new("L", (120, 80), shade).save(buf, format="PNG")
    (inbox / name).write_bytes(buf.getvalue())
    return payload_digest(inbox / name)


def _claim_all(service) -> list:
    service.watcher.ready(now=0.0)
    return [
        claim(r.path, work_root=service.s.work_root, store=service.store, first_seen=0)
        for r in service.watcher.ready(now=10.0)
    ]


def _retry_cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.service_cli", "retry", *args, "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestHappyPath:
    def test_files_and_folders_end_done_archived_read_only_and_verified(self, dirs) -> None:
        inbox, data = dirs
        sha_file = _png(inbox, "Jean Tremblay.png")
        folder = inbox / "dossier Marie Côté"
        folder.mkdir()
        _png(folder, "page 1.png", 10)
        _png(folder, "page 2.png", 20)
        service = make_service(inbox, data)
        drain(service)
        done = service.store.list(State.DONE)
        assert len(done) == 2
        today = dt.date.today()
        for env in done:
            archived = Path(env.archive_path)
            assert (
                archived.parent.parent
                == data / "archive" / f"{today:%Y}" / f"{today:%m}" / f"{today:%d}"
            )
            assert archived.parent.name == env.sha256 and payload_digest(archived) == env.sha256
            assert archived.name == env.original_name
        single = next(e for e in done if e.kind == "file")
        assert single.sha256 == sha_file
        assert stat.S_IMODE(Path(single.archive_path).stat().st_mode) == READ_ONLY_FILE
        assert not any(service.s.work_root.iterdir()), "work area left behind"
        assert list(inbox.iterdir()) == [service.s.work_root]

    def test_data_and_reports_are_readable_by_owner_and_group_only(self, dirs) -> None:
        inbox, data = dirs
        os.umask(0o022)  # a permissive shell: the service must not depend on it
        _png(inbox, "a.png")
        drain(make_service(inbox, data))
        paths = [data, *data.rglob("*")]
        assert paths and all(is_private(p) for p in paths)
        for d in (data, data / "reports", data / "archive"):
            assert stat.S_IMODE(d.stat().st_mode) == 0o750
        [report] = (data / "reports").rglob("report.json")
        assert stat.S_IMODE(report.stat().st_mode) == 0o640

    def test_the_same_scan_twice_is_two_envelopes_never_dropped(self, dirs) -> None:
        inbox, data = dirs
        sha = _png(inbox, "scan.png")
        service = make_service(inbox, data)
        drain(service)
        _png(inbox, "scan.png")  # the mailroom scans the same letter again
        _png(inbox, "copie de scan.png")
        drain(service)
        rows = service.store.list()
        assert [r.sha256 for r in rows] == [sha] * 3
        assert len({r.id for r in rows}) == 3 and all(r.state is State.DONE for r in rows)
        names = sorted(p.name for p in (data / "archive").rglob("*.png"))
        assert names == ["copie de scan.png", "scan.png"]  # identical bytes kept once per name

    def test_every_real_problem_scan_is_taken_archived_and_verified(self, dirs, real_scans) -> None:
        """GIVEN the real problem scans (corrupt, encrypted, huge, odd DPI …) WHEN they sit in
        the inbox THEN each is judged complete or broken, claimed, archived and verified."""
        inbox, data = dirs
        names = sorted(
            p.name for p in (real_scans / "problem-pdfs").iterdir() if p.suffix in {".pdf", ".png"}
        )
        for name in names:
            shutil.copy(real_scans / "problem-pdfs" / name, inbox / name)
        service = make_service(inbox, data, broken_after_s=1.0)
        drain(service)
        done = {e.original_name: e for e in service.store.list(State.DONE)}
        assert sorted(done) == names
        for env in done.values():
            assert payload_digest(Path(env.archive_path)) == env.sha256


class TestFailures:
    def test_a_transient_error_is_retried_then_done(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data, FlakyProcessor(data, failures=1))
        drain(service)
        [env] = service.store.list()
        assert env.state is State.DONE and env.attempts == 2
        assert [e.event for e in service.store.events(env.id)].count("retry_later") == 1

    def test_after_the_last_attempt_the_envelope_is_quarantined_with_a_reason(self, dirs) -> None:
        inbox, data = dirs
        sha = _png(inbox, "Jean Tremblay.png")
        service = make_service(inbox, data, FlakyProcessor(data, failures=5), max_attempts=3)
        drain(service)
        [env] = service.store.list()
        assert env.state is State.QUARANTINED and env.attempts == 3
        q = data / "quarantine" / env.id
        assert payload_digest(q / "Jean Tremblay.png") == sha
        reason = (q / REASON_FILE).read_text(encoding="utf-8")
        assert "No space left on device" in reason and f"intake retry {env.id}" in reason
        assert not any(service.s.work_root.iterdir())

    def test_a_deterministic_error_quarantines_at_once_and_retry_replays_it(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data, FlakyProcessor(data, failures=1, error="value"))
        drain(service)
        [env] = service.store.list()
        assert env.state is State.QUARANTINED and env.attempts == 1
        assert "ValueError" in env.reason
        result = _retry_cli(data, env.id)
        assert result.returncode == 0, result.stderr
        assert service.store.get(env.id).state is State.RECEIVED
        drain(service)
        env = service.store.get(env.id)
        assert env.state is State.DONE and env.retries == 1
        assert not (data / "quarantine" / env.id).exists()
        assert not any((data / "work" / "retry").iterdir())

    def test_status_lists_counts_and_quarantined_envelopes(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data, FlakyProcessor(data, error="value"))
        drain(service)
        result = subprocess.run(
            [sys.executable, "-m", "pipeline.service_cli", "status", "--json", "--data", str(data)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        got = json.loads(result.stdout)
        assert got["counts"]["quarantined"] == 1 and got["counts"]["done"] == 0
        [env] = got["envelopes"]
        assert env["state"] == "quarantined" and "ValueError" in env["reason"]

    def test_retry_needs_an_id_or_all_and_refuses_other_states(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data)
        drain(service)
        [env] = service.store.list()
        assert _retry_cli(data).returncode == 2
        assert _retry_cli(data, env.id).returncode == 1

    @pytest.mark.parametrize("error", ["crash", "hang"])
    def test_a_crashing_or_hanging_processor_never_stops_the_service(
        self, dirs, error: str
    ) -> None:
        """GIVEN a processor that kills its process (or hangs) on the first envelope
        WHEN the service runs with isolation THEN that envelope is retried (crash) or
        quarantined (time limit) and the next envelope is still processed."""
        inbox, data = dirs
        _png(inbox, "bad.png", 0)
        service = make_service(
            inbox,
            data,
            FlakyProcessor(data, error=error, first_only=True),
            isolate=True,
            timeout_s=4.0,
        )
        drain(service, timeout_s=90)
        _png(inbox, "good.png", 200)
        drain(service, timeout_s=90)
        states = {e.original_name: e for e in service.store.list()}
        assert states["good.png"].state is State.DONE
        bad = states["bad.png"]
        if error == "crash":
            assert bad.state is State.DONE and bad.attempts == 2
        else:
            assert bad.state is State.QUARANTINED and "timed out" in bad.reason

    def test_a_file_changed_after_its_claim_is_quarantined_as_it_is_then_replayed(
        self, dirs
    ) -> None:
        """GIVEN a writer that resumed into the file after the claim WHEN the archive copy no
        longer matches the claimed sha-256 THEN the envelope is quarantined as it is now, with
        the reason, and `intake retry` processes the new bytes."""
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data, max_attempts=2)
        [claimed] = _claim_all(service)
        with claimed.work_path.open("ab") as fh:
            fh.write(b"late bytes")
        drain(service)
        env = service.store.get(claimed.envelope_id)
        assert env.state is State.QUARANTINED
        reason = (data / "quarantine" / env.id / REASON_FILE).read_text(encoding="utf-8")
        assert "changed after it was taken" in reason
        assert _retry_cli(data, env.id).returncode == 0
        drain(service)
        env = service.store.get(env.id)
        assert env.state is State.DONE
        assert payload_digest(Path(env.archive_path)) == env.sha256 != claimed.sha256


class TestCrashWindows:
    """Each step a crash can interrupt, replayed deterministically."""

    def test_a_claim_never_registered_is_adopted(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data)
        [claimed] = _claim_all(service)
        with service.store.session() as s:  # the crash: the rename happened, the row did not
            s.execute(text("DELETE FROM envelopes"))
        assert service.store.list() == []
        drain(service)
        [env] = service.store.list()
        assert env.id == claimed.envelope_id and env.state is State.DONE
        assert "adopted" in [e.event for e in service.store.events(env.id)]

    def test_a_claim_cut_before_the_rename_leaves_the_file_in_the_inbox(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        service = make_service(inbox, data)
        stray = service.s.work_root / ("f" * 64) / "env-stray"
        stray.mkdir(parents=True)
        (stray / SIDECAR).write_text("{}")
        old = time.time() - ORPHAN_GRACE_S - 5
        os.utime(stray, (old, old))
        drain(service)
        assert not stray.exists()
        assert [e.state for e in service.store.list()] == [State.DONE]

    def test_work_left_after_done_is_cleared_and_a_dead_owner_is_replaced(self, dirs) -> None:
        inbox, data = dirs
        _png(inbox, "a.png")
        _png(inbox, "b.png", 0)
        service = make_service(inbox, data)
        _claim_all(service)
        a, b = service.store.list()
        # a: finished by a worker that died before removing its work copy
        env = service.store.acquire(a, owner=service.owner, lease_s=60)
        service.process_one(env)
        done = service.store.get(a.id)
        leftover = Path(a.work_path).parent
        leftover.mkdir(parents=True)
        (leftover / SIDECAR).write_text("{}")
        (leftover / "envelope.png").write_bytes(Path(done.archive_path).read_bytes())
        # b: processed and reported by a worker killed before it could record "done"
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        owner = f"{service.owner.split(':')[0]}:{dead.pid}:1"
        held = service.store.start(
            service.store.acquire(b, owner=owner, lease_s=3600),
            owner=owner,
            lease_s=3600,
            runner_pid=None,
        )
        FastProcessor(data, work_s=0.0)(Job(b.id, Path(b.work_path), b.sha256, b.received_on))
        assert held.state is State.PROCESSING
        drain(service)
        assert [e.state for e in service.store.list()] == [State.DONE, State.DONE]
        assert not leftover.exists()
        completions = (data / "drill" / "completions.log").read_text().split("\n")
        assert sum(line.startswith(b.id) for line in completions) == 1  # not processed twice
        assert (
            json.loads((data / "reports" / b.id / "report.json").read_text())["packet_id"] == b.id
        )


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (OSError(28, "No space left on device"), True),
        (OSError("could not write page image page-001.jpg"), True),
        (OSError(5, "Input/output error"), True),
        (FileNotFoundError(2, "No such file or directory"), False),
        (PermissionError(13, "Permission denied"), False),
        (ValueError("bad envelope"), False),
        (RuntimeError("wrapped"), False),
    ],
)
def test_which_errors_are_worth_another_try(error: Exception, transient: bool) -> None:
    from pipeline.processing import is_transient

    assert is_transient(error) is transient
    wrapped = RuntimeError("flow failed")
    wrapped.__cause__ = error
    assert is_transient(wrapped) is transient
