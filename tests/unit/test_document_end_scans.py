"""A generated two-page letter whose copy stopped between two lines, read by the real
Tesseract: no cut shows on the page, and the letter's shape tells what was lost."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest

from extractors.classify import fold
from extractors.document_end import STOPS_EARLY, UNSIGNED, lost_endings
from extractors.preprocess import clean_and_read
from extractors.quality import assess_page
from sample_scans.render_docs import render_document
from schemas.codes import DocType
from schemas.config import load_config
from schemas.extraction import DocumentFacts
from schemas.page import PageResult
from schemas.scan import PageSource

CFG = load_config()
DPI = 200
SUBJECT = {
    "family_name": "TREMBLAY-CÔTÉ", "given_names": "MARIE-ÈVE",
    "date_of_birth": dt.date(1988, 4, 12), "sex": "F", "country_of_birth": "HAÏTI",
    "nationality": "HTI", "document_number": "RD4512337",
}
ADDRESS = {"street": "4521 rue Saint-Denis", "apartment": "3B", "municipality": "Montréal",
           "postal_code": "H2X 0C9", "province": "QC"}


@pytest.fixture(scope="module")
def letter() -> list[np.ndarray]:
    """The two pages of a letter of support (seed 1 writes two)."""
    pages = render_document("supporting_letter", subject=SUBJECT, other=SUBJECT, address=ADDRESS,
                            lang="fr", rng=random.Random(1), dpi=DPI)
    assert len(pages) == 2
    return [np.asarray(p.convert("L")) for p in pages]


def _read(image: np.ndarray, n: int) -> PageResult:
    clean, info, ocr = clean_and_read(image, page_no=n, dpi=DPI, cfg=CFG.preprocess,
                                      ocr_cfg=CFG.ocr)
    quality = assess_page(clean, ocr, dpi=info.dpi, cfg=CFG.quality, cleaned=True)
    return PageResult(source=PageSource(page_no=n, file=Path("scan.pdf"), index_in_file=n - 1),
                      clean=info, ocr=ocr, quality=quality, image=Path(f"page-{n}.jpg"))


def _stop_below(image: np.ndarray, row: int) -> np.ndarray:
    """The copy with nothing from the first row free of ink at or below ``row`` down: the
    lower part of the sheet never reached the glass (bare glass is white)."""
    inked = (image < 160).any(axis=1)
    gap = row + int(np.argmin(inked[row:]))
    out = image.copy()
    out[gap:] = 255
    return out


def _judge(pages: list[PageResult]) -> dict[int, set[str]]:
    found = lost_endings(
        [DocumentFacts(doc_type=DocType.SUPPORTING_LETTER, pages=(1, 2))],
        {p.page_no: p for p in pages}, dict.fromkeys((1, 2), DocType.SUPPORTING_LETTER),
        cfg=CFG.quality,
    )
    return {n: set(s) for n, s in found.items()}


def test_the_whole_letter_is_whole(letter: list[np.ndarray]) -> None:
    assert _judge([_read(letter[0], 1), _read(letter[1], 2)]) == {}


def test_a_first_page_stopping_between_two_lines_lost_its_lower_part(
        letter: list[np.ndarray]) -> None:
    """GIVEN the first page's copy stopping between two lines 45 % of the way down WHEN read
    THEN no cut shows on it, and the letter going on on page 2 says it lost its lower part."""
    first = _read(_stop_below(letter[0], round(0.45 * letter[0].shape[0])), 1)
    assert first.quality.complete
    assert _judge([first, _read(letter[1], 2)]) == {1: {STOPS_EARLY}}


def test_a_last_page_stopping_under_its_closing_lost_its_signature(
        letter: list[np.ndarray]) -> None:
    """GIVEN the second page's copy stopping just under the closing WHEN read THEN it is
    whole to the eye, and its closing with nothing under it says the signature is lost."""
    whole = _read(letter[1], 2)
    closing = max(w.bbox[3] for w in whole.ocr.words if fold(w.text).startswith("distinguees"))
    second = _read(_stop_below(letter[1], closing), 2)
    assert second.quality.complete
    assert _judge([_read(letter[0], 1), second]) == {2: {UNSIGNED}}
