"""Parts of the fault drills: a fast processor, envelope makers, a service runner, the tally.

Used by ``python -m pipeline.faults`` and by ``tests/service``. Everything here runs the real
service (``python -m pipeline.service_cli watch``) as a separate process.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from PIL import Image, ImageDraw, ImageFont

from pipeline.archive import is_private
from pipeline.claim import payload_digest
from pipeline.intake_state import State, open_envelopes
from pipeline.memory import tree_memory
from pipeline.processing import Job, Outcome
from pipeline.workdir import DataDir, write_private
from pipeline.worker import kill_me_with_parent

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class FastProcessor:
    """Stands in for the pipeline: reads the envelope, writes ``DATA/reports/<id>/report.json``.

    Idempotent like the real one. Every completed run appends a line to
    ``DATA/drill/completions.log`` so that a second run of the same envelope would show.
    """

    data_dir: Path
    work_s: float = float(os.environ.get("INTAKE_DRILL_WORK_S", "0.02"))
    needs_prefect: bool = False

    def __call__(self, job: Job) -> Outcome:
        report_dir = self.data_dir / "reports" / job.envelope_id
        report = report_dir / "report.json"
        digest = payload_digest(job.path)  # read every byte, as the pipeline would
        if report.exists() and json.loads(report.read_text())["sha256"] == digest:
            return Outcome(status="needs_review", report_dir=str(report_dir))
        time.sleep(self.work_s)
        report_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
        quota = int(os.environ.get("INTAKE_DRILL_REPORT_QUOTA", "0"))
        if quota and _tree_size(self.data_dir / "reports") > quota:  # no tmpfs allowed: simulate
            raise OSError(errno.ENOSPC, "No space left on device (simulated quota)")
        write_private(
            report,
            json.dumps({"packet_id": job.envelope_id, "sha256": digest, "status": "needs_review"}),
        )
        log_dir = self.data_dir / "drill"
        log_dir.mkdir(exist_ok=True, mode=0o750)
        with (log_dir / "completions.log").open("a", encoding="utf-8") as fh:
            fh.write(f"{job.envelope_id} {job.sha256}\n")
        return Outcome(status="needs_review", report_dir=str(report_dir))


def _tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0


# --- envelopes --------------------------------------------------------------------------------


def page_image(
    label: str,
    *,
    size: tuple[int, int] = (240, 120),
    lines: tuple[str, ...] = (),
    font_px: int | None = None,
) -> Image.Image:
    """A small white page with a label (unique content, so a unique sha-256)."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    px = font_px or max(12, size[1] // 12)
    font = ImageFont.truetype(str(FONT), px) if FONT.exists() else None
    y = 10
    for text in (label, *lines):
        draw.text((10, y), text, fill=0, font=font)
        y += int(px * 1.4)
    return img


def envelope_bytes(i: int, *, real: bool, tag: str = "") -> bytes:
    """A one-page envelope: tiny for the fast drills, an A4 page at 100 dpi for the real ones.

    Every call gives different bytes (a random number is printed), as two letters would.
    """
    number = f"{tag}{i:04d} {random.randrange(10**9):09d}"
    if real:
        lines = ("DEMANDE PCH", f"DOSSIER {number}", "PAGE 1")
        img = page_image("ENVELOPPE", size=(827, 1169), lines=lines, font_px=40)
    else:
        img = page_image(f"E {number}", font_px=14)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(100, 100))
    return buf.getvalue()


def drop(inbox: Path, name: str, data: bytes) -> str:
    """Write an envelope the way a careful scanner does (temp name, then rename); its sha-256."""
    tmp = inbox / f".{name}.part"
    tmp.write_bytes(data)
    tmp.rename(inbox / name)
    return hashlib.sha256(data).hexdigest()


