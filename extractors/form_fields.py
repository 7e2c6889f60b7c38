"""Read the ink of one aligned form page: comb boxes, checkboxes, the signature box.

Everything here works on the page warped to the template's geometry (template pixels: PDF
points × dpi/72), so a field is where the field map says it is, give or take the copier's
local distortion, which each comb corrects by finding its own lines.

Characters are recognised by a pluggable ``GlyphReader``: the glyph CNN
(``extractors.glyphs``) or, by default, Tesseract on re-packed lines
(``extractors.form_tesseract``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from extractors.ocr import read_line
from schemas.form import CombGroup

log = logging.getLogger(__name__)

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
#: French, then Spanish and Portuguese accented capitals (names: MARÍA, MUÑOZ, GUIMARÃES).
ACCENTED = "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÁÍÓÚÑÃÕ"
#: What each comb charset of the field map may hold; ``postal`` (A9A9A9) is asked of a glyph
#: reader box by box as ``letters`` or ``digits``.
CHARSETS: dict[str, str] = {
    "letters": UPPER,
    "alpha": UPPER + ACCENTED + "-'",
    "alnum": UPPER + DIGITS,
    "digits": DIGITS,
    "postal": UPPER + DIGITS,
    "email": UPPER + DIGITS + "@.-_+",
    "text": UPPER + DIGITS + ACCENTED + "-',.#/",
}

_LINE_PT = 0.7  # printed box line width
_SPECK_PX_AT_300 = 14  # components smaller than this (px at 300 dpi) are scanner dust


class GlyphReader(Protocol):
    """Recognises hand-printed characters, one crop per comb box.

    ``classify`` returns, per crop, the top candidates with probabilities, best first, within
    ``charset`` (a key of ``CHARSETS``; ``postal`` boxes are asked as ``letters``/``digits``).
    Crops are box interiors, dark ink on white, grown where a stroke overflows the box. A crop
    the reader finds blank may come back as ``[(" ", 1.0)]``: the box is then left empty.
    """

    def classify(self, crops: list[np.ndarray], charset: str) -> list[list[tuple[str, float]]]: ...


def warp_to_template(
    upright: np.ndarray, h: np.ndarray, *, dpi: int, size_pt: tuple[float, float]
) -> np.ndarray:
    """The upright scan resampled into template pixels at ``dpi`` (white outside the scan)."""
    s = dpi / 72
    size = (round(size_pt[0] * s), round(size_pt[1] * s))
    return cv2.warpPerspective(upright, h, size, flags=cv2.INTER_LINEAR, borderValue=255)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink (255) of a crop, thresholded between its paper and its darkest ink.

    The paper level is the 90th percentile and the ink the 1st, so dark and faint copies
    threshold alike; the 60-level contrast floor keeps paper grain of a blank crop out.
    """
    paper = float(np.percentile(gray, 90))
    dark = float(np.percentile(gray, 1))
    thr = paper - 0.45 * max(paper - dark, 60.0)
    return np.where(gray < thr, 255, 0).astype(np.uint8)


def drop_specks(mask: np.ndarray, *, dpi: int) -> np.ndarray:
    """``mask`` without connected components smaller than a dust speck."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_area = _SPECK_PX_AT_300 * (dpi / 300) ** 2
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _peak_near(profile: np.ndarray, at: float, radius: int) -> int:
    """Index of the strongest value of ``profile`` within ``radius`` of ``at``."""
    lo, hi = max(0, round(at) - radius), min(len(profile), round(at) + radius + 1)
    return lo + int(np.argmax(profile[lo:hi])) if hi > lo else round(at)


#: A box's ink may be two characters that touch when it is this much wider than the writer's
#: other characters in the comb (their median), or, with fewer than two others to compare,
#: this wide (share of a box); never when under ``SPLIT_FLOOR`` of a box.
SPLIT_WIDER = 1.5
SPLIT_MIN_WIDTH = 0.85
SPLIT_FLOOR = 0.5
#: The cut between two touching characters is looked for in the middle of their ink, this far
#: (share of its width) from either end.
SPLIT_MARGIN = 0.3


@dataclass(frozen=True)
class SplitOption:
    """Two characters touching across a box line, taken as one by the box holding their centre
    while the box beside it stays empty: their ink cut in two at its thinnest column.

    Whether it really is two characters is for the recogniser to say (``form_reader``).
    """

    empty: int
    inked: int
    crops: tuple[np.ndarray, np.ndarray]  # (for ``empty``, for ``inked``)
    marked: tuple[bool, bool]


@dataclass(frozen=True)
class CombCut:
    """A comb group cut into boxes: each box's ink crop (None when empty), its ink share, and
    whether a separate mark sits above the character's body (where an accent would be); and
    the splits to try where an empty box sits beside ink wide enough to be two characters."""

    crops: tuple[np.ndarray | None, ...]
    ink: tuple[float, ...]
    marked: tuple[bool, ...]
    splits: tuple[SplitOption, ...] = ()


def _comb_geometry(
    mask: np.ndarray, *, pad: int, width: float, height: float, n: int, s: float
) -> tuple[int, int, np.ndarray]:
    """Actual top and bottom line rows and box edge columns of a comb strip's ink."""
    r = max(2, round(2.5 * s))
    rows = mask.sum(axis=1).astype(np.float64)
    top, bottom = _peak_near(rows, pad, r), _peak_near(rows, pad + height, r)
    lower = mask[max(0, bottom - round(0.3 * height)) : bottom].sum(axis=0).astype(np.float64)
    edges = pad + np.arange(n + 1) * width / n
    shifts = range(-r, r + 1)
    best = max(
        shifts,
        key=lambda d: sum(lower[int(np.clip(round(e + d), 0, len(lower) - 1))] for e in edges),
    )
    # Then each edge on its own, a point either way: copiers stretch a page unevenly.
    near = max(1, round(s))
    return top, bottom, np.array([_peak_near(lower, e + best, near) for e in edges], float)


