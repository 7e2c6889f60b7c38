"""``intake bench-form`` scores real reads of generated forms, by kind and photocopy level."""

from __future__ import annotations

import pytest

from extractors.glyphs import load_glyph_reader
from pipeline.bench_form import KINDS, run_form_bench


@pytest.mark.slow
def test_one_form_read_and_scored_field_by_field() -> None:
    figures = run_form_bench(1, first_seed=424242, readers={"cnn": load_glyph_reader()})
    score = figures["scores"]["cnn"]
    assert score.unaligned == 0 and len(score.cpu_per_page) == 3
    assert score.tallies[("preprinted", "all")].total == 3  # the file number on every page
    # Every kind with something to score was scored, each field exactly once.
    for kind in ("comb text", "dates", "checkboxes", "signature", "empty"):
        tally = score.tallies[(kind, "all")]
        assert tally.total > 0 and 0 <= tally.right <= tally.total
        split = [score.tallies[(kind, s)].total for s in ("clean", "degraded")]
        assert sum(split) == tally.total
    assert set(k for k, _ in score.tallies) <= set(KINDS)
    # Values read right, passed or flagged: every right value but the checkboxes, once.
    scored = [k for k in KINDS if k not in ("checkboxes", "empty", "preprinted")]
    right = sum(score.tallies[(k, "all")].right for k in scored)
    assert score.passed.total == right and score.passed.right <= right
    wrong = sum(score.tallies[(k, "all")].total for k in scored) - right
    assert score.wrong_passed.total == wrong
