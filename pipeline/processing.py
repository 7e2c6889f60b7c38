"""What the service runs on one envelope, and how a failure is judged.

The service takes any ``Processor`` (a picklable callable ``Job -> Outcome``): the production one,
``FlowProcessor``, runs the ``intake_packet`` flow; tests and fault drills pass a fast one.
A processor must be idempotent per envelope id: called again after a crash, it returns the
outcome already stored instead of processing the envelope a second time.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import OperationalError as SAOperationalError

#: errno values that say "try again later": full disk or quota, I/O error, busy, no memory.
TRANSIENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EIO,
        errno.EAGAIN,
        errno.EBUSY,
        errno.ENOMEM,
        errno.ETIMEDOUT,
        errno.EMFILE,
        errno.ENFILE,
        errno.ESTALE,
    }
)
_TRANSIENT_DB = ("locked", "busy", "disk i/o", "full", "unable to open")


@dataclass(frozen=True)
class Job:
    """One envelope handed to a processor.

    ``secrets`` are the strings (original file and folder names) that must never reach a log;
    the processing process scrubs them from every log record.
    """

    envelope_id: str
    path: Path
    sha256: str
    received_on: dt.date
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Outcome:
    """The processor's answer: the report status and where the report is."""

    status: str
    report_dir: str | None = None
    duplicate_of: str | None = None
    flags: tuple[str, ...] = ()


Processor = Callable[[Job], Outcome]


class TransientError(Exception):
    """A failure worth another try later (a processor may raise it explicitly)."""


class WorkerCrashed(TransientError):
    """The processing process died (killed, out of memory, a crash in native code)."""


class JobTimeout(Exception):
    """The envelope took longer than the time limit; another try would too."""


def is_transient(exc: BaseException) -> bool:
    """True when another try may succeed: full disk, I/O error, busy database, crashed worker."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, TransientError | MemoryError):
            return True
        if isinstance(cur, OSError) and cur.errno in TRANSIENT_ERRNOS:
            return True
        if type(cur) is OSError and cur.errno is None:
            # A write that failed without saying why (OpenCV's imwrite returns False on a
            # full disk): another try may succeed.
            return True
        if isinstance(cur, SAOperationalError | sqlite3.OperationalError) and any(
            w in str(cur).lower() for w in _TRANSIENT_DB
        ):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def describe(exc: BaseException, *, secrets: tuple[str, ...] = ()) -> str:
    """One line for the database, ``reason.txt`` and logs: type and message, names scrubbed."""
    from pipeline.logs import scrub, secrets_pattern

    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return scrub(text, secrets_pattern(secrets) or re.compile(r"(?!x)x"))[:500]


@dataclass(frozen=True)
class FlowProcessor:
    """The production processor: the ``intake_packet`` Prefect flow on the envelope."""

    data_dir: Path
    config_path: Path | None = None
    report_lang: str = "fr"
    registry_csv: Path | None = None
    needs_prefect: bool = True

    def __call__(self, job: Job) -> Outcome:
        stored = stored_outcome(self.data_dir, job)
        if stored is not None:
            return stored  # finished before a crash: never processed twice
        from pipeline.flows import intake_packet

        report = intake_packet(
            job.path,
            self.data_dir,
            self.config_path,
            job.received_on,
            job.envelope_id,
            self.report_lang,
            self.registry_csv,
        )
        return outcome_of(
            json.loads(report.model_dump_json()), self.data_dir / "reports" / job.envelope_id
        )


def stored_outcome(data_dir: Path, job: Job) -> Outcome | None:
    """The outcome of a run that completed (packet stored, report written) on these very bytes.

    A report of other bytes (the file changed after a first run) does not count: run again.
    """
    from extractors.envelope import envelope_files
    from extractors.preflight import sha256_file
    from pipeline.store import open_store
    from pipeline.workdir import DataDir

    summary = open_store(DataDir(data_dir).db_url).get(job.envelope_id)
    if summary is None:
        return None
    report_json = Path(summary.report_dir) / "report.json"
    if not report_json.exists():
        return None
    report = json.loads(report_json.read_text(encoding="utf-8"))
    reported = sorted(f.get("sha256", "") for f in report.get("files", ()))
    if reported != sorted(sha256_file(p) for p in envelope_files(job.path)):
        return None
    return outcome_of(report, Path(summary.report_dir))


def outcome_of(report: dict, report_dir: Path) -> Outcome:
    flags = tuple(f["code"] for f in report.get("flags", ()))
    dup = next(
        (f.get("of") for f in report.get("flags", ()) if f["code"] == "duplicate_packet"), None
    )
    return Outcome(
        status=report["status"], report_dir=str(report_dir), duplicate_of=dup, flags=flags
    )
