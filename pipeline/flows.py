"""Prefect flows: one envelope (``intake_packet``) and a folder of envelopes (``intake_batch``)."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State
from prefect.exceptions import MissingResult
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from rich.progress import Progress

from extractors.envelope import content_key, envelope_files, plan_pages
from extractors.errors import IntakeError, UnsupportedFormatError
from extractors.packet import unreadable_file_flag
from extractors.preflight import sha256_file
from extractors.registry import load_registry
from pipeline import resources
from pipeline.prefect_server import RUN_HISTORY_DAYS
from pipeline.run_history import prune_run_history
from pipeline.store import open_store
from pipeline.tasks import (
    analyse_packet_task,
    preflight_task,
    process_page_task,
    store_task,
    write_batch_report_task,
    write_pages_task,
    write_report_task,
)
from pipeline.workdir import DataDir, safe_id
from schemas.codes import FlagCode
from schemas.config import PipelineConfig, load_config
from schemas.flags import Flag
from schemas.ocr import Issue
from schemas.page import PacketPages, PageResult
from schemas.report import FileReport, IntakeReport
from schemas.scan import ScanFile

log = logging.getLogger(__name__)


@flow(name="intake-packet", task_runner=ThreadPoolTaskRunner(max_workers=2))
def intake_packet(
    envelope: Path,
    data_dir: Path,
    config_path: Path | None = None,
    received_date: dt.date | None = None,
    packet_id: str | None = None,
    report_lang: str = "fr",
    registry_csv: Path | None = None,
) -> IntakeReport:
    """Read one envelope (a scan file or a folder of them) and write its report."""
    started = time.monotonic()
    cfg = load_config(config_path)
    data = DataDir(data_dir).create()
    packet_id = packet_id or safe_id(envelope.stem if envelope.is_file() else envelope.name)
    received = received_date or _scan_date(envelope)
    report_dir = data.fresh_report_dir(packet_id)
    resources.warm(cfg)

    scans, file_reports, flags, not_scans = _preflight_all(envelope, cfg)
    pages, issues = _process_pages(scans, report_dir / "pages", cfg, received)
    key = content_key([f.sha256 for f in file_reports])
    # An envelope of files that are no scan at all holds no application to compare: the same
    # error page (a portal's "session expired" saved as scan.pdf) sent by two people is no
    # duplicate. The same encrypted or truncated scan sent twice still is.
    comparable = len(not_scans) < len(file_reports)
    earlier = (
        open_store(data.db_url).find_duplicate(key, packet_id=packet_id) if comparable else None
    )
    if earlier:
        flags.append(_duplicate_flag(earlier, cfg))
    # Big values go to tasks ``quote``d: Prefect would otherwise walk every page's words and
    # every config field looking for futures (they are plain values, their tasks finished):
    # 1.28 s of a 17-s profile of two envelopes, 0.08 s once quoted.
    report = analyse_packet_task(
        quote(pages), quote(cfg), packet_id=packet_id, files=file_reports,
        received_date=received, report_date=dt.date.today(),
        registry=quote(_registry(registry_csv or cfg.rules.registry_csv)), extra_flags=flags,
        issues=issues,
    )
    timings = {"total": round(time.monotonic() - started, 2)} | _stage_seconds(pages)
    report = report.model_copy(update={"timings_s": timings})
    packet = PacketPages(
        packet_id=packet_id, received_date=received, content_key=key, files=file_reports,
        pages=pages, extra_flags=flags, issues=issues, timings_s=timings,
    )
    write_pages_task(quote(packet), report_dir)
    write_report_task(quote(report), report_dir, report_lang)
    store_task(quote(report), data.db_url, key, report_dir, time.monotonic() - started)
    create_markdown_artifact(
        key=f"intake-{safe_id(packet_id).lower().replace('_', '-').replace('.', '-')}",
        markdown=_summary_markdown(report),
        description="Intake report summary",
    )
    return report


def _preflight_all(
    envelope: Path, cfg: PipelineConfig
) -> tuple[list[ScanFile], list[FileReport], list[Flag], set[str]]:
    """Check every file; the ones that cannot be used become unreadable_file flags. Also
    returns the names of the files that are no scan at all (not a PDF or image)."""
    scans, reports, flags, not_scans = [], [], [], set()
    files = envelope_files(envelope) if envelope.exists() else []
    if not files:
        flags.append(unreadable_file_flag(envelope.name, "the envelope holds no scan file", cfg))
    for number, path in enumerate(files, 1):
        try:
            scan = preflight_task(path, quote(cfg.limits))
        except IntakeError as e:  # a fault of this machine: its task failed
            scan = e
        if isinstance(scan, IntakeError):
            log.warning("file %d of envelope %s refused: %s", number, envelope.name,
                        type(scan).__name__)  # fmt: skip
            reports.append(FileReport(name=path.name, sha256=_safe_sha(path), error=str(scan)))
            flags.append(unreadable_file_flag(path.name, str(scan), cfg))
            if isinstance(scan, UnsupportedFormatError):
                not_scans.add(path.name)
            continue
        scans.append(scan)
        reports.append(FileReport(name=path.name, sha256=scan.sha256, pages=scan.page_count))
    return scans, reports, flags, not_scans


def _process_pages(
    scans: list[ScanFile], image_dir: Path, cfg: PipelineConfig, received_on: dt.date
) -> tuple[list[PageResult], list[Issue]]:
    """Run the page chain on every page, in parallel; a failing page becomes an Issue."""
    by_path = {s.path: s for s in scans}
    sources = plan_pages(scans)
    # Not ``quote``d: a Dask task runner hands the wrapper itself to the task.
    futures = [
        process_page_task.submit(by_path[s.file], s, image_dir, cfg, received_on) for s in sources
    ]
    pages, issues = [], []
    for source, fut in zip(sources, futures, strict=True):
        try:
            page = fut.result()
        except IntakeError as e:  # a fault of this machine: its task failed
            page = e
        if isinstance(page, IntakeError):
            log.warning("page %d refused: %s", source.page_no, type(page).__name__)
            issues.append(
                Issue(stage="page", code=page.code.value, page_no=source.page_no,
                      message=str(page))  # fmt: skip
            )
        else:
            pages.append(page)
    return pages, issues


@contextmanager
def task_runner(cfg: PipelineConfig) -> Iterator[object]:
    """Threads (default), or a Dask cluster: the same flows either way.

    Without a scheduler address, one local cluster serves the whole batch: its worker processes
    load the models once, not once per envelope.
    """
    if cfg.runner.kind != "dask":
        yield ThreadPoolTaskRunner(max_workers=cfg.jobs)
        return
    from prefect_dask import DaskTaskRunner

    if cfg.runner.dask_address:
        yield DaskTaskRunner(address=cfg.runner.dask_address)
        return
    from distributed import LocalCluster

    with LocalCluster(n_workers=cfg.runner.dask_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:  # fmt: skip
        yield DaskTaskRunner(address=cluster.scheduler_address)


def _stage_seconds(pages: list[PageResult]) -> dict[str, float]:
    """Seconds spent in each page stage, summed over the pages (they run in parallel)."""
    out: dict[str, float] = {}
    for p in pages:
        for stage, s in p.seconds.items():
            out[f"page.{stage}"] = round(out.get(f"page.{stage}", 0.0) + s, 3)
    return out


def _safe_sha(path: Path) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""


def _sizes(envelope: Path) -> tuple[int, ...]:
    """What two copies of one envelope share without reading them (``intake_packet`` hashes
    the files): their files' sizes, in order. Copies have equal sizes; envelopes equal in
    size alone merely wait for one another."""
    files = envelope_files(envelope) if envelope.exists() else []
    out = []
    for path in files:
        try:
            out.append(path.stat().st_size)
        except OSError:
            out.append(-1)
    return tuple(out)


def _scan_date(envelope: Path) -> dt.date:
    """The received date when the mailroom gives none: the day the scan was made."""
    try:
        return dt.date.fromtimestamp(envelope.stat().st_mtime)
    except OSError:
        return dt.date.today()


def _registry(path: Path | None):
    """The ministry's list of invited files, when one is given."""
    return load_registry(path) if path and path.exists() else None


