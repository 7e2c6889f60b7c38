"""Put a glyph into a comb box and age it like a scanned photocopy of a pen character.

The box is 38-80 px tall (a 19 pt comb box at 150-300 dpi, less its lines) and narrower than
tall, as on the form. Geometry is applied at 3x resolution, then the box is shrunk to scan size,
so strokes keep their anti-aliased edges.

Training only: nothing here is installed with the package.
"""

from __future__ import annotations

import cv2
import numpy as np

from training.glyph_sources import Glyph

_HI = 3  # geometry runs at this multiple of the scan resolution


def _place(glyph: Glyph, rng: np.random.Generator, *, hard: bool) -> tuple[np.ndarray, float]:
    """Draw the glyph at a writer's size and place in a high-resolution box; return its cap px."""
    u = rng.uniform
    h = int(u(38, 80))
    w = int(h * u(0.65, 1.0))
    cap = h * (u(0.4, 0.85) if hard else u(0.5, 0.8))
    xs = u(0.8, 1.2) if hard else 1.0
    gh, gw = glyph.ink.shape
    scale = cap / glyph.cap_px
    # Tall marks (accents) and wide ones (M, W, @) are squeezed into the box, as writers do.
    fit = min(1.0, 0.98 * h / (gh * scale), 0.98 * w / (gw * scale * xs))
    cap, scale = cap * fit, scale * fit
    ink = cv2.resize(
        glyph.ink,
        (max(1, round(gw * scale * xs * _HI)), max(1, round(gh * scale * _HI))),
        interpolation=cv2.INTER_AREA,
    )
    margin = u(0.0, 0.08) * h
    # The cap line is placed as if a whole letter were written, so a ' stays high in the box.
    lo = margin - min(glyph.top, 0.0) * cap
    hi = h - margin - max(glyph.bottom, 1.0) * cap
    y_cap = u(lo, hi) if hi > lo else (lo + hi) / 2
    if hard and rng.random() < 0.1:
        y_cap += rng.normal(0, 0.08 * h)  # writing over the box line
    y = int(round((y_cap + glyph.top * cap) * _HI))
    gw_hi = ink.shape[1]
    x_lo, x_hi = margin * _HI, w * _HI - gw_hi - margin * _HI
    x = int(u(x_lo, x_hi)) if x_hi > x_lo else int((x_lo + x_hi) / 2)
    if hard and rng.random() < 0.1:
        x += int(rng.normal(0, 0.08 * w * _HI))
    box = np.zeros((h * _HI, w * _HI), np.float32)
    _paste(box, ink, y, x)
    return box, cap * _HI


def _paste(canvas: np.ndarray, ink: np.ndarray, y: int, x: int) -> None:
    """Max-combine ``ink`` into ``canvas`` at (y, x), clipping at the edges."""
    h, w = ink.shape
    y0, x0 = max(y, 0), max(x, 0)
    y1, x1 = min(y + h, canvas.shape[0]), min(x + w, canvas.shape[1])
    if y1 > y0 and x1 > x0:
        region = canvas[y0:y1, x0:x1]
        np.maximum(region, ink[y0 - y : y1 - y, x0 - x : x1 - x], out=region)


def _warp(box: np.ndarray, cap: float, rng: np.random.Generator, *, hard: bool) -> np.ndarray:
    """Rotate, slant and scale about the ink centre; then a smooth elastic wobble."""
    ys, xs = np.nonzero(box > 0.1)
    if len(ys) == 0:
        return box
    cy, cx = float(ys.mean()), float(xs.mean())
    angle = float(np.clip(rng.normal(0, 4), -10, 10)) if hard else rng.uniform(-3, 3)
    shear = rng.uniform(-0.3, 0.3) if hard else rng.uniform(-0.1, 0.1)
    scale = rng.uniform(0.92, 1.08) if hard else 1.0
    rot = cv2.getRotationMatrix2D((cx, cy), angle, scale)
    slant = np.array([[1, -shear, shear * cy], [0, 1, 0], [0, 0, 1]])
    mat = (np.vstack([rot, [0, 0, 1]]) @ slant)[:2]
    box = cv2.warpAffine(box, mat, box.shape[::-1], flags=cv2.INTER_LINEAR)
    if hard and rng.random() < 0.5:
        box = _elastic(box, cap * rng.uniform(0.01, 0.035), cap * 0.35, rng)
    return box


def _elastic(img: np.ndarray, amp: float, period: float, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape
    gh, gw = max(2, int(h / period) + 2), max(2, int(w / period) + 2)
    dx = cv2.resize(rng.normal(0, amp, (gh, gw)).astype(np.float32), (w, h), cv2.INTER_CUBIC)
    dy = cv2.resize(rng.normal(0, amp, (gh, gw)).astype(np.float32), (w, h), cv2.INTER_CUBIC)
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, gx + dx, gy + dy, cv2.INTER_LINEAR)


