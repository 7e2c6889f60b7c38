"""Photocopy and scanner degradation of rendered pages, driven by a seeded ``random.Random``.

A mailed application is a photocopy of the originals, scanned by the mailroom: the copier tilts,
shrinks and shifts the page, darkens or fades it and leaves dark bands where the lid did not
close; the scanner adds noise, blur, JPEG artefacts and its own resolution. ``photocopy`` does
all of that at one of three levels. The targeted defects that labels depend on
(``make_illegible``, ``cut_off``, ``blank_sheet``) are separate so a caller decides which page
carries which label.

Every function takes and returns a PIL image in mode ``L`` (8-bit gray, white paper = 255) and
never changes its input.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

LEVELS: tuple[str, ...] = ("clean", "normal", "heavy")

#: Paper white after a copy: never quite 255, and darker on a dark copy.
_PAPER = 246


@dataclass(frozen=True)
class CopyParams:
    """One draw of the copier and scanner settings for a page."""

    skew_deg: float
    scale: float
    shift_px: tuple[int, int]
    blur_sigma: float
    noise_sigma: float
    speck_density: float
    ink_level: int
    paper_level: int
    border_edges: tuple[str, ...]
    jpeg_quality: int | None
    white_point: int | None = None


def sample_params(level: str, rng: random.Random, *, dpi: int) -> CopyParams:
    """Draw copier settings for ``level`` ("clean", "normal" or "heavy").

    Pixel amounts are given at 300 dpi and scaled to ``dpi`` so a page looks the same at
    any rendering resolution.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    k = dpi / 300
    heavy, clean = level == "heavy", level == "clean"
    max_skew = 0.6 if clean else (3.0 if heavy else 1.8)
    # Faint copies lift the ink, dark copies drop the paper: both stay readable at "heavy".
    ink = rng.randint(0, 25) if clean else rng.randint(10, 95 if heavy else 60)
    paper = rng.randint(238, 252) if not heavy else rng.choice((rng.randint(175, 205), 250))
    edges = () if clean else tuple(
        e for e in ("left", "right", "top", "bottom") if rng.random() < (0.45 if heavy else 0.2)
    )
    return CopyParams(
        skew_deg=rng.uniform(-max_skew, max_skew),
        scale=1.0 if clean else rng.uniform(0.93 if heavy else 0.95, 1.0),
        shift_px=(round(rng.uniform(-30, 30) * k), round(rng.uniform(-30, 30) * k)),
        blur_sigma=(0.0 if clean else rng.uniform(0.2, 1.3 if heavy else 0.8)) * k,
        noise_sigma=rng.uniform(1, 3) if clean else rng.uniform(3, 12 if heavy else 6),
        speck_density=0.0 if clean else rng.uniform(0, 0.0012 if heavy else 0.0003),
        ink_level=ink,
        paper_level=paper,
        border_edges=edges,
        jpeg_quality=None if clean else rng.randint(35 if heavy else 45, 80),
        # Most scanners remove the background: paper lighter than this turns pure white.
        white_point=paper - rng.randint(10, 25) if rng.random() < (0.4 if heavy else 0.8)
        else None,
    )


def photocopy(
    img: Image.Image, *, rng: random.Random, level: str = "normal", dpi: int = 300,
    out_dpi: int | None = None, borders: bool = True,
) -> Image.Image:
    """Copy then scan ``img`` (rendered at ``dpi``), returning a page at ``out_dpi``.

    The page is brought to the scanner's resolution first: every later step then works on
    fewer pixels (a 200-dpi page has 44 % of the pixels of a 300-dpi one).
    """
    out_dpi = out_dpi or dpi
    a = np.asarray(img.convert("L"), dtype=np.uint8)
    if out_dpi != dpi:
        a = np.asarray(resample(Image.fromarray(a, "L"), src_dpi=dpi, dst_dpi=out_dpi))
    p = sample_params(level, rng, dpi=out_dpi)
    a = _geometry(a, p)
    a = _tone(a, ink=p.ink_level, paper=p.paper_level)
    if borders and p.border_edges:
        a = _dark_borders(a, p.border_edges, rng)
    if p.blur_sigma > 0.05:
        a = cv2.GaussianBlur(a, (0, 0), p.blur_sigma)
    a = _noise(a, rng, sigma=p.noise_sigma, specks=p.speck_density)
    if p.white_point is not None:
        a = _levels(a, white=p.white_point)
    out = Image.fromarray(a, "L")
    if p.jpeg_quality is not None:
        out = jpeg_roundtrip(out, p.jpeg_quality)
    return out


