"""Fault drills with real processes: ``python -m pipeline.faults [--mode fast|real]``.

* kill:  SIGKILL the service several times at random moments during a batch, restart it;
* slow:  copy envelopes in slowly (and with a long pause) while the service watches;
* disk:  the disk that holds the reports is full (a small tmpfs; simulated if mounting is
         not allowed); then space comes back and ``intake retry --all`` replays them;
* flood: drop hundreds of envelopes at once.

Each prints: dropped, processed, quarantined, retried, lost (must be 0), processed twice
(must be 0), peak memory (PSS of the service and its children). Exit code 1 if a drill failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.drill_kit import (
    ServiceRun,
    Tally,
    drop,
    envelope_bytes,
    service_args,
    slow_copy,
    tally,
)

SCENARIOS = ("kill", "slow", "disk", "flood")


@dataclass(frozen=True)
class Sizes:
    kill: int
    kills: int
    slow: int
    disk: int
    flood: int

    @staticmethod
    def for_mode(mode: str) -> Sizes:
        return Sizes(50, 4, 4, 10, 500) if mode == "fast" else Sizes(12, 3, 3, 3, 40)


def _dirs(root: Path, name: str) -> tuple[Path, Path, Path]:
    base = root / name
    inbox, data = base / "inbox", base / "data"
    inbox.mkdir(parents=True)
    data.mkdir()
    return base, inbox, data


def _run(
    inbox: Path,
    data: Path,
    base: Path,
    *,
    fast: bool,
    settle_s: float = 0.5,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> ServiceRun:
    return ServiceRun(
        inbox,
        data,
        service_args(settle_s=settle_s, fast=fast, extra=extra),
        base / "service.log",
        env=env or {},
    ).start()


def kill_drill(root: Path, *, fast: bool, count: int, kills: int, seed: int = 7) -> Tally:
    """SIGKILL the service ``kills`` times at random moments, restart; all done exactly once."""
    rng = random.Random(seed)
    base, inbox, data = _dirs(root, "kill")
    dropped = {f"scan {i:03d}.png": b"" for i in range(count)}
    for i, name in enumerate(dropped):
        dropped[name] = drop(inbox, name, envelope_bytes(i, real=not fast, tag="K"))
    peak, env = 0, {"INTAKE_DRILL_WORK_S": "0.1"}
    for k in range(kills):
        # Kill points spread over the batch: after a random share of it is done, plus jitter
        # so that the kill lands in any step (claim, run, archive, state change, clean-up).
        target = rng.randint(k * count // (kills + 1), (k + 1) * count // (kills + 1))
        run = _run(inbox, data, base, fast=fast, env=env)
        _wait_done(data, target, run, timeout_s=120 if fast else 900)
        time.sleep(rng.uniform(0.0, 0.5 if fast else 5.0))
        if run.proc.poll() is None:
            run.kill()
        peak = max(peak, run.peak_mem)
    final = _run(inbox, data, base, fast=fast)
    final.wait(600 if fast else 1800)
    t = tally(data, dropped, inbox=inbox)
    t.peak_mb = max(peak, final.peak_mem) / 2**20
    return t


def _wait_done(data: Path, target: int, run: ServiceRun, *, timeout_s: float) -> None:
    from pipeline.intake_state import open_envelopes
    from pipeline.workdir import DataDir

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and run.proc.poll() is None:
        db = data / "intake.sqlite"
        if db.exists() and open_envelopes(DataDir(data).db_url).counts()["done"] >= target:
            return
        time.sleep(0.05)


def slow_drill(root: Path, *, fast: bool, count: int) -> Tally:
    """Envelopes written slowly to their final name; none may be taken before it is whole."""
    base, inbox, data = _dirs(root, "slow")
    run = _run(inbox, data, base, fast=fast, settle_s=1.0)
    sources = {
        f"slow {i}.pdf" if i % 2 else f"slow {i}.png": _big_scan(i, pdf=bool(i % 2))
        for i in range(count)
    }
    writers = [
        threading.Thread(
            target=slow_copy,
            args=(blob, inbox / name),
            kwargs={"seconds": 4.0, "pause_at": 0.5 if i == 0 else None, "pause_s": 3.0},
        )
        for i, (name, blob) in enumerate(sources.items())
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    run.wait(600 if fast else 1800)
    import hashlib

    dropped = {n: hashlib.sha256(b).hexdigest() for n, b in sources.items()}
    t = tally(data, dropped, inbox=inbox)
    t.peak_mb = run.peak_mem / 2**20
    early = t.processed + t.quarantined - t.dropped  # any partial copy is an extra envelope
    if early:
        t.notes.append(f"{early} envelope(s) taken before their copy was complete")
        t.processed_twice += early
    return t


def _big_scan(_i: int, *, pdf: bool) -> bytes:
    """A scan of a few hundred kB (noise does not compress), so a slow copy takes a while."""
    import io

    from PIL import Image

    img = Image.effect_noise((900, 900), 64).convert("L")
    img.paste(255, (0, 0, 300, 60))
    buf = io.BytesIO()
    img.save(buf, format="PDF" if pdf else "PNG", resolution=150)
    return buf.getvalue()


@contextlib.contextmanager
def _full_disk(path: Path) -> Iterator[dict[str, str]]:
    """A full file system under ``path``: a 1 MiB tmpfs filled up; simulated when not root."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0750", "tmpfs", str(path)],
            capture_output=True,
        ).returncode
        == 0
    )
    if not mounted:
        yield {"INTAKE_DRILL_REPORT_QUOTA": "1"}
        return
    filler = path / ".filler"
    with filler.open("wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
    try:
        yield {}
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def disk_drill(root: Path, *, fast: bool, count: int) -> Tally:
    """Reports cannot be written: retried, then quarantined; ``intake retry --all`` replays them."""
    base, inbox, data = _dirs(root, "disk")
    dropped = {
        f"disk {i}.png": drop(inbox, f"disk {i}.png", envelope_bytes(i, real=not fast, tag="D"))
        for i in range(count)
    }
    with _full_disk(data / "reports") as env:
        run = _run(inbox, data, base, fast=fast, extra=("--max-attempts", "2"), env=env)
        run.wait(600 if fast else 1800)
        first = tally(data, dropped, inbox=inbox)
    subprocess.run(
        [sys.executable, "-m", "pipeline.service_cli", "retry", "--all", "--data", str(data)],
        check=False,
        capture_output=True,
    )
    run2 = _run(inbox, data, base, fast=fast)
    run2.wait(600 if fast else 1800)
    t = tally(data, dropped, inbox=inbox)
    t.quarantined = first.quarantined  # what the full disk sent to quarantine, now replayed
    t.peak_mb = max(run.peak_mem, run2.peak_mem) / 2**20
    if first.quarantined + first.unfinished < count:
        t.notes.append("the full disk did not stop every envelope (was it really full?)")
    return t


def flood_drill(root: Path, *, fast: bool, count: int) -> Tally:
    """Hundreds of envelopes at once: all processed, memory bounded."""
    base, inbox, data = _dirs(root, "flood")
    staging = base / "staging"
    staging.mkdir()
    dropped = {}
    for i in range(count):
        name = f"flood {i:04d}.png"
        dropped[name] = drop(staging, name, envelope_bytes(i, real=not fast, tag="F"))
    run = _run(inbox, data, base, fast=fast)
    for name in dropped:  # all at once: renames within one file system
        (staging / name).rename(inbox / name)
    run.wait(1200 if fast else 3600)
    t = tally(data, dropped, inbox=inbox)
    t.peak_mb = run.peak_mem / 2**20
    return t


def _prefect_for_real_mode(root: Path):
    """The real pipeline records flow runs: one Prefect server for every service run."""
    from pipeline.prefect_server import start_prefect_server

    os.environ.setdefault("PREFECT_HOME", str(root / "prefect-home"))
    server = start_prefect_server(log_file=root / "prefect-server.log")
    os.environ["PREFECT_API_URL"] = server.api_url
    return server


def main(
    *,
    mode: str = "fast",
    scenarios: list[str] | None = None,
    workdir: Path | None = None,
    sizes: Sizes | None = None,
) -> int:
    scenarios = scenarios or list(SCENARIOS)
    sizes = sizes or Sizes.for_mode(mode)
    fast = mode == "fast"
    root = Path(tempfile.mkdtemp(prefix="intake-faults-", dir=workdir))
    server = None if fast else _prefect_for_real_mode(root)
    failed = False
    print(f"fault drills, {mode} processing, in {root}")
    try:
        for name in scenarios:
            started = time.monotonic()
            t = _one(name, root, fast=fast, sizes=sizes)
            ok = t.lost == 0 and t.processed_twice == 0 and t.unfinished == 0 and not t.not_private
            failed |= not ok
            print(f"{t.line(name)}  {time.monotonic() - started:.0f} s  {'OK' if ok else 'FAILED'}")
            for note in t.notes:
                print(f"         {note}")
    finally:
        if server is not None:
            server.stop()
    if not failed:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


def _one(name: str, root: Path, *, fast: bool, sizes: Sizes) -> Tally:
    if name == "kill":
        return kill_drill(root, fast=fast, count=sizes.kill, kills=sizes.kills)
    if name == "slow":
        return slow_drill(root, fast=fast, count=sizes.slow)
    if name == "disk":
        return disk_drill(root, fast=fast, count=sizes.disk)
    if name == "flood":
        return flood_drill(root, fast=fast, count=sizes.flood)
    raise ValueError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("fast", "real"), default="fast")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--workdir", type=Path)
    a = parser.parse_args()
    sys.exit(main(mode=a.mode, scenarios=a.scenario, workdir=a.workdir))
