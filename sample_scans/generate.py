"""Generate a labelled corpus of synthetic envelopes (``corpus-format.md``).

    python -m sample_scans.generate --seed 7 --count 12 OUT

writes ``OUT/<packet-id>/`` (scans + ``truth.json``) and ``OUT/registry.csv``. The same seed
gives the same corpus, byte for byte. With ``--count`` of 12 or more every flag code and every
status appears at least once.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import multiprocessing
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from sample_scans import degrade, people, scanfiles, scenarios, truth
from sample_scans import family as fm
from sample_scans.scenarios import PacketPlan
from sample_scans.truth import PageInfo
from schemas.form import load_form_layout

log = logging.getLogger(__name__)

BASE_RECEIVED = dt.date(2026, 11, 2)

#: Twelve packets that between them raise every flag and reach every status.
COVERAGE: tuple[tuple[str, ...], ...] = (
    (),
    ("blank_page",),
    ("missing_document", "form_unsigned"),
    ("form_page_missing",),
    ("form_missing",),
    ("field_missing", "illegible_page", "enclosed_not_found"),
    ("field_unreadable", "identity_mismatch", "date_signed_invalid"),
    ("unmatched_document", "mrz_invalid"),
    ("dossier_mismatch", "address_outside_quebec", "incomplete_page"),
    ("member_abroad_included", "not_dependent_child", "form_undated"),
    ("unreadable_file",),
    ("duplicate_packet",),
)
_SINGLE = tuple(s for s in scenarios.SCENARIOS if s not in scenarios.SOLO)


@dataclass(frozen=True)
class Renderers:
    """The two renderers; tests may pass simpler ones."""

    form: Callable[..., list[Image.Image]]
    document: Callable[..., list[Image.Image]]


def default_renderers() -> Renderers:
    from sample_scans.render_docs import render_document
    from sample_scans.render_form import render_form_pages

    return Renderers(form=render_form_pages, document=render_document)


def assign_scenarios(rng: random.Random, count: int) -> list[tuple[str, ...]]:
    """Scenarios per packet: the coverage set first (shuffled), then random draws."""
    head = list(COVERAGE)
    rng.shuffle(head)
    # A duplicate needs a readable envelope before it.
    while head[0] in (("duplicate_packet",), ("unreadable_file",)):
        head.append(head.pop(0))
    out = head[:count]
    while len(out) < count:
        out.append(_random_scenarios(rng))
    return out


def _random_scenarios(rng: random.Random) -> tuple[str, ...]:
    r = rng.random()
    if r < 0.35:
        return ()
    if r < 0.39:
        return ("duplicate_packet",)
    if r < 0.42:
        return ("unreadable_file",)
    k = 1 if r < 0.8 else 2
    while True:
        pick = tuple(sorted(rng.sample(_SINGLE, k), key=scenarios.SCENARIOS.index))
        if scenarios.compatible(pick):
            return pick


def plan_corpus(*, seed: int, count: int) -> list[PacketPlan]:
    """Plan every packet of the corpus; duplicates point at an earlier readable packet."""
    rng = random.Random(f"{seed}:corpus")
    plans: list[PacketPlan] = []
    dossiers: set[str] = set()
    for i, names in enumerate(assign_scenarios(rng, count)):
        pid = f"p{i + 1:04d}"
        earlier = [p for p in plans if not p.unreadable and not p.duplicate_of]
        if "duplicate_packet" in names:
            if earlier:
                plans.append(_duplicate_plan(rng.choice(earlier), pid, i))
                continue
            names = ()
        prng = random.Random(f"{seed}:{i}:plan")
        dossier = ""
        while not dossier or dossier in dossiers:
            dossier = people.dossier_number(prng, year=BASE_RECEIVED.year)
        dossiers.add(dossier)
        received = BASE_RECEIVED + dt.timedelta(days=prng.randint(-20, 20))
        plan = scenarios.plan_packet(prng, packet_id=pid, index=i, scenarios=names,
                                     received=received, dossier=dossier)
        if "unreadable_file" in names:
            plan.unreadable = prng.choice(scanfiles.UNREADABLE_KINDS)
        plans.append(plan)
    return plans


def _duplicate_plan(original: PacketPlan, packet_id: str, index: int) -> PacketPlan:
    return PacketPlan(packet_id=packet_id, index=index, received=original.received,
                      dossier=original.dossier, family=original.family,
                      scenarios=("duplicate_packet",), duplicate_of=original.packet_id,
                      registry=None, notes={"registry": "absent"})


# --- rendering one packet ---------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    plan: PacketPlan
    out: Path
    seed: int
    dpi: int
    renderers: Renderers | None = None


def build_packet(job: Job) -> dict[str, object]:
    """Render, degrade and write one envelope; write and return its ``truth.json``."""
    plan, rng = job.plan, random.Random(f"{job.seed}:{job.plan.index}:render")
    rend = job.renderers or default_renderers()
    folder = job.out / plan.packet_id
    folder.mkdir(parents=True, exist_ok=True)
    setup = scanfiles.choose_setup(rng, day=plan.received, max_dpi=job.dpi)
    scan_dpi = setup.dpi
    units = _render_units(plan, rng=rng, dpi=job.dpi, rend=rend)
    images, infos = _sequence(units, rng)
    if plan.unreadable:
        name = scanfiles.write_unreadable(images, folder, rng=rng, setup=setup,
                                          kind=plan.unreadable)
        doc = truth.unreadable_document(plan, name)
    else:
        scans = [_scan_page(img, info, rng=rng, dpi=job.dpi, scan_dpi=scan_dpi)
                 for img, info in zip(images, infos, strict=True)]
        scanfiles.write_envelope(scans, folder, rng=rng, setup=setup)
        doc = truth.truth_document(plan, infos)
    _write_json(folder / "truth.json", doc)
    return doc


Unit = list[tuple[Image.Image, PageInfo]]


def _render_units(plan: PacketPlan, *, rng: random.Random, dpi: int, rend: Renderers,
                  ) -> list[Unit]:
    """The envelope's sheets grouped by what keeps them together (the form, a document)."""
    units: list[Unit] = []
    if plan.form_pages:
        pages = rend.form(dict(plan.values), dossier_number=plan.dossier,
                          preprinted_name=fm.preprinted_name(plan.family.principal), rng=rng,
                          typed=plan.typed, dpi=dpi, page_dossier_numbers=plan.page_dossiers)
        for name in plan.scribbled:
            _scribble(pages, name, rng=rng, dpi=dpi)
        units.append([(pages[n - 1], PageInfo("application_form", "principal", form_page=n))
                      for n in plan.form_pages])
    for i, d in enumerate(plan.docs):
        pages = rend.document(
            d.doc_type, subject=d.subject.subject(), lang=d.lang, rng=rng,
            other=d.other.subject() if d.other else None,
            address=d.address.as_dict() if d.address else None, dpi=dpi,
            corrupt_mrz=d.corrupt_mrz)
        units.append([(_defect(img, d.defect, rng), PageInfo(
            d.doc_type, d.person, doc_index=i, first_of_doc=k == 0,
            legible=d.defect != "illegible", complete=not (d.defect or "").startswith("cut")))
            for k, img in enumerate(pages)])
    size = units[0][0][0].size if units else (round(8.5 * dpi), 11 * dpi)
    units += [[(degrade.blank_sheet(size, rng), PageInfo("blank", None))]
              for _ in range(plan.blanks)]
    return units


