"""The envelope state machine: compare-and-set steps, leases, take-over of dead owners."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.intake_state import (
    EnvelopeStore,
    Finished,
    NewEnvelope,
    State,
    current_owner,
    owner_is_dead,
)


def _new(i: int = 0, sha: str = "a" * 64, arrival: str | None = None) -> NewEnvelope:
    return NewEnvelope(
        id=f"env-{i}",
        sha256=sha,
        arrival=arrival or f"arr-{i}",
        kind="file",
        original_name=f"Jean Tremblay {i}.pdf",
        work_path=f"/w/{i}",
        received_on=dt.date(2025, 3, 1),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    """Every state rule holds on SQLite (the default) and on PostgreSQL (several machines)."""
    if request.param == "postgresql":
        from tests.postgres import fresh_database

        return fresh_database(request.getfixturevalue("postgres"))
    return f"sqlite:///{tmp_path / 'intake.sqlite'}"


def _dead_owner() -> str:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}:1"


class TestEnvelopeStore:
    def test_register_is_idempotent_and_one_row_per_sha_and_arrival(self, url: str) -> None:
        store = EnvelopeStore(url)
        assert store.register(_new(1))
        assert not store.register(_new(1))
        assert not store.register(_new(2, arrival="arr-1"))  # same sha-256 + arrival
        assert store.register(_new(3))  # same sha-256, another arrival: a second envelope
        assert store.counts()[State.RECEIVED] == 2
        assert [e.event for e in store.events("env-1")] == ["registered"]

    def test_only_one_of_two_workers_wins_the_claim(self, url: str) -> None:
        """GIVEN two workers (two engines) that both saw the envelope WHEN both acquire
        THEN exactly one holds it."""
        a, b = EnvelopeStore(url), EnvelopeStore(url)
        a.register(_new())
        seen_a, seen_b = a.get("env-0"), b.get("env-0")
        got = [
            a.acquire(seen_a, owner="host:1:1", lease_s=60),
            b.acquire(seen_b, owner="host:2:2", lease_s=60),
        ]
        assert sum(g is not None for g in got) == 1
        assert a.get("env-0").state is State.CLAIMED

    def test_steps_need_the_owner_and_the_current_version(self, url: str) -> None:
        store = EnvelopeStore(url)
        store.register(_new())
        env = store.acquire(store.get("env-0"), owner=current_owner(), lease_s=60)
        assert store.start(env, owner="someone-else", lease_s=60, runner_pid=None) is None
        started = store.start(env, owner=current_owner(), lease_s=60, runner_pid=None)
        assert started.state is State.PROCESSING and started.attempts == 1
        assert store.renew(env, owner=current_owner(), lease_s=60) is None  # stale snapshot
        done = store.finish(
            started, owner=current_owner(), result=Finished("complete", "/r", None, "/a")
        )
        assert done.state is State.DONE and done.owner is None and done.archive_path == "/a"
        assert [e.event for e in store.events("env-0")] == [
            "registered",
            "claimed",
            "started",
            "done",
        ]

    def test_a_live_lease_is_respected_an_expired_one_taken_over(self, url: str) -> None:
        store = EnvelopeStore(url)
        store.register(_new())
        me = current_owner()
        # A lease long enough to outlive the next two statements on a loaded machine (0.3 s
        # expired before them once, beside an evaluation run on PostgreSQL).
        held = store.start(
            store.acquire(store.get("env-0"), owner=me, lease_s=2.0),
            owner=me,
            lease_s=2.0,
            runner_pid=None,
        )
        assert store.candidates() == []
        assert store.acquire(held, owner="other:1:1", lease_s=60) is None
        time.sleep(2.1)
        [stale] = store.candidates()
        taken = store.acquire(stale, owner="other:1:1", lease_s=60)
        assert taken.owner == "other:1:1" and taken.attempts == 1
        assert store.renew(held, owner=me, lease_s=60) is None  # the first worker must stop
        assert store.events("env-0")[-1].event == "reclaimed"

    def test_a_dead_owner_of_this_machine_is_taken_over_at_once(self, url: str) -> None:
        store = EnvelopeStore(url)
        store.register(_new())
        dead = _dead_owner()
        store.start(
            store.acquire(store.get("env-0"), owner=dead, lease_s=3600),
            owner=dead,
            lease_s=3600,
            runner_pid=None,
        )
        assert owner_is_dead(dead)
        assert not owner_is_dead(current_owner())
        assert not owner_is_dead("another-host:1:1")  # unknown: its lease has to expire
        [stale] = store.candidates()
        assert store.acquire(stale, owner=current_owner(), lease_s=60) is not None

    def test_a_live_processing_child_keeps_the_lease_even_if_its_owner_died(self, url: str) -> None:
        store = EnvelopeStore(url)
        store.register(_new())
        dead = _dead_owner()
        store.start(
            store.acquire(store.get("env-0"), owner=dead, lease_s=3600),
            owner=dead,
            lease_s=3600,
            runner_pid=subprocess.os.getpid(),
        )
        assert store.candidates() == []

    def test_retry_later_waits_and_requeue_only_from_quarantine(self, url: str) -> None:
        store = EnvelopeStore(url)
        store.register(_new())
        me = current_owner()
        env = store.start(
            store.acquire(store.get("env-0"), owner=me, lease_s=60),
            owner=me,
            lease_s=60,
            runner_pid=None,
        )
        later = store.retry_later(env, owner=me, reason="disk full", delay_s=0.3)
        assert later.state is State.RECEIVED and later.reason == "disk full"
        assert store.candidates() == []
        assert store.acquire(later, owner=me, lease_s=60) is None  # not due yet
        assert store.requeue(later, work_path="/x", by="clerk") is None  # not quarantined
        time.sleep(0.35)
        [due] = store.candidates()
        started = store.start(
            store.acquire(due, owner=me, lease_s=60), owner=me, lease_s=60, runner_pid=None
        )
        assert started.attempts == 2
        parked = store.quarantine(started, owner=me, reason="gave up", path="/q")
        again = store.requeue(parked, work_path="/retry", by="clerk")
        assert again.state is State.RECEIVED and again.attempts == 0 and again.retries == 1
        assert again.work_path == "/retry"
