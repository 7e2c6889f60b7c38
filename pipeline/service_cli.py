"""Commands of the mailroom service: ``watch``, ``serve``, ``retry``, ``status``, ``faults``.

``register(app)`` adds them to the ``intake`` command; ``python -m pipeline.service_cli`` runs
them on their own.
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "extractors,pipeline")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import importlib  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

console = Console(stderr=True)

DataOpt = Annotated[
    Path, typer.Option("--data", "-d", help="Data directory.", envvar="INTAKE_DATA")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="Pipeline TOML.", envvar="INTAKE_CONFIG")
]
InboxArg = Annotated[Path, typer.Argument(help="The folder scanners drop envelopes into.")]
SettleOpt = Annotated[float, typer.Option("--settle", help="Seconds an entry must stay unchanged.")]
BrokenOpt = Annotated[
    float, typer.Option(help="Seconds after which a stable file that never opens is taken.")
]
PollOpt = Annotated[
    bool, typer.Option("--poll", help="Poll instead of file events (network shares).")
]
JsonLogOpt = Annotated[
    bool, typer.Option("--log-json", help="One JSON object per log line (or INTAKE_LOG_JSON=1).")
]


def watch(
    inbox: InboxArg,
    data: DataOpt = Path("data"),
    config: ConfigOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: fr or en.")] = "fr",
    work: Annotated[
        Path | None, typer.Option(help="Work area (same file system as the inbox).")
    ] = None,
    settle: SettleOpt = 10.0,
    broken_after: BrokenOpt = 120.0,
    poll: PollOpt = False,
    poll_interval: Annotated[float, typer.Option(help="Seconds between looks when polling.")] = 2.0,
    lease: Annotated[
        float, typer.Option(help="Seconds a worker's claim lasts without renewal.")
    ] = 60.0,
    max_attempts: Annotated[
        int, typer.Option(help="Tries before quarantine (transient errors).")
    ] = 3,
    retry_delay: Annotated[
        float, typer.Option(help="First retry delay in seconds (doubles).")
    ] = 30.0,
    timeout: Annotated[float, typer.Option(help="Time limit per envelope, seconds.")] = 1800.0,
    once: Annotated[
        bool, typer.Option("--once", help="Exit when the inbox is empty and nothing is in flight.")
    ] = False,
    log_json: JsonLogOpt = False,
    processor: Annotated[
        str, typer.Option(hidden=True, help="module:factory(data_dir) for drills.")
    ] = "flow",
    isolate: Annotated[bool, typer.Option(hidden=True)] = True,
) -> None:
    """Watch an inbox: claim complete files and folders, process them, archive the originals."""
    from pipeline.logs import setup_logging
    from pipeline.service import IntakeService, ServiceSettings
    from pipeline.workdir import restrict_umask
    from schemas.config import load_config

    if not inbox.is_dir():
        console.print(f"[red]Not a folder:[/] {inbox}")
        raise typer.Exit(2)
    restrict_umask()
    setup_logging(json_mode=log_json or None)
    proc = _processor(processor, data.resolve(), config, lang)
    settings = ServiceSettings(
        inbox=inbox.resolve(),
        data_dir=data.resolve(),
        work_dir=work.resolve() if work else None,
        settle_s=settle,
        broken_after_s=broken_after,
        poll=poll,
        poll_interval_s=poll_interval,
        lease_s=lease,
        max_attempts=max_attempts,
        retry_delay_s=retry_delay,
        timeout_s=timeout,
        isolate=isolate,
        limits=load_config(config).limits,
    )
    try:
        service = IntakeService(settings, proc)
    except ValueError as e:  # the work area on another file system than the inbox
        console.print(f"[red]{e}[/]")
        raise typer.Exit(2) from e
    # Before the processing process starts (lazily, with the first envelope): it must inherit
    # PREFECT_API_URL.
    server = _own_prefect_server(data.resolve()) if getattr(proc, "needs_prefect", False) else None
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: service.stopping.set())
    try:
        service.serve_forever(once=once)
    finally:
        service.close()
        if server is not None:
            server.stop()


def serve(
    inbox: InboxArg,
    data: DataOpt = Path("data"),
    config: ConfigOpt = None,
    port: Annotated[int, typer.Option(help="Prefect server port on 127.0.0.1.")] = 4200,
    cron: Annotated[
        str, typer.Option(help="Schedule of the inbox sweep (cron, server time).")
    ] = "0 1 * * *",
    settle: SettleOpt = 10.0,
    broken_after: BrokenOpt = 120.0,
    poll: PollOpt = False,
    work_pool: Annotated[
        str | None, typer.Option(help="Only register the sweep with this Prefect work pool.")
    ] = None,
    log_json: JsonLogOpt = False,
) -> None:
    """Run everything on this machine: Prefect server, watcher, nightly sweep deployment."""
    from pipeline.logs import setup_logging
    from pipeline.workdir import restrict_umask

    if not inbox.is_dir():
        console.print(f"[red]Not a folder:[/] {inbox}")
        raise typer.Exit(2)
    restrict_umask()
    setup_logging(json_mode=log_json or None)
    common = ["--settle", str(settle), "--broken-after", str(broken_after)]
    common += ["--config", str(config.resolve())] if config else []
    if work_pool:  # PREFECT_API_URL must name the shared server
        from pipeline.sweep import main as sweep_main

        sweep_main([str(inbox), str(data), "--cron", cron, "--work-pool", work_pool, *common])
        return
    from pipeline.deploy import serve_all

    serve_all(
        inbox=inbox.resolve(),
        data_dir=data.resolve(),
        cron=cron,
        port=port,
        common_args=common,
        watch_args=["--poll"] if poll else [],
    )


def retry(
    envelope_id: Annotated[
        str | None, typer.Argument(help="Envelope id (see `intake status`).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every quarantined envelope.")] = False,
    data: DataOpt = Path("data"),
) -> None:
    """Put quarantined envelopes back in the queue; the running service processes them."""
    from pipeline.archive import restore_from_quarantine
    from pipeline.claim import payload_digest
    from pipeline.intake_state import State, current_owner, open_envelopes
    from pipeline.workdir import DataDir

    if bool(envelope_id) == all_:
        console.print("[red]Give one envelope id or --all.[/]")
        raise typer.Exit(2)
    store = open_envelopes(DataDir(data.resolve()).create().db_url)
    targets = store.list(State.QUARANTINED) if all_ else [store.get(envelope_id)]
    if not all_ and (targets[0] is None or targets[0].state is not State.QUARANTINED):
        console.print(f"[red]{envelope_id} is not a quarantined envelope.[/]")
        raise typer.Exit(1)
    done = 0
    for env in targets:
        try:
            payload = restore_from_quarantine(
                Path(env.quarantine_path or "-"),
                retry_root=data.resolve() / "work" / "retry",
                sha256=env.sha256,
                envelope_id=env.id,
            )
        except OSError as e:
            console.print(
                f"[red]{env.id}: original not found in the quarantine ({type(e).__name__})[/]"
            )
            continue
        sha = payload_digest(payload)  # as it is now (it may have changed after the claim)
        if store.requeue(env, work_path=str(payload), by=f"retry:{current_owner()}", sha256=sha):
            done += 1
            console.print(f"re-queued {env.id}")
    console.print(f"{done} envelope(s) re-queued; `intake watch` (or serve) processes them.")
    raise typer.Exit(0 if done == len(targets) else 1)


def status(
    data: DataOpt = Path("data"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts per state, envelopes in flight and the quarantine with its reasons."""
    from pipeline.intake_state import State, open_envelopes
    from pipeline.workdir import DataDir

    store = open_envelopes(DataDir(data.resolve()).create().db_url)
    counts = store.counts()
    stuck = store.list(State.RECEIVED, State.CLAIMED, State.PROCESSING, State.QUARANTINED)
    if as_json:
        print(
            json.dumps(
                {
                    "counts": counts,
                    "envelopes": [
                        {
                            "id": e.id,
                            "state": e.state.value,
                            "sha256": e.sha256,
                            "attempts": e.attempts,
                            "reason": e.reason,
                            "quarantine_path": e.quarantine_path,
                        }
                        for e in stuck
                    ],
                },
                indent=2,
            )
        )
        return
    console.print("  ".join(f"{k}: {v}" for k, v in counts.items()))
    if not stuck:
        console.print("Nothing in flight, nothing quarantined.")
        return
    table = Table(title="Not done")
    for col in ("envelope", "state", "attempts", "reason", "where"):
        table.add_column(col)
    for e in stuck:
        table.add_row(
            e.id, e.state.value, str(e.attempts), e.reason or "", e.quarantine_path or e.work_path
        )
    console.print(table)


