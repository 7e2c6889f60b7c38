"""``intake serve``: what a deployment needs on one machine, under one supervisor.

* a Prefect server on 127.0.0.1 (``prefect server start``; ``flow.serve`` against Prefect's
  temporary in-process server schedules nothing), its API exported to every child as
  ``PREFECT_API_URL`` before any of them imports Prefect;
* the watcher (``intake watch``), processing envelopes as they arrive;
* the sweep deployment (``python -m pipeline.sweep``): ``intake-sweep`` on a cron schedule,
  flow retries, one run at a time.

A child that exits is started again (after a pause); every child dies with the supervisor
(``PR_SET_PDEATHSIG``). SIGINT or SIGTERM stops them in order: the watcher first (it hands
back its envelope), then the sweep runner, then the server. This module never imports Prefect.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipeline.prefect_server import start_prefect_server
from pipeline.workdir import ensure_dir
from pipeline.worker import kill_me_with_parent

log = logging.getLogger(__name__)

RESTART_PAUSE_S = 10.0


def serve_all(
    *,
    inbox: Path,
    data_dir: Path,
    cron: str,
    port: int | None,
    common_args: list[str],
    watch_args: list[str],
) -> None:
    """Server, watcher and scheduled sweep until SIGINT / SIGTERM.

    ``common_args`` (``--settle``, ``--broken-after``, ``--config``) go to both the watcher and
    the sweep; ``watch_args`` to the watcher only.
    """
    server = start_prefect_server(
        port=port, log_file=ensure_dir(data_dir / "logs") / "prefect-server.log"
    )
    os.environ["PREFECT_API_URL"] = server.api_url
    if os.environ.get("INTAKE_LOG_JSON"):  # flow-run processes log JSON from their first line
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FORMATTER", "json")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_DEBUG_FORMATTER", "json")
    commands = {
        "watcher": [
            "-m",
            "pipeline.service_cli",
            "watch",
            str(inbox),
            "--data",
            str(data_dir),
            *common_args,
            *watch_args,
        ],
        "sweep": ["-m", "pipeline.sweep", str(inbox), str(data_dir), "--cron", cron, *common_args],
    }
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log.info("Prefect UI: http://127.0.0.1:%d  (sweep schedule %s)", server.port, cron)
    children = {name: _spawn(cmd) for name, cmd in commands.items()}
    try:
        _supervise(children, commands, stop)
    finally:
        _stop_child(children["watcher"], signal.SIGTERM)
        _stop_child(children["sweep"], signal.SIGINT)  # Prefect's runner hangs on SIGTERM
        server.stop()


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args], preexec_fn=kill_me_with_parent, stdin=subprocess.DEVNULL
    )


def _supervise(children: dict, commands: dict, stop: threading.Event) -> None:
    """Start again any child that exits, until asked to stop."""
    died_at: dict[str, float] = {}
    while not stop.wait(1.0):
        for name, proc in children.items():
            if proc.poll() is None:
                continue
            died_at.setdefault(name, time.monotonic())
            if time.monotonic() - died_at[name] >= RESTART_PAUSE_S:
                log.error("%s exited with code %s; starting it again", name, proc.returncode)
                children[name] = _spawn(commands[name])
                del died_at[name]


def _stop_child(proc: subprocess.Popen, sig: int, grace_s: float = 60.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
