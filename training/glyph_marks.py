"""Hand-like marks drawn over or instead of real glyphs: accents, the OE ligature, punctuation.

The real handwriting sets hold only ``0-9`` and ``A-Z``. French capitals are composed by drawing
an accent stroke with the writer's own pen width over a real base letter, and punctuation is
drawn from jittered stroke templates. Coordinates of templates are in cap-height units: x grows
right, y from the cap line (0) to the baseline (1).

Training only: nothing here is installed with the package.
"""

from __future__ import annotations

import cv2
import numpy as np

from training.glyph_sources import CAP_PX, Glyph, draw_strokes, stroke_width, tighten


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.asarray(points, np.float32)


def _arc(cx: float, cy: float, r: float, a0: float, a1: float, n: int = 24) -> np.ndarray:
    t = np.linspace(np.radians(a0), np.radians(a1), n)
    return np.stack([cx + r * np.cos(t), cy - r * np.sin(t)], axis=1).astype(np.float32)


def _accent_strokes(kind: str, rng: np.random.Generator) -> list[np.ndarray]:
    """An accent above (or a cedilla below) the origin, in units of the accent's height."""
    u = rng.uniform
    if kind == "acute":
        a = u(0.5, 1.2)
        return [_line((-a / 2, 0), (a / 2, -1))]
    if kind == "tilde":
        # One wave, up then down; hurried writers flatten it to a wavy dash.
        a, amp = u(0.6, 1.2), u(0.2, 0.5)
        t = np.linspace(0.0, 2.0, 24)
        wave = np.stack([a * (t - 1.0), -0.5 - amp * np.sin(np.pi * t)], axis=1)
        return [wave.astype(np.float32)]
    if kind == "grave":
        a = u(0.5, 1.2)
        return [_line((-a / 2, -1), (a / 2, 0))]
    if kind == "circ":
        a = u(0.6, 1.2)
        return [_line((-a, 0), (u(-0.15, 0.15), -1), (a, u(-0.2, 0.1)))]
    if kind == "diaer":
        d, y = u(0.5, 1.0), u(-0.7, -0.3)
        if rng.random() < 0.3:  # short dashes rather than dots
            return [_line((-d, y - 0.3), (-d, y + 0.2)), _line((d, y - 0.3), (d, y + 0.2))]
        return [_line((-d, y), (-d + 0.05, y)), _line((d, y), (d + 0.05, y))]
    if rng.random() < 0.5:  # cedilla: a small 5-like hook, or a plain comma
        return [_line((0, 0), (0.1, 0.35), (0.45, 0.55), (0.15, 1.0), (-0.35, 0.9))]
    return [_line((0, 0), (-0.3, 1.0))]


def add_accent(base: Glyph, kind: str, rng: np.random.Generator) -> Glyph:
    """Draw an accent with the base's pen width above it (or a cedilla below it)."""
    pen = max(2, round(stroke_width(base.ink)))
    hb, wb = base.ink.shape
    size = rng.uniform(0.18, 0.32) * hb
    gap = 0.0 if rng.random() < 0.15 else rng.uniform(0.03, 0.14) * hb
    pad = int(size + gap + 3 * pen)
    canvas = np.zeros((hb + 2 * pad, wb + 2 * pad), np.float32)
    canvas[pad : pad + hb, pad : pad + wb] = base.ink
    cx = pad + wb / 2 + rng.normal(0, 0.06 * wb)
    # A cedilla hangs from the C's bottom; every other accent floats a gap above the letter.
    oy = pad + hb - pen / 2 - 1 if kind == "cedilla" else pad - gap - pen / 2
    mark = np.zeros(canvas.shape, np.uint8)
    for stroke in _accent_strokes(kind, rng):
        p = (stroke * size + (cx, oy)) * 4
        cv2.polylines(mark, [p.astype(np.int32)], False, 255, pen, cv2.LINE_AA, shift=2)
    ink, y0, _ = tighten(np.maximum(canvas, mark.astype(np.float32) / 255.0))
    cap = base.cap_px
    top = base.top + (y0 - pad) / cap
    return Glyph(ink, top, top + ink.shape[0] / cap)


