"""Ballpoint ink on a page: hand-printed capitals, one per comb box or along a line.

Pages are ``uint8`` arrays (0 = black, 255 = paper). Ink is *multiplied* into the page, as real
ink darkens whatever is under it: a letter crossing a printed box line leaves the line black.
Sizes are given in pixels; ``dpi`` only scales pen widths.
"""

from __future__ import annotations

import functools
import math
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONTS = Path("/usr/share/fonts")

#: Hand-lettering fonts and the extra stroke width (px at 300 dpi) that makes each look like a
#: ballpoint line rather than a felt pen or a hairline.
HAND_FONTS: tuple[tuple[Path, int], ...] = (
    (_FONTS / "truetype/fifthhorseman/dkg.ttf", 1),
    (_FONTS / "truetype/fifthhorseman/dkgBd.ttf", 0),
    (_FONTS / "truetype/breip/Breip.ttf", 1),
    (_FONTS / "opentype/bwht/BecauseWeBuild-Regular.otf", 0),
    (_FONTS / "opentype/bwht/BecauseWeConnect-Regular.otf", 0),
    (_FONTS / "opentype/bwht/BecauseWeCreate-Regular.otf", 1),
    (_FONTS / "opentype/bwht/BecauseWeLearn-Regular.otf", 0),
    (_FONTS / "opentype/bwht/BecauseWeMentor-Regular.otf", 0),
    (_FONTS / "truetype/humor-sans/Humor-Sans.ttf", 0),
    (_FONTS / "opentype/comic-neue/ComicNeue-Regular.otf", 1),
    (_FONTS / "opentype/comic-neue/ComicNeue-Bold.otf", 0),
    (_FONTS / "opentype/comic-neue/ComicNeue-Light.otf", 2),
)
#: Used for a character the chosen hand font lacks and that cannot be built from its base letter.
FALLBACK_FONT = _FONTS / "truetype/breip/Breip.ttf"

TICK_KINDS = ("check", "cross", "filled", "slash")
_NOT_A_GLYPH = "\U0010fffd"  # private-use code point: renders as the font's .notdef (or nothing)


@dataclass(frozen=True)
class HandStyle:
    """One writer: a font, an ink, a habitual slant and letter size."""

    font: Path
    stroke_px: int
    ink: int
    slant_deg: float
    size: float
    tick: str
    dpi: int = 300


def pick_hand_style(rng: random.Random, *, dpi: int = 300) -> HandStyle:
    """Draw a writer at random: blue ballpoint prints mid-gray, black prints near black."""
    font, stroke = rng.choice(HAND_FONTS)
    ink = rng.randint(45, 80) if rng.random() < 0.5 else rng.randint(10, 40)
    return HandStyle(
        font=font,
        stroke_px=round(stroke * dpi / 300),
        ink=ink,
        slant_deg=rng.uniform(-4.0, 6.0),
        size=rng.uniform(0.55, 0.7),
        tick=rng.choice(TICK_KINDS),
        dpi=dpi,
    )


@functools.cache
def load_font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """A font at a pixel size, loaded once."""
    return ImageFont.truetype(str(path), max(size_px, 4))


@functools.cache
def cap_ratio(path: Path) -> float:
    """Height of a capital H per pixel of font size, to size every font by its capitals."""
    font = load_font(path, 200)
    _, top, _, bottom = font.getbbox("H", anchor="ls")
    return (bottom - top) / 200


@functools.cache
def has_glyph(path: Path, ch: str) -> bool:
    """Whether the font draws ``ch`` itself (a missing glyph renders empty or as .notdef)."""
    font = load_font(path, 48)
    mask = font.getmask(ch)
    if mask.getbbox() is None:
        return False
    notdef = font.getmask(_NOT_A_GLYPH)
    return mask.size != notdef.size or bytes(mask) != bytes(notdef)


