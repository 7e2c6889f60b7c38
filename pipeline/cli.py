"""The ``intake`` command: process envelopes, run batches, show results, evaluate."""

from __future__ import annotations

import os

# Before Prefect is imported: no analytics call from a closed network, our loggers shown
# in flow-run logs, and Tesseract single-threaded (3× faster on 2 cores with parallel pages).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "extractors,pipeline")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Prefect's temporary server may take longer than its 20 s default to start on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
if os.environ.get("PREFECT_HOME"):
    os.makedirs(os.environ["PREFECT_HOME"], mode=0o750, exist_ok=True)

import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

app = typer.Typer(
    help="Intake of mailed PCH applications: scans in, reviewer reports out.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

DataOpt = Annotated[
    Path, typer.Option("--data", "-d", help="Data directory (database, reports).", envvar="INTAKE_DATA")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="Pipeline TOML overriding the defaults.", envvar="INTAKE_CONFIG")
]
LangOpt = Annotated[str, typer.Option("--lang", help="Report language: fr or en.")]


@app.command()
def process(
    paths: Annotated[list[Path], typer.Argument(help="Envelopes: scan files or folders.")],
    data: DataOpt = Path("data"),
    config: ConfigOpt = None,
    received: Annotated[
        dt.datetime | None, typer.Option(help="Date received (default: the scan's date).", formats=["%Y-%m-%d"])
    ] = None,
    lang: LangOpt = "fr",
) -> None:
    """Process one or more envelopes now and print where their reports are."""
    from pipeline.flows import intake_packet

    failed = False
    for path in paths:
        if not path.exists():
            console.print(f"[red]No such file or folder:[/] {path}")
            failed = True
            continue
        report = intake_packet(
            path.resolve(), data.resolve(), config, received.date() if received else None,
            None, lang,
        )
        _print_outcome(report, data)
    raise typer.Exit(1 if failed else 0)


@app.command()
def batch(
    inbox: Annotated[Path, typer.Argument(help="Folder holding one file or sub-folder per envelope.")],
    data: DataOpt = Path("data"),
    config: ConfigOpt = None,
    lang: LangOpt = "fr",
) -> None:
    """Process every envelope of a folder, with a progress bar and a summary table."""
    from pipeline.flows import intake_batch

    if not inbox.is_dir():
        console.print(f"[red]Not a folder:[/] {inbox}")
        raise typer.Exit(2)
    reports = intake_batch(
        inbox.resolve(), data.resolve(), config, None, sys.stderr.isatty(), lang
    )
    _print_table(reports)
    failed = _failed_envelopes(inbox, reports)
    console.print(f"Reports: {(data / 'reports').resolve()}")
    batches = sorted((data / "batches").glob("*/batch.html"))
    if batches:
        console.print(f"Batch report: {batches[-1].resolve()}")
    if failed:
        console.print(f"[red]{len(failed)} envelope(s) failed, see the log:[/] {', '.join(failed)}")
        raise typer.Exit(1)


def _failed_envelopes(inbox: Path, reports) -> list[str]:
    from pipeline.workdir import safe_id

    done = {r.packet_id for r in reports}
    names = [safe_id(p.stem if p.is_file() else p.name) for p in inbox.iterdir()
             if not p.name.startswith((".", "~")) and p.name != "registry.csv"]  # fmt: skip
    return sorted(n for n in names if n not in done)


