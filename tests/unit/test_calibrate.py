"""ROC AUC and operating points of the page-quality scores."""

from __future__ import annotations

import pytest

from pipeline.calibrate import LabelledPage, as_config, calibrate, operating_point, roc_auc
from schemas.config import QualityConfig


def test_auc_of_perfect_random_and_inverted_rankings() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2, 0.3]) == 1.0
    assert roc_auc([0.5, 0.5], [0.5, 0.5]) == 0.5
    assert roc_auc([0.1], [0.9, 0.8]) == 0.0
    assert roc_auc([], [0.1]) is None


def test_auc_counts_each_pair_once() -> None:
    # 2 positives x 3 negatives = 6 pairs; the 0.4 positive loses to 0.6 and ties 0.4.
    assert roc_auc([0.9, 0.4], [0.6, 0.4, 0.1]) == pytest.approx((3 + 1 + 0.5) / 6, abs=1e-4)


def test_operating_point_keeps_recall_and_takes_the_widest_gap() -> None:
    scores = [(0.9, True), (0.7, True), (0.65, False), (0.2, False), (0.1, False)]
    point = operating_point(scores, min_recall=0.95)
    assert (point.recall, point.precision) == (1.0, 1.0)
    assert 0.65 < point.threshold < 0.7
    # Half recall allowed: still the point that keeps both, not the wider gap above 0.7.
    assert operating_point(scores, min_recall=0.5) == point
    # Recall first needs a lower threshold when a negative outscores a positive.
    mixed = [(0.9, True), (0.5, True), (0.6, False), (0.1, False)]
    assert operating_point(mixed, min_recall=0.95).threshold < 0.5


def test_calibration_turns_points_into_settings() -> None:
    cfg = QualityConfig()
    pages = [LabelledPage("p", i, legibility=leg, cut_score=cut, legible=leg > 0.3,
                          complete=cut < 0.75)
             for i, (leg, cut) in enumerate([(0.9, 0.0), (0.8, 0.5), (0.2, 1.0), (0.95, 0.0)])]
    illegible, incomplete = calibrate(pages, cfg)
    assert illegible.auc == 1.0 and illegible.chosen.recall == 1.0
    assert incomplete.auc == 1.0 and incomplete.current.tp == 1
    settings = as_config([illegible, incomplete], cfg)
    assert 0.2 < settings["legible_min_score"] < 0.8
    assert 0.5 < settings["cut_min_score"] <= 1.0
