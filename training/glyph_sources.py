"""Where training glyphs come from: installed fonts, real hand-drawn characters, hand-like strokes.

Every source yields a :class:`Glyph`: a tight, high-resolution ink image plus where it sits
against the cap line and the baseline, so that ``'`` stays high, ``,`` low and ``-`` in the
middle once the glyph is placed in a comb box.

Training only: nothing here is installed with the package.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sample_scans.handwriting import FALLBACK_FONT, HAND_FONTS

HAND_DIR = Path("/work/shared/data/handprint-chars")
FONT_ROOT = Path("/usr/share/fonts")
CAP_PX = 96  # cap height of every high-resolution glyph

# Script faces write capitals as flourishes nobody prints in a comb box; the maths face is a
# duplicate of DejaVu Serif with odd metrics; Navilu (Kannada) and Seto's "ex" face draw no
# Latin capitals.
EXCLUDED_FONTS = (
    "DancingScript", "Kristi", "DejaVuMathTeXGyre", "breipfont", "Navilu", "setofont-ex",
)  # fmt: skip
# Every family the form generator writes with (``sample_scans.handwriting``: their folders,
# so sibling weights and italics go too) is kept out of training, so that ``intake
# bench-form`` and the held-out font figures of ``eval_glyphs`` measure hands the network
# never saw. Debian packages: fonts-humor-sans, fonts-dkg-handwriting, fonts-breip,
# fonts-bwht, fonts-comic-neue.
HELD_OUT_DIRS: tuple[Path, ...] = tuple(
    sorted({f.parent for f, _ in HAND_FONTS} | {FALLBACK_FONT.parent})
)
# Hand-lettering faces trained on, by folder; each is a Debian package (fonts-<name>, Purisa
# in fonts-tlwg-purisa-otf): install them before building a training set, or the fonts drawn
# are typed faces only and the network learns less of hands.
HAND_LETTERING_DIRS = (
    "femkeklaver", "tomsontalks", "sjfonts", "rufscript", "tlwg", "kiloji", "seto",
    "yusei-magic",
)  # fmt: skip

ACCENT_OF = {
    "É": ("E", "acute"), "È": ("E", "grave"), "Ê": ("E", "circ"), "Ë": ("E", "diaer"),
    "À": ("A", "grave"), "Â": ("A", "circ"), "Ç": ("C", "cedilla"), "Ô": ("O", "circ"),
    "Î": ("I", "circ"), "Ï": ("I", "diaer"), "Ù": ("U", "grave"), "Û": ("U", "circ"),
    # Spanish and Portuguese names: MARÍA, MUÑOZ, CONCEIÇÃO, GUIMARÃES, MÜLLER.
    "Á": ("A", "acute"), "Í": ("I", "acute"), "Ó": ("O", "acute"), "Ú": ("U", "acute"),
    "Ñ": ("N", "tilde"), "Ã": ("A", "tilde"), "Õ": ("O", "tilde"), "Ü": ("U", "diaer"),
}  # fmt: skip


@dataclass(frozen=True)
class Glyph:
    """A tight ink image (float32, ink = 1) and its vertical extent in cap-height units.

    ``top`` and ``bottom`` are measured from the cap line (0) towards the baseline (1): an
    accent has a negative top, a comma a bottom beyond 1.
    """

    ink: np.ndarray
    top: float
    bottom: float

    @property
    def cap_px(self) -> float:
        return self.ink.shape[0] / max(self.bottom - self.top, 0.05)


def tighten(ink: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Crop to the ink; also return the removed top and left margins."""
    ys, xs = np.nonzero(ink > 0.05)
    if len(ys) == 0:
        return ink[:1, :1] * 0, 0, 0
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], int(ys.min()), int(xs.min())


def stroke_width(ink: np.ndarray) -> float:
    """Rough pen width in pixels: a stroke of width w has distance-transform values up to w/2."""
    mask = (ink > 0.5).astype(np.uint8)
    if mask.sum() < 4:
        return 1.0
    dist = cv2.distanceTransform(np.pad(mask, 1), cv2.DIST_L2, 3)
    return float(2.0 * np.percentile(dist[dist > 0], 90))


# ---------------------------------------------------------------- fonts


def font_family(path: Path) -> str:
    """Family key used to sample fonts evenly and to hold one family out."""
    return re.sub(r"(-?(Bold|Italic|Oblique|Regular|Light|Extra|It|BI|Bd))+$", "", path.stem)


def list_fonts(*, held_out: bool = False) -> list[Path]:
    """Training fonts (or, with ``held_out``, only the generator's faces, never trained on)."""
    paths = sorted(p for p in FONT_ROOT.rglob("*") if p.suffix.lower() in (".ttf", ".otf"))
    paths = [p for p in paths if not any(x in p.name for x in EXCLUDED_FONTS)]
    return [p for p in paths if (p.parent in HELD_OUT_DIRS) == held_out]


def is_hand_lettering(path: Path) -> bool:
    return path.parent.name in HAND_LETTERING_DIRS or path.parent in HELD_OUT_DIRS


@cache
def _font(path: Path) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), 128)


@cache
def _cap_height(path: Path) -> float:
    return float(-_font(path).getbbox("H", anchor="ls")[1])


