"""Measure and search the registration of a scanned form page against the template.

The template's box outlines are drawn from the field map (comb groups, checkboxes, signature
box) at a low resolution; a registration is scored by how much of them the aligned scan inks,
and, when a page's registration marks are missing, searched for by that same measure.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from schemas.base import PointBox
from schemas.codes import FieldKind
from schemas.form import FormLayout

#: Low-resolution frame in which pages are searched and scored (marks are ~19 px, lines ~1 px).
LOW_DPI = 100


def turn_image(image: np.ndarray, turn_ccw: int) -> np.ndarray:
    """``image`` turned counter-clockwise by a multiple of 90 degrees."""
    k = (turn_ccw // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k)) if k else image


def turn_points(pts: np.ndarray, turn_ccw: int, shape: tuple[int, ...]) -> np.ndarray:
    """Where points of an image of ``shape`` land once the image is turned by ``turn_ccw``."""
    out = np.asarray(pts, dtype=np.float64).reshape(-1, 2).copy()
    h, w = shape[:2]
    for _ in range((turn_ccw // 90) % 4):
        # np.rot90 sends pixel (x, y) of an h×w image to (y, w-1-x) of the w×h result.
        out = np.stack([out[:, 1], w - 1 - out[:, 0]], axis=1)
        h, w = w, h
    return out


def plausible(h: np.ndarray) -> bool:
    """A photocopy is scaled 85–110 % and skewed a few degrees, never mirrored or sheared."""
    a = h[:2, :2] / h[2, 2]
    sx, sy = np.hypot(*a[:, 0]), np.hypot(*a[:, 1])
    angle = np.degrees(np.arctan2(a[1, 0], a[0, 0]))
    return bool(
        0.85 < sx < 1.2
        and 0.85 < sy < 1.2
        and abs(angle) < 12
        and np.linalg.det(a) > 0
        and abs(h[2, :2]).max() < 1e-3
    )


def scale_h(h: np.ndarray, *, src_f: float, dst_f: float) -> np.ndarray:
    """The same transform between images resized by ``src_f`` and ``dst_f``."""
    return np.diag([dst_f, dst_f, 1.0]) @ h @ np.diag([1 / src_f, 1 / src_f, 1.0])


def line_rects(layout: FormLayout, page: int) -> tuple[tuple[float, float, float, float], ...]:
    """Rectangles printed on a template page: comb groups, checkboxes, signature box."""
    rects: list[tuple[float, float, float, float]] = []
    for f in layout.on_page(page):
        if f.kind in (FieldKind.COMB, FieldKind.DATE):
            rects += [g.bbox for g in f.combs]
        elif f.kind is FieldKind.CHECKBOX:
            rects += list(f.options.values())
        elif f.kind is FieldKind.SIGNATURE:
            rects.append(f.bbox)
    return tuple(rects)


@functools.lru_cache(maxsize=16)
def line_mask(
    rects: tuple[tuple[float, float, float, float], ...], size_pt: tuple[float, float], dpi: int
) -> tuple[np.ndarray, np.ndarray]:
    """A template page's box outlines one pixel wide at ``dpi``: (horizontal, vertical) edges."""
    s = dpi / 72
    shape = (round(size_pt[1] * s), round(size_pt[0] * s))
    horiz, vert = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
    for x0, y0, x1, y1 in rects:
        a, b, c, d = round(x0 * s), round(y0 * s), round(x1 * s), round(y1 * s)
        cv2.line(horiz, (a, b), (c, b), 255, 1)
        cv2.line(horiz, (a, d), (c, d), 255, 1)
        cv2.line(vert, (a, b), (a, d), 255, 1)
        cv2.line(vert, (c, b), (c, d), 255, 1)
    for m in (horiz, vert):
        m.setflags(write=False)
    return horiz, vert


def _line_score(ink: np.ndarray, lines: np.ndarray) -> float:
    """Share of ``lines`` inked (±2 px), above the chance level measured just off the lines.

    Chance is the ink density a few pixels away, so a dark or noisy copy does not score well
    merely for being dark.
    """
    on = lines > 0
    if not on.any():
        return 1.0
    # ±2 px (1.4 pt) of tolerance: copiers distort pages a little between the corner marks.
    hit = float((cv2.dilate(ink, np.ones((5, 5), np.uint8)) > 0)[on].mean())
    ring = (cv2.dilate(lines, np.ones((13, 13), np.uint8)) > 0) & ~(
        cv2.dilate(lines, np.ones((7, 7), np.uint8)) > 0
    )
    chance = float((ink > 0)[ring].mean()) if ring.any() else 0.0
    return float(np.clip((hit - chance) / max(1e-6, 1.0 - chance), 0.0, 1.0))