def _defect(img: Image.Image, defect: str | None, rng: random.Random) -> Image.Image:
    if defect == "illegible":
        return degrade.make_illegible(img, rng)
    if defect in ("cut_half", "cut_edge"):
        return degrade.cut_off(img, rng, mode=defect.removeprefix("cut_"))
    return img


def _sequence(units: list[Unit], rng: random.Random,
              ) -> tuple[list[Image.Image], list[PageInfo]]:
    """Stack the sheets as the applicant did: form usually first, the rest in any order."""
    form = [u for u in units if u[0][1].form_page is not None]
    rest = [u for u in units if u[0][1].form_page is None]
    rng.shuffle(rest)
    if form and rng.random() < 0.12:
        rng.shuffle(form[0])  # form pages put back out of order
    if form and rng.random() < 0.2:
        rest.insert(rng.randrange(len(rest) + 1), form[0])
        form = []
    pages = [pg for u in form + rest for pg in u]
    return [p[0] for p in pages], [p[1] for p in pages]


def _scan_page(img: Image.Image, info: PageInfo, *, rng: random.Random, dpi: int,
               scan_dpi: int) -> Image.Image:
    """Photocopy the sheet, then lay it on the scanner, sometimes turned."""
    blank = info.doc_type == "blank"
    level = "normal" if blank else rng.choices(degrade.LEVELS, weights=(20, 70, 10))[0]
    out = degrade.photocopy(img, rng=rng, level=level, dpi=dpi, out_dpi=scan_dpi,
                            borders=not blank)
    if rng.random() < 0.12:
        out = degrade.turn(out, rng.choice((180, 180, 90, 270)))
    return out


