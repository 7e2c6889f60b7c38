"""The scheduled batch: ``intake-sweep``, a Prefect flow over the inbox, and its deployment.

The sweep claims through the same database as the watcher, so both may run at once and never
process an envelope twice. Run as a module it serves the deployment (``intake serve`` starts
it as a child process)::

    python -m pipeline.sweep INBOX DATA --cron "0 1 * * *"
"""

from __future__ import annotations

import argparse
from pathlib import Path

from prefect import flow
from prefect.deployments.runner import EntrypointType

from pipeline.logs import setup_logging
from pipeline.processing import FlowProcessor
from pipeline.service import IntakeService, ServiceSettings

DEFAULT_CRON = "0 1 * * *"
DEPLOYMENT = "nightly-sweep"


# A flow takes one retry delay (a list is for tasks only: the API refuses it for flows).
@flow(name="intake-sweep", retries=2, retry_delay_seconds=120)
def sweep_inbox(
    inbox: str,
    data_dir: str,
    config_path: str | None = None,
    settle_s: float = 10.0,
    broken_after_s: float = 120.0,
    report_lang: str = "fr",
) -> dict[str, int]:
    """Claim and process everything complete in the inbox, then stop.

    Idempotent: a retried or concurrent sweep only takes what no one holds. Retries cover
    transient failures of the sweep itself (database busy); envelopes have their own retries.
    """
    setup_logging(with_prefect=True)  # scrubbing of names, in this flow-run process too
    settings = ServiceSettings(
        inbox=Path(inbox),
        data_dir=Path(data_dir),
        settle_s=settle_s,
        broken_after_s=broken_after_s,
        isolate=False,
    )
    config = Path(config_path) if config_path else None
    service = IntakeService(settings, FlowProcessor(Path(data_dir), config, report_lang))
    try:
        return service.sweep()
    finally:
        service.close()


def sweep_deployment(
    *,
    inbox: Path,
    data_dir: Path,
    config_path: Path | None,
    cron: str,
    settle_s: float,
    broken_after_s: float = 120.0,
    work_pool: str | None = None,
):
    """The sweep as a deployment: cron schedule, one run at a time, module entry point
    (so it runs wherever the package is installed, with no code storage)."""
    return sweep_inbox.to_deployment(
        name=DEPLOYMENT,
        cron=cron,
        concurrency_limit=1,
        work_pool_name=work_pool,
        parameters={
            "inbox": str(inbox),
            "data_dir": str(data_dir),
            "config_path": str(config_path) if config_path else None,
            "settle_s": settle_s,
            "broken_after_s": broken_after_s,
        },
        description="Claim and process every complete envelope of the inbox.",
        tags=["intake"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def deploy_to_work_pool(*, work_pool: str, **kwargs) -> None:
    """Register the sweep with a work pool; ``prefect worker start --pool NAME`` runs it."""
    from prefect import deploy

    dep = sweep_deployment(work_pool=work_pool, **kwargs)
    deploy(dep, work_pool_name=work_pool, build=False, push=False, ignore_warnings=True)


def serve_sweep(**kwargs) -> None:
    """Serve the deployment here until interrupted (Ctrl-C)."""
    from prefect import serve

    serve(sweep_deployment(**kwargs), limit=1, print_starting_message=False)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Serve the intake sweep deployment.")
    p.add_argument("inbox", type=Path)
    p.add_argument("data", type=Path)
    p.add_argument("--cron", default=DEFAULT_CRON)
    p.add_argument("--settle", type=float, default=10.0)
    p.add_argument("--broken-after", type=float, default=120.0)
    p.add_argument("--config", type=Path)
    p.add_argument("--work-pool", help="register with this work pool instead of serving")
    a = p.parse_args(argv)
    setup_logging(with_prefect=True)
    kwargs = dict(
        inbox=a.inbox.resolve(),
        data_dir=a.data.resolve(),
        config_path=a.config,
        cron=a.cron,
        settle_s=a.settle,
        broken_after_s=a.broken_after,
    )
    if a.work_pool:
        deploy_to_work_pool(work_pool=a.work_pool, **kwargs)
    else:
        serve_sweep(**kwargs)


if __name__ == "__main__":
    # Through the package, not __main__: the deployment's entry point must be importable.
    from pipeline import sweep

    sweep.main()
