"""Legibility, completeness and blankness of a cleaned page.

Works best on the image ``preprocess.clean_and_read`` returns, where pixels outside the scanned
paper are exactly 255 and paper is at most 254: ink running into that region, or off the image edge,
is content cut from the copy. An uncleaned page (a form page read from its render, a
born-digital render) is accepted too: its dark copier borders are found here. Measurements run
on a 150-dpi copy; every raw measurement goes into ``PageQuality.signals`` so thresholds can be
recalibrated on labelled pages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.ocr import is_real_word
from extractors.preprocess import OUTSIDE, border_mask, labels_mask
from schemas.config import QualityConfig
from schemas.ocr import PageOcr
from schemas.quality import PageQuality

log = logging.getLogger(__name__)

_WORK_DPI = 150
#: More "outside" than this means the image was not cleaned and its white paper is 255.
_MAX_OUTSIDE_SHARE = 0.4
#: Ink is this much darker than the paper at least (0–255), whatever Otsu says on a pale page.
_MIN_INK_DROP = 45
#: Dark blobs smaller than this (square inches) are dust, not ink. A printed period is ~4e-4.
_SPECK_SQIN = 1.5e-4
#: Near a corner (inches from both edges) sit a form's registration marks: never "cut".
_CORNER_IN = 0.6
#: Content cut at an edge reaches this far inward (in); shallower pieces are edge debris.
_EDGE_DEPTH_IN = 0.04
#: A line along an edge thinner than this (in) is the paper's shadow, not content.
_EDGE_LINE_IN = 0.05
#: Pieces smaller than this (square inches) are left out of the cut-line search.
_MIN_PIECE_SQIN = 5e-4
#: A cut line: at least this many pieces end on it; how truncated they are near an edge; how
#: much of the page lies empty beyond a cut far from the edge; how near an edge is "near".
_CUT_MIN_PIECES = 8
_CUT_MAX_RELATIVE_SIZE = 0.7
_HALF_PAGE_GAP = 0.25
_HALF_MAX_RELATIVE_SIZE = 0.9
_NEAR_EDGE_GAP = 0.018
_CUT_CANDIDATES = 12
#: A cut through the top of a line of text leaves slivers of its tallest letters: pieces
#: this much smaller across than the page's typical glyph.
_SLIVER_MAX_RELATIVE = 0.5
#: Two dashes (pieces three times as long as thick) ending on such a line make it a dashed
#: outline (a card's, faded into dashes and bits); ``_HAIRLINE_SHARE`` of its pieces no
#: thicker than a printed rule (``_HAIRLINE_IN``), one faded into bits only; pieces whose
#: gaps spread less than ``_EVEN_MAX_SPREAD`` of the mean gap, a dotted leader. What a cut
#: leaves of letters is as thick as each letter reached, and as uneven as the letters and
#: the gaps between words.
_SLIVER_MAX_DASHES = 2
_HAIRLINE_IN = 0.015
_HAIRLINE_SHARE = 0.8
_EVEN_MAX_SPREAD = 0.2
#: A copy reduced to fit (or a sheet copied shifted, then scanned smaller) puts the copy's
#: edge a little inside the image, paper beyond it: content cut there ends on a straight line
#: this near the edge (share of the page; nearer is the edge's own debris). A few pieces on
#: it suffice, slivers of cut letters included, if they are cut short and spread along it.
_REDUCED_EDGE_GAP = (0.008, 0.04)
_REDUCED_MIN_PIECES = 4
#: ... on an image at least this big both ways (in): a sheet of paper, not a crop.
_SHEET_MIN_IN = 7.0
_REDUCED_MIN_SPREAD = 0.1
#: Or one of them is a box, a table or a stamp (this many typical glyphs both ways) left
#: open there: its last columns (or rows) hold ink over less than ``_OPEN_MAX_COVER`` of
#: its height (or width): the rules that ran on, no border closing them.
_OPEN_MIN_RELATIVE = 3.0
_OPEN_MAX_COVER = 0.5
#: A table or box ending the content with its rules running on and stopping, their ends
#: inked over less than ``_CUT_OPEN_MAX_COVER`` of its width (any ink: a faded border's bits
#: count), at least ``_CUT_MIN_RULES`` of its own rules ending there (a table's sides and a
#: column between; a card's outline, its sides faded into dashes, keeps one), while its other
#: end is closed over ``_CLOSED_MIN_COVER``: cut through, wherever the cut lies (a table ends
#: on its border). Only at the top or bottom: many tables have no sides, rows ending open on
#: the left and right by design, but hardly any has no top or bottom.
_CUT_OPEN_MAX_COVER = 0.2
_CUT_MIN_RULES = 3
_CLOSED_MIN_COVER = 0.8
#: Pieces on such a line are typically this many specks' area at least (dust is one).
_SLIVER_MIN_SPECKS = 2
#: How much smaller across than the page's typical piece the pieces on such a line are: a
#: line through a row of text leaves halves or slivers of its letters, a line down the ends
#: of lines only trims each letter it meets (one side of it; "m" cut is still a letter wide).
_REDUCED_MAX_RELATIVE = {"top": 0.7, "bottom": 0.7, "left": 0.9, "right": 0.9}
#: Pieces ending this close (in) beyond a reduced copy's edge line end on it.
_ON_EDGE_IN = 0.02
#: OCR words ending within this (in) of a cut line, and how well they must read to veto it.
_LINE_TOLERANCE_IN = 0.06
_LINE_MIN_CONF = 75.0
_LINE_MIN_REAL = 0.6
#: ... or, alone on its line, a word this long read this surely.
_LONE_WORD_MIN_LETTERS = 6
_LONE_WORD_MIN_CONF = 90.0
#: Distance between the form's registration marks, across and down (fields.json), inches.
_MARKS_APART_IN = (554 / 72, 734 / 72)
#: Legibility kept (times the image score) when Tesseract read no words on an inked page.
_NO_WORDS_FACTOR = 0.4
#: Blank paper varies less than this in large-scale tone (std, 0–255) once noise is blurred.
_BLANK_MAX_SHADING = 4.2
_SIDES = ("top", "right", "bottom", "left")
#: A dark region this dark (0–255, median-smoothed) over this share of the page, joined to an
#: edge, is the copier's lid seen where the sheet was not: part of the page is missing.
_VOID_MAX_LEVEL = 70
#: A grey lid (a lighter copy of it) up to this level counts too where it is flat (its 10th
#: and 90th percentiles within ``_FLAT_VOID_SPREAD`` levels) and far darker than the paper (by
#: ``_FLAT_VOID_BELOW_PAPER``): a photo or a smear that dark has texture, and the paper of a
#: dark copy is as flat but is the page's own level.
_FLAT_VOID_MAX_LEVEL = 110
_FLAT_VOID_SPREAD = 12
_FLAT_VOID_BELOW_PAPER = 80
_VOID_MIN_SHARE = 0.08
_VOID_EDGE = 0.05
#: A piece touching an edge is content running off the copy only if other content lies
#: within this distance (in) of it: the end of a text line, a table's rule. A lone dark
#: blob at the edge, paper all round it, is what a copier border leaves behind.
_CONTENT_NEAR_IN = 0.15


@dataclass(frozen=True)
class _Page:
    """The page at the working resolution, split into paper, ink and outside."""

    gray: np.ndarray
    dpi: float
    outside: np.ndarray
    ink: np.ndarray
    paper_level: float
    stats: np.ndarray  # connectedComponentsWithStats rows of the ink: x, y, w, h, area
    labels: np.ndarray


def _working_copy(image: np.ndarray, dpi: int, *, cleaned: bool
                  ) -> tuple[np.ndarray, np.ndarray, float]:
    """The page at ``_WORK_DPI``, pixels off the scanned paper, and the working resolution.

    Off the paper: 255 regions joined to the image's edge (whitened borders, deskew corners)
    plus dark copier borders an uncleaned page still has. On an image that was not cleaned,
    pure white over most of the page is paper (a render of clean paper), not outside; on a
    cleaned one, paper is never 255, however little of the image it covers (half a sheet that
    reached the glass). Both are found on the reduced copy: joining the regions at the scan's
    full resolution cost a fifth of the quality stage, for the same mask.
    """
    scale = min(1.0, _WORK_DPI / max(dpi, 1))
    white = (image == OUTSIDE).astype(np.uint8)
    gray = image
    if scale < 1.0:
        gray = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        white = cv2.resize(white, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_AREA)
    count, labels = cv2.connectedComponents((white > 0).astype(np.uint8), connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    outside = labels_mask(labels, count, edge[edge > 0])
    if not cleaned and outside.mean() > _MAX_OUTSIDE_SHARE:
        outside[:] = False
    return gray, outside | border_mask(image, dpi=dpi, shape=gray.shape), dpi * scale


def _measure(image: np.ndarray, dpi: int, *, cleaned: bool = False) -> _Page:
    gray, outside, wdpi = _working_copy(image, dpi, cleaned=cleaned)
    paper_px = gray[~outside]
    if paper_px.size == 0:
        empty = np.zeros(gray.shape, np.uint8)
        return _Page(gray, wdpi, outside, empty, 255.0, np.zeros((1, 5), np.int32), empty)
    paper_level = float(np.percentile(paper_px, 75))
    otsu, _ = cv2.threshold(paper_px.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = (gray <= min(otsu, paper_level - _MIN_INK_DROP)) & ~outside
    _, labels, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    specks = stats[:, cv2.CC_STAT_AREA] < _SPECK_SQIN * wdpi**2
    specks[0] = True
    ink = (~specks[labels]).astype(np.uint8)
    stats[specks, cv2.CC_STAT_AREA] = 0
    return _Page(gray, wdpi, outside, ink, paper_level, stats, labels)


def _shading(page: _Page) -> float:
    """Spread (std, 0–255) of the paper's large-scale tone: grain and noise are blurred away,
    a smeared text block or blotches remain."""
    paper = ~page.outside
    if not paper.any():
        return 0.0
    sigma = 0.02 * page.dpi
    smooth = cv2.GaussianBlur(page.gray.astype(np.float32), (0, 0), sigma)
    return float(np.std(smooth[paper]))


# --- legibility -------------------------------------------------------------------------------


def _ramp(value: float, low: float, high: float) -> float:
    """0 at ``low``, 1 at ``high``, linear between (either order)."""
    if high == low:
        return 1.0 if value >= high else 0.0
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def _image_signals(page: _Page, dpi: int) -> dict[str, float]:
    """Contrast, edge sharpness, Laplacian variance and paper noise of the ink."""
    ink = page.ink.astype(bool)
    if ink.sum() < 20:
        return {"contrast": 0.0, "sharpness": 0.0, "laplacian_var": 0.0, "noise": 0.0,
                "stroke_in": 0.0, "dpi": float(dpi)}
    ink_level = float(np.median(page.gray[ink]))
    contrast = max(1.0, page.paper_level - ink_level)
    gray = page.gray.astype(np.float32)
    gx, gy = cv2.Sobel(gray, cv2.CV_32F, 1, 0), cv2.Sobel(gray, cv2.CV_32F, 0, 1)
    edge = ink & ~cv2.erode(page.ink, np.ones((3, 3), np.uint8)).astype(bool)
    # A crisp step gives Sobel 4x the step height next to it; a blur spreads it out.
    sharpness = float(np.percentile(np.hypot(gx[edge], gy[edge]), 75)) / (4.0 * contrast)
    stroke = _stroke_width(page, edge)
    lap = cv2.Laplacian(gray, cv2.CV_32F)
    near_ink = cv2.dilate(page.ink, np.ones((5, 5), np.uint8)).astype(bool)
    paper = ~near_ink & ~page.outside
    noise = float(np.std(gray[paper])) if paper.any() else 0.0
    return {"contrast": contrast / 255.0, "sharpness": sharpness,
            "laplacian_var": float(np.var(lap[near_ink])) / contrast**2, "noise": noise,
            "stroke_in": stroke, "dpi": float(dpi)}


def _stroke_width(page: _Page, edge: np.ndarray) -> float:
    """Typical stroke width in inches: the median over ink pieces of 2 x area / outline.
    Print and handwriting stay near 0.01-0.03 in; a smear leaves blobs several times wider
    (a photo or a QR code is one piece among hundreds and does not move the median)."""
    outline = np.bincount(page.labels[edge], minlength=len(page.stats)).astype(np.float64)
    area = page.stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    keep = (area >= _MIN_PIECE_SQIN * page.dpi**2) & (outline > 0)
    if not keep.any():
        return 0.0
    return float(np.median(2.0 * area[keep] / outline[keep])) / page.dpi


def _ocr_signals(ocr: PageOcr) -> dict[str, float]:
    # Only tokens holding a letter or a digit: rules and box edges read as "|" or "—", often
    # at high confidence, say nothing of whether the text can be read (a blurred letter whose
    # lines OCR took for six bars scored as legible).
    words = [w for w in ocr.words if any(c.isalnum() for c in w.text)]
    if not words:
        return {"words": 0.0}
    confs = np.array([w.conf for w in words], dtype=np.float64)
    real = sum(is_real_word(w.text) for w in words)
    long = [w for w in words if len(w.text) >= 3]
    good = sum(1 for w in long if w.conf >= 70 and is_real_word(w.text))
    return {"words": float(len(words)), "mean_conf": float(confs.mean()),
            "conf_std": float(confs.std()), "low_conf_share": float((confs < 50).mean()),
            "real_word_share": real / len(words), "good_word_share": good / max(1, len(long))}


def _legibility(sig: dict[str, float], cfg: QualityConfig) -> float:
    """Score 0–1. The image part is led by its worst factor (blur or fading alone is enough
    to make a page unreadable); the OCR part, when there are enough words, weighs more."""
    contrast = _ramp(sig["contrast"], 0.12, 0.35)
    sharp = _ramp(sig["sharpness"], 0.12, 0.35)
    noise = _ramp(sig["noise"], 30.0, 10.0)
    resolution = _ramp(sig["dpi"], 90.0, 200.0)
    # A page that is not blank (it has shading) yet holds almost no crisp ink is a smear.
    presence = _ramp(sig["ink_ratio"], 0.2 * cfg.blank_max_ink_ratio, cfg.blank_max_ink_ratio)
    strokes = _ramp(sig["stroke_in"], 0.07, 0.04)
    image = presence * (0.7 * min(contrast, sharp, strokes) + 0.3 * (noise + resolution) / 2)
    if sig.get("words", 0.0) < cfg.min_text_words:
        # OCR that ran on an inked page and read nothing is evidence in itself.
        return image * (_NO_WORDS_FACTOR if sig.get("ocr_ran") else 1.0)
    # Words of 3+ letters read as real words at confidence 70+: a smear reads as 0 of them,
    # the sparsest legible identity card 0.31, ordinary pages 0.6-1.
    ocr = (0.6 * _ramp(sig["good_word_share"], 0.08, 0.35)
           + 0.4 * _ramp(sig["mean_conf"], 35.0, 80.0))
    return 0.35 * image + 0.65 * ocr


# --- completeness -----------------------------------------------------------------------------


def _nearest_side(cx: float, cy: float, w: int, h: int) -> str:
    dists = {"top": cy, "bottom": h - cy, "left": cx, "right": w - cx}
    return min(dists, key=dists.__getitem__)


def _corner_pieces(stats: np.ndarray, page: _Page) -> np.ndarray:
    """Which rows of ``stats`` (components) lie in a corner zone, where a form's registration
    marks are."""
    h, w = page.ink.shape
    c = _CORNER_IN * page.dpi
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    near_x = (x + stats[:, cv2.CC_STAT_WIDTH] <= c) | (x >= w - c)
    near_y = (y + stats[:, cv2.CC_STAT_HEIGHT] <= c) | (y >= h - c)
    return near_x & near_y


def _edge_debris(cw: int, ch: int, side: str, dpi: float) -> bool:
    """A piece that does not reach inward from the side it touches: the paper's edge shadow or
    what is left of a copier border, not content."""
    along, across = (cw, ch) if side in ("top", "bottom") else (ch, cw)
    return across < _EDGE_DEPTH_IN * dpi or (across <= _EDGE_LINE_IN * dpi and along >= 3 * across)


def _touching_edges(page: _Page, margin_ratio: float) -> tuple[dict[str, int], dict[str, float]]:
    """Per side, content pieces near the image edge or the outside-the-paper region, and the
    line the outermost of them ends on (row for top and bottom, column for left and right).

    The margin from the image edge is ``margin_ratio`` of its shorter side; from the region
    outside the paper, half of it: after deskewing, a sheet's edge runs along the wedge its
    turn uncovered, and text cut there ends a few pixels inside it (the paper's grey fringe,
    whitened with the border), where a tighter margin keeps a ragged edge's nearest words out.
    """
    h, w = page.ink.shape
    margin = max(1, round(margin_ratio * min(h, w)))
    reach = 2 * (margin // 2) + 1
    zone = cv2.dilate(page.outside.astype(np.uint8), np.ones((reach, reach), np.uint8))
    zone[:margin, :] = zone[-margin:, :] = 1
    zone[:, :margin] = zone[:, -margin:] = 1
    hits = np.unique(page.labels[(zone > 0) & (page.ink > 0)])
    counts = dict.fromkeys(_SIDES, 0)
    lines: dict[str, float] = {}
    corner = _corner_pieces(page.stats, page)
    for label in hits[hits > 0]:
        x, y, cw, ch, area = page.stats[label]
        if area == 0 or corner[label]:
            continue
        side = _nearest_side(x + cw / 2, y + ch / 2, w, h)
        if not _edge_debris(cw, ch, side, page.dpi) and _has_neighbour(page, int(label)):
            counts[side] += 1
            end = {"top": y, "bottom": y + ch, "left": x, "right": x + cw}[side]
            outer = min if side in ("top", "left") else max
            lines[side] = float(outer(lines.get(side, end), end))
    return counts, lines


def _has_neighbour(page: _Page, label: int) -> bool:
    """Whether other content (no speck) lies within ``_CONTENT_NEAR_IN`` of a piece."""
    x, y, cw, ch, _ = page.stats[label]
    d = round(_CONTENT_NEAR_IN * page.dpi)
    window = page.labels[max(0, y - d):y + ch + d, max(0, x - d):x + cw + d]
    others = np.unique(window)
    others = others[(others != 0) & (others != label)]
    return bool((page.stats[others, cv2.CC_STAT_AREA] > 0).any())


def _side_view(pieces: np.ndarray, side: str, shape: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """Piece coordinates turned so that ``side`` is "far": (far edge, size across, along
    start, along end, page extent across, page extent along)."""
    x, y, w, h = (pieces[:, i].astype(np.float64) for i in range(4))
    ph, pw = shape
    if side in ("top", "bottom"):
        far, size, a0, a1, extent, along = y + h, h, x, x + w, ph, pw
        if side == "top":
            far = ph - y
    else:
        far, size, a0, a1, extent, along = x + w, w, y, y + h, pw, ph
        if side == "left":
            far = pw - x
    return far, size, a0, a1, np.float64(extent), np.float64(along)


def _straight_cut(pieces: np.ndarray, side: str, shape: tuple[int, int]) -> float | None:
    """Where the content towards ``side`` ends on a straight line through many pieces.

    The outermost line on which at least ``_CUT_MIN_PIECES`` pieces end (±1 px) across a
    quarter of the page is found. A cut is either far from the edge, the rest of the page
    empty (half a page never reached the glass), or near it with the pieces there cut short
    (the sheet lay shifted and the copy's edge sliced the text).

    Returns:
        The cut line's row (top, bottom) or column (left, right), or ``None``.
    """
    far, size, a0, a1, extent, along = _side_view(pieces, side, shape)
    area = pieces[:, cv2.CC_STAT_AREA].astype(np.float64)
    for line in np.unique(far)[::-1][:_CUT_CANDIDATES]:
        if area[far > line + 1].sum() > 0.01 * area.sum():
            return None  # real content lies beyond: this is not where the content ends
        # Dashes and rules lying along the line (a card's dotted outline) are not cut glyphs.
        on = (np.abs(far - line) <= 1) & (a1 - a0 < 3 * size)
        if on.sum() < _CUT_MIN_PIECES or (a1[on].max() - a0[on].min()) < 0.25 * along:
            continue
        gap = (extent - line) / extent
        relative = np.median(size[on]) / np.median(size)
        # Far from the edge a whole last line of text (an identity card's MRZ) ends on its
        # baseline just as straight, and left-aligned lines start on one column: on every
        # side the pieces must also be cut short (a sideways page is no exception).
        short = relative < _HALF_MAX_RELATIVE_SIZE
        if (gap >= _HALF_PAGE_GAP and short) or (
                gap <= _NEAR_EDGE_GAP and relative < _CUT_MAX_RELATIVE_SIZE):
            return float(line if side in ("bottom", "right") else extent - line)
        return None
    return None


def _sliver_cut(pieces: np.ndarray, typical: float, side: str, shape: tuple[int, int],
                dpi: float) -> float | None:
    """Where the content towards ``side`` ends on a line of slivers, the rest of the page
    empty: the lower half of a sheet never reached the glass, and the copy stops through the
    top of a line of text, leaving only the tips of its tallest letters (too small to be
    among the pieces ``_straight_cut`` weighs).

    ``pieces`` are every inked piece, ``typical`` the page's typical glyph size across. The
    line is the outermost on which at least ``_CUT_MIN_PIECES`` pieces end (±1 px) with no
    more than dust beyond (1 % of the ink; the blank part of a copy has specks anywhere),
    ``_HALF_PAGE_GAP`` of the page or more from the edge.
    """
    far, size, a0, a1, extent, along = _side_view(pieces, side, shape)
    area = pieces[:, cv2.CC_STAT_AREA].astype(np.float64)
    rows = far.astype(np.int64)
    # Dashes lying along the line (a dotted outline, a rule's pieces) are not cut glyphs.
    ending = np.bincount(rows[a1 - a0 < 3 * size], minlength=int(extent) + 3)
    on_line = np.convolve(ending, np.ones(3), mode="same")
    from_row = np.cumsum(np.bincount(rows, weights=area, minlength=int(extent) + 3)[::-1])[::-1]
    past = np.append(from_row[2:], [0.0, 0.0])  # ink ending beyond each row's ±1 px
    lines = np.flatnonzero((on_line >= _CUT_MIN_PIECES) & (past <= 0.01 * area.sum()))
    if not len(lines) or (extent - lines[-1]) / extent < _HALF_PAGE_GAP:
        return None
    line = int(lines[-1])
    at = np.abs(far - line) <= 1
    on = at & (a1 - a0 < 3 * size)
    if (a1[on].max() - a0[on].min()) < 0.25 * along:
        return None
    if np.median(size[on]) >= _SLIVER_MAX_RELATIVE * typical:
        return None  # whole letters: the last line of the content, not a cut through one
    gaps = np.diff(np.sort((a0[on] + a1[on]) / 2))
    hairline = (size[at] <= _HAIRLINE_IN * dpi).mean() >= _HAIRLINE_SHARE
    if ((at & ~on).sum() >= _SLIVER_MAX_DASHES or hairline
            or gaps.std() < _EVEN_MAX_SPREAD * gaps.mean()):
        return None  # a dashed outline or a dotted leader
    return float(line if side in ("bottom", "right") else extent - line)


def _reduced_edge_cut(page: _Page, ids: np.ndarray, typical: float,
                      side: str) -> tuple[float, bool] | None:
    """Where the content towards ``side`` ends on a straight line just inside the edge, its
    pieces there cut short or left open: the edge of a reduced copy through the text, or
    through a box or table whose border there it left out.

    ``ids`` are the labels of every inked piece (slivers of cut letters are small),
    ``typical`` the page's typical glyph size across. The outermost line on which at least
    ``_REDUCED_MIN_PIECES`` pieces end (±1 px), spread over ``_REDUCED_MIN_SPREAD`` of the
    page, within ``_REDUCED_EDGE_GAP`` of the edge and with nothing but dust beyond.

    Returns:
        The line's row (top, bottom) or column (left, right), and whether a box or table
        left open there shows it (else letters cut short); ``None`` if no such line.
    """
    pieces = page.stats[ids]
    far, size, a0, a1, extent, along = _side_view(pieces, side, page.ink.shape)
    area = pieces[:, cv2.CC_STAT_AREA].astype(np.float64)
    dust = _SLIVER_MIN_SPECKS * _SPECK_SQIN * page.dpi**2
    for line in np.unique(far)[::-1][:_CUT_CANDIDATES]:
        gap = (extent - line) / extent
        # Beyond a copy's edge there is nothing but dust (a copier border's remains are not).
        # (A rule's last dash, cut to a speck, ends a hair beyond the rule the edge cut.)
        if (area[far > line + max(1.0, _ON_EDGE_IN * page.dpi)].max(initial=0.0) >= dust
                or gap > _REDUCED_EDGE_GAP[1]):
            return None
        on = np.abs(far - line) <= 1
        at = float(line if side in ("bottom", "right") else extent - line)
        opened = ids[on][_left_open(page, ids[on], side, typical)]
        # A frame or table alone on the line, its border on the other side whole and its
        # sides running to the edge, open there: the edge cut it, however close to it.
        if _closed_across(page, opened, side).any():
            return at, True
        # Anything else ends on the line itself: a slanted shadow along the sheet's edge
        # ends a pixel further at each of its pieces.
        if area[far > line + 1].max(initial=0.0) >= dust:
            return None
        if gap <= _REDUCED_EDGE_GAP[0] or on.sum() < _REDUCED_MIN_PIECES:
            continue
        spread = (a1[on].max() - a0[on].min()) / along
        # A copier's speckled edge is dust, and a cloud of it: specks barely over the speck
        # size, as many ending just inside the line as on it. What a cut leaves on its line
        # are pieces of letters, alone there (the letters above end a line-gap away).
        cloud = (far < line - 1) & (far >= line - 0.5 * typical)
        if spread < _REDUCED_MIN_SPREAD or cloud.sum() >= on.sum() or np.median(area[on]) < dust:
            return None
        # What the edge cut: a box or table with no border there, or letters, cut short.
        if len(opened):
            return at, True
        if np.median(size[on]) < _REDUCED_MAX_RELATIVE[side] * typical:
            return at, False
        return None
    return None


def _end_cover(box: np.ndarray, side: str) -> float:
    """The share of a piece's mask ``box`` (its bounding box) inked in its last two columns
    (rows) towards ``side``: its border's length there."""
    end = {"right": box[:, -2:], "left": box[:, :2],
           "bottom": box[-2:, :].T, "top": box[:2, :].T}[side]
    return float(end.any(axis=1).mean())


def _piece_mask(page: _Page, label: int) -> np.ndarray:
    x, y, w, h, _ = page.stats[label]
    return page.labels[y:y + h, x:x + w] == label


def _left_open(page: _Page, ids: np.ndarray, side: str, typical: float) -> np.ndarray:
    """Which pieces (labels ``ids``) are boxes, tables or stamps left open towards ``side``:
    at least ``_OPEN_MIN_RELATIVE`` typical glyphs both ways, their last two columns (rows)
    inked over less than ``_OPEN_MAX_COVER`` of their height (width). A box closed by its
    border is inked all along there; one the copy's edge cut shows only its rules' ends."""
    stats = page.stats[ids]
    big = np.flatnonzero((stats[:, cv2.CC_STAT_WIDTH] >= _OPEN_MIN_RELATIVE * typical)
                         & (stats[:, cv2.CC_STAT_HEIGHT] >= _OPEN_MIN_RELATIVE * typical))
    out = np.zeros(len(ids), bool)
    for i in big:
        out[i] = _end_cover(_piece_mask(page, ids[i]), side) < _OPEN_MAX_COVER
    return out


def _closed_across(page: _Page, ids: np.ndarray, side: str) -> np.ndarray:
    """Which pieces (labels ``ids``) have their border opposite ``side`` whole (inked over
    ``_CLOSED_MIN_COVER``): of boxes left open towards ``side``, the frames and tables, not
    a stamp or a drawing."""
    across = {"right": "left", "left": "right", "top": "bottom", "bottom": "top"}[side]
    return np.array([_end_cover(_piece_mask(page, label), across) >= _CLOSED_MIN_COVER
                     for label in ids], bool)


def _open_table_cut(page: _Page, ids: np.ndarray, typical: float, side: str) -> bool:
    """Whether the content towards ``side`` (top or bottom: see ``_CUT_OPEN_MAX_COVER``)
    ends with a table or box cut through: its rules
    run on and stop, no border closes them, though its border on the other side is whole,
    and nothing but dust lies beyond. Half a sheet that never reached the glass can stop
    between two lines of text, which leaves no cut letter to see, but not a table's rows.

    ``ids`` are the labels of every inked piece, ``typical`` the page's glyph size across.
    """
    if typical <= 0:
        return False
    stats = page.stats[ids]
    far, _, _, _, _, _ = _side_view(stats, side, page.ink.shape)
    big = np.flatnonzero((stats[:, cv2.CC_STAT_WIDTH] >= _OPEN_MIN_RELATIVE * typical)
                         & (stats[:, cv2.CC_STAT_HEIGHT] >= _OPEN_MIN_RELATIVE * typical))
    if not len(big):
        return False
    last = big[np.argmax(far[big])]
    area = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    if area[far > far[last] + 1].sum() > 0.01 * area.sum():
        return False  # content lies beyond it
    x, y, w, h, _ = stats[last]

    def ends(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The two rows towards ``side``, then the two at the other end, column by column."""
        near, other = (mask[-2:], mask[:2]) if side == "bottom" else (mask[:2], mask[-2:])
        return near.T, other.T

    inked, other = (e.any(axis=1) for e in ends(page.ink[y:y + h, x:x + w] > 0))
    own = ends(page.labels[y:y + h, x:x + w] == ids[last])[0].any(axis=1)
    rules = int(np.count_nonzero(np.diff(own.astype(np.int8)) == 1) + own[0])
    return bool(inked.mean() < _CUT_OPEN_MAX_COVER and rules >= _CUT_MIN_RULES
                and other.mean() >= _CLOSED_MIN_COVER)


def _line_reads_well(ocr: PageOcr, side: str, line: float, scale: float, dpi: float) -> bool:
    """Whether the words ending (or, on the left, starting) on a cut line read as whole words:
    a last line of small print ends as straight as a cut one, and left-aligned lines start on
    one column, but a cut line's half letters read badly."""
    edge = {"left": 0, "top": 1, "right": 2, "bottom": 3}[side]
    words = [w for w in ocr.words if abs(w.bbox[edge] * scale - line) <= _LINE_TOLERANCE_IN * dpi]
    if len(words) == 1:
        # A line of one word (a signer's title) is whole if it reads as a long word, surely.
        word = words[0]
        return (len(word.text) >= _LONE_WORD_MIN_LETTERS and word.conf >= _LONE_WORD_MIN_CONF
                and is_real_word(word.text))
    if len(words) < 2:
        return False
    # The median: a currency sign or a stray mark read poorly does not make a line cut.
    conf = float(np.median([w.conf for w in words]))
    real = sum(is_real_word(w.text) for w in words) / len(words)
    return conf >= _LINE_MIN_CONF and real >= _LINE_MIN_REAL


def _mark_cuts(pieces: np.ndarray, page: _Page) -> set[str]:
    """Sides cut off a form page, told by its corner registration marks: filled squares
    (0.19 in, 7.69 x 10.19 in apart on the template) of which only one pair is on the copy.
    Marks lost under a copier border (now outside the paper) do not count as cut."""
    dpi, (ph, pw) = page.dpi, page.ink.shape
    x, y, w, h, area = (pieces[:, i].astype(np.float64) for i in range(5))
    side_ok = (w >= 0.13 * dpi) & (w <= 0.27 * dpi) & (np.abs(w - h) <= 0.2 * np.maximum(w, h))
    marks = np.flatnonzero(side_ok & (area >= 0.8 * w * h))
    if len(marks) != 2:
        return set()
    cx, cy = x[marks] + w[marks] / 2, y[marks] + h[marks] / 2
    dx, dy = abs(cx[1] - cx[0]) / dpi, abs(cy[1] - cy[0]) / dpi
    if dy < 0.15 and 6.9 <= dx <= 8.0:  # a top or bottom pair: the other pair is missing
        step = _MARKS_APART_IN[1] * dx / _MARKS_APART_IN[0] * dpi
        side, cy = ("bottom", cy + step) if cy.mean() < ph / 2 else ("top", cy - step)
    elif dx < 0.15 and 9.2 <= dy <= 10.6:
        step = _MARKS_APART_IN[0] * dy / _MARKS_APART_IN[1] * dpi
        side, cx = ("right", cx + step) if cx.mean() < pw / 2 else ("left", cx - step)
    else:
        return set()
    r = round(0.15 * dpi)
    for mx, my in zip(cx.astype(int), cy.astype(int), strict=True):
        if 0 <= mx < pw and 0 <= my < ph and page.outside[
                max(0, my - r):my + r, max(0, mx - r):mx + r].any():
            return set()
    return {side}


def _dark_voids(page: _Page) -> dict[str, float]:
    """Per side, the share of the page taken by one solid dark region running in from that
    edge: the copier's open lid where the sheet did not reach (no paper there, no text)."""
    smooth = cv2.medianBlur(page.gray, 5)
    dark = ((smooth < _FLAT_VOID_MAX_LEVEL) & ~page.outside).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    h, w = dark.shape
    out = dict.fromkeys(_SIDES, 0.0)
    for i in range(1, count):
        x, y, cw, ch, area = stats[i]
        share = area / (h * w)
        if share < _VOID_MIN_SHARE:
            continue
        low, high = np.percentile(smooth[labels == i], [10, 90])
        flat = high - low <= _FLAT_VOID_SPREAD and high <= page.paper_level - _FLAT_VOID_BELOW_PAPER
        if high >= _VOID_MAX_LEVEL and not flat:
            continue  # neither black nor a flat grey far below the paper: a picture
        # Reaching an edge (or the whitened border along it), along most of that edge.
        near = {"top": y <= _VOID_EDGE * h, "bottom": y + ch >= (1 - _VOID_EDGE) * h,
                "left": x <= _VOID_EDGE * w, "right": x + cw >= (1 - _VOID_EDGE) * w}
        along = {"top": cw / w, "bottom": cw / w, "left": ch / h, "right": ch / h}
        sides = [s for s in _SIDES if near[s]]
        if sides:
            side = max(sides, key=along.__getitem__)
            out[side] = max(out[side], float(share))
    return out


def _cut_signals(page: _Page, ocr: PageOcr, *, dpi: int, cfg: QualityConfig) -> dict[str, float]:
    """Per side: content pieces touching the edge, a straight cut line, a lost mark pair."""
    touching, touching_lines = _touching_edges(page, cfg.edge_margin_ratio)
    # A last line near the top or bottom edge (a long letter on a sheet copied a little off,
    # its deskewed edge close under the signature) whose words read well is whole: a line the
    # edge cut loses the tops or bottoms of its letters, and reads badly.
    for side in ("top", "bottom"):
        if touching[side] and _line_reads_well(ocr, side, touching_lines[side],
                                               page.dpi / dpi, page.dpi):
            touching[side] = 0
    stats = page.stats
    pieces = stats[stats[:, cv2.CC_STAT_AREA] >= _MIN_PIECE_SQIN * page.dpi**2]
    shape = page.ink.shape
    straight = set()
    inked_ids = np.flatnonzero((stats[:, cv2.CC_STAT_AREA] > 0) & ~_corner_pieces(stats, page))
    inked = stats[inked_ids]
    # A glyph's typical size across each side: heights towards top and bottom, else widths.
    typical = {side: float(np.median(_side_view(pieces, side, shape)[1])) if len(pieces) else 0.0
               for side in _SIDES}
    for side in _SIDES if len(pieces) >= 2 * _CUT_MIN_PIECES else ():
        # Slivers may lie beyond a last line of whole words: each line is judged on its own.
        for line in (_straight_cut(pieces, side, shape),
                     _sliver_cut(inked, typical[side], side, shape, page.dpi)):
            if line is not None and not _line_reads_well(ocr, side, line, page.dpi / dpi,
                                                         page.dpi):
                straight.add(side)
        # A table cut between two rows: its words are whole, no reading vetoes it.
        if side in ("top", "bottom") and _open_table_cut(page, inked_ids, typical[side], side):
            straight.add(side)
    marks = _mark_cuts(pieces, page)
    reduced = set()
    # Only a sheet-sized image is a copy with an edge to find: a tight crop (a chart, a card
    # scanned alone) has its content near its edges by design.
    sheet = min(shape) >= _SHEET_MIN_IN * page.dpi
    for side in _SIDES if sheet and len(pieces) and len(inked) >= _REDUCED_MIN_PIECES else ():
        found = _reduced_edge_cut(page, inked_ids, typical[side], side)
        if found is None:
            continue
        line, open_box = found
        # A footer's small print ends on its baseline this near the edge, and a tight crop's
        # lines (or a chart's labels) start on one column: their words read well. Words cut
        # short at their ends still read as words, so the right side goes unvetoed, and so
        # does a table left open there: the words by its cut rules say nothing of it.
        if open_box or side == "right" or not _line_reads_well(
                ocr, side, line, page.dpi / dpi, page.dpi):
            reduced.add(side)
    signals = {f"touching_{s}": float(touching[s]) for s in _SIDES}
    signals |= {f"reduced_edge_cut_{s}": float(s in reduced) for s in _SIDES}
    signals |= {f"dark_void_{s}": v for s, v in _dark_voids(page).items()}
    signals |= {f"straight_cut_{s}": float(s in straight) for s in _SIDES}
    signals |= {f"mark_cut_{s}": float(s in marks) for s in _SIDES}
    signals["outside_ratio"] = float(page.outside.mean())
    signals["mark_cut"] = float(bool(marks))
    return signals


# --- the page ---------------------------------------------------------------------------------


def assess_page(image: np.ndarray, ocr: PageOcr, *, dpi: int, cfg: QualityConfig,
                template_page: bool = False, cleaned: bool = False) -> PageQuality:
    """Judge whether a cleaned page is blank, legible and complete.

    Args:
        image: the page as ``clean_and_read`` returned it (outside-the-paper pixels 255).
        ocr: what OCR read on it (may hold no words: form pages, born-digital pages).
        dpi: resolution of ``image``.
        cfg: thresholds.
        template_page: a form page registered to its template by its corner marks.
        cleaned: ``image`` comes from ``clean_and_read``: 255 is never paper there.
    """
    page = _measure(image, dpi, cleaned=cleaned)
    paper_px = max(1, int((~page.outside).sum()))
    signals = {"ink_ratio": float(page.ink.sum()) / paper_px, "paper_level": page.paper_level,
               "shading": _shading(page)}
    signals |= _image_signals(page, dpi)
    signals |= _cut_signals(page, ocr, dpi=dpi, cfg=cfg)
    return judge_page(signals, ocr, cfg=cfg, template_page=template_page)


def _good_words(ocr: PageOcr) -> int:
    """Words of three letters or more that read as real words, and confidently so: what a
    blank page's dust and grain never give, however many "words" OCR makes of them."""
    if ocr.source == "text_layer":
        return sum(len(t) >= 3 and is_real_word(t) for t in ocr.text.split())
    return sum(len(w.text) >= 3 and w.conf >= 70 and is_real_word(w.text) for w in ocr.words)


def cut_score(signals: Mapping[str, float], side: str, cfg: QualityConfig, *,
              template_page: bool = False) -> float:
    """Evidence, 0–1, that content runs off ``side`` of the copy: 1 for a straight cut line
    through the content (anywhere, or just inside the edge of a reduced copy), a lost pair of
    form marks or the copier's lid over part of the page, else the share of
    ``cfg.cut_min_touching`` content pieces running into the edge (1 at that many). The page
    is cut on that side from ``cfg.cut_min_score``.

    A form page registered by its corner marks has all its content inside them: ink at its
    edges is the copier's, and only lost marks or a cut line say that part of it is missing.
    """
    if signals.get(f"straight_cut_{side}") or signals.get(f"mark_cut_{side}"):
        return 1.0
    if signals.get(f"dark_void_{side}", 0.0) >= _VOID_MIN_SHARE:
        return 1.0
    if template_page:
        return 0.0
    if signals.get(f"reduced_edge_cut_{side}"):
        return 1.0
    return min(1.0, signals.get(f"touching_{side}", 0.0) / cfg.cut_min_touching)


def judge_page(signals: Mapping[str, float], ocr: PageOcr, *, cfg: QualityConfig,
               template_page: bool = False) -> PageQuality:
    """Blank, legible and complete from a page's measurements and its OCR: the thresholds
    alone, so that stored measurements can be judged again under another configuration."""
    sig = dict(signals) | _ocr_signals(ocr) | {"ocr_ran": float(ocr.source == "tesseract")}
    sig["good_words"] = float(_good_words(ocr))
    # A smeared or faded page can have no ink left yet is not blank: it has shading.
    blank = (sig["ink_ratio"] < cfg.blank_max_ink_ratio and sig["good_words"] < cfg.min_text_words
             and sig.get("shading", 0.0) < _BLANK_MAX_SHADING)
    if blank or "contrast" not in sig:
        # (Without image measurements the page was measured as blank.)
        return PageQuality(page_no=ocr.page_no, legibility=1.0, legible=True, complete=True,
                           blank=True, signals=sig)
    score = round(_legibility(sig, cfg), 4)
    sides = {s: cut_score(sig, s, cfg, template_page=template_page) for s in _SIDES}
    sig["cut_score"] = max(sides.values())
    cut = tuple(s for s in _SIDES if sides[s] >= cfg.cut_min_score)
    log.debug("page %d: legibility %.2f, cut %s", ocr.page_no, score, cut)
    return PageQuality(page_no=ocr.page_no, legibility=score, blank=False,
                       legible=score >= cfg.legible_min_score, complete=not cut, cut_edges=cut,
                       signals=sig)


def rejudge(quality: PageQuality, ocr: PageOcr, *, cfg: QualityConfig,
            template_page: bool = False) -> PageQuality:
    """A stored page's quality under ``cfg``, from its measurements (no image needed).

    Measurements of an older version hold no per-side cut lines: the sides it found cut
    beyond what touching pieces explain are taken as cut lines.
    """
    sig = dict(quality.signals)
    if "straight_cut_top" not in sig:
        for s in _SIDES:
            lone = s in quality.cut_edges and sig.get(f"touching_{s}", 0.0) < 2
            sig[f"straight_cut_{s}"] = float(lone)
    return judge_page(sig, ocr, cfg=cfg, template_page=template_page)