def faults(
    mode: Annotated[
        str, typer.Option(help="fast (a quick processor) or real (the pipeline).")
    ] = "fast",
    scenario: Annotated[
        list[str] | None, typer.Option(help="kill, slow, disk, flood (repeatable).")
    ] = None,
    workdir: Annotated[
        Path | None, typer.Option(help="Where to build the drill (default: a temp dir).")
    ] = None,
) -> None:
    """Fault drills with real processes; prints the figures (lost and twice must be 0)."""
    from pipeline.faults import main

    raise typer.Exit(main(mode=mode, scenarios=scenario or None, workdir=workdir))


def register(app: typer.Typer) -> None:
    """Add the service commands to an existing Typer app (the ``intake`` command)."""
    for fn in (watch, serve, retry, status, faults):
        app.command(fn.__name__)(fn)


def _processor(spec: str, data: Path, config: Path | None, lang: str):
    from pipeline.processing import FlowProcessor

    if spec == "flow":
        return FlowProcessor(data, config.resolve() if config else None, lang)
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)(data)


def _own_prefect_server(data: Path):
    """A private Prefect server unless PREFECT_API_URL names one: flow runs are recorded there,
    and it dies with this process (a temporary server of Prefect's own would outlive a kill)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    from pipeline.prefect_server import start_prefect_server
    from pipeline.workdir import ensure_dir

    server = start_prefect_server(log_file=ensure_dir(data / "logs") / "prefect-server.log")
    os.environ["PREFECT_API_URL"] = server.api_url
    return server


app = typer.Typer(help="The mailroom intake service.", no_args_is_help=True, add_completion=False)
register(app)

if __name__ == "__main__":
    app()