def ligature_oe(o: Glyph, e: Glyph, rng: np.random.Generator) -> Glyph:
    """Write OE as one glyph: both letters narrowed, the E's stem on the O's right side."""
    h = CAP_PX
    parts = []
    for g in (o, e):
        squeeze = rng.uniform(0.55, 0.85)
        w = max(2, round(g.ink.shape[1] * h / g.ink.shape[0] * squeeze))
        parts.append(cv2.resize(g.ink, (w, h), interpolation=cv2.INTER_AREA))
    overlap = int(rng.uniform(0.0, 0.2) * parts[0].shape[1])
    width = parts[0].shape[1] + parts[1].shape[1] - overlap
    canvas = np.zeros((h, width), np.float32)
    canvas[:, : parts[0].shape[1]] = parts[0]
    right = canvas[:, width - parts[1].shape[1] :]
    np.maximum(right, parts[1], out=right)
    return Glyph(canvas, 0.0, 1.0)


def add_crossbar(glyph: Glyph, rng: np.random.Generator) -> Glyph:
    """The European bar through the middle of a 7 or a Z."""
    ink = glyph.ink.copy()
    h, w = ink.shape
    row = int(rng.uniform(0.42, 0.6) * h)
    cols = np.nonzero(ink[row] > 0.5)[0]
    cx = float(cols.mean()) if len(cols) else w / 2
    half = rng.uniform(0.18, 0.32) * w
    pen = max(2, round(stroke_width(ink)))
    mark = np.zeros((h, w), np.uint8)
    tilt = rng.normal(0, 0.03 * w)
    p = np.array([[cx - half, row + tilt], [cx + half, row - tilt]]) * 4
    cv2.polylines(mark, [p.astype(np.int32)], False, 255, pen, cv2.LINE_AA, shift=2)
    return Glyph(np.maximum(ink, mark / 255.0).astype(np.float32), glyph.top, glyph.bottom)


def _symbol_strokes(ch: str, rng: np.random.Generator) -> list[np.ndarray]:
    """Jittered stroke template of a punctuation mark, in cap-height units."""
    u = rng.uniform
    if ch in "-_":
        y = u(0.38, 0.65) if ch == "-" else u(0.95, 1.1)
        length = u(0.3, 0.7) if ch == "-" else u(0.6, 1.0)
        return [_line((0, y), (length / 2, y + u(-0.04, 0.04)), (length, y + u(-0.06, 0.06)))]
    if ch == "'":
        y = u(-0.05, 0.12)
        return [_line((0, y), (u(-0.04, 0.02), y + 0.12), (u(-0.12, 0.0), y + u(0.18, 0.35)))]
    if ch == ",":
        y = u(0.8, 0.95)
        tail = _line((0, y), (u(-0.02, 0.03), y + 0.1), (u(-0.15, -0.03), y + u(0.22, 0.38)))
        return [tail, _line((0, y), (0.02, y))] if rng.random() < 0.4 else [tail]
    if ch == ".":
        r, y = u(0.0, 0.05), u(0.85, 0.97)
        return [_arc(0, y, r, 0, 360, 10) if r > 0.01 else _line((0, y), (0.01, y))]
    if ch == "/":
        return [_line((0, u(0.95, 1.08)), (u(0.3, 0.65), u(-0.06, 0.05)))]
    if ch == "#":
        s = u(0.0, 0.15)
        x1, x2 = u(0.15, 0.3), u(0.5, 0.7)
        y1, y2 = u(0.28, 0.4), u(0.6, 0.72)
        return [_line((x1 + s, 0), (x1, 1)), _line((x2 + s, 0), (x2, 1)),
                _line((0, y1), (0.85, y1 + u(-0.04, 0.04))),
                _line((0, y2), (0.85, y2 + u(-0.04, 0.04)))]  # fmt: skip
    if ch == "@":
        r = u(0.14, 0.22)
        inner = _arc(0.5, 0.55, r, 0, 360, 20)
        stem = _line((0.5 + r, 0.55 - r), (0.5 + r, 0.55 + r), (0.5 + r + 0.15, 0.62))
        outer = _arc(0.5, 0.52, u(0.42, 0.5), u(-10, 15), u(300, 330), 36)
        return [inner, stem, outer]
    raise ValueError(ch)


def hand_symbol(ch: str, *, pen_ratio: float, rng: np.random.Generator) -> Glyph:
    """Draw a punctuation mark like a person writing in a box would."""
    strokes = _symbol_strokes(ch, rng)
    # A full stop is pressed, not drawn: even a fine pen leaves a dot of some size.
    pen = max(2, round((max(pen_ratio, 0.09) if ch == "." else pen_ratio) * CAP_PX))
    pts = np.concatenate(strokes)
    half = pen / (2 * CAP_PX)
    ink = draw_strokes(strokes, CAP_PX, pen)
    top = float(pts[:, 1].min()) - half
    return Glyph(ink, top, top + ink.shape[0] / CAP_PX)
