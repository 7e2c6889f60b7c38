"""Read the comb boxes of rendered application forms, to check the crop contract end to end.

Run from the repository root::

    .venv/bin/python -m training.eval_form_boxes --forms 6 --up 0.3 --down 0.15

Page 1 of the form is filled by ``sample_scans`` (its hand-lettering fonts, which training also
draws, so shapes are easy here: this checks crops, not writers). Box lines and pre-printed
labels are removed by subtracting the blank template, the best case for line removal; a letter
stroke that lies *along* a box line goes with it. Each crop is the box widened by ``--up`` and
``--down`` box heights, because writers put accents above the top line.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import numpy as np

from extractors.glyphs import load_glyph_reader
from sample_scans.handwriting import pick_hand_style
from sample_scans.render_form import blank_pages, form_layout, render_form_pages

DPI = 300
VALUES = {
    "family_name": "BÉLANGER-O'NEIL", "given_names": "MARIE ÈVE", "country_of_birth": "HAÏTI",
    "citizenship": "CÔTE D'IVOIRE", "uci": "0123456789", "apartment": "12B",
    "street": "1234 RUE DES ÉRABLES, APP. #5", "municipality": "TROIS-RIVIÈRES",
    "postal_code": "G9A5H7", "telephone": "8195550147", "email": "MARIE.EVE_B@EXEMPLE.CA",
    "date_of_birth": "1987-03-29",
}  # fmt: skip


def _strip_template(page: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """White out printed pixels that no ink darkened further."""
    out = page.copy()
    out[(blank < 200) & (page.astype(np.int16) >= blank.astype(np.int16) - 25)] = 255
    return out


def _crops(page: np.ndarray, field, value: str, *, up: float, down: float):
    k = DPI / 72
    chars = value.replace("-", "") if field.kind.value == "date" else value
    rects = [r for g in field.combs for r in g.box_rects()]
    for ch, (x0, y0, x1, y1) in zip(chars, rects, strict=False):
        bh = (y1 - y0) * k
        top, bottom = int(y0 * k - up * bh), int(y1 * k + down * bh)
        yield ch, page[top:bottom, int(x0 * k) + 3 : int(x1 * k) - 3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=6)
    parser.add_argument("--up", type=float, default=0.3)
    parser.add_argument("--down", type=float, default=0.15)
    parser.add_argument("--typed", action="store_true", help="forms filled on a typewriter")
    args = parser.parse_args()
    reader, layout = load_glyph_reader(), form_layout()
    blank = blank_pages(DPI)[0]
    total, errors = 0, Counter()
    for seed in range(args.forms):
        rng = random.Random(seed)
        pages = render_form_pages(
            VALUES, dossier_number="PCH-2025-000123", preprinted_name="X, Y", rng=rng,
            style=pick_hand_style(rng), typed=args.typed,
        )  # fmt: skip
        page = _strip_template(np.asarray(pages[0]), blank)
        for name, value in VALUES.items():
            field = layout.field(name, 1)
            pairs = list(_crops(page, field, value, up=args.up, down=args.down))
            if field.charset == "postal":
                tops = [reader.classify([c], "letters" if i % 2 == 0 else "digits")[0]
                        for i, (_, c) in enumerate(pairs)]  # fmt: skip
            else:
                tops = reader.classify([c for _, c in pairs], field.charset or "digits")
            for (truth, _), top in zip(pairs, tops, strict=True):
                total += 1
                if top[0][0] != truth:
                    errors[(truth, top[0][0])] += 1
    wrong = sum(errors.values())
    print(f"{total} boxes, {total - wrong} right ({100 * (total - wrong) / total:.2f} %)")
    print("errors (truth -> read: count): " + ", ".join(
        f"{t!r}->{g!r}: {n}" for (t, g), n in errors.most_common(15)))  # fmt: skip


if __name__ == "__main__":
    main()