def _scribble(pages: list[Image.Image], name: str, *, rng: random.Random, dpi: int) -> None:
    """Scratch out a written field with a ballpoint zig-zag, as after a mistake."""
    spec = load_form_layout().field(name)
    k = dpi / 72
    x0, y0, x1, y1 = (c * k for c in spec.bbox)
    draw = ImageDraw.Draw(pages[spec.page - 1])
    width = max(2, round(dpi / 110))
    for _ in range(rng.randint(2, 3)):
        x, pts = x0 - 2 * k, []
        while x < x1 + 2 * k:
            pts.append((x, rng.uniform(y0, y0 + (y1 - y0) * 0.3)))
            pts.append((x + rng.uniform(2, 5) * k, rng.uniform(y1 - (y1 - y0) * 0.3, y1)))
            x += rng.uniform(3, 7) * k
        draw.line(pts, fill=rng.randint(20, 60), width=width, joint="curve")


def _write_json(path: Path, doc: dict[str, object]) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- the corpus -------------------------------------------------------------------------

def generate_corpus(
    out: Path, *, seed: int, count: int, dpi: int = 300, jobs: int = 2,
    renderers: Renderers | None = None,
) -> list[dict[str, object]]:
    """Write ``count`` packets and ``registry.csv`` under ``out``; return the truths."""
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(seed=seed, count=count)
    work = [Job(p, out, seed, dpi, renderers) for p in plans if not p.duplicate_of]
    if jobs > 1 and len(work) > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            built = pool.map(build_packet, work, chunksize=1)
    else:
        built = [build_packet(j) for j in work]
    by_id = {str(d["packet_id"]): d for d in built}
    for p in plans:
        if p.duplicate_of:
            by_id[p.packet_id] = _copy_duplicate(out, p)
    write_registry(out / "registry.csv", plans, rng=random.Random(f"{seed}:registry"))
    return [by_id[p.packet_id] for p in plans]


def _copy_duplicate(out: Path, plan: PacketPlan) -> dict[str, object]:
    """The earlier envelope's files, byte for byte, under the new packet id."""
    src, dst = out / str(plan.duplicate_of), out / plan.packet_id
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("truth.json"), dirs_exist_ok=True)
    original = json.loads((src / "truth.json").read_text(encoding="utf-8"))
    doc = truth.duplicate_document(original, packet_id=plan.packet_id, of=str(plan.duplicate_of))
    _write_json(dst / "truth.json", doc)
    return doc


def write_registry(path: Path, plans: list[PacketPlan], *, rng: random.Random) -> None:
    """The ministry's invited files: every packet's dossier (unless a scenario hides it) plus
    a few invited applicants whose envelopes have not come in."""
    rows = [(p.dossier, *p.registry[:3], p.registry[3]) for p in plans if p.registry]
    for _ in range(rng.randint(2, 4)):
        someone = fm.make_family(rng, received=BASE_RECEIVED).principal
        rows.append((people.dossier_number(rng, year=BASE_RECEIVED.year),
                     people.upper(someone.family_name), someone.given_names,
                     someone.date_of_birth, BASE_RECEIVED - dt.timedelta(days=rng.randint(20, 60))))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(("dossier_number", "family_name", "given_names", "date_of_birth",
                    "invitation_date"))
        for d, fam, given, born, invited in sorted(rows):
            w.writerow((d, fam, given, born.isoformat(), invited.isoformat()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m sample_scans.generate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="corpus folder to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=12)
    ap.add_argument("--dpi", type=int, default=300, help="render resolution (scans: 200-300)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()
    docs = generate_corpus(args.out, seed=args.seed, count=args.count, dpi=args.dpi,
                           jobs=args.jobs)
    for d in docs:
        codes = sorted({str(f["code"]) for f in d["expected"]["flags"]})  # type: ignore[index]
        log.info("%s %s %s", d["packet_id"], d["expected"]["status"], ",".join(codes))  # type: ignore[index]
    log.info("%d packets in %.1f s", len(docs), time.perf_counter() - t0)


if __name__ == "__main__":
    main()
