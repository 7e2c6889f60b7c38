"""Helpers of the service tests: processors that fail on purpose, a service factory, drain()."""

from __future__ import annotations

import errno
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.drill_kit import FastProcessor
from pipeline.processing import Job, Outcome
from pipeline.service import IntakeService, ServiceSettings


@dataclass(frozen=True)
class FlakyProcessor:
    """Fails with ``error`` for the first ``failures`` runs of each envelope (or, with
    ``first_only``, of the first envelope it sees), then succeeds."""

    data_dir: Path
    failures: int = 1
    error: str = "enospc"
    first_only: bool = False
    needs_prefect: bool = False

    def __call__(self, job: Job) -> Outcome:
        marks = self.data_dir / "flaky"
        marks.mkdir(exist_ok=True)
        if self.first_only:
            first = marks / "first"
            if not first.exists():
                first.write_text(job.envelope_id)
            if first.read_text() != job.envelope_id:
                return FastProcessor(self.data_dir, work_s=0.0)(job)
        mark = marks / job.envelope_id
        n = int(mark.read_text()) if mark.exists() else 0
        mark.write_text(str(n + 1))
        if n < self.failures:
            if self.error == "enospc":
                raise OSError(errno.ENOSPC, "No space left on device")
            if self.error == "crash":
                os._exit(3)  # the processing process dies
            if self.error == "hang":
                time.sleep(60)
            raise ValueError("the pipeline cannot read this envelope")
        return FastProcessor(self.data_dir, work_s=0.0)(job)


def make_service(inbox: Path, data: Path, process=None, **overrides) -> IntakeService:
    settings = dict(
        settle_s=0.2,
        broken_after_s=5.0,
        lease_s=5.0,
        retry_delay_s=0.05,
        isolate=False,
        poll=True,
        poll_interval_s=0.1,
    )
    settings.update(overrides)
    return IntakeService(
        ServiceSettings(inbox=inbox, data_dir=data, **settings),
        process or FastProcessor(data, work_s=0.0),
    )


def drain(service: IntakeService, timeout_s: float = 60.0) -> None:
    """Run the service until idle, failing the test if it takes too long."""
    started = time.monotonic()
    timer = threading.Timer(timeout_s, service.stopping.set)
    timer.start()
    try:
        service.serve_forever(once=True)
    finally:
        timer.cancel()
    assert time.monotonic() - started < timeout_s, "service did not become idle in time"
