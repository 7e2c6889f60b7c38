"""Thin Prefect tasks: each names, logs and retries one extractor call, nothing more."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.batch_report import render_batch_html, summarise_batch
from extractors.errors import IntakeError
from extractors.packet import analyse_packet
from extractors.page_chain import process_page
from extractors.preflight import preflight
from pipeline import resources
from pipeline.reanalyse import write_pages, write_report
from pipeline.store import open_store
from pipeline.workdir import write_private
from schemas.config import LimitsConfig, PipelineConfig
from schemas.page import PacketPages, PageResult
from schemas.report import IntakeReport
from schemas.scan import PageSource, ScanFile

# Inputs are hashed by Prefect's default cache policy; nothing here is worth caching across
# runs (a re-run must re-read the scan), and hashing page results would cost time.
_TASK = {"cache_policy": NO_CACHE}
# Retry only what can succeed on a second try: writes to disk and to the database.
_IO_RETRY = {"retries": 2, "retry_delay_seconds": [2, 10]}


# A scan the intake refuses (``IntakeError.scans_fault``: corrupt, encrypted, too large, not
# a scan) is an answer, not a crash: the task returns its error, so that Prefect records a
# finished task and logs no traceback for it, and the flow turns it into a flag. Faults of
# this machine (Tesseract missing or failing) are still raised.


@task(name="preflight", **_TASK)
def preflight_task(path: Path, limits: LimitsConfig) -> ScanFile | IntakeError:
    try:
        return preflight(path, limits)
    except IntakeError as e:
        if not e.scans_fault:
            raise
        return e


@task(name="process-page", task_run_name="process-page-{source.page_no}", **_TASK)
def process_page_task(
    scan: ScanFile, source: PageSource, image_dir: Path, cfg: PipelineConfig,
    received_on: dt.date | None = None,
) -> PageResult | IntakeError:
    layout, glyphs = resources.load_layout(cfg.form.fields_file), resources.load_glyphs()
    with resources.page_slots(cfg.jobs):
        try:
            return process_page(scan, source, image_dir=image_dir, cfg=cfg, layout=layout,
                                glyphs=glyphs, received_on=received_on)  # fmt: skip
        except IntakeError as e:
            if not e.scans_fault:
                raise
            return e


@task(name="analyse-packet", **_TASK)
def analyse_packet_task(pages: list[PageResult], cfg: PipelineConfig, **kwargs) -> IntakeReport:
    matcher = resources.load_matcher(cfg.classify.patterns_file)
    return analyse_packet(pages, matcher=matcher, nlp=resources.load_nlp(), cfg=cfg, **kwargs)


@task(name="write-report", **_TASK, **_IO_RETRY)
def write_report_task(report: IntakeReport, report_dir: Path, lang: str) -> Path:
    return write_report(report, report_dir, lang)


@task(name="write-pages", **_TASK, **_IO_RETRY)
def write_pages_task(packet: PacketPages, report_dir: Path) -> Path:
    return write_pages(packet, report_dir)


@task(name="store-packet", **_TASK, **_IO_RETRY)
def store_task(
    report: IntakeReport, db_url: str, content_key: str, report_dir: Path, seconds: float
) -> None:
    open_store(db_url).save(report, content_key=content_key, report_dir=str(report_dir), seconds=seconds)


@task(name="write-batch-report", **_TASK, **_IO_RETRY)
def write_batch_report_task(
    reports: list[IntakeReport], folder: Path, batch_id: str, lang: str
) -> Path:
    summary = summarise_batch(reports, batch_id=batch_id, made_at=dt.datetime.now())
    folder.mkdir(parents=True, exist_ok=True)
    write_private(folder / "batch.json", summary.model_dump_json(indent=2))
    write_private(folder / "batch.html", render_batch_html(summary, lang=lang))
    return folder / "batch.html"