@app.command()
def show(
    packet_id: Annotated[str, typer.Argument(help="Packet id as printed by process/batch.")],
    data: DataOpt = Path("data"),
) -> None:
    """Print the status, flags and report location of a processed packet."""
    from pipeline.store import open_store
    from pipeline.workdir import DataDir

    summary = open_store(DataDir(data.resolve()).db_url).get(packet_id)
    if summary is None:
        console.print(f"[red]No packet {packet_id!r} in {data}[/]")
        raise typer.Exit(1)
    report = json.loads((Path(summary.report_dir) / "report.json").read_text(encoding="utf-8"))
    console.print(f"[bold]{packet_id}[/]: {report['status']}  ({len(report['pages'])} pages)")
    if report.get("deadline"):
        console.print(f"Deadline for missing documents: {report['deadline']}")
    for f in report["flags"]:
        keys = ", ".join(f"{k}={f[k]}" for k in ("page", "person", "document", "field", "form_page", "of", "file") if f.get(k) is not None)
        console.print(f"  [{f['severity']}] {f['code']} {keys}")
    console.print(f"Report: {Path(summary.report_dir) / 'report.html'}")


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="Labelled corpus (corpus-format.md).")],
    data: Annotated[Path | None, typer.Option("--data", "-d", help="Data directory (default: a new one under the corpus's parent).")] = None,
    config: ConfigOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the figures here.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every flag wrongly raised or missed, per packet.")] = False,
    reanalyse: Annotated[Path | None, typer.Option("--reanalyse", help="Data directory of an earlier eval of this corpus: apply the packet stage again to its stored page results (no OCR).")] = None,
) -> None:
    """Run the pipeline on a labelled corpus and print accuracy figures (table and JSON)."""
    from pipeline.evaluate import load_truths, score
    from pipeline.resources import load_layout
    from schemas.config import load_config

    truths = load_truths(corpus)
    if not truths:
        console.print(f"[red]No truth.json under {corpus}[/]")
        raise typer.Exit(2)
    registry = corpus / "registry.csv"
    received = {pid: dt.date.fromisoformat(t["received_date"]) for pid, t in truths.items()}
    started = time.monotonic()
    if reanalyse is not None:
        reports = _reanalyse_corpus(reanalyse, config, received, registry)
    else:
        from pipeline.flows import intake_batch

        data = (data or corpus.parent / f"{corpus.name}-eval-data").resolve()
        reports = intake_batch(
            corpus.resolve(), data, config, received,
            sys.stderr.isatty(), "fr", registry.resolve() if registry.exists() else None,
        )
    seconds = time.monotonic() - started
    layout = load_layout(load_config(config).form.fields_file)
    scores = score(
        [json.loads(r.model_dump_json()) for r in reports], truths, layout=layout, seconds=seconds
    ).as_dict()
    if reanalyse is not None:
        scores["pages_per_minute"] = None  # no page was read: the speed is not the pipeline's
    _print_scores(scores)
    if errors:
        for pid, kind, key in scores["flag_errors"]:
            console.print(f"  {pid} {'wrongly raised' if kind == 'fp' else 'missed':>14}  {key}")
    text = json.dumps(scores, indent=2)
    print(text)
    if json_out:
        json_out.write_text(text, encoding="utf-8")
    raise typer.Exit(0)


def _reanalyse_corpus(data: Path, config: Path | None, received: dict, registry: Path) -> list:
    """The packet stage again on an earlier eval's stored pages (reports rewritten, no PDF)."""
    from extractors.registry import load_registry
    from pipeline.reanalyse import reanalyse_all
    from schemas.config import load_config

    if not (data / "reports").is_dir():
        console.print(f"[red]No reports under {data}[/]")
        raise typer.Exit(2)
    reports = reanalyse_all(
        data.resolve(), cfg=load_config(config),
        registry=load_registry(registry) if registry.exists() else None,
        only=sorted(received), received_dates=received, pdf=False,
    )
    missing = sorted(set(received) - {r.packet_id for r in reports})
    if missing:
        console.print(f"[yellow]{len(missing)} packet(s) without stored pages:[/] {', '.join(missing[:10])}")
    return reports


@app.command("reanalyse")
def reanalyse_command(
    packets: Annotated[list[str] | None, typer.Argument(help="Packet ids (default: every stored one).")] = None,
    data: DataOpt = Path("data"),
    config: ConfigOpt = None,
    registry: Annotated[Path | None, typer.Option(help="The ministry's invited files (CSV); default: the configuration's.")] = None,
    lang: LangOpt = "fr",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print report.pdf again.")] = True,
) -> None:
    """Apply the rules again to stored page results (after a configuration change), no OCR."""
    from extractors.registry import load_registry
    from pipeline.reanalyse import reanalyse_all
    from schemas.config import load_config

    cfg = load_config(config)
    registry = registry or cfg.rules.registry_csv
    if registry is not None and not registry.exists():
        console.print(f"[red]No registry {registry}[/]")
        raise typer.Exit(2)
    reports = reanalyse_all(
        data.resolve(), cfg=cfg, registry=load_registry(registry) if registry else None,
        lang=lang, only=packets, pdf=pdf,
    )
    if not reports:
        console.print(f"[red]No stored page results under {data / 'reports'}[/] (pages.json)")
        raise typer.Exit(1)
    _print_table(reports)
    unknown = sorted(set(packets or ()) - {r.packet_id for r in reports})
    if unknown:
        console.print(f"[red]No stored page results for:[/] {', '.join(unknown)}")
        raise typer.Exit(1)


