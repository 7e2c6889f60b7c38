"""Letters whose copy stops before their end.

Half a sheet that never reached the glass can stop between two paragraphs: no letter is cut,
no table left open, and the page looks whole. A letter, though, ends on its closing and its
signature (*Veuillez agréer…*, *Sincerely*, *Cordialement*): a letter of support that reads
well on its last page and holds no closing anywhere lost its end. Its last page is marked
incomplete, at the bottom, where the closing would be.

Only a page that reads well is judged (``min_words`` real words, legible, not already found
cut): on a page OCR garbled, a closing not found says nothing. Nor is a letter followed by a
page of a letter: the two may be one letter that the grouping of pages kept apart, its
closing on the next page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from extractors.classify import fold
from extractors.ocr import real_word_count
from schemas.codes import DocType
from schemas.extraction import DocumentFacts
from schemas.quality import PageQuality

log = logging.getLogger(__name__)

#: The signal a page's quality carries when its letter stops before its closing.
UNFINISHED = "letter_unfinished"


def _closes(text: str, closings: Sequence[str]) -> bool:
    folded = " ".join(fold(text).split())
    return any(c in folded for c in closings)


def unfinished_letters(
    documents: Sequence[DocumentFacts], texts: Mapping[int, str],
    quality: Mapping[int, PageQuality], page_types: Mapping[int, DocType], *,
    closings: Sequence[str], min_words: int,
) -> set[int]:
    """Last pages of the letters of support that stop before any closing.

    ``texts`` is each page's OCR text, ``page_types`` each page's type, ``closings`` the
    phrases a letter ends on.
    """
    folded = [" ".join(fold(c).split()) for c in closings]
    out: set[int] = set()
    for doc in documents:
        if doc.doc_type is not DocType.SUPPORTING_LETTER:
            continue
        last = doc.pages[-1]
        if page_types.get(last + 1) is DocType.SUPPORTING_LETTER:
            continue
        q = quality.get(last)
        if q is None or q.blank or not q.legible or not q.complete:
            continue
        if real_word_count(texts.get(last, "")) < min_words:
            continue
        if not _closes(" ".join(texts.get(n, "") for n in doc.pages), folded):
            log.debug("page %d: the letter stops before its closing", last)
            out.add(last)
    return out


def mark_unfinished(q: PageQuality) -> PageQuality:
    """The page's quality with its bottom missing: the letter's end."""
    return q.model_copy(update={
        "complete": False, "cut_edges": (*q.cut_edges, "bottom"),
        "signals": q.signals | {UNFINISHED: 1.0},
    })
