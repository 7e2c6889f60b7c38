"""Measure the glyph reader against Tesseract on the same held-out crops, side by side.

Run from the repository root::

    .venv/bin/python -m training.eval_glyphs            # needs /work/shared handprint-chars
    .venv/bin/python -m training.eval_glyphs --write-test-data tests/data/glyphs/heldout.npz

Held-out crops are the real characters of the writers that ``split_writers`` kept out of
training, accented capitals composed over those writers' letters, and the form generator's
font families (never trained on).
Each crop is scored with the charset its field would use (digits for digits, alpha for letters,
text or email for marks), and also over every class, to show the O/0-type confusions that field
syntax must settle.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from extractors.glyphs import (
    ACCENTED,
    DIGITS,
    MODEL_PATH,
    GlyphReader,
    load_glyph_reader,
    normalise_glyph,
)
from training.glyph_data import EvalCrop, held_out_font_crops, held_out_hand_crops

PAIRS = ("O0", "I1", "S5", "Z2", "B8", "G6", "D0", "UV", "Q0")


def field_charset(label: str) -> str:
    """The charset of the field a character would be read in."""
    if label in DIGITS:
        return "digits"
    if label in "@_":
        return "email"
    if label in ".,/#":
        return "text"
    return "alpha"


def read_reader(reader: GlyphReader, crops: list[EvalCrop]) -> tuple[list[str], list[str]]:
    """The reader's best guess per crop: within the field charset, and over every class."""
    by_field = [""] * len(crops)
    for charset in {field_charset(c.label) for c in crops}:
        idx = [i for i, c in enumerate(crops) if field_charset(c.label) == charset]
        for i, top in zip(idx, reader.classify([crops[i].crop for i in idx], charset), strict=True):
            by_field[i] = top[0][0]
    tensors = np.stack([normalise_glyph(c.crop).tensor for c in crops])
    probs = reader.probabilities(tensors)
    return by_field, [reader.classes[j] for j in probs.argmax(axis=1)]


def _tesseract_one(crop: np.ndarray, whitelist: str) -> str:
    padded = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        cv2.imwrite(f.name, padded)
        out = subprocess.run(
            ["tesseract", f.name, "stdout", "--psm", "10", "-l", "fra+eng",
             "-c", f"tessedit_char_whitelist={whitelist}"],
            capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )  # fmt: skip
    text = out.stdout.strip()
    return text[:1] if text else " "


def read_tesseract(crops: list[EvalCrop], reader: GlyphReader) -> list[str]:
    """Tesseract's single-character reading (psm 10) with the field charset as whitelist."""
    from extractors.glyphs import CHARSETS

    def one(c: EvalCrop) -> str:
        return _tesseract_one(c.crop, CHARSETS[field_charset(c.label)].replace(" ", ""))

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, crops))


def _accuracy(truth: list[str], guess: list[str]) -> str:
    if not truth:
        return "    -   "
    ok = sum(t == g for t, g in zip(truth, guess, strict=True))
    return f"{100 * ok / len(truth):6.2f} %"


def report_accuracy(crops: list[EvalCrop], columns: dict[str, list[str]]) -> None:
    print(f"{'set':<28}{'n':>5}  " + "".join(f"{k:>16}" for k in columns))
    groups = {
        "real hand, digits": lambda c: c.source == "hand" and c.label in DIGITS,
        "real hand, letters": lambda c: c.source == "hand" and c.label not in DIGITS,
        "real hand, all 0-9 A-Z": lambda c: c.source == "hand",
        "real hand, rough scans": lambda c: c.source == "hand-rough",
        "accents on real letters": lambda c: c.source == "hand-accent",
        "held-out generator fonts": lambda c: c.source == "font",
        "  of which Humor Sans": lambda c: c.source == "font" and c.face == "Humor-Sans",
        "  accented, all fonts": lambda c: c.source == "font" and c.label in ACCENTED,
    }
    for name, keep in groups.items():
        idx = [i for i, c in enumerate(crops) if keep(c)]
        truth = [crops[i].label for i in idx]
        cells = "".join(
            f"{_accuracy(truth, [col[i] for i in idx]):>16}" for col in columns.values()
        )
        print(f"{name:<28}{len(idx):>5}  {cells}")


def report_confusions(crops: list[EvalCrop], guess: list[str]) -> None:
    pairs = Counter((c.label, g) for c, g in zip(crops, guess, strict=True) if c.label != g)
    print("\nconfusions over every class (truth -> read: count), real hand + font:")
    print("  " + ", ".join(f"{t}->{g}: {n}" for (t, g), n in pairs.most_common(20)))
    watched = {p: pairs[(p[0], p[1])] + pairs[(p[1], p[0])] for p in PAIRS}
    print("  watched pairs: " + ", ".join(f"{p[0]}/{p[1]} {n}" for p, n in watched.items()))


def report_speed(reader: GlyphReader, crops: list[EvalCrop], path: Path) -> None:
    cv2.setNumThreads(1)
    batch = [crops[i % len(crops)].crop for i in range(300)]
    reader.classify(batch[:10], "alpha")  # warm-up
    start = time.perf_counter()
    for crop in batch[:50]:
        reader.classify([crop], "alpha")
    one = (time.perf_counter() - start) / 50
    start = time.perf_counter()
    reader.classify(batch, "alpha")
    full = time.perf_counter() - start
    print(f"\nspeed on one core: {1000 * one:.2f} ms for one glyph alone, {1000 * full:.0f} ms "
          f"for a 300-glyph batch ({1000 * full / 300:.2f} ms/glyph); model "
          f"{path.stat().st_size / 1e6:.2f} MB, {len(reader.classes)} classes")  # fmt: skip


def write_test_data(crops: list[EvalCrop], out: Path) -> None:
    """Save crops for the unit tests, which must run without /work/shared."""
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        pixels=np.concatenate([c.crop.ravel() for c in crops]),
        shapes=np.array([c.crop.shape for c in crops], np.int32),
        labels=np.array([c.label for c in crops]),
        sources=np.array([c.source for c in crops]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-tesseract", action="store_true")
    parser.add_argument("--write-test-data", type=Path)
    args = parser.parse_args()
    if args.write_test_data:
        # One held-out face keeps the test file small; the evaluation reads them all.
        crops = held_out_hand_crops() + held_out_font_crops(family="Humor-Sans")
        write_test_data(crops, args.write_test_data)
        print(f"wrote {len(crops)} crops to {args.write_test_data}")
        return
    crops = held_out_hand_crops() + held_out_font_crops()
    crops += held_out_hand_crops(seed=13, rough=True)
    reader = load_glyph_reader(args.model)
    by_field, anyclass = read_reader(reader, crops)
    columns = {"CNN field cs": by_field, "CNN all classes": anyclass}
    if not args.no_tesseract:
        columns["Tesseract field"] = read_tesseract(crops, reader)
    report_accuracy(crops, columns)
    plain = [i for i, c in enumerate(crops) if c.source in ("hand", "font")]
    report_confusions([crops[i] for i in plain], [anyclass[i] for i in plain])
    report_speed(reader, crops, args.model)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