def _duplicate_flag(earlier: str, cfg: PipelineConfig) -> Flag:
    return Flag(
        code=FlagCode.DUPLICATE_PACKET,
        severity=cfg.policy(FlagCode.DUPLICATE_PACKET).severity,
        message=f"The same envelope was already received as {earlier}.",
        of=earlier,
    )


def _summary_markdown(report: IntakeReport) -> str:
    """No personal data: status, counts and flag codes only (artifacts live on the server)."""
    lines = [f"# Packet {report.packet_id}: **{report.status.value}**", ""]
    lines.append(f"{len(report.pages)} pages, {len(report.flags)} flags")
    if report.deadline:
        lines.append(f"\nDeadline for missing documents: {report.deadline.isoformat()}")
    lines += ["", "| flag | severity |", "|---|---|"]
    lines += [f"| {f.code.value} | {f.severity.value} |" for f in report.flags]
    return "\n".join(lines)


@flow(name="intake-batch")
def intake_batch(
    inbox: Path,
    data_dir: Path,
    config_path: Path | None = None,
    received_dates: dict[str, dt.date] | None = None,
    show_progress: bool = False,
    report_lang: str = "fr",
    registry_csv: Path | None = None,
    history_days: float = RUN_HISTORY_DAYS,
) -> list[IntakeReport]:
    """Every envelope (file or sub-folder) of ``inbox``, in order, pages in parallel.

    ``envelopes_at_once`` envelopes are in hand at once, so that a core reads the next one's
    pages while one's report is analysed and written and its flow run is closed (a fixed
    second or so each). Their pages share ``jobs`` slots (``resources.page_slots``): at most
    that many are ever in memory. Two copies of one envelope never overlap: the later waits
    for the earlier to be stored, and is found its duplicate. Last, flow runs that finished
    more than ``history_days`` ago leave Prefect's history.
    """
    cfg = load_config(config_path)
    envelopes = sorted(p for p in inbox.iterdir() if not p.name.startswith((".", "~")))
    envelopes = [p for p in envelopes if p.is_dir() or p.name != "registry.csv"]
    reports = []
    # Envelope runs send no heartbeats of their own: the batch run's (same process) tells a
    # crash already, and ending a run that has them waits for the heartbeat thread's 1-s
    # sleep, about 0.5-1 s of every envelope with nothing else done.
    quiet = temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
    with quiet, task_runner(cfg) as runner, Progress(disable=not show_progress) as progress:
        one = intake_packet.with_options(task_runner=runner)
        bar = progress.add_task("Envelopes", total=len(envelopes))

        def run(env: Path, earlier: Future | None) -> tuple[str, State]:
            if earlier is not None:
                wait([earlier])  # the same envelope, sent before: stored first
            pid = safe_id(env.stem if env.is_file() else env.name)
            # A state, not an exception: one envelope that fails (a bug, a library crash)
            # must not stop the others. It is logged and left out; the CLI says so.
            state = one(
                env, data_dir, config_path,
                (received_dates or {}).get(pid), pid, report_lang, registry_csv,
                return_state=True,
            )  # fmt: skip
            progress.advance(bar)
            return pid, state

        last_copy: dict[tuple[int, ...], Future] = {}
        with ThreadPoolExecutor(cfg.envelopes_at_once, thread_name_prefix="envelope") as pool:
            futures = []
            for env in envelopes:
                key = _sizes(env)
                # Each run gets a copy of this context: its flow run is the batch run's child.
                fut = pool.submit(contextvars.copy_context().run, run, env, last_copy.get(key))
                last_copy[key] = fut
                futures.append(fut)
            for fut in futures:
                pid, state = fut.result()
                report = _envelope_report(state, data_dir, pid) if state.is_completed() else None
                if report is not None:
                    reports.append(report)
                elif not state.is_completed():
                    log.error("envelope %s failed: %s", pid, state.message)
    batch_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    batch_dir = DataDir(data_dir).create().batches / batch_id
    write_batch_report_task(quote(reports), batch_dir, batch_id, report_lang)
    _prune_history(history_days)
    return reports


def _envelope_report(state: State, data_dir: Path, packet_id: str) -> IntakeReport | None:
    """A completed envelope run's report. Prefect now and then hands back a completed run's
    state without its data (``MissingResult``: the final state as the API answered it); the
    run wrote and stored its report all the same, so it is read back from the envelope's
    folder. None, logged, when even that cannot be read: the batch goes on without it."""
    try:
        return state.result()
    except MissingResult:
        path = DataDir(data_dir).report_dir(packet_id) / "report.json"
        try:
            report = IntakeReport.model_validate_json(path.read_bytes())
        except (OSError, ValueError) as e:
            log.error("envelope %s: run completed but its report is unreadable (%s)",
                      packet_id, type(e).__name__)
            return None
        log.warning("envelope %s: run state came back without its report; read from its "
                    "folder", packet_id)
        return report


def _prune_history(days: float) -> None:
    """Prefect's run history past its retention, deleted (``run_history``). A failure here
    costs nothing but disk and speed: it is logged, and the batch stands."""
    try:
        prune_run_history(days=days)
    except Exception as e:  # noqa: BLE001 - a housekeeping failure must not fail the batch
        log.warning("could not prune Prefect's run history: %s", type(e).__name__)
