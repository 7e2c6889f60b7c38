"""Exact match per field kind on forms filled and scanned the way the sample corpus is.

Each form is made by ``sample_scans.scanned_form``, as ``intake bench-form`` makes them. Run
more forms and see the table with::

    FORM_BENCH_FORMS=10 .venv/bin/python -m pytest tests/unit/test_form_reader_accuracy.py -s
"""

from __future__ import annotations

import os
from collections import defaultdict

import numpy as np
import pytest

from extractors.form_reader import read_form_page
from extractors.form_tesseract import TesseractGlyphs
from extractors.glyphs import load_glyph_reader
from sample_scans.scanned_form import scanned_form
from schemas.codes import FieldStatus
from schemas.config import FormConfig
from schemas.extraction import FieldRead
from schemas.form import load_form_layout

LAYOUT = load_form_layout()
CFG = FormConfig()
FORMS = int(os.environ.get("FORM_BENCH_FORMS", "3"))


def kind_of(f: FieldRead) -> str:
    spec = LAYOUT.field(f.name, f.form_page)
    return f"comb:{spec.charset}" if spec.charset else f.kind.value


def cpu_seconds() -> float:
    """This process's CPU time plus its finished children's (Tesseract runs as a child)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bench(glyphs) -> tuple[dict[str, list[int]], list[float]]:
    """Per kind [right, total] over filled fields (plus "read": READ fields right), CPU seconds
    per page."""
    score: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    times = []
    for k in range(FORMS):
        form = scanned_form(9000 + k)
        values, number = form.values, form.dossier_number
        for form_page, page in enumerate(form.pages, 1):
            image, dpi = page.image, page.dpi
            start = cpu_seconds()
            out = read_form_page(
                image, page_no=form_page, dpi=dpi, layout=LAYOUT, cfg=CFG, glyphs=glyphs
            )
            times.append(cpu_seconds() - start)
            assert out is not None and out[0].aligned and out[0].form_page == form_page
            assert out[0].dossier_number == number
            for f in out[0].fields:
                truth = values.get(f.name, "false" if f.name == "signature" else None)
                if truth is None or (f.name == "signature" and truth == "false"):
                    continue
                for key in (kind_of(f), "all") + (
                    ("read",) if f.status is FieldStatus.READ else ()
                ):
                    score[key][0] += f.value == truth
                    score[key][1] += 1
    print(
        "\n"
        + "\n".join(f"  {k:14s} {r:4d}/{n:<4d} {r / n:.2f}" for k, (r, n) in sorted(score.items()))
    )
    print(f"  CPU seconds per page: mean {np.mean(times):.2f}, max {max(times):.2f}")
    return score, times


def share(score: dict[str, list[int]], *keys: str) -> float:
    right = sum(score[k][0] for k in keys if k in score)
    total = sum(score[k][1] for k in keys if k in score)
    return right / total if total else 1.0


@pytest.mark.slow
class TestFormReaderAccuracy:
    def test_with_the_glyph_cnn(self) -> None:
        score, _ = bench(load_glyph_reader())
        assert share(score, "checkbox") >= 0.97 and share(score, "signature") == 1.0
        assert share(score, "date", "comb:digits", "comb:postal") >= 0.8
        assert share(score, "comb:alpha") >= 0.5
        assert share(score, "read") >= 0.9  # what the reader calls READ, it got right

    def test_with_tesseract(self) -> None:
        score, _ = bench(TesseractGlyphs())
        assert share(score, "checkbox") >= 0.97 and share(score, "signature") == 1.0
        assert share(score, "read") >= 0.85  # weak reader, honest confidence
