"""A Prefect server of our own on 127.0.0.1, as a child process that dies with its parent.

Kept free of ``import prefect``: Prefect reads ``PREFECT_API_URL`` once, when it is imported,
so the server must be up and the variable exported before anything imports it.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pipeline.worker import kill_me_with_parent

log = logging.getLogger(__name__)

#: Days a finished flow run (with its task runs and logs) stays in Prefect's own database.
#: The reports, the store and the JSON logs keep what happened to every envelope; Prefect's
#: history only serves the UI, and every run kept slows the next ones (the sample benchmark:
#: Prefect's share of the time 7 % on a fresh database, 14-16 % on one of 257 MB).
RUN_HISTORY_DAYS = 14


@dataclass
class PrefectServer:
    process: subprocess.Popen
    port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prefect_server(
    *, port: int | None = None, log_file: Path | None = None, timeout_s: float = 180.0
) -> PrefectServer:
    """``prefect server start`` on 127.0.0.1, returned once its API answers.

    Raises:
        RuntimeError: the server exited or did not answer within ``timeout_s``.
    """
    port = port or free_port()
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    # Prefect's vacuum deletes old flow runs only when asked; an operator's settings win.
    env.setdefault("PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED", "events,flow_runs")
    env.setdefault("PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD",
                   str(RUN_HISTORY_DAYS * 86400))
    out = log_file.open("ab") if log_file else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=kill_me_with_parent,
    )
    server = PrefectServer(proc, port)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Prefect server exited with code {proc.returncode}")
        if _healthy(server.api_url):
            log.info("Prefect server up at %s", server.api_url)
            return server
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Prefect server did not answer within {timeout_s:.0f} s")


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False
