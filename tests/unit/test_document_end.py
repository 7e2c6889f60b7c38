"""Letters whose copy stops short: the page that lost its lower part is incomplete."""

from __future__ import annotations

from pathlib import Path

from extractors.document_end import (
    CERTIFICATE_UNSIGNED,
    STOPS_EARLY,
    UNFINISHED,
    UNSIGNED,
    lost_endings,
    mark_unfinished,
)
from schemas.codes import DocType
from schemas.config import load_config
from schemas.extraction import DocumentFacts
from schemas.ocr import CleanInfo, OcrWord, PageOcr
from schemas.page import PageResult
from schemas.quality import PageQuality
from schemas.scan import PageSource

CFG = load_config().quality
BODY = (
    "Nous attestons que la personne nommée ci-dessus est inscrite à nos cours de français "
    "à temps partiel depuis le printemps. Elle a complété les niveaux trois et quatre du "
    "programme et suit actuellement le niveau cinq, avec un taux de présence supérieur."
)
CLOSING = "Veuillez agréer, Madame, Monsieur, nos salutations distinguées."
SIGNER = "Marie Gagnon"
LETTER, FORM = DocType.SUPPORTING_LETTER, DocType.APPLICATION_FORM
HEIGHT = 2200  # a letter page at 200 dpi


def _quality(n: int, *, legible: bool = True) -> PageQuality:
    return PageQuality(page_no=n, legibility=0.9 if legible else 0.2, legible=legible,
                       complete=True, blank=False)


def _page(n: int, lines: list[tuple[str, float]], *, legible: bool = True) -> PageResult:
    """A page whose OCR read each text at its height (share of the page, top of the line)."""
    words = []
    for key, (text, at) in enumerate(lines):
        y = round(at * HEIGHT)
        words += [OcrWord(text=t, conf=95, bbox=(100 + 60 * i, y, 150 + 60 * i, y + 25), line=key)
                  for i, t in enumerate(text.split())]
    return PageResult(
        source=PageSource(page_no=n, file=Path("scan.pdf"), index_in_file=n - 1),
        clean=CleanInfo(page_no=n, dpi=200, width_px=1700, height_px=HEIGHT),
        ocr=PageOcr(page_no=n, words=tuple(words)), quality=_quality(n, legible=legible),
        image=Path(f"page-{n:03d}.jpg"),
    )


def _unfinished(pages: dict[int, list[tuple[str, float]]], docs: list[tuple[int, ...]], *,
                types: dict[int, DocType] | None = None, legible: bool = True
                ) -> dict[int, set[str]]:
    documents = [DocumentFacts(doc_type=LETTER, pages=p) for p in docs]
    found = lost_endings(
        documents, {n: _page(n, lines, legible=legible) for n, lines in pages.items()},
        types or dict.fromkeys(pages, LETTER), cfg=CFG,
    )
    return {n: set(signals) for n, signals in found.items()}


def _body(at: float = 0.2) -> tuple[str, float]:
    return (BODY, at)


def _signed(at: float) -> list[tuple[str, float]]:
    """A closing at ``at``, the signer's name under the signature."""
    return [(CLOSING, at), (SIGNER, at + 0.06)]


def test_a_letter_stopping_before_its_closing_lost_its_end() -> None:
    """GIVEN a one-page letter of support reading well, its text stopping after the body
    WHEN judged THEN its page is incomplete; the same letter ending on its closing and its
    signer's name is whole."""
    assert _unfinished({4: [_body()]}, [(4,)]) == {4: {UNFINISHED}}
    assert _unfinished({4: [_body(), *_signed(0.4)]}, [(4,)]) == {}
    assert _unfinished({4: [_body(), ("Sincerely,", 0.4), ("Jane Roe", 0.46)]}, [(4,)]) == {}


def test_the_closing_may_be_on_the_letter_s_last_page_or_the_next_letter_page() -> None:
    """GIVEN a two-page letter closing on its second page, its first page's text running down
    the sheet, grouped as one document or kept apart (a letter page follows) WHEN judged THEN
    neither page is incomplete; a letter followed by the form is still judged."""
    pages = {4: [_body(0.2), _body(0.75)], 5: [_body(0.1), *_signed(0.3)]}
    assert _unfinished(pages, [(4, 5)]) == {}
    assert _unfinished(pages, [(4,), (5,)]) == {}
    assert _unfinished({4: [_body()], 5: []}, [(4,)], types={4: LETTER, 5: FORM}) == {
        4: {UNFINISHED}}


