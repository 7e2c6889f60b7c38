"""Pen strokes that are not letters: ticks in checkboxes and signatures.

Like the letters of ``handwriting``, strokes are drawn as a coverage mask and multiplied into
the page (``uint8``, 0 = black), so ink darkens printed lines rather than covering them.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from sample_scans.handwriting import (
    TICK_KINDS,
    HandStyle,
    ink_layer,
    load_font,
    multiply_into,
    pen_px,
)

_FONTS = Path("/usr/share/fonts")
SCRIPT_FONTS: tuple[Path, ...] = (
    _FONTS / "opentype/dancingscript/DancingScript-Regular.otf",
    _FONTS / "opentype/dancingscript/DancingScript-Bold.otf",
    _FONTS / "truetype/kristi/Kristi.ttf",
)


def _wobbly(
    points: list[tuple[float, float]], rng: random.Random, amp: float
) -> list[tuple[float, float]]:
    """Subdivide a polyline and shake it a little, as a hand does."""
    out: list[tuple[float, float]] = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        for i in range(6):
            t = i / 6
            out.append(
                (ax + (bx - ax) * t + rng.gauss(0, amp), ay + (by - ay) * t + rng.gauss(0, amp))
            )
    out.append(points[-1])
    return out


def _stroke(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], pen: int) -> None:
    draw.line(pts, fill=255, width=pen, joint="curve")
    r = pen / 2
    for x, y in (pts[0], pts[-1]):
        draw.ellipse([x - r, y - r, x + r, y + r], fill=255)


def _tick_strokes(kind: str, w: float, rng: random.Random) -> list[list[tuple[float, float]]]:
    """Strokes of a tick in a box of side ``w`` whose top-left corner is (0, 0)."""
    j = lambda: rng.uniform(-0.08, 0.08) * w  # noqa: E731 - a tiny jitter, read as a constant
    if kind == "check":
        return [
            [
                (0.1 * w + j(), 0.5 * w + j()),
                (0.42 * w + j(), 0.92 * w + j()),
                (1.2 * w + j(), -0.35 * w + j()),
            ]
        ]
    if kind == "cross":
        o = rng.uniform(-0.05, 0.2) * w
        return [
            [(-o + j(), -o + j()), (w + o + j(), w + o + j())],
            [(w + o + j(), -o + j()), (-o + j(), w + o + j())],
        ]
    if kind == "slash":
        return [[(-0.3 * w + j(), 1.25 * w + j()), (1.3 * w + j(), -0.25 * w + j())]]
    rows = rng.randint(4, 6)  # "filled": a dense back-and-forth scribble
    zig = [
        (0.08 * w + (0.84 * w if i % 2 else 0) + j(), 0.1 * w + 0.8 * w * i / (rows - 1))
        for i in range(rows)
    ]
    return [zig]


def draw_tick(
    page: np.ndarray,
    box: tuple[float, float, float, float],
    *,
    style: HandStyle,
    rng: random.Random,
    kind: str | None = None,
) -> None:
    """Tick a checkbox by hand: ✓, ✗, a filled square or a slash across its edge."""
    kind = kind or (style.tick if rng.random() < 0.85 else rng.choice(TICK_KINDS))
    x0, y0, x1, _ = box
    w = x1 - x0
    side = int(w * 3)
    img = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(img)
    pen = pen_px(style) + (2 if kind == "filled" else 0)
    for pts in _tick_strokes(kind, w, rng):
        _stroke(draw, _wobbly([(x + w, y + w) for x, y in pts], rng, w * 0.015), pen)
    multiply_into(page, ink_layer(np.asarray(img), style.ink), round(x0 - w), round(y0 - w))


def _bezier(p: list[tuple[float, float]], n: int = 40) -> list[tuple[float, float]]:
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = p
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u**3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t**3 * dx,
                u**3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t**3 * dy,
            )
        )
    return out


def draw_signature(
    page: np.ndarray,
    box: tuple[float, float, float, float],
    *,
    name: str,
    rng: random.Random,
    ink: int | None = None,
    dpi: int = 300,
) -> None:
    """Sign in a box: the name in a script font, or a bare scribble, with pen flourishes."""
    x0, y0, x1, y1 = box
    w, h = int(x1 - x0), int(y1 - y0)
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    pen = max(2, round(rng.uniform(2.5, 4.0) * dpi / 300))
    if name and rng.random() < 0.6:
        _signature_name(img, name, rng)
    else:
        _stroke(draw, _cursive_scribble(w, h, rng), pen)
    for _ in range(rng.randint(0, 2)):  # flourishes: an underline, a cross stroke
        sx, sy = rng.uniform(0.05, 0.4) * w, rng.uniform(0.5, 0.85) * h
        ex, ey = rng.uniform(0.55, 0.95) * w, rng.uniform(0.4, 0.9) * h
        ctrl = [(rng.uniform(0, w), rng.uniform(0.2, 1.0) * h) for _ in range(2)]
        _stroke(draw, _bezier([(sx, sy), *ctrl, (ex, ey)]), pen)
    ink = ink if ink is not None else rng.randint(15, 75)
    multiply_into(page, ink_layer(np.asarray(img), ink), int(x0), int(y0))


def _cursive_scribble(w: int, h: int, rng: random.Random) -> list[tuple[float, float]]:
    """Fast cursive: a slanted prolate cycloid whose loops vary in height and width."""
    x0, x1 = rng.uniform(0.05, 0.2) * w, rng.uniform(0.55, 0.95) * w
    yc = rng.uniform(0.5, 0.62) * h
    loops = rng.randint(5, 11)
    step = (x1 - x0) / loops
    heights = [h * rng.uniform(0.06, 0.3) for _ in range(loops + 1)]
    widths = [step * rng.uniform(0.3, 0.9) for _ in range(loops + 1)]
    slant, rise = rng.uniform(0.2, 0.6), rng.uniform(-0.15, 0.05) * h
    pts = []
    n = loops * 24
    for i in range(n + 1):
        t = i / n
        k = min(int(t * loops), loops)
        phase = 2 * math.pi * loops * t
        dy = -heights[k] * math.cos(phase)
        x = x0 + (x1 - x0) * t - widths[k] * math.sin(phase) - slant * dy
        pts.append((x, yc + rise * t + dy))
    return pts


def _signature_name(img: Image.Image, name: str, rng: random.Random) -> None:
    """Write ``name`` in a script font across most of the image, rising a little."""
    w, h = img.size
    path = rng.choice(SCRIPT_FONTS)
    size = int(h * rng.uniform(0.45, 0.7))
    font = load_font(path, size)
    width = font.getlength(name)
    if width > w * 0.9:
        size = int(size * w * 0.9 / width)
        font = load_font(path, size)
        width = font.getlength(name)
    text = Image.new("L", img.size, 0)
    x = rng.uniform(0.02, max(0.03, 0.95 - width / w)) * w
    ImageDraw.Draw(text).text(
        (x, h * rng.uniform(0.55, 0.75)), name, font=font, fill=255, anchor="ls"
    )
    text = text.rotate(rng.uniform(-2, 7), resample=Image.Resampling.BICUBIC, center=(x, h / 2))
    img.paste(255, (0, 0), text)