def _long_runs(mask: np.ndarray, *, length: int, horizontal: bool, bridge: int) -> np.ndarray:
    """Pixels of ``mask`` on straight runs at least ``length`` long, small gaps bridged first
    (noise and a light copy break a printed line into dashes)."""

    def rect(n: int) -> np.ndarray:
        n |= 1  # odd: an even kernel shifts the result by a pixel
        return cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1) if horizontal else (1, n))

    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, rect(bridge))
    runs = cv2.morphologyEx(closed, cv2.MORPH_OPEN, rect(length))
    # Grow across the line so its anti-aliased rims go too.
    return cv2.dilate(
        runs, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3) if horizontal else (3, 1))
    )


def _remove_lines(
    mask: np.ndarray,
    *,
    top: int,
    bottom: int,
    edges: np.ndarray,
    box_w: float,
    box_h: float,
    s: float,
) -> np.ndarray:
    """Erase the comb's printed lines: long horizontal runs at its top and bottom, and vertical
    runs on its box edges: full height at its two ends, the lower half between boxes (the
    separator ticks are 45 % of the box), so a stroke over a tick keeps its upper part."""
    band, bridge = max(2, round(1.6 * s)), max(3, round(2 * s))
    lines = np.zeros_like(mask)
    horiz = _long_runs(mask, length=round(box_w * 1.2), horizontal=True, bridge=bridge)
    for y in (top, bottom):
        lines[max(0, y - band) : y + band + 1] |= horiz[max(0, y - band) : y + band + 1]
    vert = _long_runs(mask, length=max(3, round(box_h * 0.22)), horizontal=False, bridge=bridge)
    # The edges were located to a pixel: the band is the line's width (0.7 pt) and a pixel more.
    half = max(2, round(0.7 * s))
    for k, x in enumerate(np.round(edges).astype(int)):
        y0 = 0 if k in (0, len(edges) - 1) else bottom - round(0.5 * box_h)
        cols = slice(max(0, x - half), x + half + 1)
        lines[y0:, cols] |= vert[y0:, cols]
    return cv2.bitwise_and(mask, cv2.bitwise_not(lines))


