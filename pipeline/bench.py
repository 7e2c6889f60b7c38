"""``intake bench``: the whole pipeline against plain OCR engines, on the same pages and cores.

Every contender runs in a child process of its own while this process samples the memory
(PSS, ``pipeline.memory``) of the child's whole process tree (Tesseract processes included),
so that the figures are comparable:

* ``pipeline``  — the intake batch flow (Prefect, store, reports), as ``intake batch`` runs it;
* ``no-prefect`` — the same extractors called in a plain loop with the same thread pool: the
  difference with ``pipeline`` is what Prefect (and the store) costs;
* ``tesseract`` — ``tesseract IMAGE - -l fra+eng`` over every page image, ``jobs`` at a time,
  one thread each (the images are extracted beforehand and that is not timed);
* ``ocrmypdf``  — ``ocrmypdf -j jobs -l fra+eng`` over one PDF per envelope (image sets and
  TIFFs are wrapped into a PDF beforehand, not timed).

The pipeline's own breakdown per stage comes from the reports' ``timings_s``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from pipeline.memory import tree_memory

SAMPLE_EVERY_S = 0.1
CONTENDERS = ("pipeline", "no-prefect", "tesseract", "ocrmypdf")


@dataclass
class Run:
    name: str
    pages: int
    seconds: float
    peak_mb: float
    cpu_seconds: float
    extra: dict = field(default_factory=dict)

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.seconds if self.seconds else 0.0


def measure(cmd: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run ``cmd``: its wall seconds, peak memory of its process tree (MB, PSS), CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = psutil.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, stop = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory(proc))
            stop.wait(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.monotonic() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err.decode()[-2000:]}")
    # CPU time of the child and every descendant it waited for, as the kernel accounts it.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, peak / 2**20, cpu


# --- the set of pages -----------------------------------------------------------------------


@dataclass
class PageSet:
    """The envelopes, and the same pages as loose images and as one PDF per envelope."""

    inbox: Path
    images: list[Path]
    pdfs: list[Path]
    pages: int


def prepare(corpus: Path, work: Path) -> PageSet:
    """Copy the readable envelopes of ``corpus`` and extract their pages, untimed."""
    from extractors.envelope import envelope_files
    from extractors.errors import IntakeError
    from extractors.preflight import preflight
    from schemas.codes import FileKind
    from schemas.config import load_config

    limits = load_config().limits
    inbox, img_dir, pdf_dir = work / "inbox", work / "images", work / "pdfs"
    for d in (inbox, img_dir, pdf_dir):
        d.mkdir(parents=True)
    images, pdfs, pages = [], [], 0
    for env in sorted(p for p in corpus.iterdir() if p.is_dir() or p.suffix.lower() != ".csv"):
        scans = []
        for f in envelope_files(env):
            try:
                scans.append(preflight(f, limits))
            except IntakeError:
                continue  # unreadable files: nothing to OCR for anyone
        if not scans:
            continue
        target = inbox / env.name
        target.mkdir()
        for s in scans:
            shutil.copy2(s.path, target / s.path.name)
        for i, s in enumerate(scans):
            stem = img_dir / f"{env.name}-{i:02d}"
            if s.kind is FileKind.PDF:
                # Scanners write one image per page: those images are the pages, untouched.
                subprocess.run(["pdfimages", "-tiff", str(s.path), str(stem)], check=True)
            else:  # Tesseract reads every page of a multi-page TIFF itself
                shutil.copy2(s.path, f"{stem}{s.path.suffix.lower()}")
        env_images = sorted(img_dir.glob(f"{env.name}-*"))
        images += env_images
        pages += sum(s.page_count for s in scans)
        pdf = pdf_dir / f"{env.name}.pdf"
        if len(scans) == 1 and scans[0].kind is FileKind.PDF:
            shutil.copy2(scans[0].path, pdf)
        else:
            import img2pdf

            pdf.write_bytes(img2pdf.convert([str(p) for p in env_images]))
        pdfs.append(pdf)
    return PageSet(inbox=inbox, images=images, pdfs=pdfs, pages=pages)


# --- the contenders, each run in a child process --------------------------------------------


def child_pipeline(inbox: Path, data: Path, out: Path, jobs: int) -> None:
    """The batch flow as ``intake batch`` runs it, after Prefect's server is up, with ``jobs``
    pages at once as every other contender."""
    from prefect import flow

    from pipeline.flows import intake_batch

    config = jobs_config(out.with_suffix(".toml"), jobs)
    flow(lambda: None, name="bench-warm-up")()  # starts the temporary server, untimed
    started = time.monotonic()
    reports = intake_batch(inbox, data, config_path=config)
    _write_child_result(out, started, reports)


def jobs_config(path: Path, jobs: int) -> Path:
    """A configuration file that changes the defaults in nothing but ``jobs``."""
    path.write_text(f"jobs = {int(jobs)}\n", encoding="utf-8")
    return path


def child_no_prefect(inbox: Path, data: Path, out: Path, jobs: int) -> None:
    """The same extractors, scheduled as the batch flow schedules them, without Prefect: what
    the pipeline costs without it."""
    import datetime as dt

    from extractors.envelope import envelope_files, plan_pages
    from extractors.errors import IntakeError
    from extractors.packet import analyse_packet
    from extractors.page_chain import process_page
    from extractors.pdf import html_to_pdf
    from extractors.preflight import preflight
    from extractors.report_html import render_report_html
    from pipeline import resources
    from pipeline.workdir import DataDir, write_private
    from schemas.config import load_config
    from schemas.report import FileReport

    cfg = load_config()
    resources.warm(cfg)
    layout, glyphs = resources.load_layout(cfg.form.fields_file), resources.load_glyphs()
    matcher, nlp = resources.load_matcher(cfg.classify.patterns_file), resources.load_nlp()
    store = DataDir(data).create()
    started = time.monotonic()

    def envelope(env: Path, pool: ThreadPoolExecutor):
        folder = store.fresh_report_dir(env.name)
        scans = []
        for f in envelope_files(env):
            try:
                scans.append(preflight(f, cfg.limits))
            except IntakeError:
                continue
        by_path = {s.path: s for s in scans}

        def one(src):
            return process_page(
                by_path[src.file],
                src,
                image_dir=folder / "pages",
                cfg=cfg,
                layout=layout,
                glyphs=glyphs,
            )

        pages = list(pool.map(one, plan_pages(scans)))
        files = [FileReport(name=s.path.name, sha256=s.sha256, pages=s.page_count) for s in scans]
        report = analyse_packet(
            pages,
            packet_id=env.name,
            files=files,
            received_date=dt.date.today(),
            report_date=dt.date.today(),
            registry=None,
            matcher=matcher,
            nlp=nlp,
            cfg=cfg,
        )
        html = render_report_html(report)
        write_private(folder / "report.json", report.model_dump_json())
        write_private(folder / "report.html", html)
        write_private(folder / "report.pdf", html_to_pdf(html, base_dir=folder))
        return report

    # As the batch flow schedules them: envelopes_at_once in hand, their pages sharing jobs.
    with ThreadPoolExecutor(jobs) as pages, ThreadPoolExecutor(cfg.envelopes_at_once) as envs:
        futures = [envs.submit(envelope, env, pages) for env in sorted(inbox.iterdir())]
        reports = [f.result() for f in futures]
    _write_child_result(out, started, reports)


def _write_child_result(out: Path, started: float, reports) -> None:
    stages: dict[str, float] = defaultdict(float)
    for r in reports:
        for k, v in r.timings_s.items():
            stages[k] += v
    out.write_text(
        json.dumps(
            {
                "seconds": time.monotonic() - started,
                "pages": sum(len(r.pages) for r in reports),
                "stages": stages,
            }
        )
    )


def child_tesseract(images: list[Path], jobs: int) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(img: Path) -> None:
        subprocess.run(
            ["tesseract", str(img), "-", "-l", "fra+eng"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, images))


def child_ocrmypdf(pdfs: list[Path], out_dir: Path, jobs: int) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    ocrmypdf = Path(sys.executable).with_name("ocrmypdf")
    for pdf in pdfs:
        subprocess.run(
            [
                str(ocrmypdf),
                "-q",
                "-j",
                str(jobs),
                "-l",
                "fra+eng",
                "--output-type",
                "pdf",
                str(pdf),
                str(out_dir / pdf.name),
            ],
            env=env,
            check=True,
        )


# --- the run --------------------------------------------------------------------------------


def run_bench(
    corpus: Path, *, jobs: int, contenders: tuple[str, ...], keep: Path | None, rounds: int = 1
) -> dict:
    """Prepare the pages once, then time every contender on them; returns the figures.

    With several ``rounds`` the contenders take turns (A B C, A B C…), so that a spell of load
    from elsewhere falls on all of them, and each is represented by its median run: on a
    shared machine the same code took 71.3 s in one run and 80.3 s in another (the no-Prefect
    contender on the sample envelopes, 13 % apart).
    """
    work = Path(tempfile.mkdtemp(prefix="intake-bench-", dir=keep))
    try:
        pages = prepare(corpus, work)
        tries: dict[str, list[Run]] = defaultdict(list)
        for _ in range(max(1, rounds)):
            for name in contenders:
                tries[name].append(_run_one(name, pages, work, jobs))
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    runs = [_median_run(tries[name]) for name in contenders]
    return _figures(runs, jobs=jobs, envelopes=len(pages.pdfs))


def _median_run(runs: list[Run]) -> Run:
    """The run with the median seconds (the lower middle one of an even count), carrying the
    seconds of every round."""
    ordered = sorted(runs, key=lambda r: r.seconds)
    middle = ordered[(len(ordered) - 1) // 2]
    rounds = {"rounds_s": [round(r.seconds, 1) for r in runs]} if len(runs) > 1 else {}
    return Run(**(asdict(middle) | {"extra": middle.extra | rounds}))


def _run_one(name: str, pages: PageSet, work: Path, jobs: int) -> Run:
    me = [sys.executable, "-m", "pipeline.bench"]
    result = work / f"{name}.json"
    data = work / f"data-{name}"
    shutil.rmtree(data, ignore_errors=True)  # a round before left its reports and database
    cmd = {
        "pipeline": [*me, "pipeline", str(pages.inbox), str(data), str(result), str(jobs)],
        "no-prefect": [*me, "no-prefect", str(pages.inbox), str(data), str(result), str(jobs)],
        "tesseract": [*me, "tesseract", str(jobs), *map(str, pages.images)],
        "ocrmypdf": [*me, "ocrmypdf", str(work / "ocrmypdf-out"), str(jobs), *map(str, pages.pdfs)],
    }[name]
    (work / "ocrmypdf-out").mkdir(exist_ok=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    wall, peak, cpu = measure(cmd, env=env)
    extra = json.loads(result.read_text()) if result.exists() else {}
    # The pipeline children time their own batch, leaving out start-up (imports, models, the
    # Prefect server): a service pays that once, not per envelope.
    seconds = extra.get("seconds", wall)
    return Run(
        name=name,
        pages=pages.pages,
        seconds=seconds,
        peak_mb=peak,
        cpu_seconds=cpu,
        extra={"wall_with_start_up_s": round(wall, 2), **extra},
    )


def _figures(runs: list[Run], *, jobs: int, envelopes: int) -> dict:
    by = {r.name: r for r in runs}
    out: dict = {
        "jobs": jobs,
        "cores": os.cpu_count(),
        "envelopes": envelopes,
        "runs": {
            r.name: asdict(r) | {"pages_per_minute": round(r.pages_per_minute, 1)} for r in runs
        },
    }
    pipe = by.get("pipeline")
    if pipe:
        for base in ("tesseract", "ocrmypdf"):
            if base in by:
                out[f"pipeline_vs_{base}"] = round(
                    pipe.pages_per_minute / by[base].pages_per_minute, 2
                )
        if "no-prefect" in by:
            out["prefect_share"] = round(max(0.0, 1 - by["no-prefect"].seconds / pipe.seconds), 3)
        stages = {k: v for k, v in pipe.extra.get("stages", {}).items() if k.startswith("page.")}
        total = sum(stages.values()) or 1.0
        out["page_stage_share"] = {k[5:]: round(v / total, 3) for k, v in sorted(stages.items())}
    return out


# --- memory against page count -------------------------------------------------------------

LETTER_300DPI = (2550, 3300)


def long_envelope(pages: int, out: Path, *, sources: list[Path]) -> Path:
    """A scanner's PDF of ``pages`` letter pages at 300 dpi, cycling through ``sources``."""
    import img2pdf
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        frames = []
        for i, src in enumerate(sources):
            path = Path(tmp) / f"frame-{i}.jpg"
            Image.open(src).convert("L").resize(LETTER_300DPI).save(
                path, quality=75, dpi=(300, 300)
            )
            frames.append(str(path))
        out.write_bytes(img2pdf.convert([frames[i % len(frames)] for i in range(pages)]))
    return out


