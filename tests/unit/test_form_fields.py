"""Cutting comb boxes and measuring ticks and signatures on a page in template geometry.

A page rendered at 300 dpi from the template is already in template geometry, so these tests
read it directly, without registration.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.form_fields import cut_comb, signature_ink, tick_ink
from extractors.form_reader import SIGNED_INK, TICKED_INK, UNSIGNED_INK, UNTICKED_INK, _recognise
from extractors.form_tesseract import TesseractGlyphs
from extractors.glyphs import load_glyph_reader
from schemas.form import load_form_layout
from tests.unit.form_fixture import DPI, blank_page, filled_pages

LAYOUT = load_form_layout()
FONT = "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"


def pattern(page: np.ndarray, name: str, form_page: int = 1) -> str:
    """``#`` for each box with ink, ``_`` for each empty one."""
    spec = LAYOUT.field(name, form_page)
    cuts = [cut_comb(page, g, dpi=DPI) for g in spec.combs]
    return "".join("_" if c is None else "#" for cut in cuts for c in cut.crops)


def noisy(page: np.ndarray, sigma: float, specks: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.clip(page + rng.normal(0, sigma, page.shape), 0, 255).astype(np.uint8)
    out[rng.random(page.shape) < specks] = 0
    return out


class TestCutComb:
    def test_blank_comb_is_all_empty_even_when_noisy(self) -> None:
        page = noisy(blank_page(1), sigma=12, specks=0.001)
        assert pattern(page, "family_name") == "_" * 26
        assert pattern(page, "date_of_birth") == "_" * 8

    def test_written_boxes_are_found(self) -> None:
        page = filled_pages()[0]
        assert pattern(page, "family_name") == "#" * 8 + "_" * 18
        assert pattern(page, "given_names") == "#" * 9 + "_" * 17  # MARIE-ÈVE: the hyphen too
        assert pattern(page, "date_of_birth") == "#" * 8

    def test_blank_box_between_words_stays_empty(self) -> None:
        assert pattern(filled_pages()[1], "member1_given_names", 2) == "####_####" + "_" * 7

    def test_character_crossing_a_box_line_stays_in_its_box(self) -> None:
        """GIVEN an M written 40 % of a box to the right, over the separator
        WHEN cut THEN it is all in its own box and the next box is empty."""
        img = Image.fromarray(blank_page(1))
        spec = LAYOUT.field("family_name", 1)
        x0, y0, x1, y1 = (v * DPI / 72 for v in spec.combs[0].box_rects()[2])
        draw = ImageDraw.Draw(img)
        draw.text(
            ((x0 + x1) / 2 + 0.4 * (x1 - x0), (y0 + y1) / 2),
            "M",
            fill=0,
            font=ImageFont.truetype(FONT, 56),
            anchor="mm",
        )
        cut = cut_comb(np.asarray(img), spec.combs[0], dpi=DPI)
        assert [c is not None for c in cut.crops[:5]] == [False, False, True, False, False]
        assert cut.crops[2].shape[1] > (x1 - x0) * 1.1  # the crop grew to hold the overflow


class TestTicksAndSignature:
    def test_blank_boxes_are_unticked(self) -> None:
        page = noisy(blank_page(1), sigma=10, specks=0.0005)
        spec = LAYOUT.field("marital_status", 1)
        assert max(tick_ink(page, spec.options, dpi=DPI).values()) < UNTICKED_INK

    @pytest.mark.parametrize(
        ("name", "value"),
        [("sex", "F"), ("marital_status", "married"), ("french_level", "advanced")],
    )
    def test_ticked_option_stands_out(self, name: str, value: str) -> None:
        ink = tick_ink(filled_pages()[0], LAYOUT.field(name, 1).options, dpi=DPI)
        assert ink[value] > TICKED_INK
        assert all(v < UNTICKED_INK for k, v in ink.items() if k != value)

    def test_signature_box(self) -> None:
        spec = LAYOUT.field("signature", 3)
        assert signature_ink(filled_pages()[2], spec.bbox, dpi=DPI) > SIGNED_INK
        assert signature_ink(noisy(blank_page(3), 10, 0.0005), spec.bbox, dpi=DPI) < UNSIGNED_INK


class TestTesseractGlyphs:
    def test_typed_boxes_read_back(self) -> None:
        """GIVEN a typed date WHEN its boxes are re-packed and read THEN each box gets its digit."""
        spec = LAYOUT.field("date_signed", 3)
        crops = [
            c for g in spec.combs for c in cut_comb(filled_pages(typed=True)[2], g, dpi=DPI).crops
        ]
        got = TesseractGlyphs().classify([c for c in crops if c is not None], "digits")
        assert "".join(c[0][0] for c in got) == "20261028"
        assert all(c[0][1] == TesseractGlyphs.AGREE for c in got)


def _write(page: np.ndarray, name: str, chars: list[tuple[str, float]], size: int = 56):
    """Draw characters on a comb, each centred at (box index + fraction) of the comb's boxes."""
    img = Image.fromarray(page)
    spec = LAYOUT.field(name, 1)
    rects = [[v * DPI / 72 for v in r] for r in spec.combs[0].box_rects()]
    box_w = rects[0][2] - rects[0][0]
    draw = ImageDraw.Draw(img)
    for ch, at in chars:
        x = rects[0][0] + at * box_w
        y = (rects[0][1] + rects[0][3]) / 2
        draw.text((x, y), ch, fill=0, font=ImageFont.truetype(FONT, size), anchor="mm")
    return np.asarray(img), spec


#: 2015 with its 2 written over the first line and touching the 0, which holds their centre.
YEAR = [("2", 0.92), ("0", 1.3), ("1", 2.5), ("5", 3.5)]


class TestTouchingCharacters:
    """Two characters written over a box line and touching make one stroke group, which goes
    whole to one box; the cut proposes them apart, and the recogniser decides."""

    def test_touching_pair_is_proposed_apart(self) -> None:
        page, spec = _write(blank_page(1), "date_of_birth", YEAR)
        cut = cut_comb(page, spec.combs[0], dpi=DPI)
        assert [c is not None for c in cut.crops[:4]] == [False, True, True, True]
        assert [(s.empty, s.inked) for s in cut.splits if s.empty == 0] == [(0, 1)]

    def test_recogniser_reads_the_pair_as_two_characters(self) -> None:
        page, spec = _write(blank_page(1), "date_of_birth", YEAR)
        boxes = _recognise(page, [spec], dpi=DPI, glyphs=load_glyph_reader())[0][0]
        assert [b[0][0] if b else None for b in boxes[:3]] == ["2", "0", "1"]

    def test_wide_letter_beside_a_blank_box_stays_whole(self) -> None:
        page, spec = _write(blank_page(1), "family_name", [("W", 2.5), ("A", 4.5)], size=64)
        boxes = _recognise(page, [spec], dpi=DPI, glyphs=load_glyph_reader())[0][0]
        assert [b[0][0] if b else None for b in boxes[1:6]] == [None, "W", None, "A", None]

    def test_a_box_the_reader_had_no_candidate_for_is_not_split(self) -> None:
        """GIVEN a reader with no candidate for the boxes at first, sure ones for the halves
        THEN the split is not taken (nothing to compare it with) and nothing fails."""

        class NothingThenSure:
            calls = 0

            def classify(self, crops, charset):
                self.calls += 1
                return [[] if self.calls == 1 else [("2", 0.99)] for _ in crops]

        page, spec = _write(blank_page(1), "date_of_birth", YEAR)
        boxes = _recognise(page, [spec], dpi=DPI, glyphs=NothingThenSure())[0][0]
        assert boxes[0] is None and boxes[1] == []


class TestMarkAbove:
    """A box is ``marked`` (its accents are believed) only where ink shows a mark above the
    letter; the comb's printed label, moved down by a copier, is no such mark."""

    @staticmethod
    def _strokes(page: np.ndarray, lines: list[tuple[float, float, float, float]]) -> np.ndarray:
        """Pen strokes 0.8 pt wide, in points relative to the comb's first box (x) and its top
        line (y, negative above)."""
        s = DPI / 72
        x0, top = (v * s for v in LAYOUT.field("family_name", 1).combs[0].box_rects()[0][:2])
        img = Image.fromarray(page)
        draw = ImageDraw.Draw(img)
        for a, b, c, d in lines:
            draw.line([(x0 + a * s, top + b * s), (x0 + c * s, top + d * s)], fill=0,
                      width=round(0.8 * s))  # fmt: skip
        return np.asarray(img)

    def test_label_descender_near_the_line_is_no_accent(self) -> None:
        """GIVEN an E under a descender stroke ending 1 pt above the top line (the label
        moved down by the copy) WHEN cut THEN the box is not marked."""
        page, spec = _write(blank_page(1), "family_name", [("E", 0.5)])
        box_w = spec.combs[0].box_rects()[0][2] - spec.combs[0].box_rects()[0][0]
        page = self._strokes(page, [(box_w / 2, -3.5, box_w / 2, -1.0)])
        assert cut_comb(page, spec.combs[0], dpi=DPI).marked[0] is False

    def test_accent_written_across_the_line_is_a_mark(self) -> None:
        """GIVEN an E whose acute accent is written across the top line THEN it is marked."""
        page, spec = _write(blank_page(1), "family_name", [("E", 0.5)])
        box_w = spec.combs[0].box_rects()[0][2] - spec.combs[0].box_rects()[0][0]
        page = self._strokes(page, [(box_w / 2 - 1.5, 1.0, box_w / 2 + 1.5, -2.5)])
        assert cut_comb(page, spec.combs[0], dpi=DPI).marked[0] is True
