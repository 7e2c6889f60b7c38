"""Build glyph training and validation sets as comb-box crops, then normalise them.

Each sample is a character from a font or a real hand, drawn into a comb box the way a pen
character looks on a 200-300 dpi scan of a photocopy once the box lines are removed: any size
and place in the box, slanted, rotated, bolder or thinner, wobbly, broken, blurred, noisy,
JPEG'd, with bits of box line left along the edges. The crop then goes through
``extractors.glyphs.normalise_glyph``, the very function the reader runs.

Validation is writer-disjoint: the writers that ``split_writers`` holds out are never drawn for
training, and the held-out font family is never drawn at all.

Training only: nothing here is installed with the package.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from multiprocessing import Pool

import cv2
import numpy as np

from extractors.glyphs import ACCENTED, DIGITS, GLYPH_SIZE, LETTERS, normalise_glyph
from training.glyph_augment import render_box
from training.glyph_marks import add_accent, add_crossbar, hand_symbol, ligature_oe
from training.glyph_sources import (
    ACCENT_OF,
    CAP_PX,
    Glyph,
    HandSample,
    font_family,
    font_glyph,
    is_hand_lettering,
    list_fonts,
    load_hand_samples,
    render_hand,
    set_pen,
    split_writers,
)

log = logging.getLogger(__name__)

SYMBOLS = "-'.,/#@_"
CLASSES = DIGITS + LETTERS + ACCENTED + SYMBOLS


@dataclass
class GlyphPool:
    """Everything a worker draws from: fonts and the real samples of the allowed writers."""

    fonts: list
    hand: dict[str, list[HandSample]] = field(default_factory=dict)
    by_writer: dict[tuple[str, str], HandSample] = field(default_factory=dict)

    @classmethod
    def build(cls, *, held_out: bool, fonts: list | None = None) -> GlyphPool:
        samples = load_hand_samples()
        held = split_writers(samples)
        pool = cls(fonts=list_fonts() if fonts is None else fonts)
        for s in samples:
            if (s.writer in held) == held_out:
                pool.hand.setdefault(s.label, []).append(s)
                pool.by_writer[(s.writer, s.label)] = s
        return pool


def _pen_ratio(rng: np.random.Generator) -> float:
    """Pen width over cap height: 0.3 mm ballpoint to felt-tip on 5 mm capitals."""
    return float(np.exp(rng.uniform(np.log(0.05), np.log(0.2))))


def _pick_font(fonts: list, rng: np.random.Generator):
    """Hand-lettering faces are closer to block capitals: draw them 60 % of the time.

    A hand is drawn by its folder first (one package, one designer), then a face of it, so a
    package with four weights of one hand does not outweigh four other hands.
    """
    hand = [f for f in fonts if is_hand_lettering(f)]
    typed = [f for f in fonts if not is_hand_lettering(f)]
    if hand and (not typed or rng.random() < 0.6):
        dirs = sorted({f.parent for f in hand})
        chosen = dirs[rng.integers(len(dirs))]
        group = [f for f in hand if f.parent == chosen]
    else:
        group = typed
    return group[rng.integers(len(group))]


def _hand_base(pool: GlyphPool, ch: str, rng: np.random.Generator, pen: float) -> Glyph | None:
    samples = pool.hand.get(ch)
    if not samples:
        return None
    return render_hand(samples[rng.integers(len(samples))], pen_ratio=pen, rng=rng)


def _font_char(pool: GlyphPool, ch: str, rng: np.random.Generator) -> Glyph | None:
    """``ch`` from a random font, composing accents and OE when the font lacks them."""
    for _ in range(8):
        font = _pick_font(pool.fonts, rng)
        glyph = font_glyph(font, "\u2019" if ch == "'" and rng.random() < 0.4 else ch)
        if ch in ACCENT_OF and (glyph is None or rng.random() < 0.25):
            base = font_glyph(font, ACCENT_OF[ch][0])
            glyph = add_accent(base, ACCENT_OF[ch][1], rng) if base else None
        elif ch == "Œ" and glyph is None:
            o, e = font_glyph(font, "O"), font_glyph(font, "E")
            glyph = ligature_oe(o, e, rng) if o and e else None
        if glyph is not None:
            if rng.random() < 0.6 and ch not in ".,'":
                glyph = Glyph(set_pen(glyph.ink, _pen_ratio(rng) * CAP_PX), glyph.top, glyph.bottom)
            return glyph
    return None


def _hand_char(pool: GlyphPool, ch: str, rng: np.random.Generator) -> Glyph | None:
    """``ch`` from a real writer, an accent drawn over a real letter, or a hand-like mark."""
    pen = _pen_ratio(rng)
    if ch in SYMBOLS:
        return hand_symbol(ch, pen_ratio=pen, rng=rng)
    if ch in ACCENT_OF:
        base = _hand_base(pool, ACCENT_OF[ch][0], rng, pen)
        return add_accent(base, ACCENT_OF[ch][1], rng) if base else None
    if ch == "Œ":
        writers = [w for (w, c) in pool.by_writer if c == "O" and (w, "E") in pool.by_writer]
        if not writers:
            return None
        w = writers[rng.integers(len(writers))]
        o = render_hand(pool.by_writer[(w, "O")], pen_ratio=pen, rng=rng)
        e = render_hand(pool.by_writer[(w, "E")], pen_ratio=pen, rng=rng)
        return ligature_oe(o, e, rng)
    return _hand_base(pool, ch, rng, pen)


def draw_glyph(pool: GlyphPool, ch: str, rng: np.random.Generator, *, p_hand: float) -> Glyph:
    """One rendering of ``ch``, from real handwriting with probability ``p_hand``."""
    glyph = _hand_char(pool, ch, rng) if rng.random() < p_hand else None
    glyph = glyph or _font_char(pool, ch, rng) or _hand_char(pool, ch, rng)
    if glyph is None:
        raise LookupError(f"no source draws {ch!r}")
    if ch in "7Z" and rng.random() < 0.3:
        glyph = add_crossbar(glyph, rng)
    return glyph


# ---------------------------------------------------------------- data sets

_POOLS: dict[bool, GlyphPool] = {}


def _pool(held_out: bool) -> GlyphPool:
    """One pool per worker process and split, built on first use."""
    if held_out not in _POOLS:
        _POOLS[held_out] = GlyphPool.build(held_out=held_out)
    return _POOLS[held_out]


def _make_chunk(args: tuple[int, int, float]) -> tuple[np.ndarray, np.ndarray]:
    """``n`` normalised samples cycling through the classes, from training writers only."""
    seed, n, p_hand = args
    cv2.setNumThreads(1)
    rng = np.random.default_rng(seed)
    pool = _pool(held_out=False)
    x = np.zeros((n, 2, GLYPH_SIZE, GLYPH_SIZE), np.uint8)
    y = np.zeros(n, np.int16)
    for i in range(n):
        label = (seed * 7919 + i) % len(CLASSES)
        while True:
            glyph = draw_glyph(pool, CLASSES[label], rng, p_hand=p_hand)
            norm = normalise_glyph(render_box(glyph, rng, hard=True))
            if not norm.blank:
                break
        x[i] = np.round(norm.tensor * 255)
        y[i] = label
    return x, y


def build_training_set(
    *, n_per_class: int, seed: int = 1, workers: int = 2, p_hand: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Normalised training samples as uint8 (N, 2, 48, 48) and class indices (N,)."""
    total = n_per_class * len(CLASSES)
    chunk = 2000
    jobs = [
        (seed * 100_000 + k, min(chunk, total - k * chunk), p_hand)
        for k in range(-(-total // chunk))
    ]
    with Pool(workers) as procs:
        parts = procs.map(_make_chunk, jobs)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


@dataclass(frozen=True)
class EvalCrop:
    """A box crop for evaluation: what the reader gets, its truth and where it came from."""

    crop: np.ndarray
    label: str
    source: str  # "hand" (real held-out writer), "hand-accent" (composed on one), or "font"
    face: str = ""  # the font family of a "font" crop


def held_out_hand_crops(seed: int = 7, *, rough: bool = False) -> list[EvalCrop]:
    """Every real sample of the held-out writers, once, in a clean-ish box (no jitter).

    With ``rough``, only the real samples, aged as hard as training ages them (source
    ``hand-rough``): a stress test rather than the expected scan.
    """
    rng = np.random.default_rng(seed)
    pool = _pool(held_out=True)
    out = []
    for label in DIGITS + LETTERS:
        for sample in pool.hand.get(label, []):
            glyph = render_hand(sample, pen_ratio=rng.uniform(0.06, 0.12), rng=rng, jitter=False)
            crop = render_box(glyph, rng, hard=rough)
            out.append(EvalCrop(crop, label, "hand-rough" if rough else "hand"))
    for label in ACCENTED if not rough else "":
        for _ in range(20):
            glyph = _hand_char(pool, label, rng)
            out.append(EvalCrop(render_box(glyph, rng, hard=False), label, "hand-accent"))
    return out


def held_out_font_crops(
    seed: int = 11, per_class: int = 4, *, family: str | None = None
) -> list[EvalCrop]:
    """Every class each held-out font has (the form generator's faces, or only those of
    ``family``, e.g. ``Humor-Sans``), ``per_class`` clean-ish renderings each."""
    rng = np.random.default_rng(seed)
    out = []
    fonts = list_fonts(held_out=True)
    for font in [f for f in fonts if family is None or font_family(f) == family]:
        for label in CLASSES:
            glyph = font_glyph(font, label)
            for _ in range(per_class if glyph else 0):
                crop = render_box(glyph, rng, hard=False)
                out.append(EvalCrop(crop, label, "font", font_family(font)))
    return out