def test_a_closing_page_read_as_no_type_ends_the_letter_before_it() -> None:
    """GIVEN a letter whose short last page, holding its closing, was read as no type and
    kept apart WHEN judged THEN the letter is whole; followed by a lease whose signature
    lines say "Signature", it still lost its end."""
    pages = {4: [_body(0.2), _body(0.75)], 5: [_body(0.1), *_signed(0.3)]}
    assert _unfinished(pages, [(4,)], types={4: LETTER, 5: DocType.OTHER}) == {}
    lease = {4: pages[4], 5: [_body(0.1), ("Signature du locataire", 0.5)]}
    assert _unfinished(lease, [(4,)], types={4: LETTER, 5: DocType.RESIDENCE_PROOF}) == {
        4: {UNFINISHED}}


def test_a_page_the_letter_goes_on_after_stopping_high_lost_its_lower_part() -> None:
    """GIVEN a two-page letter whose first page's text stops 40 % of the way down (the lower
    half of the sheet never reached the glass) WHEN judged THEN that page is incomplete, as
    a page grouped with a continuation page of no type; stopping at 75 % it is whole, as is
    a short one-page letter that closes and is followed by another letter."""
    second = [_body(0.1), *_signed(0.3)]
    assert _unfinished({4: [_body(0.3)], 5: second}, [(4, 5)]) == {4: {STOPS_EARLY}}
    assert _unfinished({4: [_body(0.3)], 5: second}, [(4, 5)],
                       types={4: LETTER, 5: DocType.OTHER}) == {4: {STOPS_EARLY}}
    assert _unfinished({4: [_body(0.2), _body(0.7)], 5: second}, [(4, 5)]) == {}
    one_page = [_body(0.2), *_signed(0.3)]
    assert _unfinished({4: one_page, 5: one_page}, [(4,), (5,)]) == {}


def test_a_closing_with_nothing_under_it_lost_its_signature_block() -> None:
    """GIVEN a letter's last page ending on its closing, nothing read under it (the copy
    stopped through the signature) WHEN judged THEN it is incomplete, even with few words
    on it (the closing read is proof the page reads); a closing at the foot of a page whose
    letter goes on may have its signature on the next page."""
    assert _unfinished({5: [("Merci de votre attention.", 0.1), (CLOSING, 0.14)]},
                       [(5,)]) == {5: {UNSIGNED}}
    assert _unfinished({4: [_body(0.2), (CLOSING, 0.85)], 5: [(SIGNER, 0.1)]}, [(4, 5)]) == {}


def test_a_certificate_ending_on_its_place_of_issue_lost_its_signature_block() -> None:
    """GIVEN a birth certificate whose last line read is its place and date of issue WHEN
    judged THEN it is incomplete; with the officer's name under it, or its signature block
    on the certificate's next page, it is whole."""
    birth = DocType.BIRTH_CERTIFICATE
    record = [("Acte de naissance no 177/1895", 0.3), ("Nom BOUZID Prénom Nour", 0.35)]

    def judged(pages: dict[int, list[tuple[str, float]]]) -> dict[int, set[str]]:
        found = lost_endings(
            [DocumentFacts(doc_type=birth, pages=tuple(pages))],
            {n: _page(n, lines) for n, lines in pages.items()}, dict.fromkeys(pages, birth),
            cfg=CFG,
        )
        return {n: set(signals) for n, signals in found.items()}

    issued = ("Fait à Constantine, le 29/10/2025", 0.9)
    assert judged({7: [*record, issued]}) == {7: {CERTIFICATE_UNSIGNED}}
    assert judged({7: [*record, issued, ("André PÉREZ", 0.95)]}) == {}
    assert judged({7: [*record, issued], 8: [("André PÉREZ", 0.1)]}) == {}


def test_a_page_that_reads_badly_says_nothing_of_its_closing() -> None:
    """GIVEN a letter's last page OCR garbled (few real words) or judged illegible WHEN
    judged THEN it is not called incomplete: the closing may be there, unread."""
    assert _unfinished({4: [("Lvy One Dee ea tced zzkq", 0.2)]}, [(4,)]) == {}
    assert _unfinished({4: [_body()]}, [(4,)], legible=False) == {}
    assert _unfinished({4: [_body(0.3)], 5: [_body(0.1)]}, [(4, 5)], legible=False) == {}


def test_marked_page_is_incomplete_at_the_bottom() -> None:
    q = mark_unfinished(_quality(4), {STOPS_EARLY: 0.41})
    assert (q.complete, q.cut_edges, q.signals[STOPS_EARLY]) == (False, ("bottom",), 0.41)