def cut_comb(warped: np.ndarray, group: CombGroup, *, dpi: int, dots: bool = False) -> CombCut:
    """Cut a comb group into its boxes and keep, for each, the ink that belongs to it.

    Box lines are removed first; each remaining stroke goes to the box holding its centre, so
    a character crossing a box line stays whole and its neighbour gets none of it. Unless
    ``dots`` (the charset has ``.`` and ``,``), a box whose ink is a speck is empty.
    """
    s = dpi / 72
    x0, y0, x1, y1 = (v * s for v in group.bbox)
    pad = round(6 * s)
    ox, oy = max(0, round(x0) - pad), max(0, round(y0) - pad)
    strip = warped[oy : round(y1) + pad, ox : round(x1) + pad]
    mask = ink_mask(strip)
    top, bottom, edges = _comb_geometry(
        mask, pad=round(y0) - oy, width=x1 - x0, height=y1 - y0, n=group.boxes, s=s
    )
    box_w, box_h = (x1 - x0) / group.boxes, y1 - y0
    clean = _remove_lines(mask, top=top, bottom=bottom, edges=edges, box_w=box_w, box_h=box_h, s=s)
    # Ink above the comb belongs to the label printed there, unless it reaches into a box.
    clean[: max(0, top - round(0.25 * box_h))] = 0
    clean[bottom + round(0.3 * box_h) :] = 0
    owners = _assign_components(
        drop_specks(clean, dpi=dpi),
        edges=edges,
        top=top,
        bottom=bottom,
        gap=(round(2.5 * s), round(1.8 * s)),
    )
    crops, ink, marked = [], [], []
    for i in range(group.boxes):
        mine = owners == i + 1
        crop, share = _box_crop(strip, mine, x=(edges[i], edges[i + 1]), y=(top, bottom), s=s,
                                dots=dots)  # fmt: skip
        crops.append(crop)
        ink.append(share)
        crossing = _crosses_top(mask, x=(edges[i], edges[i + 1]), top=top, s=s)
        marked.append(crop is not None and (crossing or _has_mark_above(mine)))
    splits = []
    widths = [_ink_width(owners == i + 1) for i in range(group.boxes)]
    for i in range(group.boxes):
        for j in (i - 1, i + 1):
            if crops[i] is not None or not 0 <= j < group.boxes or crops[j] is None:
                continue
            others = [w for k, w in enumerate(widths) if k != j and crops[k] is not None]
            wide = SPLIT_WIDER * float(np.median(others)) if len(others) >= 2 else None
            min_width = max(SPLIT_FLOOR * box_w, wide or SPLIT_MIN_WIDTH * box_w)
            if widths[j] >= min_width:
                split = _split_touching(strip, mask, owners == j + 1, empty=i, inked=j,
                                        edges=edges, y=(top, bottom), s=s, dots=dots)  # fmt: skip
                if split is not None:
                    splits.append(split)
    return CombCut(crops=tuple(crops), ink=tuple(ink), marked=tuple(marked),
                   splits=tuple(splits))  # fmt: skip


def _ink_width(ink: np.ndarray) -> int:
    xs = np.nonzero(ink.any(axis=0))[0]
    return int(xs[-1] - xs[0] + 1) if len(xs) else 0


def _split_touching(
    strip: np.ndarray,
    mask: np.ndarray,
    ink: np.ndarray,
    *,
    empty: int,
    inked: int,
    edges: np.ndarray,
    y: tuple[int, int],
    s: float,
    dots: bool,
) -> SplitOption | None:
    """Cut the ink of box ``inked`` in two, the part on ``empty``'s side going to ``empty``.

    Writers drift: a character written over a box line and touching its neighbour makes one
    stroke group, which goes whole to the box holding its centre. The cut is the column of
    least ink in the middle of the group (two characters touch by a stroke or overlap a
    little; one character has no such waist there).
    """
    xs = np.nonzero(ink.any(axis=0))[0]
    lo, hi = xs[0], xs[-1] + 1
    margin = round(SPLIT_MARGIN * (hi - lo))
    profile = ink[:, lo:hi].sum(axis=0).astype(np.float64)
    profile = np.convolve(profile, np.ones(3) / 3, mode="same")
    cut = lo + margin + int(np.argmin(profile[margin : len(profile) - margin]))
    left, right = ink.copy(), ink.copy()
    left[:, cut:] = False
    right[:, :cut] = False
    parts = {empty: left, inked: right} if empty < inked else {empty: right, inked: left}
    crops, marks = [], []
    for box in (empty, inked):
        crop, _ = _box_crop(strip, parts[box], x=(edges[box], edges[box + 1]), y=y, s=s,
                            dots=dots)  # fmt: skip
        if crop is None:
            return None
        crops.append(crop)
        crossing = _crosses_top(mask, x=(edges[box], edges[box + 1]), top=y[0], s=s)
        marks.append(crossing or _has_mark_above(parts[box]))
    return SplitOption(empty=empty, inked=inked, crops=(crops[0], crops[1]),
                       marked=(marks[0], marks[1]))  # fmt: skip


