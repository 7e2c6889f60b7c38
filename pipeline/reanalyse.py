"""Apply the packet stage again to stored page results (``pages.json``), without any OCR.

Every processed envelope keeps, beside its report, what the page stage handed to the packet
stage. After a change of configuration (thresholds, required documents, flag policy, the
registry of invited files) its rules can be applied again in a fraction of a second per
envelope: same pages, new report.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from extractors.packet import analyse_packet
from extractors.pdf import html_to_pdf
from extractors.report_html import render_report_html
from pipeline import resources
from pipeline.workdir import write_private
from schemas.config import PipelineConfig
from schemas.page import PacketPages
from schemas.registry import Registry
from schemas.report import IntakeReport

log = logging.getLogger(__name__)

PAGES_JSON = "pages.json"


def write_pages(packet: PacketPages, report_dir: Path) -> Path:
    """Keep the page results of an envelope beside its report (owner and group only)."""
    path = report_dir / PAGES_JSON
    write_private(path, packet.model_dump_json())
    return path


def load_pages(report_dir: Path) -> PacketPages:
    return PacketPages.model_validate_json((report_dir / PAGES_JSON).read_text(encoding="utf-8"))


def write_report(report: IntakeReport, report_dir: Path, lang: str, *, pdf: bool = True) -> Path:
    """report.json and report.html, and report.pdf unless ``pdf`` is False (then none is left)."""
    write_private(report_dir / "report.json", report.model_dump_json(indent=2))
    html = render_report_html(report, lang=lang)
    write_private(report_dir / "report.html", html)
    if pdf:
        write_private(report_dir / "report.pdf", html_to_pdf(html, base_dir=report_dir))
    else:
        # A PDF of the previous analysis would contradict the new report.
        (report_dir / "report.pdf").unlink(missing_ok=True)
    return report_dir / "report.json"


def analyse_stored(
    packet: PacketPages,
    *,
    cfg: PipelineConfig,
    registry: Registry | None,
    report_date: dt.date,
    received_date: dt.date | None = None,
) -> IntakeReport:
    """The packet stage on stored page results: the report a fresh run would have written."""
    report = analyse_packet(
        packet.pages,
        packet_id=packet.packet_id,
        files=packet.files,
        received_date=received_date or packet.received_date,
        report_date=report_date,
        registry=registry,
        matcher=resources.load_matcher(cfg.classify.patterns_file),
        nlp=resources.load_nlp(),
        cfg=cfg,
        extra_flags=packet.extra_flags,
        issues=packet.issues,
    )
    return report.model_copy(update={"timings_s": packet.timings_s})


def stored_packets(reports_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Report folders that hold page results, sorted; only the named packets when given."""
    dirs = sorted(p.parent for p in reports_dir.glob(f"*/{PAGES_JSON}"))
    if only:
        wanted = set(only)
        dirs = [d for d in dirs if d.name in wanted]
    return dirs


def reanalyse_all(
    data_dir: Path,
    *,
    cfg: PipelineConfig,
    registry: Registry | None,
    lang: str = "fr",
    only: list[str] | None = None,
    received_dates: dict[str, dt.date] | None = None,
    pdf: bool = True,
    report_date: dt.date | None = None,
) -> list[IntakeReport]:
    """Every stored envelope of a data folder (or the named ones): new report, store updated."""
    from pipeline.store import open_store
    from pipeline.workdir import DataDir

    data = DataDir(data_dir).create()
    store = open_store(data.db_url)
    reports = []
    for folder in stored_packets(data.reports, only):
        packet = load_pages(folder)
        report = analyse_stored(
            packet, cfg=cfg, registry=registry, report_date=report_date or dt.date.today(),
            received_date=(received_dates or {}).get(packet.packet_id),
        )
        write_report(report, folder, lang, pdf=pdf)
        store.save(
            report, content_key=packet.content_key, report_dir=str(folder),
            seconds=packet.timings_s.get("total", 0.0),
        )
        log.info("packet %s analysed again: %s", packet.packet_id, report.status.value)
        reports.append(report)
    return reports