@cache
def font_glyph(path: Path, ch: str) -> Glyph | None:
    """Render ``ch`` from a font, or None when the font lacks it (it draws .notdef instead)."""
    font = _font(path)
    if ch != "\uffff" and _mask_bytes(font, ch) == _mask_bytes(font, "\uffff"):
        return None
    canvas = Image.new("L", (400, 400), 0)
    ImageDraw.Draw(canvas).text((100, 260), ch, font=font, fill=255, anchor="ls")
    ink, y0, _ = tighten(np.asarray(canvas, np.float32) / 255.0)
    if ink.shape[0] < 2 and ink.shape[1] < 2:
        return None
    cap = _cap_height(path)
    top = (y0 - (260 - cap)) / cap
    glyph = Glyph(ink, top, top + ink.shape[0] / cap)
    scale = CAP_PX / cap
    resized = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return Glyph(resized, glyph.top, glyph.bottom)


def _mask_bytes(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    mask = font.getmask(ch)
    return np.asarray(mask).tobytes() + str(mask.size).encode()


# ---------------------------------------------------------------- real handwriting


@dataclass(frozen=True)
class HandSample:
    """One real hand-drawn character: raw strokes (Chars74K) or a 64 x 64 image (CoMNIST)."""

    label: str
    writer: str
    strokes: tuple[np.ndarray, ...] = ()
    image: np.ndarray | None = None


def load_hand_samples(hand_dir: Path = HAND_DIR) -> list[HandSample]:
    """Every real sample, writers named ``c74k:<n>`` or ``comnist:<session>``."""
    raw = json.loads((hand_dir / "chars74k_hnd_train_strokes.json").read_text())["strokes"]
    samples = [
        HandSample(ch, f"c74k:{w}", tuple(np.asarray(s, np.float32) for s in strokes if s))
        for ch, by_writer in raw.items()
        for w, strokes in by_writer.items()
    ]
    com = np.load(hand_dir / "comnist_latin_train.npz")
    samples += [
        HandSample(str(lab), f"comnist:{s}", image=img)
        for img, lab, s in zip(com["images"], com["labels"], com["session"], strict=True)
    ]
    return samples


def split_writers(samples: list[HandSample], *, share: float = 0.25, seed: int = 0) -> set[str]:
    """Writers held out for validation: about ``share`` of each source's samples."""
    rng = np.random.default_rng(seed)
    held: set[str] = set()
    for source in ("c74k", "comnist"):
        counts: dict[str, int] = {}
        for s in samples:
            if s.writer.startswith(source):
                counts[s.writer] = counts.get(s.writer, 0) + 1
        total, taken = sum(counts.values()), 0
        for w in rng.permutation(sorted(counts)):
            if taken >= share * total:
                break
            held.add(str(w))
            taken += counts[str(w)]
    return held


def _jitter_strokes(strokes: tuple[np.ndarray, ...], rng: np.random.Generator) -> list[np.ndarray]:
    """A smooth wobble along each stroke and a small shift per stroke, as another hand would."""
    out = []
    for s in strokes:
        knots = rng.normal(0, 0.015, (4, 2))
        t = np.linspace(0, 3, len(s))
        wobble = np.stack([np.interp(t, np.arange(4), knots[:, i]) for i in range(2)], axis=1)
        out.append(s + wobble + rng.normal(0, 0.015, 2))
    return out


def render_hand(
    sample: HandSample, *, pen_ratio: float, rng: np.random.Generator, jitter: bool = True
) -> Glyph:
    """Draw a real sample at ``CAP_PX`` with a pen ``pen_ratio`` of the cap height wide."""
    if sample.image is not None:
        ink = (255.0 - sample.image.astype(np.float32)) / 255.0
        ink = cv2.resize(ink, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
        ink, _, _ = tighten(np.clip(ink, 0, 1))
        scale = CAP_PX / ink.shape[0]
        ink = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        return Glyph(set_pen(ink, pen_ratio * CAP_PX), 0.0, 1.0)
    pts = np.concatenate(sample.strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    size = max(float(hi[1] - lo[1]), 1e-3)
    norm = [(s - lo) / size for s in sample.strokes]
    pen = max(1, round(pen_ratio * CAP_PX))
    strokes = _jitter_strokes(tuple(norm), rng) if jitter else norm
    return Glyph(draw_strokes(strokes, CAP_PX, pen), 0.0, 1.0)


def draw_strokes(strokes: list[np.ndarray], scale: float, pen: int) -> np.ndarray:
    """Rasterise unit-scaled strokes with a round pen; returns a tight ink image."""
    pts = np.concatenate(strokes)
    lo = pts.min(axis=0)
    span = pts.max(axis=0) - lo
    pad = pen + 2
    w, h = int(span[0] * scale) + 2 * pad + 1, int(span[1] * scale) + 2 * pad + 1
    canvas = np.zeros((h, w), np.uint8)
    for s in strokes:
        p = ((s - lo) * scale + pad) * 4
        if len(p) == 1:
            p = np.vstack([p, p + 1])
        cv2.polylines(canvas, [p.astype(np.int32)], False, 255, pen, cv2.LINE_AA, shift=2)
    return tighten(canvas.astype(np.float32) / 255.0)[0]


def set_pen(ink: np.ndarray, target: float, *, max_thin: float = 0.35) -> np.ndarray:
    """Thicken or thin strokes towards ``target`` px; thins at most ``max_thin`` of the width."""
    width = stroke_width(ink)
    diff = target - width
    if diff < 0:
        diff = max(diff, -max_thin * width)
    k = int(round(abs(diff)))
    if k < 1:
        return ink
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
    op = cv2.dilate if diff > 0 else cv2.erode
    padded = np.pad(ink, k + 1)
    return tighten(op(padded, kernel))[0]
