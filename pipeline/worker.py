"""Running a processor in a child process, so that nothing an envelope does can stop the service.

A crash in native code, an out-of-memory kill or a hang stays in the child: the service sees
``WorkerCrashed`` or ``JobTimeout``, starts a fresh child and goes on. The child is recycled
after ``recycle_after`` envelopes so that memory stays bounded over months of running, and it
is killed by the kernel if the service itself dies (``PR_SET_PDEATHSIG``), so an envelope is
never worked on by an orphan while a restarted service takes it over.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from pipeline.processing import (
    Job,
    JobTimeout,
    Outcome,
    Processor,
    WorkerCrashed,
    describe,
    is_transient,
)

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


class JobFailed(Exception):
    """The processor raised; ``transient`` says whether another try may succeed."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.transient = transient


class LeaseLost(Exception):
    """Another worker took the envelope over (our lease expired): stop touching it."""


def kill_me_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere a no-op).

    Also usable as ``preexec_fn`` of ``subprocess.Popen``: the setting survives ``exec``.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _die_with_parent(parent_pid: int) -> None:
    kill_me_with_parent()
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _child_main(conn: Connection, process: Processor, parent_pid: int, needs_prefect: bool) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the service's to handle
    from pipeline.logs import add_secrets, setup_logging

    setup_logging(with_prefect=needs_prefect)
    while True:
        try:
            job: Job | None = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        add_secrets(job.secrets)
        try:
            conn.send(("ok", job.envelope_id, process(job)))
        except Exception as e:  # the one place an envelope's failure becomes data
            log.warning(
                "envelope %s failed: %s",
                job.envelope_id,
                describe(e, secrets=job.secrets),
                extra={"envelope": job.envelope_id, "sha256": job.sha256},
            )
            conn.send(("error", job.envelope_id, describe(e, secrets=job.secrets), is_transient(e)))


class IsolatedRunner:
    """One long-lived child process that runs jobs one at a time."""

    def __init__(self, process: Processor, *, recycle_after: int = 50) -> None:
        self.process = process
        self.recycle_after = recycle_after
        self._ctx = mp.get_context(
            "spawn"
        )  # never fork a process that holds threads and DB handles
        self._proc: mp.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._jobs = 0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def start(self) -> int:
        if self._proc is not None and self._proc.is_alive() and self._jobs < self.recycle_after:
            return self._proc.pid
        self.close()
        parent, child = self._ctx.Pipe()
        needs_prefect = bool(getattr(self.process, "needs_prefect", False))
        self._proc = self._ctx.Process(
            target=_child_main,
            args=(child, self.process, os.getpid(), needs_prefect),
            name="intake-processing",
            daemon=True,
        )
        self._proc.start()
        child.close()
        self._conn, self._jobs = parent, 0
        return self._proc.pid

    def run(
        self, job: Job, *, timeout_s: float, tick: Callable[[], bool], tick_s: float = 2.0
    ) -> Outcome:
        """Run one job; ``tick`` is called every ``tick_s`` (lease renewal) and may abort it.

        Raises:
            JobFailed: the processor raised.
            WorkerCrashed: the child died.
            JobTimeout: over ``timeout_s``.
            LeaseLost: ``tick`` returned False.
        """
        self.start()
        self._jobs += 1
        try:
            self._conn.send(job)
        except (BrokenPipeError, OSError) as e:
            self.kill()
            raise WorkerCrashed("processing process is gone") from e
        try:
            return self._wait(job, timeout_s=timeout_s, tick=tick, tick_s=tick_s)
        except JobFailed:
            raise  # the child answered and is ready for the next job
        except BaseException:
            # Whatever stops the wait, the child must not go on with this job: its late answer
            # would be taken for the next job's.
            self.kill()
            raise

    def _wait(
        self, job: Job, *, timeout_s: float, tick: Callable[[], bool], tick_s: float
    ) -> Outcome:
        deadline = time.monotonic() + timeout_s
        while True:
            if self._conn.poll(tick_s):
                return self._receive(job)
            if not self._proc.is_alive():
                raise WorkerCrashed(f"processing process died (exit code {self._proc.exitcode})")
            if time.monotonic() > deadline:
                raise JobTimeout(f"over the {timeout_s:.0f} s time limit")
            try:
                renewed = tick()
            except Exception:  # a busy database: the lease still runs, try at the next tick
                log.exception("lease renewal failed; trying again")
                renewed = True
            if not renewed:
                raise LeaseLost(job.envelope_id)

    def _receive(self, job: Job) -> Outcome:
        try:
            msg = self._conn.recv()
        except (EOFError, OSError) as e:
            raise WorkerCrashed("processing process died while answering") from e
        if msg[1] != job.envelope_id:
            raise WorkerCrashed("processing process answered for another envelope")
        if msg[0] == "ok":
            return msg[2]
        raise JobFailed(msg[2], transient=msg[3])

    def kill(self) -> None:
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(5)
        self._proc = None
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def close(self) -> None:
        """Ask the child to stop, then make sure it has."""
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            try:
                self._conn.send(None)
                self._proc.join(10)
            except OSError:
                pass
        self.kill()


class InlineRunner:
    """The same interface, in this process (tests of the state logic, Prefect sweeps).

    A heartbeat thread calls ``tick`` meanwhile so the lease stays held during a long run;
    the run itself cannot be interrupted or timed out here.
    """

    def __init__(self, process: Processor) -> None:
        self.process = process
        self.pid = os.getpid()

    def start(self) -> int:
        return self.pid

    def run(
        self, job: Job, *, timeout_s: float, tick: Callable[[], bool], tick_s: float = 2.0
    ) -> Outcome:
        from pipeline.logs import add_secrets

        add_secrets(job.secrets)
        done = threading.Event()
        beat = threading.Thread(target=_heartbeat, args=(done, tick, tick_s), daemon=True)
        beat.start()
        try:
            return self.process(job)
        except Exception as e:  # turned into data like the child does
            raise JobFailed(describe(e, secrets=job.secrets), transient=is_transient(e)) from e
        finally:
            done.set()
            beat.join()

    def close(self) -> None:
        pass

    def kill(self) -> None:
        pass


def _heartbeat(done: threading.Event, tick: Callable[[], bool], tick_s: float) -> None:
    while not done.wait(tick_s):
        try:
            if not tick():
                log.warning("lease lost during an in-process run")
                return
        except Exception:  # a busy database: the next beat tries again
            log.exception("lease renewal failed")
