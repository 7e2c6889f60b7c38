"""Letters and certificates whose copy stops before their end.

Half a sheet that never reached the glass can stop between two paragraphs: no letter is cut,
no table left open, and the page looks whole. A letter, though, has a shape that says where
it ends, and three of its pages tell a lost lower half:

- the last page of a letter that holds no closing anywhere (*Veuillez agréer…*,
  *Sincerely*, *Cordialement*) lost its end (``UNFINISHED``);
- a page with no closing whose letter goes on on the next page, its text stopping in the
  upper part of the sheet (``STOPS_EARLY``): a word processor fills a page to its bottom
  margin before it breaks, so the text of a page it broke runs down most of the sheet;
- a closing with no line under it (``UNSIGNED``): the signer's name is printed below the
  closing and the signature, so the copy stopped through the signature block.

A civil certificate ends alike on its signature block: its place and date of issue (*Fait à
Alger, le…*, *Issued at…*) with nothing read under it, no officer's name, lost its lower
part (``CERTIFICATE_UNSIGNED``).

Only a page that reads well is judged (legible, not already found cut, and ``min_words``
real words unless its closing was read): on a page OCR garbled, a closing not found says
nothing. Nor is a letter followed by a page of a letter, or by a page of no type holding a
closing, judged for its closing: the two may be one letter that the grouping of pages kept
apart, its closing on the next page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from extractors.classify import fold
from extractors.ocr import is_real_word, real_word_count
from extractors.page_lines import page_lines, union_box
from schemas.codes import DocType
from schemas.config import QualityConfig
from schemas.extraction import DocumentFacts
from schemas.ocr import OcrWord
from schemas.page import PageResult
from schemas.quality import PageQuality

log = logging.getLogger(__name__)

#: Signals a page's quality carries when its letter lost its lower part (see the module).
UNFINISHED = "letter_unfinished"
#: Its value is where the page's text ends, as a share of the page's height.
STOPS_EARLY = "letter_stops_early"
UNSIGNED = "letter_unsigned"
#: A civil certificate ending on its place and date of issue, no officer's name under it.
CERTIFICATE_UNSIGNED = "certificate_unsigned"
_CERTIFICATES = (DocType.BIRTH_CERTIFICATE, DocType.MARRIAGE_CERTIFICATE)

#: Words sure enough to say where the text is: OCR confidence (0-100) and real-word shape.
_SURE_CONF = 60
#: A line of words this far (share of the page's height) under the closing is the signature
#: block's: the signer's name, title or organisation.
_BELOW_CLOSING = 0.02


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def _closes(text: str, closings: Sequence[str]) -> bool:
    folded = _folded(text) + " "  # (so that "fait a " matches a line ending on it)
    return any(c in folded for c in closings)


def _sure_words(page: PageResult) -> list[OcrWord]:
    return [w for w in page.ocr.words if w.conf >= _SURE_CONF and is_real_word(w.text)]


def text_end(page: PageResult) -> float | None:
    """Where the page's text ends: the bottom of its lowest sure word, as a share of its
    height (None without sure words)."""
    words = _sure_words(page)
    if not words or page.clean.height_px <= 0:
        return None
    return max(w.bbox[3] for w in words) / page.clean.height_px


def _closing_bottom(page: PageResult, closings: Sequence[str]) -> int | None:
    """The bottom row of the page's last line holding a closing, or None."""
    bottoms = [union_box(line.words)[3] for line in page_lines(page.ocr)
               if line.words and _closes(line.text, closings)]
    return max(bottoms) if bottoms else None


def _unsigned(page: PageResult, closings: Sequence[str]) -> bool:
    """Whether the page's closing is the last thing read on it: no sure word below it."""
    bottom = _closing_bottom(page, closings)
    if bottom is None:
        return False
    below = bottom + _BELOW_CLOSING * page.clean.height_px
    return not any(w.bbox[1] > below for w in _sure_words(page))


def lost_endings(
    documents: Sequence[DocumentFacts], pages: Mapping[int, PageResult],
    page_types: Mapping[int, DocType], *, cfg: QualityConfig,
) -> dict[int, dict[str, float]]:
    """Pages of letters of support and certificates whose lower part the copy lost, each
    with the signal saying how it shows (see the module).

    ``pages`` are the packet's pages by number (their quality as judged so far), ``page_types``
    each page's type.
    """
    closings = [_folded(c) for c in cfg.letter_closings]

    def whole(n: int) -> bool:
        q = pages[n].quality if n in pages else None
        return bool(q and not q.blank and q.legible and q.complete)

    def reads_well(n: int) -> bool:
        return whole(n) and real_word_count(pages[n].ocr.text) >= cfg.letter_min_words

    out: dict[int, dict[str, float]] = {}
    for doc in documents:
        if doc.doc_type is not DocType.SUPPORTING_LETTER:
            continue
        for n in doc.pages:
            if not whole(n):
                continue
            page = pages[n]
            # (A continuation page alone may read as no type, yet be grouped with the letter.)
            goes_on = n + 1 in doc.pages or page_types.get(n + 1) is DocType.SUPPORTING_LETTER
            end = text_end(page)
            if _closes(page.ocr.text, closings):
                # A closing read is proof enough that the page reads; a signature block may
                # be carried over to the next page.
                if not goes_on and _unsigned(page, closings):
                    out[n] = {UNSIGNED: 1.0}
            elif (goes_on and reads_well(n) and end is not None
                  and end < cfg.letter_min_fill):
                out[n] = {STOPS_EARLY: round(end, 3)}
        last = doc.pages[-1]
        # The next page may end the letter, a letter page or one that reads as no type but
        # holds its closing (a short last page gives the classifier little to go on).
        ended_next = page_types.get(last + 1) is DocType.SUPPORTING_LETTER or (
            page_types.get(last + 1) is DocType.OTHER
            and _closes(pages[last + 1].ocr.text, closings))
        if (last not in out and reads_well(last) and not ended_next
                and not _closes(" ".join(pages[n].ocr.text for n in doc.pages if n in pages),
                                closings)):
            out[last] = {UNFINISHED: 1.0}
    issued = [fold(c) for c in cfg.certificate_issued]  # (their closing space kept)
    for doc in documents:
        if doc.doc_type not in _CERTIFICATES:
            continue
        for n in doc.pages:
            # (A certificate's signature block may be on its next page.)
            ends = n + 1 not in doc.pages and page_types.get(n + 1) is not doc.doc_type
            if ends and whole(n) and _unsigned(pages[n], issued):
                out[n] = {CERTIFICATE_UNSIGNED: 1.0}
    for n, why in sorted(out.items()):
        log.debug("page %d: the document lost its lower part (%s)", n, ", ".join(why))
    return out


def mark_unfinished(q: PageQuality, signals: Mapping[str, float]) -> PageQuality:
    """The page's quality with its bottom missing, ``signals`` saying how it shows."""
    return q.model_copy(update={
        "complete": False, "cut_edges": (*q.cut_edges, "bottom"),
        "signals": q.signals | dict(signals),
    })
