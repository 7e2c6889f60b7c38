"""Recognise isolated hand-printed characters, one per comb box (the form's ICR core).

A small CNN (``extractors/models/glyphs.onnx``, trained by ``training/train_glyphs.py``) reads
each box crop. It runs through OpenCV's DNN module, so inference needs neither torch nor
onnxruntime. The crop normalisation lives here, and training imports it, so the two can never
drift apart.

The network sees two 48 x 48 channels:

* **shape**: the ink cropped to its bounding box, scaled with its aspect kept to fit 40 px and
  centred. This is what tells letters apart, whatever their size or place in the box.
* **context**: the whole box, ink only, squeezed to 48 x 48. Bounding-box scaling erases size and
  position, which is all that separates ``'`` from ``,`` or ``I``, and ``.`` from ``O``.

Besides its logits the model gives the 128 features its classifier reads (``features``, added
by ``training/feature_output.py``): the form reader compares a page's boxes with them to
learn its writer's hand (``extractors.writer_adaptation``).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "models"
MODEL_PATH = MODEL_DIR / "glyphs.onnx"
TOP_K = 5
BLANK = " "

GLYPH_SIZE = 48
_FIT = 40  # longest side of the shape channel; a 4 px margin keeps strokes off the edge
# Components smaller than this share of the largest one are specks, not strokes: 2 % keeps
# the dots of a diaeresis (3-5 % of an E at 300 dpi) and drops scanner dust.
_SPECK_SHARE = 0.02
# A box with less kept ink than this share of its area is empty; a full stop is about 1 %.
_BLANK_SHARE = 0.002
# Ink is at least this many gray levels darker than the paper somewhere. The anti-aliased rims
# of printed lines and labels left by template subtraction are 45-55 levels; ballpoint on a
# photocopy is over 90.
_MIN_CONTRAST = 60
# Box-line remnants that survive line removal hug one edge: a component lying wholly inside
# this band along an edge, and long along it, is dropped.
_EDGE_BAND = 0.12

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
#: French accented capitals, then the Spanish and Portuguese ones of applicants' names (MARÍA,
#: MUÑOZ, GUIMARÃES). A model trained before a class existed never answers it.
ACCENTED = "ÉÈÊËÀÂÇÔÎÏÙÛŒÁÍÓÚÑÃÕÜ"
CHARSETS: dict[str, str] = {
    "alpha": LETTERS + ACCENTED + " -'",
    "alnum": LETTERS + DIGITS,  # apartment numbers: 12B
    "digits": DIGITS,
    "letters": LETTERS,  # the letter positions of a postal code
    "email": LETTERS + DIGITS + "@.-_",
    "text": LETTERS + DIGITS + ACCENTED + " -',.#/",
}


@dataclass(frozen=True)
class NormalisedGlyph:
    """One crop ready for the network; ``blank`` when the box holds no ink."""

    tensor: np.ndarray  # float32, (2, GLYPH_SIZE, GLYPH_SIZE), ink = 1
    blank: bool


def ink_map(crop: np.ndarray) -> np.ndarray:
    """Turn a grayscale crop (dark ink on light paper) into ink strength in [0, 1].

    The paper level is the 90th percentile and the ink level the 1st, so photocopies that are
    darker or lighter map alike. The 40-level contrast floor keeps a blank box from being
    stretched until its paper grain looks like ink.
    """
    gray = crop.astype(np.float32)
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    paper = float(np.percentile(gray, 90))
    dark = float(np.percentile(gray, 1))
    span = max(paper - dark, 40.0)
    return np.clip((paper - gray) / span, 0.0, 1.0)


def _contrast(crop: np.ndarray) -> float:
    """Gray levels between the paper and the darkest ink, ignoring single-pixel noise."""
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    smooth = cv2.GaussianBlur(gray.astype(np.float32), (3, 3), 0)
    return float(np.percentile(gray, 90)) - float(smooth.min())


def _is_edge_remnant(x: int, y: int, w: int, h: int, shape: tuple[int, int]) -> bool:
    """A thin piece lying wholly along one edge of the box: what is left of a box line."""
    rows, cols = shape
    band_y, band_x = max(2, round(_EDGE_BAND * rows)), max(2, round(_EDGE_BAND * cols))
    along_top = y + h <= band_y or y >= rows - band_y
    along_side = x + w <= band_x or x >= cols - band_x
    return (along_top and w >= 3 * h) or (along_side and h >= 3 * w)


def clean_ink(ink: np.ndarray) -> np.ndarray:
    """Keep only the ink of the character: drop specks and box-line remnants."""
    mask = (ink > 0.4).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return np.zeros_like(ink)
    areas = stats[1:, cv2.CC_STAT_AREA]
    min_area = max(3.0, _SPECK_SHARE * float(areas.max()))
    keep = np.zeros(count, dtype=bool)
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        keep[i] = area >= min_area and not _is_edge_remnant(x, y, w, h, ink.shape)
    if not keep.any():
        return np.zeros_like(ink)
    # Grow the kept mask a little so the anti-aliased rim of each stroke comes along.
    kept = cv2.dilate(keep[labels].astype(np.uint8), np.ones((3, 3), np.uint8))
    return ink * kept


def _fit_shape(ink: np.ndarray) -> np.ndarray:
    """Crop ink to its bounding box, scale it to fit ``_FIT`` px keeping aspect, centre it."""
    ys, xs = np.nonzero(ink > 0.1)
    box = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = box.shape
    scale = _FIT / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(box, (new_w, new_h), interpolation=interp)
    out = np.zeros((GLYPH_SIZE, GLYPH_SIZE), np.float32)
    top, left = (GLYPH_SIZE - new_h) // 2, (GLYPH_SIZE - new_w) // 2
    out[top : top + new_h, left : left + new_w] = small
    return out


def normalise_glyph(crop: np.ndarray) -> NormalisedGlyph:
    """Prepare one box crop for the network, exactly as training does.

    Args:
        crop: grayscale uint8 box interior, dark ink on light paper, any size.
    """
    ink = clean_ink(ink_map(crop))
    if _contrast(crop) < _MIN_CONTRAST or (ink > 0.4).sum() < max(2.0, _BLANK_SHARE * ink.size):
        return NormalisedGlyph(np.zeros((2, GLYPH_SIZE, GLYPH_SIZE), np.float32), blank=True)
    context = cv2.resize(ink, (GLYPH_SIZE, GLYPH_SIZE), interpolation=cv2.INTER_AREA)
    tensor = np.stack([_fit_shape(ink), context]).astype(np.float32)
    return NormalisedGlyph(tensor, blank=False)


class GlyphReader:
    """Classify box crops with the glyph CNN; one forward pass per call.

    Args:
        net: an OpenCV DNN network read from the ONNX model.
        classes: the model's output classes, in order.
    """

    def __init__(self, net: cv2.dnn.Net, classes: str, *, features: str | None = None) -> None:
        self._net = net
        self._outputs = ["logits", features] if features else ["logits"]
        # One cv2.dnn.Net keeps its input and buffers between setInput and forward, and the
        # flow runs pages on a thread pool: serialise those two calls.
        self._lock = threading.Lock()
        self.classes = classes
        self._index = {c: i for i, c in enumerate(classes)}

    def charset_mask(self, charset: str) -> np.ndarray:
        """Boolean mask over the classes a charset allows.

        A postal code (A9A 9A9) is read per position, with ``letters`` or ``digits``.
        """
        if charset not in CHARSETS:
            hint = " (ask per position: 'letters' or 'digits')" if charset == "postal" else ""
            raise ValueError(f"unknown charset {charset!r}{hint}")
        allowed = set(CHARSETS[charset])
        return np.array([c in allowed for c in self.classes], dtype=bool)

    def probabilities(self, tensors: np.ndarray) -> np.ndarray:
        """Softmax over all classes for a batch of normalised glyphs, shape (N, classes)."""
        return self._forward(tensors)[0]

    def _forward(self, tensors: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Softmax over all classes, and the hidden features when the model gives them."""
        with self._lock:
            self._net.setInput(np.ascontiguousarray(tensors, dtype=np.float32))
            outs = self._net.forward(self._outputs)
        logits = outs[0].reshape(len(tensors), -1).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        feats = outs[1].reshape(len(tensors), -1) if len(outs) > 1 else None
        return exp / exp.sum(axis=1, keepdims=True), feats

    def classify(self, crops: list[np.ndarray], charset: str) -> list[list[tuple[str, float]]]:
        """Top-5 candidates with probabilities for each crop, restricted to ``charset``.

        Probabilities are the network's softmax masked to the charset and renormalised. A crop
        with no ink gets ``[(" ", 1.0)]`` whatever the charset: an empty box is a fact, and the
        caller decides whether a field may hold one.
        """
        return self.classify_with_features(crops, charset)[0]

    def classify_with_features(
        self, crops: list[np.ndarray], charset: str
    ) -> tuple[list[list[tuple[str, float]]], list[np.ndarray | None]]:
        """``classify``, and each inked crop's features (None for a blank crop, or for every
        crop of a model without them): how the network sees the hand that wrote it."""
        mask = self.charset_mask(charset)
        glyphs = [normalise_glyph(c) for c in crops]
        inked = [i for i, g in enumerate(glyphs) if not g.blank]
        results: list[list[tuple[str, float]]] = [[(BLANK, 1.0)] for _ in crops]
        features: list[np.ndarray | None] = [None] * len(crops)
        if not inked:
            return results, features
        probs, feats = self._forward(np.stack([glyphs[i].tensor for i in inked]))
        probs = probs * mask
        probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
        for row, i in enumerate(inked):
            top = np.argsort(-probs[row])[:TOP_K]
            results[i] = [(self.classes[j], float(probs[row, j])) for j in top if mask[j]]
            if feats is not None:
                features[i] = feats[row]
        log.debug(
            "classified %d crops (%d blank) as %s", len(crops), len(crops) - len(inked), charset
        )
        return results, features


@functools.cache
def _load_cached(path: Path) -> GlyphReader:
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    net = cv2.dnn.readNetFromONNX(str(path))
    log.info("loaded glyph model %s (%d classes)", path.name, len(meta["classes"]))
    return GlyphReader(net, meta["classes"], features=meta.get("features"))


def load_glyph_reader(path: Path | None = None) -> GlyphReader:
    """The glyph reader for ``path`` (default: the committed model), loaded once per process."""
    return _load_cached((path or MODEL_PATH).resolve())