def _crosses_top(mask: np.ndarray, *, x: tuple[float, float], top: int, s: float) -> bool:
    """Whether ink runs across the box's top line, as an accent written over it does.

    Counts only ink 0.7-3 pt above the line that is joined to the line itself, and narrower
    than the box (a line thickened by a dark copy is joined along its whole length). The
    comb's label is printed 4 pt above the line, and its descenders (g, p, parentheses), moved
    by copier scaling and registration, reach into that band too: taken as marks, they let
    accents the ink does not show pass on most boxes (ÂVENUE). They do not touch the line;
    the dots of an Ï written on the line do.
    """
    x0, x1 = round(x[0]) + 3, round(x[1]) - 3
    y0 = max(0, top - round(3 * s))
    band_end = max(y0, top - round(0.7 * s))
    sub = mask[y0 : top + 2, x0:x1]
    if x1 <= x0 or band_end <= y0 or not sub[: band_end - y0].any():
        return False
    _, labels = cv2.connectedComponents(sub, connectivity=8)
    on_line = np.unique(labels[max(0, top - 1 - y0) :])  # the line's middle rows
    joined = np.isin(labels[: band_end - y0], on_line[on_line > 0])
    return 0 < int(joined.any(axis=0).sum()) < 0.6 * (x1 - x0)