@app.command()
def calibrate(
    corpus: Annotated[list[Path], typer.Option("--corpus", help="Labelled corpus (repeatable, paired with --data).")],
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Data directory of an eval of that corpus (its stored page results).")],
    config: ConfigOpt = None,
    min_recall: Annotated[float, typer.Option(help="Recall the operating point must keep.")] = 0.95,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the figures here.")] = None,
) -> None:
    """ROC AUC and operating point of the page-quality thresholds on labelled pages (no OCR)."""
    from pipeline.calibrate import as_config, calibrate as run, labelled_pages, to_json
    from schemas.config import load_config

    if len(corpus) != len(data):
        console.print("[red]Give one --data per --corpus[/]")
        raise typer.Exit(2)
    cfg = load_config(config).quality
    pages = [p for c, d in zip(corpus, data, strict=True) for p in labelled_pages(c, d, cfg)]
    if not pages:
        console.print("[red]No labelled page with stored page results[/] (run intake eval first)")
        raise typer.Exit(1)
    results = run(pages, cfg, min_recall=min_recall)
    table = Table(title=f"{len(pages)} labelled pages (blank pages left out)")
    for col in ("flag", "pos/neg", "ROC AUC", "point", "flagged when", "recall", "precision", "FPR"):
        table.add_column(col, justify="right")
    for c in results:
        for name, pt in (("current", c.current), ("chosen", c.chosen)):
            when = "–" if pt is None else (
                f"legibility < {1 - pt.threshold:.3f}" if c.what == "illegible_page"
                else f"cut score ≥ {pt.threshold:.3f}")
            cells = [str(pt.recall), str(pt.precision), str(pt.false_positive_rate)] if pt else ["–"] * 3
            table.add_row(c.what if name == "current" else "", f"{c.positives}/{c.negatives}",
                          str(c.auc), name, when, *cells)
    console.print(table)
    settings = as_config(results, cfg)
    if settings:
        console.print("\\[quality] at the chosen points: " + ", ".join(f"{k} = {v}" for k, v in settings.items()))
    text = json.dumps({"pages": len(pages), "calibrations": to_json(results), "quality": settings}, indent=2)
    print(text)
    if json_out:
        json_out.write_text(text, encoding="utf-8")


@app.command()
def bench(
    corpus: Annotated[Path, typer.Argument(help="Folder of envelopes.")] = Path("sample_scans/packets"),
    jobs: Annotated[int, typer.Option(help="Pages at once, for every contender.")] = 2,
    only: Annotated[list[str] | None, typer.Option(help="pipeline, no-prefect, tesseract, ocrmypdf (repeatable).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the figures here.")] = None,
    keep: Annotated[Path | None, typer.Option(help="Keep the work folder under this folder.")] = None,
    rounds: Annotated[int, typer.Option(help="Runs of each contender, in turns; the median counts.")] = 1,
) -> None:
    """Time the pipeline, plain Tesseract and OCRmyPDF on the same pages; print the figures."""
    from pipeline.bench import CONTENDERS, run_bench

    names = tuple(only or CONTENDERS)
    unknown = set(names) - set(CONTENDERS)
    if unknown or not corpus.is_dir():
        console.print(f"[red]Unknown contender(s) {sorted(unknown)} or no folder {corpus}[/]")
        raise typer.Exit(2)
    figures = run_bench(corpus.resolve(), jobs=jobs, contenders=names, keep=keep, rounds=rounds)
    _print_bench(figures)
    text = json.dumps(figures, indent=2)
    print(text)
    if json_out:
        json_out.write_text(text, encoding="utf-8")


