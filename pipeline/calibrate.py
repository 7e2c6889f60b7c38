"""Calibrate the page-quality thresholds on labelled pages: ROC AUC and an operating point.

Each labelled page of a corpus (``truth.json``: ``legible``, ``complete``) is joined with the
page results an evaluation kept (``pages.json``) and judged again under the configuration: its
legibility score ranks pages for ``illegible_page``, its cut score (``quality.cut_score``) for
``incomplete_page``. For each, the area under the ROC curve says how well the score separates
the classes whatever the threshold, and the operating point is the threshold that keeps recall
at or above the target with the best precision (then recall; ties: the widest margin). No page
is read again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from extractors.quality import rejudge
from pipeline.reanalyse import load_pages, stored_packets
from schemas.config import QualityConfig


@dataclass(frozen=True)
class LabelledPage:
    packet_id: str
    page: int
    legibility: float
    cut_score: float
    legible: bool
    complete: bool


@dataclass(frozen=True)
class OperatingPoint:
    """Flag a page when its score is below (legibility) or at least (cut) ``threshold``."""

    threshold: float
    recall: float
    precision: float
    false_positive_rate: float
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class Calibration:
    what: str
    positives: int
    negatives: int
    auc: float | None
    current: OperatingPoint
    chosen: OperatingPoint | None


def labelled_pages(corpus: Path, data: Path, cfg: QualityConfig) -> list[LabelledPage]:
    """Every non-blank page with a label and stored measurements, judged under ``cfg``."""
    out = []
    for folder in stored_packets(data / "reports"):
        truth_file = corpus / folder.name / "truth.json"
        if not truth_file.exists():
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        labels = {p["page"]: p for p in truth.get("pages", []) if p.get("doc_type") != "blank"}
        for p in load_pages(folder).pages:
            label = labels.get(p.page_no)
            q = rejudge(p.quality, p.ocr, cfg=cfg,
                        template_page=p.form is not None and p.form.aligned)
            if label is None or q.blank:
                continue
            out.append(LabelledPage(
                packet_id=folder.name, page=p.page_no, legibility=q.legibility,
                cut_score=q.signals.get("cut_score", 0.0),
                legible=bool(label.get("legible", True)),
                complete=bool(label.get("complete", True)),
            ))
    return out


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Probability that a positive scores above a negative (ties count half): the ROC AUC."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return round(wins / (len(positives) * len(negatives)), 4)


def _point(scores: Sequence[tuple[float, bool]], threshold: float) -> OperatingPoint:
    """Flagged: score ≥ threshold. ``scores`` pairs a score with whether the page is positive."""
    tp = sum(s >= threshold and pos for s, pos in scores)
    fp = sum(s >= threshold and not pos for s, pos in scores)
    fn = sum(s < threshold and pos for s, pos in scores)
    neg = sum(not pos for _, pos in scores)
    return OperatingPoint(
        threshold=round(threshold, 4), recall=round(tp / (tp + fn), 4) if tp + fn else 1.0,
        precision=round(tp / (tp + fp), 4) if tp + fp else 1.0,
        false_positive_rate=round(fp / neg, 4) if neg else 0.0, tp=tp, fp=fp, fn=fn,
    )


def operating_point(scores: Sequence[tuple[float, bool]], *, min_recall: float
                    ) -> OperatingPoint | None:
    """The threshold between two observed scores that keeps recall ≥ ``min_recall`` with the
    best precision, then the best recall; among equals, the widest gap around it."""
    values = sorted({s for s, _ in scores})
    if len(values) < 2 or not any(pos for _, pos in scores):
        return None
    best: tuple[tuple[float, float], OperatingPoint] | None = None
    for low, high in zip(values, values[1:], strict=False):
        point = _point(scores, (low + high) / 2)
        if point.recall < min_recall:
            continue
        key = (point.precision, point.recall, high - low)
        if best is None or key > best[0]:
            best = (key, point)
    return best[1] if best else None


def calibrate(pages: Iterable[LabelledPage], cfg: QualityConfig, *, min_recall: float = 0.95
              ) -> list[Calibration]:
    """ROC AUC and operating points of the legibility and cut scores on labelled pages."""
    pages = list(pages)
    # Low legibility flags a page: score it as 1 - legibility, so that higher means flagged.
    illegible = [(1.0 - p.legibility, not p.legible) for p in pages]
    cut = [(p.cut_score, not p.complete) for p in pages]
    out = []
    for what, scores, current in (
        ("illegible_page", illegible, 1.0 - cfg.legible_min_score + 1e-9),
        ("incomplete_page", cut, cfg.cut_min_score),
    ):
        pos = [s for s, y in scores if y]
        neg = [s for s, y in scores if not y]
        chosen = operating_point(scores, min_recall=min_recall)
        out.append(Calibration(what, len(pos), len(neg), roc_auc(pos, neg),
                               _point(scores, current), chosen))
    return out


def as_config(calibrations: Sequence[Calibration], cfg: QualityConfig) -> dict[str, float]:
    """The ``[quality]`` settings of the chosen operating points: the legibility under which a
    page is illegible, the cut score from which it is cut off (``cut_min_score``)."""
    out = {}
    for c in calibrations:
        if c.chosen is None:
            continue
        if c.what == "illegible_page":
            out["legible_min_score"] = round(1.0 - c.chosen.threshold, 4)
        else:
            out["cut_min_score"] = round(c.chosen.threshold, 4)
    return out


def to_json(calibrations: Sequence[Calibration]) -> list[dict]:
    return [asdict(c) for c in calibrations]