def slow_copy(
    data: bytes,
    target: Path,
    *,
    seconds: float,
    pause_at: float | None = None,
    pause_s: float = 0.0,
) -> None:
    """Write ``data`` straight to its final name in small pieces over ``seconds``."""
    chunks = max(8, int(seconds / 0.25))
    step = max(1, len(data) // chunks)
    with target.open("wb") as fh:
        for n, start in enumerate(range(0, len(data), step)):
            fh.write(data[start : start + step])
            fh.flush()
            if pause_at is not None and n == int(chunks * pause_at):
                time.sleep(pause_s)
            time.sleep(seconds / chunks)


# --- running the service ----------------------------------------------------------------------


@dataclass
class ServiceRun:
    """The watch service as a child process, with its peak memory (PSS of it and its children)."""

    inbox: Path
    data: Path
    args: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    peak_mem: int = 0
    _sampler: threading.Thread | None = None

    def start(self) -> ServiceRun:
        cmd = [
            sys.executable,
            "-m",
            "pipeline.service_cli",
            "watch",
            str(self.inbox),
            "--data",
            str(self.data),
            *self.args,
        ]
        out = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            cmd,
            preexec_fn=kill_me_with_parent,  # a drill stopped half-way leaves no service behind
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **self.env},
        )
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def _sample(self) -> None:
        while self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(psutil.Error):  # the service has just ended
                self.peak_mem = max(self.peak_mem, tree_memory(psutil.Process(self.proc.pid)))
            time.sleep(0.1)

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL: no clean-up of any kind
        self.proc.wait()

    def wait(self, timeout_s: float) -> int:
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
            return -999


def service_args(*, settle_s: float, fast: bool, extra: tuple[str, ...] = ()) -> list[str]:
    args = [
        "--settle",
        str(settle_s),
        "--lease",
        "5",
        "--retry-delay",
        "0.5",
        "--once",
        "--log-json",
        "--broken-after",
        "20",
        *extra,
    ]
    if fast:
        args += ["--processor", "pipeline.drill_kit:FastProcessor"]
    return args


# --- the tally --------------------------------------------------------------------------------


@dataclass
class Tally:
    dropped: int = 0
    processed: int = 0
    quarantined: int = 0
    retried: int = 0
    lost: int = 0
    processed_twice: int = 0
    unfinished: int = 0
    peak_mb: float = 0.0
    not_private: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        return (
            f"{name:<8} dropped {self.dropped:>4}  processed {self.processed:>4}  "
            f"quarantined {self.quarantined:>3}  retried {self.retried:>3}  lost {self.lost}  "
            f"processed twice {self.processed_twice}  unfinished {self.unfinished}  "
            f"peak memory {self.peak_mb:.0f} MB"
        )


def tally(data: Path, dropped: dict[str, str], *, inbox: Path) -> Tally:
    """Check every dropped envelope (name → sha-256) against the database and the disk."""
    store = open_envelopes(DataDir(data).db_url)
    rows = store.list()
    by_sha: dict[str, list] = {}
    for env in rows:
        by_sha.setdefault(env.sha256, []).append(env)
    t = Tally(dropped=len(dropped))
    t.processed = sum(e.state is State.DONE for e in rows)
    t.quarantined = sum(e.state is State.QUARANTINED for e in rows)
    t.unfinished = sum(e.state not in (State.DONE, State.QUARANTINED) for e in rows)
    events = store.events()
    t.retried = len({ev.envelope_id for ev in events if ev.event in ("retry_later", "requeued")})
    drops: dict[str, list[str]] = {}
    for name, sha in dropped.items():
        drops.setdefault(sha, []).append(name)
    for sha, names in drops.items():
        envs = by_sha.get(sha, [])
        if len(envs) > len(names):  # one arrival registered as two envelopes
            t.processed_twice += len(envs) - len(names)
            t.notes.append(f"{sha[:12]} dropped {len(names)}x, registered {len(envs)}x")
        kept = sum(_kept(e) for e in envs) + sum((inbox / n).exists() for n in names)
        if kept < len(names):
            t.lost += len(names) - kept
            t.notes.append(f"{sha[:12]} lost")
    t.processed_twice += _double_completions(data)
    t.not_private = sum(not is_private(p) for p in data.rglob("*") if not p.is_symlink())
    return t


def _kept(env) -> bool:
    """The original is safe: archived or quarantined with matching bytes, or still in custody."""
    path = (
        env.archive_path
        if env.state is State.DONE
        else (env.quarantine_path if env.state is State.QUARANTINED else env.work_path)
    )
    try:
        return bool(path) and payload_digest(Path(path)) == env.sha256
    except OSError:
        return False


def _double_completions(data: Path) -> int:
    log = data / "drill" / "completions.log"
    if not log.exists():
        return 0
    seen: dict[str, int] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        eid = line.split(" ", 1)[0]
        seen[eid] = seen.get(eid, 0) + 1
    return sum(n > 1 for n in seen.values())