def _geometry(a: np.ndarray, p: CopyParams) -> np.ndarray:
    """Scale, skew and shift the page on the copier glass in one affine warp."""
    h, w = a.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), p.skew_deg, p.scale)
    m[0, 2] += p.shift_px[0]
    m[1, 2] += p.shift_px[1]
    return cv2.warpAffine(
        a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def _tone(a: np.ndarray, *, ink: int, paper: int) -> np.ndarray:
    """Map black→``ink`` and white→``paper``: a faint copy lifts ink, a dark one drops paper."""
    lut = (ink + np.arange(256, dtype=np.float32) / 255.0 * (paper - ink)).clip(0, 255)
    return cv2.LUT(a, lut.astype(np.uint8))


def _levels(a: np.ndarray, *, white: int) -> np.ndarray:
    """Stretch so ``white`` and lighter become 255, as a scanner's background removal does."""
    lut = (np.arange(256, dtype=np.float32) * (255.0 / max(1, white))).clip(0, 255)
    return cv2.LUT(a, lut.astype(np.uint8))


def _dark_borders(a: np.ndarray, edges: tuple[str, ...], rng: random.Random) -> np.ndarray:
    """Dark ragged bands along edges, as a copier lid left open or a misplaced sheet leaves."""
    h, w = a.shape
    out = a.copy()
    for edge in edges:
        along = h if edge in ("left", "right") else w
        depth = max(2, round(min(h, w) * rng.uniform(0.004, 0.025)))
        # A random walk makes the inner edge ragged rather than ruler-straight.
        walk = np.cumsum(np.array([rng.uniform(-1, 1) for _ in range(along // 8 + 2)]))
        walk = np.interp(np.arange(along), np.arange(len(walk)) * 8, walk)
        prof = np.clip(depth + walk * depth * 0.15, 1, depth * 2).astype(int)
        level = rng.randint(15, 70)
        if edge in ("left", "right"):
            cols = np.arange(w)[None, :] if edge == "left" else (w - 1 - np.arange(w))[None, :]
            out[cols < prof[:, None]] = level
        else:
            rows = np.arange(h)[:, None] if edge == "top" else (h - 1 - np.arange(h))[:, None]
            out[rows < prof[None, :]] = level
    return out


def _noise(a: np.ndarray, rng: random.Random, *, sigma: float, specks: float) -> np.ndarray:
    """Sensor noise plus salt-and-pepper specks (toner dust and dropouts)."""
    gen = np.random.default_rng(rng.getrandbits(64))
    f = a.astype(np.float32)
    if sigma > 0:
        n = gen.standard_normal(a.shape, dtype=np.float32)
        n *= sigma
        f += n
    out = f.clip(0, 255).astype(np.uint8)
    count = int(a.size * specks)
    if count:
        flat = out.reshape(-1)
        flat[gen.integers(0, a.size, count // 2 + 1)] = 30
        flat[gen.integers(0, a.size, count // 2 + 1)] = 250
    return out


def resample(img: Image.Image, *, src_dpi: int, dst_dpi: int) -> Image.Image:
    """Resize a page from ``src_dpi`` to ``dst_dpi`` (the scanner's resolution)."""
    if src_dpi == dst_dpi:
        return img.copy()
    w, h = img.size
    size = (max(1, round(w * dst_dpi / src_dpi)), max(1, round(h * dst_dpi / src_dpi)))
    return img.resize(size, Image.Resampling.LANCZOS if dst_dpi < src_dpi else Image.BICUBIC)


def jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    """Encode and decode as JPEG so the page carries block and ringing artefacts."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("L")


def turn(img: Image.Image, degrees: int) -> Image.Image:
    """Turn a page by a multiple of 90° counter-clockwise, as it lay on the scanner."""
    if degrees % 90:
        raise ValueError("turns are multiples of 90 degrees")
    k = (degrees // 90) % 4
    if k == 0:
        return img.copy()
    ops = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180,
           3: Image.Transpose.ROTATE_270}
    return img.transpose(ops[k])


def make_illegible(img: Image.Image, rng: random.Random) -> Image.Image:
    """Ruin a page so no reader could read a line: smeared, blurred, faded and blotched.

    The blur radius is a fraction of the page width, so it wipes out strokes of any text size
    at any resolution; only the faint shape of the text blocks remains.
    """
    a = np.asarray(img.convert("L"), dtype=np.uint8)
    h, w = a.shape
    # A long motion smear (the sheet moved during the copy) then a wide gaussian.
    length = max(9, round(w * rng.uniform(0.03, 0.05)))
    kernel = np.zeros((length, length), np.float32)
    angle = rng.uniform(-20, 20)
    c = length // 2
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    cv2.line(kernel, (round(c - dx * c), round(c - dy * c)), (round(c + dx * c), round(c + dy * c)),
             1.0, 1)
    kernel /= kernel.sum()
    f = cv2.filter2D(a.astype(np.float32), -1, kernel)
    f = cv2.GaussianBlur(f, (0, 0), w * rng.uniform(0.0015, 0.0025))
    # Stretch what is left so the smeared lines come out as dark streaks (still there in a
    # black-and-white scan, so the page never passes for blank) on a dull gray ground.
    lo, hi = float(f.min()), float(f.max())
    norm = (f - lo) / max(1.0, hi - lo)
    dark, light = rng.uniform(70, 100), rng.uniform(200, 225)
    faded = dark + norm * (light - dark)
    gen = np.random.default_rng(rng.getrandbits(64))
    blotch = cv2.GaussianBlur(gen.normal(0, 1, (h // 16 + 1, w // 16 + 1)).astype(np.float32),
                              (0, 0), 2)
    blotch = cv2.resize(blotch, (w, h), interpolation=cv2.INTER_CUBIC) * 25
    out = faded + blotch + gen.normal(0, 6, (h, w))
    return Image.fromarray(out.clip(0, 255).astype(np.uint8), "L")


def cut_off(img: Image.Image, rng: random.Random, *, mode: str | None = None) -> Image.Image:
    """Lose part of the page's content from the copy.

    ``mode`` "half": the lower half of the printed area never reached the glass: the copy
    stops through a line of text, white (bare glass) or dark (open lid) below it.
    ``mode`` "edge": the sheet lay shifted on the glass, so 10–25 % of the printed area on one
    side (text included) falls off the copy and the opposite side is empty paper.
    Amounts are measured on the printed area, not the sheet, so something is always lost.
    """
    mode = mode or rng.choice(("half", "edge"))
    a = np.asarray(img.convert("L"), dtype=np.uint8)
    h, w = a.shape
    x0, y0, x1, y1 = _ink_box(a)
    if mode == "half":
        out = a.copy()
        cut = _through_text(a, round(y0 + (y1 - y0) * rng.uniform(0.4, 0.55)))
        # Beyond the sheet the copier shows either bare glass (white) or its open lid (dark).
        out[cut:, :] = 255 if rng.random() < 0.5 else rng.randint(30, 80)
        return Image.fromarray(out, "L")
    if mode != "edge":
        raise ValueError(f"unknown cut-off mode {mode!r}")
    side, frac = rng.choice(("right", "bottom", "left")), rng.uniform(0.10, 0.25)
    out = np.full_like(a, 255)
    if side == "right":
        d = min(w - 1, w - x1 + round((x1 - x0) * frac))
        out[:, d:] = a[:, : w - d]
    elif side == "left":
        d = min(w - 1, x0 + round((x1 - x0) * frac))
        out[:, : w - d] = a[:, d:]
    else:
        d = min(h - 1, h - y1 + round((y1 - y0) * frac))
        out[d:, :] = a[: h - d, :]
    return Image.fromarray(out, "L")


def _through_text(a: np.ndarray, row: int) -> int:
    """The inked row nearest ``row``, so the cut runs through a line and chops its letters."""
    inked = np.nonzero((a < 160).sum(axis=1) > a.shape[1] * 0.002)[0]
    if not len(inked):
        return row
    return int(inked[np.argmin(np.abs(inked - row))])


def _ink_box(a: np.ndarray) -> tuple[int, int, int, int]:
    """Bounding box (x0, y0, x1, y1) of the printed area; the whole page if none."""
    ys, xs = np.nonzero(a < 160)
    if not len(xs):
        return 0, 0, a.shape[1], a.shape[0]
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def blank_sheet(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A blank sheet as the copier sees it: paper grain and a few dust specks, no ink."""
    w, h = size
    gen = np.random.default_rng(rng.getrandbits(64))
    grain = cv2.GaussianBlur(gen.normal(0, 3, (h, w)).astype(np.float32), (0, 0), 1.5)
    shade = np.linspace(rng.uniform(-4, 0), rng.uniform(0, 4), w, dtype=np.float32)[None, :]
    a = 250 + grain + shade
    for _ in range(rng.randint(0, 6)):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(1, 2)
        a[max(0, y - r):y + r, max(0, x - r):x + r] = rng.randint(60, 160)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), "L")


def to_bilevel(img: Image.Image, *, threshold: int | None = None) -> Image.Image:
    """Black-and-white scan mode: a fixed threshold halfway between paper and ink."""
    a = np.asarray(img.convert("L"), dtype=np.uint8)
    t = threshold if threshold is not None else int(np.percentile(a, 50)) - 60
    t = max(60, min(200, t))
    return Image.fromarray(np.where(a > t, 255, 0).astype(np.uint8), "L").convert("1")
