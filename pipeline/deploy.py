"""``intake serve``: what a deployment needs on one machine.

* a Prefect server on 127.0.0.1 (``prefect server start`` as a child process, its API exported
  to every other child as ``PREFECT_API_URL``; ``flow.serve`` against Prefect's temporary
  in-process server schedules nothing);
* the watcher (``intake watch``) as a child process, processing envelopes as they arrive;
* a deployment of ``intake-sweep`` on a cron schedule (nightly by default), served here with
  flow retries and a concurrency limit of one run at a time. The sweep claims through the same
  database as the watcher, so the two never process an envelope twice.

Every child dies with this process (``PR_SET_PDEATHSIG``), so a killed service leaves no
server or worker behind.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from prefect import flow
from prefect.deployments.runner import EntrypointType

from pipeline.processing import FlowProcessor
from pipeline.service import IntakeService, ServiceSettings
from pipeline.workdir import ensure_dir
from pipeline.worker import kill_me_with_parent

log = logging.getLogger(__name__)

DEFAULT_CRON = "0 1 * * *"
DEPLOYMENT = "nightly-sweep"


@flow(name="intake-sweep", retries=2, retry_delay_seconds=[60, 300])
def sweep_inbox(
    inbox: str,
    data_dir: str,
    config_path: str | None = None,
    settle_s: float = 10.0,
    report_lang: str = "fr",
) -> dict[str, int]:
    """Claim and process everything complete in the inbox, then stop (the scheduled batch).

    Idempotent: a retried or concurrent sweep only takes what no one holds.
    """
    settings = ServiceSettings(
        inbox=Path(inbox), data_dir=Path(data_dir), settle_s=settle_s, isolate=False
    )
    processor = FlowProcessor(
        Path(data_dir), Path(config_path) if config_path else None, report_lang
    )
    service = IntakeService(settings, processor)
    try:
        return service.sweep()
    finally:
        service.close()


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


def sweep_deployment(
    *,
    inbox: Path,
    data_dir: Path,
    config_path: Path | None,
    cron: str,
    settle_s: float,
    name: str = DEPLOYMENT,
    work_pool: str | None = None,
):
    """The nightly sweep as a deployment (module entry point: runs wherever the package is)."""
    return sweep_inbox.to_deployment(
        name=name,
        cron=cron,
        concurrency_limit=1,
        work_pool_name=work_pool,
        parameters={
            "inbox": str(inbox),
            "data_dir": str(data_dir),
            "config_path": str(config_path) if config_path else None,
            "settle_s": settle_s,
        },
        description="Claim and process every complete envelope of the inbox.",
        tags=["intake"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def deploy_to_work_pool(
    *,
    work_pool: str,
    inbox: Path,
    data_dir: Path,
    config_path: Path | None,
    cron: str,
    settle_s: float,
) -> None:
    """Register the sweep with a work pool; ``prefect worker start --pool NAME`` runs it."""
    from prefect import deploy

    dep = sweep_deployment(
        inbox=inbox,
        data_dir=data_dir,
        config_path=config_path,
        cron=cron,
        settle_s=settle_s,
        work_pool=work_pool,
    )
    deploy(dep, work_pool_name=work_pool, build=False, push=False, ignore_warnings=True)


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def serve_all(
    *,
    inbox: Path,
    data_dir: Path,
    config_path: Path | None,
    cron: str,
    port: int | None,
    settle_s: float,
    watch_args: list[str],
) -> None:
    """Server, watcher and scheduled sweep until interrupted (SIGINT / SIGTERM)."""
    from prefect import serve

    logs = ensure_dir(data_dir / "logs")
    server = start_prefect_server(port=port, log_file=logs / "prefect-server.log")
    os.environ["PREFECT_API_URL"] = server.api_url
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.service_cli",
            "watch",
            str(inbox),
            "--data",
            str(data_dir),
            *watch_args,
        ],
        preexec_fn=kill_me_with_parent,
        stdin=subprocess.DEVNULL,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    log.info("Prefect UI: http://127.0.0.1:%d  (sweep schedule %s)", server.port, cron)
    try:
        dep = sweep_deployment(
            inbox=inbox, data_dir=data_dir, config_path=config_path, cron=cron, settle_s=settle_s
        )
        serve(dep, limit=1, print_starting_message=False)
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        watcher.send_signal(signal.SIGTERM)
        try:
            watcher.wait(60)
        except subprocess.TimeoutExpired:
            watcher.kill()
        server.stop()