def multiply_into(page: np.ndarray, layer: np.ndarray, x: int, y: int) -> None:
    """Darken ``page`` by ``layer`` (255 = no ink) placed with its top-left at (x, y), clipped."""
    h, w = layer.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, page.shape[1]), min(y + h, page.shape[0])
    if x0 >= x1 or y0 >= y1:
        return
    sub = layer[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.uint16)
    page[y0:y1, x0:x1] = (page[y0:y1, x0:x1].astype(np.uint16) * sub // 255).astype(np.uint8)


def ink_layer(mask: np.ndarray, ink: int) -> np.ndarray:
    """Turn a coverage mask (255 = full ink) into a multiply layer of the given ink gray."""
    cover = mask.astype(np.float32) / 255.0
    return (255.0 - cover * (255.0 - ink)).astype(np.uint8)


def _affine(img: Image.Image, *, rot_deg: float, slant_deg: float) -> Image.Image:
    """Rotate and slant a square glyph image about its centre (right slant for positive)."""
    c = img.width / 2
    t, s = math.radians(rot_deg), math.tan(math.radians(slant_deg))
    # forward map A = R(t) @ [[1, -s], [0, 1]]; PIL wants the inverse (output -> input)
    a, b, cc, d = (
        math.cos(t),
        -math.cos(t) * s - math.sin(t),
        math.sin(t),
        -math.sin(t) * s + math.cos(t),
    )
    det = a * d - b * cc
    ia, ib, ic, id_ = d / det, -b / det, -cc / det, a / det
    data = (ia, ib, c - ia * c - ib * c, ic, id_, c - ic * c - id_ * c)
    return img.transform(img.size, Image.Transform.AFFINE, data, Image.Resampling.BICUBIC)


def pen_px(style: HandStyle) -> int:
    """Width of a ballpoint line (about 0.3 mm) in pixels."""
    return max(2, round(3.5 * style.dpi / 300))


def _draw_accent(
    draw: ImageDraw.ImageDraw, mark: str, box: tuple[int, int, int, int], *, pen: int, cap: float
) -> None:
    """Hand-draw a diacritic above (or, for a cedilla, below) the letter's ink box."""
    x0, y0, x1, y1 = box
    cx, w = (x0 + x1) / 2, max(x1 - x0, cap * 0.5)
    top, gap = y0 - max(pen * 1.2, cap * 0.1), cap * 0.26
    if mark == "\u0301":  # acute
        draw.line([(cx - w * 0.12, top), (cx + w * 0.15, top - gap)], fill=255, width=pen)
    elif mark == "\u0300":  # grave
        draw.line([(cx - w * 0.15, top - gap), (cx + w * 0.12, top)], fill=255, width=pen)
    elif mark == "\u0302":  # circumflex
        draw.line(
            [(cx - w * 0.22, top), (cx, top - gap), (cx + w * 0.22, top)], fill=255, width=pen
        )
    elif mark == "\u0308":  # diaeresis
        for dx in (-w * 0.18, w * 0.18):
            draw.ellipse(
                [cx + dx - pen, top - gap / 2 - pen, cx + dx + pen, top - gap / 2 + pen], fill=255
            )
    elif mark == "\u0327":  # cedilla
        hook = [
            (cx, y1 - pen),
            (cx, y1 + cap * 0.1),
            (cx + cap * 0.12, y1 + cap * 0.2),
            (cx - cap * 0.1, y1 + cap * 0.32),
        ]
        draw.line(hook, fill=255, width=pen, joint="curve")
    elif mark == "\u0303":  # tilde (Spanish names: MUÑOZ)
        wave = [
            (cx + w * (i / 8 - 0.25), top - gap / 2 - gap * 0.3 * math.sin(i * math.pi / 4))
            for i in range(9)
        ]
        draw.line(wave, fill=255, width=pen, joint="curve")


def glyph_mask(ch: str, *, style: HandStyle, cap_px: float, rng: random.Random) -> np.ndarray:
    """A square coverage mask of one hand-printed character, centred on the capital's middle."""
    # Accented capitals are always built from the base letter plus a hand-drawn mark: several
    # hand fonts lack them, and some (Breip) draw them as small lowercase letters.
    nfd = unicodedata.normalize("NFD", ch)
    base, marks = nfd[0], nfd[1:]
    font_path = style.font if has_glyph(style.font, base) else FALLBACK_FONT
    size = round(cap_px / cap_ratio(font_path))
    side = int(size * 2.4) | 1
    img = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(img)
    c = side // 2
    draw.text(
        (c, c + cap_px / 2),
        base,
        font=load_font(font_path, size),
        fill=255,
        anchor="ms",
        stroke_width=style.stroke_px,
        stroke_fill=255,
    )
    if marks:
        ink_box = img.getbbox() or (c - 5, c - 5, c + 5, c + 5)
        for mark in marks:
            _draw_accent(draw, mark, ink_box, pen=pen_px(style), cap=cap_px)
    rot = rng.gauss(0, 2.0)
    slant = max(-8.0, min(8.0, style.slant_deg + rng.gauss(0, 1.5)))
    img = _affine(img, rot_deg=max(-8.0, min(8.0, rot)), slant_deg=slant)
    return _pressure(np.asarray(img), rng)


def _pressure(mask: np.ndarray, rng: random.Random) -> np.ndarray:
    """Uneven ballpoint pressure: a smooth random gain between about 0.7 and 1."""
    tile = Image.fromarray(_gain_tile(rng))
    gain = np.asarray(tile.resize(mask.shape[::-1], Image.Resampling.BILINEAR))
    return (mask.astype(np.uint16) * gain // 255).astype(np.uint8)


def _gain_tile(rng: random.Random) -> np.ndarray:
    return np.array([[rng.randint(180, 255) for _ in range(3)] for _ in range(3)], dtype=np.uint8)


def draw_char_in_box(
    page: np.ndarray,
    ch: str,
    box: tuple[float, float, float, float],
    *,
    style: HandStyle,
    rng: random.Random,
) -> None:
    """Hand-print one character in a comb box, jittered; now and then it crosses a box line.

    Writers squeeze a wide letter (M, W) to fit its box; only the careless one in ~20 is left
    oversized or off-centre, touching or crossing a box line.
    """
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cap = bh * style.size * rng.uniform(0.85, 1.15)
    cx = (x0 + x1) / 2 + rng.gauss(0, 0.05 * bw)
    cy = (y0 + y1) / 2 + rng.gauss(0.03 * bh, 0.05 * bh)
    careless = rng.random() < 0.05
    if careless:
        what = rng.choice(("left", "right", "down", "big"))
        if what in ("left", "right"):
            cx += (-1 if what == "left" else 1) * rng.uniform(0.3, 0.42) * bw
        elif what == "down":
            cy += rng.uniform(0.22, 0.32) * bh
        else:
            cap *= 1.25
    mask = glyph_mask(ch, style=style, cap_px=cap, rng=rng)
    left, right = _ink_columns(mask)
    if not careless and right - left > 0.84 * bw:
        mask = glyph_mask(ch, style=style, cap_px=cap * 0.84 * bw / (right - left), rng=rng)
        left, right = _ink_columns(mask)
    ink = max(0, min(110, style.ink + rng.randint(-8, 8)))
    half = mask.shape[0] // 2
    cx -= (left + right) / 2 - half  # centre the ink, not the font's advance box
    multiply_into(page, ink_layer(mask, ink), round(cx) - half, round(cy) - half)


def _ink_columns(mask: np.ndarray) -> tuple[int, int]:
    """First and last columns holding ink (the middle column for an empty mask)."""
    cols = np.flatnonzero(mask.max(axis=0) > 40)
    if cols.size == 0:
        return mask.shape[1] // 2, mask.shape[1] // 2
    return int(cols[0]), int(cols[-1])


def draw_hand_text(
    page: np.ndarray,
    text: str,
    xy: tuple[float, float],
    *,
    cap_px: float,
    style: HandStyle,
    rng: random.Random,
) -> float:
    """Write a line of hand-printed text with its baseline at ``xy``; returns the end x."""
    x, base = xy
    for ch in text:
        if ch == " ":
            x += cap_px * 0.6
            continue
        mask = glyph_mask(ch, style=style, cap_px=cap_px * rng.uniform(0.92, 1.08), rng=rng)
        cols = np.flatnonzero(mask.max(axis=0) > 40)
        if cols.size == 0:
            continue
        half = mask.shape[0] // 2
        left = round(x) - int(cols[0])
        top = round(base - cap_px / 2 + rng.gauss(0, cap_px * 0.04)) - half
        multiply_into(page, ink_layer(mask, style.ink), left, top)
        x += (cols[-1] - cols[0]) + cap_px * rng.uniform(0.12, 0.22)
    return x