def run_memory(page_counts: list[int], *, sources: list[Path], keep: Path | None,
               jobs: int = 2) -> dict:
    """Peak memory of the pipeline on one envelope of each page count (same pages, cycled),
    ``jobs`` pages at once."""
    work = Path(tempfile.mkdtemp(prefix="intake-bench-mem-", dir=keep))
    me = [sys.executable, "-m", "pipeline.bench", "pipeline"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    out: dict = {"runs": {}}
    try:
        for n in page_counts:
            inbox = work / f"inbox-{n}"
            long_envelope(n, inbox / f"long-{n}" / "scan.pdf", sources=sources)
            result = work / f"mem-{n}.json"
            wall, peak, cpu = measure(
                [*me, str(inbox), str(work / f"data-{n}"), str(result), str(jobs)], env=env
            )
            inner = json.loads(result.read_text())
            out["runs"][n] = {
                "pages": inner["pages"],
                "seconds": round(inner["seconds"], 1),
                "peak_mb": round(peak),
                "cpu_seconds": round(cpu),
            }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    peaks = [r["peak_mb"] for r in out["runs"].values()]
    out["spread"] = round(max(peaks) / min(peaks) - 1, 3) if peaks else 0.0
    return out


def main(argv: list[str]) -> None:
    """Child entry points: ``python -m pipeline.bench NAME ARGS…``."""
    name, args = argv[0], argv[1:]
    if name == "pipeline":
        child_pipeline(Path(args[0]), Path(args[1]), Path(args[2]), int(args[3]))
    elif name == "no-prefect":
        child_no_prefect(Path(args[0]), Path(args[1]), Path(args[2]), int(args[3]))
    elif name == "tesseract":
        child_tesseract([Path(a) for a in args[1:]], int(args[0]))
    elif name == "ocrmypdf":
        child_ocrmypdf([Path(a) for a in args[2:]], Path(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown contender {name!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
