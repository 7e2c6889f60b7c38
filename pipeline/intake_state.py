"""Envelope states in the database: one row per arrival, one transaction per step.

```
received ──► claimed ──► processing ──► done
   ▲                         │
   ├── retry later ◄─────────┤   transient failure (disk full, crash, database busy)
   │                         ▼
   └──── intake retry ◄── quarantined   failure after the last attempt, or a timeout
```

* ``received``: the envelope is in the work area (atomic rename done) and registered; no one
  works on it.
* ``claimed``: one worker holds the lease (``owner``, ``lease_until``) and will process it.
* ``processing``: the worker has started it (``attempts`` counts starts).
* ``done``: report written, original archived and verified.
* ``quarantined``: given up; the original waits in ``DATA/quarantine/<id>/`` with a reason.

Every change is a compare-and-set on ``version`` inside one ``BEGIN IMMEDIATE`` transaction,
so two workers (processes) can never both win the same step. A lease that expires, or whose
owner is a dead process of this machine, can be taken over: that is the crash recovery.
"""

from __future__ import annotations

import functools
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
from sqlalchemy import create_engine, event, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.intake_tables import (
    LEASED,
    Envelope,
    EnvelopeRow,
    EventRow,
    Finished,
    NewEnvelope,
    ServiceBase,
    State,
    snapshot,
)

__all__ = [
    "LEASED",
    "Envelope",
    "EnvelopeStore",
    "Finished",
    "NewEnvelope",
    "State",
    "current_owner",
    "open_envelopes",
    "owner_is_dead",
]


@functools.cache
def current_owner() -> str:
    """This process, as a lease owner: host, pid and start time (pids get reused)."""
    started = int(psutil.Process().create_time() * 1000)
    return f"{socket.gethostname()}:{os.getpid()}:{started}"


def _pid_alive(pid: int, started_ms: int | None) -> bool:
    try:
        proc = psutil.Process(pid)
        if started_ms is not None and int(proc.create_time() * 1000) != started_ms:
            return False
        return proc.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


def owner_is_dead(owner: str | None, runner_pid: int | None = None) -> bool:
    """True only when the owner is certainly gone: a process of this machine that has exited.

    Owners on other machines are never judged dead; their lease has to expire.
    """
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if _pid_alive(int(pid), int(started) if started.isdigit() else None):
        return False
    # The owner's processing child is killed with it (PDEATHSIG); make sure before taking over.
    return runner_pid is None or not _pid_alive(runner_pid, None)


