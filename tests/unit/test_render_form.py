"""The synthetic form renderer: pages, QR codes, pre-printed header, ink where values go."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from PIL import Image

from sample_scans.handwriting import HAND_FONTS, HandStyle, glyph_mask, has_glyph
from sample_scans.render_form import blank_pages, form_layout, render_form_pages

DPI = 300
DOSSIER = "PCH-2026-004512"
VALUES = {
    "family_name": "TREMBLAY-CÔTÉ",
    "given_names": "MARIE-ÈVE",
    "date_of_birth": "1988-04-12",
    "sex": "F",
    "postal_code": "H2X0C9",
    "marital_status": "de_facto",
    "member1_family_name": "OKAFOR",
    "member1_date_of_birth": "1985-11-03",
    "member1_included": "yes,no",
    "enclosed_identity": "yes",
    "signature": "true",
    "date_signed": "2026-10-28",
}
#: darker than the blank by this much (0-255) counts as ink
INK_DELTA = 60


def _render(values: dict[str, str], seed: int = 7, **kwargs: object) -> list[Image.Image]:
    return render_form_pages(
        values,
        dossier_number=DOSSIER,
        preprinted_name="TREMBLAY-CÔTÉ, Marie-Ève",
        rng=random.Random(seed),
        dpi=DPI,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def pages() -> list[Image.Image]:
    return _render(VALUES)


def _ink(page: Image.Image, page_no: int, box_pt: tuple[float, ...], inset: float = 0.0) -> int:
    """Pixels in a point box that are clearly darker than on the blank form."""
    k = DPI / 72
    x0, y0, x1, y1 = (
        round((v + d) * k) for v, d in zip(box_pt, (inset, inset, -inset, -inset), strict=True)
    )
    now = np.asarray(page)[y0:y1, x0:x1].astype(int)
    blank = blank_pages(DPI)[page_no - 1][y0:y1, x0:x1].astype(int)
    return int(((blank - now) > INK_DELTA).sum())


class TestPages:
    def test_three_gray_letter_pages(self, pages: list[Image.Image]) -> None:
        assert [(p.mode, p.size) for p in pages] == [("L", (2550, 3300))] * 3

    def test_same_seed_same_pages(self, pages: list[Image.Image]) -> None:
        again = _render(VALUES)
        assert all(
            np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(pages, again, strict=True)
        )

    def test_value_too_long_is_refused(self) -> None:
        with pytest.raises(ValueError, match="postal_code"):
            _render({"postal_code": "H2X0C9X"})

    def test_unknown_option_is_refused(self) -> None:
        with pytest.raises(ValueError, match="sex"):
            _render({"sex": "Q"})


class TestMinistryHeader:
    @pytest.mark.parametrize("page_no", [1, 2, 3])
    def test_qr_decodes_to_its_payload(self, pages: list[Image.Image], page_no: int) -> None:
        text = _decode_qr(pages[page_no - 1])
        assert text == f"PCH|{DOSSIER}|{page_no}/3"

    def test_qr_number_can_differ_on_one_page(self) -> None:
        other = [DOSSIER, "PCH-2026-009999", DOSSIER]
        pages = _render({}, qr_dossier_numbers=other)
        assert _decode_qr(pages[1]) == "PCH|PCH-2026-009999|2/3"

    def test_dossier_number_is_printed_on_every_page(self, pages: list[Image.Image]) -> None:
        box = form_layout().field("dossier_number", 1).bbox
        assert all(_ink(p, n, box) > 500 for n, p in enumerate(pages, 1))


def _decode_qr(page: Image.Image) -> str:
    k = DPI / 72
    x0, y0, x1, y1 = form_layout().field("qr_code", 1).bbox
    crop = np.asarray(page)[
        int(y0 * k) - 20 : int(y1 * k) + 20, int(x0 * k) - 20 : int(x1 * k) + 20
    ]
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(np.ascontiguousarray(crop))
    return text


class TestInk:
    def test_filled_comb_boxes_hold_ink(self, pages: list[Image.Image]) -> None:
        field = form_layout().field("family_name")
        boxes = field.combs[0].box_rects()
        for ch, box in zip(VALUES["family_name"], boxes, strict=False):
            assert _ink(pages[0], 1, box) > 50, ch  # a hyphen is a short stroke

    def test_date_combs_hold_ink(self, pages: list[Image.Image]) -> None:
        field = form_layout().field("date_signed")
        assert all(_ink(pages[2], 3, box) > 150 for g in field.combs for box in g.box_rects())

    def test_empty_field_has_no_ink(self, pages: list[Image.Image]) -> None:
        for name in ("uci", "email", "telephone"):
            assert _ink(pages[0], 1, form_layout().field(name).bbox, inset=1.5) == 0, name
        assert _ink(pages[1], 2, form_layout().field("member3_family_name").bbox, inset=1.5) == 0

    def test_ticked_option_has_ink_and_the_others_none(self, pages: list[Image.Image]) -> None:
        options = form_layout().field("sex").options
        assert _ink(pages[0], 1, options["F"], inset=1.5) > 40
        assert _ink(pages[0], 1, options["M"]) == 0
        assert _ink(pages[0], 1, options["X"]) == 0

    def test_several_ticks_for_an_ambiguous_field(self, pages: list[Image.Image]) -> None:
        options = form_layout().field("member1_included").options
        assert all(_ink(pages[1], 2, options[v], inset=1.5) > 40 for v in ("yes", "no"))

    def test_signature_only_when_signed(self, pages: list[Image.Image]) -> None:
        box = form_layout().field("signature").bbox
        assert _ink(pages[2], 3, box, inset=2) > 1000
        unsigned = _render({**VALUES, "signature": "false"})
        assert _ink(unsigned[2], 3, box, inset=2) == 0

    def test_typed_form_has_ink_in_its_boxes(self) -> None:
        pages = _render({"family_name": "OKAFOR", "sex": "M"}, typed=True)
        boxes = form_layout().field("family_name").combs[0].box_rects()
        assert all(_ink(pages[0], 1, b) > 100 for b in boxes[:6])
        assert _ink(pages[0], 1, boxes[6]) == 0


class TestAccents:
    @pytest.mark.parametrize("font", [f for f, _ in HAND_FONTS], ids=lambda p: p.stem)
    def test_accented_capital_has_a_mark_above_the_letter(self, font: object) -> None:
        style = HandStyle(font=font, stroke_px=0, ink=0, slant_deg=0, size=0.6, tick="check")  # type: ignore[arg-type]
        plain = glyph_mask("E", style=style, cap_px=40, rng=random.Random(1))
        accented = glyph_mask("É", style=style, cap_px=40, rng=random.Random(1))
        top = lambda m: int(np.flatnonzero(m.max(axis=1) > 100)[0])  # noqa: E731
        assert top(accented) < top(plain) - 4

    def test_missing_glyphs_are_detected(self) -> None:
        humor = next(f for f, _ in HAND_FONTS if f.stem == "Humor-Sans")
        assert has_glyph(humor, "E")
        assert not has_glyph(humor, "É")
