"""The intake service: claim → process → archive or quarantine, and crash recovery.

```
INBOX/                          scanners drop files and envelope folders here
INBOX/.intake-work/<sha256>/<envelope-id>/envelope.pdf   claimed, in flight (same file system)
DATA/intake.sqlite              envelope states + packets (see pipeline.intake_state)
DATA/reports/<envelope-id>/     report.json, report.html
DATA/archive/YYYY/MM/DD/<sha256>/<original name>          done: the original, read-only
DATA/quarantine/<envelope-id>/<original name> + reason.txt  given up: waiting for a clerk
DATA/work/retry/<sha256>/<envelope-id>/                   re-queued by ``intake retry``
```
Exactly once: the claim (rename) is atomic, every state change is a compare-and-set in the
database, the processor is idempotent per envelope id, and the work copy is removed only after
the state says ``done`` or ``quarantined`` with the original safely copied and verified.
Whatever a crash interrupts is found again by ``recover()`` or by an expired lease.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive import (
    ChecksumMismatchError,
    archive_original,
    discard_work,
    quarantine_original,
    reason_text,
)
from pipeline.claim import claim, payload_digest
from pipeline.intake_state import (
    Envelope,
    EnvelopeStore,
    Finished,
    State,
    current_owner,
    open_envelopes,
)
from pipeline.logs import add_private_folder
from pipeline.processing import Job, JobTimeout, Outcome, Processor, WorkerCrashed
from pipeline.recovery import recover_work_areas
from pipeline.watcher import InboxWatcher
from pipeline.workdir import DataDir, ensure_dir, restrict_umask
from pipeline.worker import InlineRunner, IsolatedRunner, JobFailed, LeaseLost
from schemas.config import LimitsConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSettings:
    inbox: Path
    data_dir: Path
    work_dir: Path | None = field(default=None, metadata={"help": "default INBOX/.intake-work"})
    settle_s: float = 10.0
    broken_after_s: float = 120.0
    poll: bool = False
    poll_interval_s: float = 2.0
    lease_s: float = 60.0
    max_attempts: int = 3
    retry_delay_s: float = 30.0
    timeout_s: float = 1800.0
    isolate: bool = True
    recycle_after: int = 50
    recover_every_s: float = 60.0
    limits: LimitsConfig = field(default_factory=LimitsConfig)

    @property
    def work_root(self) -> Path:
        return self.work_dir or self.inbox / ".intake-work"

    @property
    def retry_root(self) -> Path:
        return self.data_dir / "work" / "retry"


class IntakeService:
    """One worker. Several may run on one inbox and one database: the claims keep them apart."""

    def __init__(
        self, settings: ServiceSettings, process: Processor, *, store: EnvelopeStore | None = None
    ) -> None:
        restrict_umask()
        self.s = settings
        self.data = DataDir(settings.data_dir).create()
        ensure_dir(settings.work_root)
        ensure_dir(settings.retry_root)
        _check_same_filesystem(settings.inbox, settings.work_root)
        self.store = store or open_envelopes(self.data.db_url)
        work = settings.work_root
        add_private_folder(
            settings.inbox, except_sub=work.name if work.parent == settings.inbox else None
        )
        self.owner = current_owner()
        self.runner = (
            IsolatedRunner(process, recycle_after=settings.recycle_after)
            if settings.isolate
            else InlineRunner(process)
        )
        self.watcher = InboxWatcher(
            settings.inbox,
            settle_s=settings.settle_s,
            broken_after_s=settings.broken_after_s,
            poll=settings.poll,
            poll_interval_s=settings.poll_interval_s,
            limits=settings.limits,
            exclude=(settings.work_root,),
        )
        self.stopping = threading.Event()

    # --- the loop -----------------------------------------------------------------------------

    def serve_forever(self, *, once: bool = False) -> None:
        """Watch, claim and process until ``stopping`` is set (or, with ``once``, until idle)."""
        self.watcher.start()
        last_recover = 0.0
        try:
            while not self.stopping.is_set():
                if time.monotonic() - last_recover > self.s.recover_every_s:
                    self._guarded(self.recover)
                    last_recover = time.monotonic()
                claimed = self._guarded(self.claim_ready) or 0
                ran = self._guarded(self.run_pending) or 0
                if once and self.idle():
                    break
                if not claimed and not ran:
                    self.watcher.wait(self._sleep_s())
        finally:
            self.watcher.stop()
            self.runner.close()

    def _guarded(self, step):
        """No error of one step (database busy, disk full) may stop the service."""
        try:
            return step()
        except Exception:
            log.exception("service step %s failed; going on", step.__name__)
            self.stopping.wait(min(5.0, self.s.retry_delay_s))
            return None

    def _sleep_s(self) -> float:
        waiting = self.store.list(State.RECEIVED)
        due = min((e.not_before for e in waiting), default=None)
        sleep = self.watcher.next_look_s()
        if due is not None:
            sleep = min(sleep, max(0.2, due - time.time()))
        return min(sleep, self.s.lease_s / 2)

    def idle(self) -> bool:
        """Nothing in the inbox and nothing in flight, here or in another worker."""
        counts = self.store.counts()
        in_flight = counts[State.RECEIVED] + counts[State.CLAIMED] + counts[State.PROCESSING]
        return in_flight == 0 and self.watcher.pending == 0

    def sweep(self) -> dict[str, int]:
        """One pass without watching (the scheduled flow): recover, look twice, claim, process."""
        self.recover()
        self.watcher.ready()
        self.stopping.wait(self.s.settle_s + 0.1)  # a second look tells what is stable
        claimed = self.claim_ready()
        ran = self.run_pending()
        return {"claimed": claimed, "processed": ran, **self.store.counts()}

    def claim_ready(self) -> int:
        """Claim every inbox entry that is complete; returns how many this worker took."""
        taken = 0
        for ready in self.watcher.ready():
            if self.stopping.is_set():
                break
            got = claim(
                ready.path,
                work_root=self.s.work_root,
                store=self.store,
                first_seen=ready.first_seen,
            )
            self.watcher.forget(ready.path)
            taken += got is not None
        return taken

    def run_pending(self, *, limit: int | None = None) -> int:
        """Process envelopes until none is left to take; returns how many this worker ran."""
        ran = 0
        while not self.stopping.is_set() and (limit is None or ran < limit):
            env = self._acquire_next()
            if env is None:
                return ran
            self.process_one(env)
            ran += 1
            self._guarded(self.claim_ready)  # new arrivals are taken into custody between runs
        return ran

    def _acquire_next(self) -> Envelope | None:
        for candidate in self.store.candidates(limit=10):
            got = self.store.acquire(candidate, owner=self.owner, lease_s=self.s.lease_s)
            if got is not None:
                return got
        return None

    # --- one envelope -------------------------------------------------------------------------

    def process_one(self, env: Envelope) -> None:
        """Process one envelope whose lease this worker has just acquired."""
        self._held = env
        payload = Path(env.work_path)
        if not payload.exists():
            self._payload_missing(env)
            return
        pid = self.runner.start()  # recorded with the start: a take-over checks it is gone
        env = self.store.start(env, owner=self.owner, lease_s=self.s.lease_s, runner_pid=pid)
        if env is None:
            return
        self._held = env
        _log(logging.INFO, "processing", env, attempt=env.attempts)
        job = Job(env.id, payload, env.sha256, env.received_on, _secrets(env, payload))
        try:
            outcome = self.runner.run(
                job,
                timeout_s=self.s.timeout_s,
                tick=self._renew,
                tick_s=max(0.2, min(2.0, self.s.lease_s / 4)),
            )
        except LeaseLost:
            self._lease_lost()
        except JobTimeout as e:
            self._give_up(f"timed out: {e}")
        except (JobFailed, WorkerCrashed) as e:
            self._failed(str(e), transient=getattr(e, "transient", True))
        else:
            self._finish(outcome, payload)

    def _renew(self) -> bool:
        if self.stopping.is_set():
            return False
        pid = getattr(self.runner, "pid", None)
        env = self._held
        if env.runner_pid != pid:
            env = self.store.set_runner(env, owner=self.owner, runner_pid=pid) or env
        renewed = self.store.renew(env, owner=self.owner, lease_s=self.s.lease_s)
        if renewed is None:
            return False
        self._held = renewed
        # While a long envelope runs, new arrivals are still taken into custody.
        self._guarded(self.claim_ready)
        return True

    def _lease_lost(self) -> None:
        env = self._held
        if self.stopping.is_set():
            self.store.release(env, owner=self.owner)
            _log(logging.INFO, "released on shutdown", env)
        else:
            _log(logging.WARNING, "lease lost; another worker has the envelope", env)

    def _finish(self, outcome: Outcome, payload: Path) -> None:
        env = self._held
        try:
            archived = archive_original(
                payload,
                data_dir=self.s.data_dir,
                sha256=env.sha256,
                original_name=env.original_name,
                day=env.received_on,
            )
        except OSError as e:
            self._failed(f"archiving failed: {type(e).__name__}: {e.strerror or e}", transient=True)
            return
        done = self.store.finish(
            env,
            owner=self.owner,
            result=Finished(
                status=outcome.status,
                report_dir=outcome.report_dir,
                duplicate_of=outcome.duplicate_of,
                archive_path=str(archived),
            ),
        )
        if done is None:
            self._lease_lost()
            return
        _log(logging.INFO, "done", done, state=outcome.status)
        discard_work(payload.parent)
        stale = self.s.data_dir / "quarantine" / env.id
        if stale.exists():  # an earlier quarantine that a retry has now resolved
            from pipeline.archive import _remove

            _remove(stale)

    def _failed(self, reason: str, *, transient: bool) -> None:
        env = self._held
        if transient and env.attempts < self.s.max_attempts:
            delay = self.s.retry_delay_s * 2 ** (env.attempts - 1)
            if self.store.retry_later(env, owner=self.owner, reason=reason, delay_s=delay):
                _log(logging.WARNING, "retry in %.0f s: %s", env, delay, reason)
            return
        self._give_up(reason)

    def _give_up(self, reason: str) -> None:
        """Quarantine: the original next to a reason.txt; the work copy goes only after that."""
        env = self._held
        payload = Path(env.work_path)
        try:
            path = self._quarantine_copy(env, payload, reason)
        except OSError as e:  # cannot even quarantine (the data disk is full): keep it here
            delay = self.s.retry_delay_s * 4
            self.store.retry_later(
                env,
                owner=self.owner,
                reason=f"{reason}; quarantine failed: {type(e).__name__}",
                delay_s=delay,
            )
            _log(logging.ERROR, "quarantine failed, kept in the work area", env)
            return
        if self.store.quarantine(env, owner=self.owner, reason=reason, path=str(path)):
            _log(logging.WARNING, "quarantined: %s", env, reason)
            discard_work(payload.parent)

    def _quarantine_copy(self, env: Envelope, payload: Path, reason: str) -> Path:
        def copy(sha256: str, why: str) -> Path:
            return quarantine_original(
                payload,
                data_dir=self.s.data_dir,
                envelope_id=env.id,
                sha256=sha256,
                original_name=env.original_name,
                reason=reason_text(env, why),
            )

        try:
            return copy(env.sha256, reason)
        except ChecksumMismatchError:
            # The work copy changed after the claim (a writer resumed into the same open file):
            # keep it as it is now, and say so.
            return copy(payload_digest(payload), f"{reason}; the file changed after it was taken")

    def _payload_missing(self, env: Envelope) -> None:
        """Only a retry cut short leaves this: the payload is still in the quarantine folder."""
        q = Path(env.quarantine_path) if env.quarantine_path else None
        if q is not None and q.exists():
            self.store.quarantine(
                env, owner=self.owner, reason=env.reason or "re-queue interrupted", path=str(q)
            )
            return
        self.store.quarantine(
            env, owner=self.owner, reason="original missing from the work area", path=""
        )
        _log(logging.ERROR, "payload missing", env)

    # --- recovery -----------------------------------------------------------------------------

    def recover(self) -> int:
        """Adopt claims a crash left unregistered; clear work copies of finished envelopes."""
        return recover_work_areas((self.s.work_root, self.s.retry_root), store=self.store)

    def close(self) -> None:
        self.stopping.set()
        self.runner.close()


def _secrets(env: Envelope, payload: Path) -> tuple[str, ...]:
    """The original name and, for a folder, every name inside it."""
    names = {env.original_name, Path(env.original_name).stem}
    if payload.is_dir():
        for p in payload.rglob("*"):
            names.update({p.name, p.stem})
    return tuple(n for n in names if n)


def _log(
    level: int, msg: str, env: Envelope, *args, state: str | None = None, attempt: int | None = None
) -> None:
    log.log(
        level,
        "envelope %s sha256 %s: " + msg,
        env.id,
        env.sha256[:16],
        *args,
        extra={
            "envelope": env.id,
            "sha256": env.sha256,
            "state": state or env.state.value,
            "attempt": attempt,
        },
    )


def _check_same_filesystem(inbox: Path, work_root: Path) -> None:
    """The claim is a rename: the work area must be on the inbox's file system."""
    if inbox.stat().st_dev != work_root.stat().st_dev:
        raise ValueError("the work area must be on the same file system as the inbox")