def alignment_quality(ink_warped: np.ndarray, lines: tuple[np.ndarray, np.ndarray]) -> float:
    """How well the aligned scan's ink covers the template's box lines: 1 aligned, ~0 wrong page.

    Horizontal and vertical edges are scored apart and the worse counts: a sideways offset
    leaves horizontal edges covered, so only the vertical ones reveal it.
    """
    return min(_line_score(ink_warped, lines[0]), _line_score(ink_warped, lines[1]))


@dataclass(frozen=True)
class Scan:
    """The page at full and at low resolution, with the low image's ink, in scan orientation."""

    gray: np.ndarray
    dpi: int
    low: np.ndarray
    low_ink: np.ndarray
    f: float  # low-resolution scale factor

    @classmethod
    def of(cls, gray: np.ndarray, dpi: int) -> Scan:
        f = LOW_DPI / dpi
        low = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        # Not Otsu: a 3-px line at 300 dpi straddling two low-res rows is only half dark there.
        paper = float(np.percentile(low, 90))
        ink = np.where(low < 0.8 * paper, 255, 0).astype(np.uint8)
        return cls(gray=gray, dpi=dpi, low=low, low_ink=ink, f=f)


def score_page(
    scan: Scan, *, h_full: np.ndarray, turn: int, layout: FormLayout, page: int
) -> float:
    """Alignment quality of ``h_full`` (upright full-res → template px) against ``page``."""
    ink_up = turn_image(scan.low_ink, turn)
    h_low = scale_h(h_full, src_f=scan.f, dst_f=scan.f)
    lines = line_mask(line_rects(layout, page), layout.page_size, LOW_DPI)
    warped = cv2.warpPerspective(ink_up, h_low, lines[0].shape[::-1], flags=cv2.INTER_NEAREST)
    return alignment_quality(warped, lines)


def qr_similarity(
    corners: np.ndarray, *, scan: Scan, qr_box: PointBox, scale: float, dangle_deg: float = 0.0
) -> np.ndarray:
    """Upright → template similarity from the QR's centre and angle and an assumed copy scale.

    ``corners`` are the QR's own TL, TR, BR, BL in the upright page. Its printed extent (quiet
    zone or not) is uncertain, so its size is not trusted; ``scale`` is the copy's.
    """
    (dx, dy), centre = corners[1] - corners[0], corners.mean(axis=0)
    a = -np.arctan2(dy, dx) - np.radians(dangle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) / scale
    x0, y0, x1, y1 = (v * scan.dpi / 72 for v in qr_box)
    t = np.array([(x0 + x1) / 2, (y0 + y1) / 2]) - rot @ centre
    return np.vstack([np.hstack([rot, t[:, None]]), [0, 0, 1]])


def search_qr_similarity(
    scan: Scan, *, corners: np.ndarray, turn: int, layout: FormLayout, page: int
) -> np.ndarray:
    """The copy scale and angle (QR-anchored) whose ink best falls on the template's lines.

    A coarse grid over the copy scales met in practice (92–102 %), then a fine one around the
    best; each try is one low-resolution warp (~2 ms).
    """
    lines = line_mask(line_rects(layout, page), layout.page_size, LOW_DPI)
    target = cv2.GaussianBlur(cv2.max(*lines), (0, 0), 1.5).astype(np.float32)
    ink = turn_image(scan.low_ink, turn)
    up_corners = turn_points(corners, turn, scan.gray.shape)
    qr_box = next(f.bbox for f in layout.on_page(page) if f.kind is FieldKind.QR)

    def similarity(scale: float, dangle: float) -> np.ndarray:
        return qr_similarity(up_corners, scan=scan, qr_box=qr_box, scale=scale, dangle_deg=dangle)

    def score(p: tuple[float, float]) -> float:
        h_low = scale_h(similarity(*p), src_f=scan.f, dst_f=scan.f)
        w = cv2.warpPerspective(ink, h_low, target.shape[::-1], flags=cv2.INTER_NEAREST)
        return float((target * (w > 0)).sum())

    s0, a0 = max(((s, a) for s in np.arange(0.92, 1.025, 0.01) for a in (-0.6, 0, 0.6)), key=score)
    fine = [
        (s0 + ds, a0 + da)
        for ds in np.arange(-0.0075, 0.008, 0.0025)
        for da in (-0.3, -0.15, 0, 0.15, 0.3)
    ]
    return similarity(*max(fine, key=score))
