"""Read the same generated forms with two glyph models, side by side, field by field.

Run from the repository root (training only; never run by tests or installs)::

    .venv/bin/python -m training.compare_form_models --old /tmp/old/glyphs.onnx --seed 70000

``--new`` defaults to the committed model. Both models read every page of forms ``seed`` ..
``seed + forms - 1`` in one run (``pipeline.bench_form.run_form_bench``, the code behind
``intake bench-form``), so their figures differ by the model only. ``--errors N`` prints the
first N misread fields of each: those are generated test answers, never personal data.

``--hand FONT`` writes every form with that face instead of the generator's writers (the
same forms otherwise: the writer is drawn as usual, then its face replaced). Pass a face
neither model trained on (Humor Sans, or Klee One from fonts-klee) to compare them on a hand
both have never seen: the generator's own faces are in the old model's training data.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections import Counter
from pathlib import Path

from extractors.glyphs import MODEL_PATH, load_glyph_reader
from pipeline.bench_form import KINDS, SURE, ReaderScore, run_form_bench
from sample_scans import render_form
from sample_scans.handwriting import HandStyle


def _write_with(font: Path) -> None:
    """Make the form generator write with ``font``; its random draws stay the same."""
    pick = render_form.pick_hand_style

    def picked(rng, *, dpi: int = 300) -> HandStyle:
        return dataclasses.replace(pick(rng, dpi=dpi), font=font, stroke_px=round(dpi / 300))

    render_form.pick_hand_style = picked


def _cell(score: ReaderScore, kind: str, split: str) -> str:
    t = score.tallies[(kind, split)]
    return f"{t.share:.1%} ({t.total})" if t.total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--new", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--forms", type=int, default=40)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--hand", type=Path, help="write every form with this font file")
    args = parser.parse_args()
    if args.hand:
        _write_with(args.hand)
    readers = {"old": load_glyph_reader(args.old), "new": load_glyph_reader(args.new)}
    figures = run_form_bench(args.forms, first_seed=args.seed, readers=readers)
    scores: dict[str, ReaderScore] = figures["scores"]
    hand = f", written in {args.hand.name}" if args.hand else ""
    print(f"{args.forms} forms, seeds {args.seed}-{args.seed + args.forms - 1}{hand}")
    print(
        f"{'kind':<12}" + "".join(f"{n + ' ' + s:>22}" for n in readers for s in ("clean", "all"))
    )
    for kind in KINDS:
        cells = "".join(
            f"{_cell(scores[n], kind, s):>22}" for n in readers for s in ("clean", "all")
        )
        print(f"{kind:<12}{cells}")
    for name, sc in scores.items():
        cpu = sum(sc.cpu_per_page) / max(len(sc.cpu_per_page), 1)
        sure = f"{sc.sure.share:.2%} of {sc.sure.total}" if sc.sure.total else "-"
        print(f"{name}: confidence >= {SURE} right {sure}; CPU per form page {cpu:.2f} s; "
              f"pages not aligned {sc.unaligned}")  # fmt: skip
        by_field = Counter(f for f, _, _ in sc.errors)
        print(f"  misread fields by name: {dict(by_field.most_common(12))}")
        for field_name, truth, got in sc.errors[: args.errors]:
            print(f"    {field_name:26s} true {truth!r:30s} read {got!r}")


if __name__ == "__main__":
    main()