def _sqlite_connect(dbapi_conn, _record) -> None:
    # WAL: readers never block the writer; busy timeout: wait instead of "database is locked".
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN IMMEDIATE itself (below)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn) -> None:
    # Take the write lock at BEGIN: a deferred transaction that reads then writes can fail
    # at once with SQLITE_BUSY instead of waiting when another process writes.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class EnvelopeStore:
    """Typed access to the envelope tables; every method is one transaction."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        ServiceBase.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # --- reading ------------------------------------------------------------------------------

    def get(self, envelope_id: str) -> Envelope | None:
        with self.session() as s:
            row = s.get(EnvelopeRow, envelope_id)
            return snapshot(row) if row else None

    def list(self, *states: State) -> list[Envelope]:
        with self.session() as s:
            q = select(EnvelopeRow).order_by(EnvelopeRow.created_at, EnvelopeRow.id)
            if states:
                q = q.where(EnvelopeRow.state.in_([st.value for st in states]))
            return [snapshot(r) for r in s.execute(q).scalars()]

    def counts(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(EnvelopeRow.state, func.count()).group_by(EnvelopeRow.state))
            out = {st.value: 0 for st in State}
            out.update({state: n for state, n in rows})
            return out

    def events(self, envelope_id: str | None = None) -> list[EventRow]:
        with self.session() as s:
            q = select(EventRow).order_by(EventRow.id)
            if envelope_id:
                q = q.where(EventRow.envelope_id == envelope_id)
            return list(s.execute(q).scalars())

    def candidates(self, *, now: float | None = None, limit: int = 20) -> list[Envelope]:
        """Envelopes a worker may try to take: stale leases first (what a crash interrupted),
        then waiting ones now due, oldest first."""
        now = time.time() if now is None else now
        leased = [st.value for st in LEASED]
        # Only an expired lease, or one held on this machine (its owner may be dead), can be stale.
        maybe_stale = EnvelopeRow.state.in_(leased) & or_(
            EnvelopeRow.lease_until < now, EnvelopeRow.owner.like(f"{socket.gethostname()}:%")
        )
        due = (EnvelopeRow.state == State.RECEIVED.value) & (EnvelopeRow.not_before <= now)
        with self.session() as s:
            stale = [
                snapshot(r)
                for r in s.execute(
                    select(EnvelopeRow).where(maybe_stale).order_by(EnvelopeRow.created_at)
                ).scalars()
            ]
            waiting = [
                snapshot(r)
                for r in s.execute(
                    select(EnvelopeRow)
                    .where(due)
                    .order_by(EnvelopeRow.not_before, EnvelopeRow.created_at)
                    .limit(limit)
                ).scalars()
            ]
        return ([e for e in stale if _stale(e, now)] + waiting)[:limit]

    # --- steps --------------------------------------------------------------------------------

    def register(self, new: NewEnvelope, *, adopted: bool = False) -> bool:
        """Insert an envelope as ``received``; False when it is already registered (idempotent)."""
        now = time.time()
        try:
            with self.session() as s:
                s.add(
                    EnvelopeRow(
                        **new.__dict__,
                        state=State.RECEIVED.value,
                        version=0,
                        lease_until=0.0,
                        not_before=0.0,
                        attempts=0,
                        retries=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
                s.flush()
                _event(s, new.id, "adopted" if adopted else "registered", None, new.sha256)
        except IntegrityError:
            return False
        return True

    def acquire(self, env: Envelope, *, owner: str, lease_s: float) -> Envelope | None:
        """Take the lease on an envelope seen as a candidate; None if someone else moved first."""
        now = time.time()
        if env.state is State.RECEIVED and env.not_before > now:
            return None
        if env.state is not State.RECEIVED and not _stale(env, now):
            return None
        took_over = env.state is not State.RECEIVED
        return self._step(
            env,
            owner=None,
            event="reclaimed" if took_over else "claimed",
            detail=env.owner,
            state=State.CLAIMED,
            owner_set=owner,
            lease_until=now + lease_s,
            by=owner,
        )

    def start(
        self, env: Envelope, *, owner: str, lease_s: float, runner_pid: int | None
    ) -> Envelope | None:
        return self._step(
            env,
            owner=owner,
            event="started",
            detail=f"attempt {env.attempts + 1}",
            state=State.PROCESSING,
            attempts=env.attempts + 1,
            runner_pid=runner_pid,
            lease_until=time.time() + lease_s,
        )

    def renew(self, env: Envelope, *, owner: str, lease_s: float) -> Envelope | None:
        """Extend the lease; None means it was lost (the caller must stop touching the envelope)."""
        return self._step(env, owner=owner, event=None, lease_until=time.time() + lease_s)

    def set_runner(self, env: Envelope, *, owner: str, runner_pid: int | None) -> Envelope | None:
        return self._step(env, owner=owner, event=None, runner_pid=runner_pid)

    def finish(self, env: Envelope, *, owner: str, result: Finished) -> Envelope | None:
        return self._step(
            env,
            owner=owner,
            event="done",
            detail=result.status,
            state=State.DONE,
            status=result.status,
            report_dir=result.report_dir,
            duplicate_of=result.duplicate_of,
            archive_path=result.archive_path,
            owner_set=None,
            lease_until=0.0,
            reason=None,
            quarantine_path=None,
        )

    def retry_later(
        self, env: Envelope, *, owner: str, reason: str, delay_s: float
    ) -> Envelope | None:
        return self._step(
            env,
            owner=owner,
            event="retry_later",
            detail=reason,
            state=State.RECEIVED,
            reason=reason,
            not_before=time.time() + delay_s,
            owner_set=None,
            lease_until=0.0,
        )

    def release(self, env: Envelope, *, owner: str) -> Envelope | None:
        """Give an envelope back untouched (shutdown): another worker may take it at once."""
        return self._step(
            env,
            owner=owner,
            event="released",
            state=State.RECEIVED,
            owner_set=None,
            lease_until=0.0,
            attempts=max(0, env.attempts - (env.state is State.PROCESSING)),
        )

    def quarantine(self, env: Envelope, *, owner: str, reason: str, path: str) -> Envelope | None:
        return self._step(
            env,
            owner=owner,
            event="quarantined",
            detail=reason,
            state=State.QUARANTINED,
            reason=reason,
            quarantine_path=path,
            owner_set=None,
            lease_until=0.0,
        )

    def requeue(
        self, env: Envelope, *, work_path: str, by: str, sha256: str | None = None
    ) -> Envelope | None:
        """A clerk's ``intake retry``: a quarantined envelope gets a fresh set of attempts.

        ``sha256``: the bytes as they are now, when they changed after the claim.
        """
        if env.state is not State.QUARANTINED:
            return None
        return self._step(
            env,
            owner=None,
            event="requeued",
            detail=f"sha256 now {sha256}" if sha256 and sha256 != env.sha256 else None,
            state=State.RECEIVED,
            work_path=work_path,
            sha256=sha256 or env.sha256,
            attempts=0,
            retries=env.retries + 1,
            not_before=0.0,
            by=by,
        )

    def _step(
        self,
        env: Envelope,
        *,
        owner: str | None,
        event: str | None,
        detail: str | None = None,
        by: str | None = None,
        **values,
    ) -> Envelope | None:
        """Compare-and-set: applies ``values`` only if the row is still the version ``env`` saw."""
        if "owner_set" in values:
            values["owner"] = values.pop("owner_set")
        if "state" in values:
            values["state"] = values["state"].value
        values.update(version=env.version + 1, updated_at=time.time())
        cond = [EnvelopeRow.id == env.id, EnvelopeRow.version == env.version]
        if owner is not None:
            cond.append(EnvelopeRow.owner == owner)
        with self.session() as s:
            done = s.execute(update(EnvelopeRow).where(*cond).values(**values)).rowcount
            if done != 1:
                return None
            if event:
                _event(s, env.id, event, by or owner, detail)
            row = s.get(EnvelopeRow, env.id)
            s.refresh(row)
            return snapshot(row)


def _stale(env: Envelope, now: float) -> bool:
    """A lease nobody honours any more: expired, or held by a dead process of this machine."""
    return env.state in LEASED and (
        env.lease_until < now or owner_is_dead(env.owner, env.runner_pid)
    )


def _event(s: Session, envelope_id: str, name: str, owner: str | None, detail: str | None) -> None:
    s.execute(
        insert(EventRow).values(
            envelope_id=envelope_id,
            at=time.time(),
            event=name,
            owner=owner,
            detail=detail,
        )
    )


@functools.cache
def open_envelopes(url: str) -> EnvelopeStore:
    """One engine per database per process."""
    return EnvelopeStore(url)