def _has_mark_above(mine: np.ndarray) -> bool:
    """Whether a stroke apart from the character's body lies over its top, as an accent does."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mine.astype(np.uint8), connectivity=8)
    if n < 3:
        return False
    body = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    bx, by, bw, bh, _ = stats[body]
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        over = x + w > bx and x < bx + bw
        if i != body and over and y + h <= by + 0.25 * bh:
            return True
    return False


def _is_line_remnant(
    x: int,
    y: int,
    w: int,
    h: int,
    *,
    top: int,
    bottom: int,
    edges: np.ndarray,
    box_w: float,
    box_h: float,
) -> bool:
    """A thin piece hugging a box line: what line removal left behind, not a stroke."""
    near_h = (
        min(abs(y - top), abs(y + h - bottom), abs(y + h - top), abs(y - bottom)) < 0.12 * box_h
    )
    if near_h and h < 0.16 * box_h and w > 1.5 * h:
        return True
    # Dots of a line a faint black-and-white copy broke up: small, wholly on the line's rows.
    band = 0.12 * box_h
    on_line = any(y >= ln - band and y + h <= ln + band for ln in (top, bottom))
    if on_line and w < 0.25 * box_w:
        return True
    # Vertical: a thin upright piece on an edge's column: anywhere on the comb's two ends
    # (full-height lines), only in the lower half between boxes (where the ticks are).
    on = np.nonzero((edges >= x - 0.05 * box_w) & (edges <= x + w + 0.05 * box_w))[0]
    outer = bool(np.isin(on, (0, len(edges) - 1)).any())
    in_ticks = y >= bottom - 0.55 * box_h
    return len(on) > 0 and (outer or in_ticks) and w < 0.12 * box_w and h > 2 * w


def _assign_components(
    mask: np.ndarray, *, edges: np.ndarray, top: int, bottom: int, gap: tuple[int, int]
) -> np.ndarray:
    """Label image where each stroke carries 1 + the index of the box it belongs to.

    A character that crossed a box line was cut in pieces when the line was erased; pieces
    closer than ``gap`` (x, y) are grouped again and the group goes to the box holding its
    centre. A group wider than 1.3 boxes is two characters touching: its pieces go their own
    ways. Pieces outside the comb (a tail below the bottom line, an accent over the top one)
    are kept only when grouped with a stroke inside it: alone they are the label printed
    above, or dirt. Remnants of the lines themselves are dropped.
    """
    n, labels, stats, cents = cv2.connectedComponentsWithStats(mask, connectivity=8)
    box_w, box_h = float(edges[1] - edges[0]), float(bottom - top)
    inside = np.zeros(n, bool)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        inside[i] = y + h > top + 1 and y < bottom - 1
        keep[i] = not _is_line_remnant(
            x, y, w, h, top=top, bottom=bottom, edges=edges, box_w=box_w, box_h=box_h
        )
    kept = np.where(keep[labels], 255, 0).astype(np.uint8)
    bridge = np.ones((gap[1] | 1, gap[0] | 1), np.uint8)  # odd: an even kernel shifts the result
    _, groups, gstats, gcents = cv2.connectedComponentsWithStats(
        cv2.morphologyEx(kept, cv2.MORPH_CLOSE, bridge), connectivity=8
    )
    group_of = np.zeros(n, np.int32)
    fg = kept > 0
    np.maximum.at(group_of, labels[fg], groups[fg])
    anchored = np.zeros(len(gstats), bool)
    anchored[group_of[keep & inside]] = True
    owner = np.zeros(n, np.int32)
    for i in np.nonzero(keep & anchored[group_of])[0]:
        g = group_of[i]
        x = gcents[g][0] if gstats[g][cv2.CC_STAT_WIDTH] <= 1.3 * box_w else cents[i][0]
        k = int(np.searchsorted(edges, x)) - 1
        owner[i] = k + 1 if 0 <= k < len(edges) - 1 else 0
    return owner[labels]


def _box_crop(
    strip: np.ndarray,
    mine: np.ndarray,
    *,
    x: tuple[float, float],
    y: tuple[int, int],
    s: float,
    dots: bool,
) -> tuple[np.ndarray | None, float]:
    """The box's own ink on white paper, cut to the box (grown to hold strokes that overflow)."""
    bx0, bx1 = round(x[0]), round(x[1])
    area = max(1.0, (bx1 - bx0) * (y[1] - y[0]))
    share = float(mine.sum()) / area
    # An empty box: no stroke at all, or less ink than the smallest mark written (a hyphen
    # is ~2 % of a box at 300 dpi; dust and line remnants stay under 0.6 %).
    if share < 0.006:
        return None, share
    ys, xs = np.nonzero(mine)
    # The smallest written mark but a dot, a hyphen or an apostrophe, spans a fifth of the box.
    if not dots and max(np.ptp(ys), np.ptp(xs)) + 1 < 0.18 * (y[1] - y[0]):
        return None, share
    lw = round(_LINE_PT * s)
    cx0, cx1 = min(bx0 + lw, int(xs.min())), max(bx1 - lw, int(xs.max()) + 1)
    cy0, cy1 = min(y[0] + lw, int(ys.min())), max(y[1] - lw, int(ys.max()) + 1)
    keep = cv2.dilate(mine[cy0:cy1, cx0:cx1].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    crop = np.where(keep, strip[cy0:cy1, cx0:cx1], 255).astype(np.uint8)
    return crop, share


def _interior(
    warped: np.ndarray, bbox: tuple[float, float, float, float], *, dpi: int, inset_pt: float
) -> np.ndarray:
    s = dpi / 72
    x0, y0, x1, y1 = bbox
    return warped[
        round((y0 + inset_pt) * s) : round((y1 - inset_pt) * s),
        round((x0 + inset_pt) * s) : round((x1 - inset_pt) * s),
    ]


def _ink_share(gray: np.ndarray, *, dpi: int, context: np.ndarray) -> float:
    """Share of ``gray`` that is ink, thresholded with the paper and ink levels of ``context``."""
    if gray.size == 0:
        return 0.0
    paper = float(np.percentile(context, 90))
    dark = float(np.percentile(context, 1))
    thr = paper - 0.45 * max(paper - dark, 60.0)
    mask = drop_specks(np.where(gray < thr, 255, 0).astype(np.uint8), dpi=dpi)
    return float((mask > 0).mean())


def tick_ink(
    warped: np.ndarray, options: dict[str, tuple[float, float, float, float]], *, dpi: int
) -> dict[str, float]:
    """Ink share inside each option box, its printed border left out.

    The interior is inset 1.6 pt so the border (0.7 pt) stays out even when the copier moved
    the box a point; a ✓, ✗, slash or filled box all leave ink in there.
    """
    out = {}
    for value, box in options.items():
        s = dpi / 72
        x0, y0, x1, y1 = box
        context = warped[
            round((y0 - 4) * s) : round((y1 + 4) * s), round((x0 - 4) * s) : round((x1 + 4) * s)
        ]
        out[value] = _ink_share(
            _interior(warped, box, dpi=dpi, inset_pt=1.6), dpi=dpi, context=context
        )
    return out


def signature_ink(
    warped: np.ndarray, bbox: tuple[float, float, float, float], *, dpi: int
) -> float:
    """Ink share inside the signature box, its border (and 2 pt of slack) left out."""
    inner = _interior(warped, bbox, dpi=dpi, inset_pt=2.5)
    return _ink_share(inner, dpi=dpi, context=_interior(warped, bbox, dpi=dpi, inset_pt=-4))


def read_header(
    warped: np.ndarray, boxes: list[tuple[float, float, float, float]], *, dpi: int, whitelist: str
) -> str:
    """OCR typed, pre-printed header boxes in one Tesseract call, set side by side far apart.

    ``fra`` alone keeps the accents of names that ``fra+eng`` drops (Marie-Ève → Marie-Eve).
    """
    s = dpi / 72
    crops = [_interior(warped, b, dpi=dpi, inset_pt=0.0) for b in boxes]
    height, gap = max(c.shape[0] for c in crops), round(40 * s)
    line = np.full((height, sum(c.shape[1] for c in crops) + gap * (len(crops) - 1)), 255, np.uint8)
    x = 0
    for c in crops:
        line[: c.shape[0], x : x + c.shape[1]] = c
        x += c.shape[1] + gap
    return read_line(line, whitelist=whitelist, psm=7, lang="fra")[0]