@app.command("bench-memory")
def bench_memory(
    pages: Annotated[list[int] | None, typer.Option(help="Page counts to compare (repeatable).")] = None,
    source: Annotated[Path, typer.Option(help="Envelope whose images make up the pages.")] = Path("sample_scans/packets/p0002"),
    keep: Annotated[Path | None, typer.Option(help="Keep the work folder under this folder.")] = None,
    jobs: Annotated[int, typer.Option(help="Pages at once.")] = 2,
) -> None:
    """Peak memory of the pipeline on one long envelope per page count (300 dpi letter pages)."""
    from pipeline.bench import run_memory

    sources = sorted(p for p in source.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    if not sources:
        console.print(f"[red]No JPEG or PNG page in {source}[/]")
        raise typer.Exit(2)
    figures = run_memory(pages or [10, 200], sources=sources, keep=keep, jobs=jobs)
    for n, r in figures["runs"].items():
        console.print(f"{n:>4} pages: {r['seconds']:>7.1f} s  peak memory {r['peak_mb']:>5} MB  CPU {r['cpu_seconds']} s")
    console.print(f"spread of peak memory: {figures['spread']:.1%}")
    print(json.dumps(figures, indent=2))


@app.command("bench-form")
def bench_form(
    forms: Annotated[int, typer.Option(help="Generated forms to read (3 pages each).")] = 40,
    seed: Annotated[int, typer.Option(help="First seed; form k uses seed + k.")] = 70000,
    only: Annotated[list[str] | None, typer.Option(help="cnn, tesseract (repeatable).")] = None,
    errors: Annotated[int, typer.Option(help="Print this many misread fields per reader.")] = 0,
) -> None:
    """Field exact match of the form reader (glyph CNN) next to Tesseract on the same fields."""
    from extractors.form_tesseract import TesseractGlyphs
    from extractors.glyphs import load_glyph_reader
    from pipeline.bench_form import KINDS, SURE, run_form_bench

    makers = {"cnn": load_glyph_reader, "tesseract": TesseractGlyphs}
    names = only or list(makers)
    if set(names) - set(makers):
        console.print(f"[red]Readers are {sorted(makers)}[/]")
        raise typer.Exit(2)
    figures = run_form_bench(forms, first_seed=seed, readers={n: makers[n]() for n in names})
    table = Table(title=f"{forms} forms (seeds {seed}–{seed + forms - 1}), exact match per field")
    table.add_column("kind")
    for n in names:
        for split in ("clean", "degraded", "all"):
            table.add_column(f"{n} {split}", justify="right")
    scores = figures["scores"]

    def cell(t) -> str:
        return f"{t.share:.1%} ({t.total})" if t.total else "–"

    for kind in KINDS:
        table.add_row(kind, *(cell(scores[n].tallies[(kind, s)]) for n in names
                              for s in ("clean", "degraded", "all")))  # fmt: skip
    console.print(table)
    for n in names:
        sc = scores[n]
        cpu = sorted(sc.cpu_per_page)
        console.print(
            f"{n}: confidence ≥ {SURE} right {cell(sc.sure)}; values read right and sure "
            f"enough to pass {cell(sc.passed)}; values read wrong that pass "
            f"{cell(sc.wrong_passed)}; CPU per form page mean "
            f"{sum(cpu) / len(cpu):.2f} s, p95 {cpu[int(0.95 * (len(cpu) - 1))]:.2f} s; "
            f"pages not aligned {sc.unaligned}"
        )
        for name, truth, got in sc.errors[:errors]:
            console.print(f"   {name:28s} true {truth!r:32s} read {got!r}")


def _print_bench(f: dict) -> None:
    table = Table(title=f"{f['envelopes']} envelopes, {f['jobs']} jobs on {f['cores']} cores")
    for col in ("contender", "pages", "seconds", "pages/min", "peak memory MB", "CPU s"):
        table.add_column(col, justify="right")
    for name, r in f["runs"].items():
        table.add_row(name, str(r["pages"]), f"{r['seconds']:.1f}", f"{r['pages_per_minute']:.1f}",
                      f"{r['peak_mb']:.0f}", f"{r['cpu_seconds']:.0f}")  # fmt: skip
    console.print(table)
    for name, r in f["runs"].items():
        if r["extra"].get("rounds_s"):
            rounds = ", ".join(map(str, r["extra"]["rounds_s"]))
            console.print(f"{name} seconds by round: {rounds}")
    for key in ("pipeline_vs_tesseract", "pipeline_vs_ocrmypdf", "prefect_share"):
        if key in f:
            console.print(f"{key}: {f[key]}")
    if f.get("page_stage_share"):
        console.print("page stages: " + ", ".join(f"{k} {v:.0%}" for k, v in f["page_stage_share"].items()))


def _print_outcome(report, data: Path) -> None:
    console.print(f"[bold]{report.packet_id}[/]: {report.status.value} — {len(report.flags)} flags")
    console.print(f"  {(data / 'reports' / report.packet_id / 'report.html').resolve()}")


def _print_table(reports) -> None:
    table = Table(title="Batch")
    for col in ("packet", "status", "pages", "flags"):
        table.add_column(col)
    for r in reports:
        table.add_row(r.packet_id, r.status.value, str(len(r.pages)), ", ".join(sorted({f.code.value for f in r.flags})))
    console.print(table)


def _print_scores(s: dict) -> None:
    console.print(
        f"packets {s['packets']}  status accuracy {s['status_accuracy']}  "
        f"wrongly complete {s['wrongly_complete']}  doc_type accuracy {s['doc_type_accuracy']}  "
        f"pages/min {s['pages_per_minute']}"
    )
    table = Table(title="Flags")
    for col in ("code", "tp", "fp", "fn", "precision", "recall"):
        table.add_column(col)
    for code, d in s["flags"].items():
        table.add_row(code, *(str(d[k]) for k in ("tp", "fp", "fn", "precision", "recall")))
    console.print(table)
    fields = Table(title="Field exact match")
    fields.add_column("kind")
    fields.add_column("accuracy")
    fields.add_column("n")
    for k, v in s["field_exact_match"].items():
        fields.add_row(k, str(v), str(s["field_counts"][k]))
    console.print(fields)
    console.print("Status (truth->report): " + ", ".join(f"{k}={v}" for k, v in s["status_confusion"].items()))


def _register_service_commands() -> None:
    """watch, serve, retry, status and faults: the mailroom service (pipeline/service_cli.py)."""
    from pipeline.service_cli import register

    register(app)


def _register_review_commands() -> None:
    """review, user and decisions: the reviewer station (pipeline/review_cli.py)."""
    from pipeline.review_cli import register

    register(app)


_register_service_commands()
_register_review_commands()