def _break_strokes(box: np.ndarray, cap: float, rng: np.random.Generator) -> None:
    """Pen skips: wipe one or two small discs on the strokes."""
    ys, xs = np.nonzero(box > 0.5)
    for _ in range(rng.integers(1, 3)):
        if len(ys):
            i = rng.integers(len(ys))
            r = int(cap * rng.uniform(0.03, 0.07)) + 1
            cv2.circle(box, (int(xs[i]), int(ys[i])), r, 0.0, -1)


def _box_remnants(ink: np.ndarray, rng: np.random.Generator) -> None:
    """What box-line removal leaves: thin, partial lines hugging some edges."""
    h, w = ink.shape
    for edge in range(4):
        if rng.random() > 0.35:
            continue
        t, off = int(rng.integers(1, 4)), int(rng.integers(0, 2))
        length = w if edge < 2 else h
        a = int(rng.uniform(0, 0.6) * length)
        b = int(rng.uniform(max(a + 3, 0.4 * length), length + 1))
        level = rng.uniform(0.4, 1.0)
        if edge == 0:
            ink[off : off + t, a:b] = np.maximum(ink[off : off + t, a:b], level)
        elif edge == 1:
            ink[h - off - t : h - off, a:b] = np.maximum(ink[h - off - t : h - off, a:b], level)
        elif edge == 2:
            ink[a:b, off : off + t] = np.maximum(ink[a:b, off : off + t], level)
        else:
            ink[a:b, w - off - t : w - off] = np.maximum(ink[a:b, w - off - t : w - off], level)


def _line_eats_bar(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A bar written on the comb's top or bottom line, lost with it.

    The reader erases box lines as long horizontal runs; a letter's bar drawn along the line
    joins that run and goes too (an E then looks like an F or an L-like shape). Here the glyph
    is moved onto the edge and the long runs in the line's band are wiped, vertical strokes
    crossing it kept. The label stays the true letter, so the network learns such shapes are
    ambiguous instead of reading them surely as the letter that lacks the bar.
    """
    ys, xs = np.nonzero(ink > 0.3)
    if len(ys) == 0:
        return ink
    h, w = ink.shape
    at_top = rng.random() < 0.5
    shift = int(rng.integers(0, 3)) - (int(ys.min()) if at_top else int(ys.max()) - (h - 1))
    moved = np.zeros_like(ink)
    src = slice(max(0, -shift), min(h, h - shift))
    dst = slice(max(0, shift), min(h, h + shift))
    moved[dst] = ink[src]
    band = int(rng.integers(3, 6))
    rows = slice(0, band) if at_top else slice(h - band, h)
    run = max(3, int(0.35 * (xs.max() - xs.min() + 1)))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (run | 1, 1))
    bars = cv2.morphologyEx((moved[rows] > 0.3).astype(np.uint8), cv2.MORPH_OPEN, kernel)
    bars = cv2.dilate(bars, np.ones((3, 3), np.uint8))
    moved[rows][bars > 0] = 0.0
    return moved


def _to_gray(ink: np.ndarray, rng: np.random.Generator, *, hard: bool) -> np.ndarray:
    """Paper and ink tones, blur, noise, specks, JPEG or a photocopier's threshold."""
    u = rng.uniform
    h, w = ink.shape
    if rng.random() < 0.35:  # a coarser scan, resampled to the pipeline's resolution
        f = u(0.55, 0.85)
        small = cv2.resize(ink, (max(4, int(w * f)), max(4, int(h * f))), cv2.INTER_AREA)
        ink = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    paper, dark = u(185, 250), u(5, 120 if hard else 80)
    gray = paper - np.clip(ink, 0, 1) * (paper - dark)
    if rng.random() < 0.3:
        gray = cv2.GaussianBlur(gray, (0, 0), u(0.3, 0.9))
    gray = gray + rng.normal(0, u(0, 10 if hard else 4), gray.shape)
    if hard and rng.random() < 0.2:
        n = int(rng.integers(1, 6))
        gray[rng.integers(0, h, n), rng.integers(0, w, n)] = dark
    if rng.random() < 0.15:
        gray = np.where(gray < (paper + dark) / 2, dark, paper)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        ok, buf = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, int(u(25, 90))])
        gray = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    return gray


def render_box(glyph: Glyph, rng: np.random.Generator, *, hard: bool = True) -> np.ndarray:
    """A grayscale uint8 comb-box crop holding ``glyph``; ``hard`` turns on the rough stuff."""
    box, cap = _place(glyph, rng, hard=hard)
    box = _warp(box, cap, rng, hard=hard)
    if hard and rng.random() < 0.15:
        _break_strokes(box, cap, rng)
    h, w = box.shape[0] // _HI, box.shape[1] // _HI
    ink = cv2.resize(box, (w, h), interpolation=cv2.INTER_AREA)
    ink *= rng.uniform(0.7, 1.0)
    if hard and rng.random() < 0.06:
        ink = _line_eats_bar(ink, rng)
    if rng.random() < (0.5 if hard else 0.25):
        _box_remnants(ink, rng)
    return _to_gray(ink, rng, hard=hard)
