"""Letters whose copy stops before their closing: the last page is incomplete."""

from __future__ import annotations

from extractors.letter_end import UNFINISHED, mark_unfinished, unfinished_letters
from schemas.codes import DocType
from schemas.config import load_config
from schemas.extraction import DocumentFacts
from schemas.quality import PageQuality

CFG = load_config().quality
BODY = (
    "Nous attestons que la personne nommée ci-dessus est inscrite à nos cours de français "
    "à temps partiel depuis le printemps. Elle a complété les niveaux trois et quatre du "
    "programme et suit actuellement le niveau cinq, avec un taux de présence supérieur."
)
CLOSING = "Veuillez agréer, Madame, Monsieur, nos salutations distinguées. Marie Gagnon"
LETTER, FORM = DocType.SUPPORTING_LETTER, DocType.APPLICATION_FORM


def _quality(n: int, *, legible: bool = True) -> PageQuality:
    return PageQuality(page_no=n, legibility=0.9 if legible else 0.2, legible=legible,
                       complete=True, blank=False)


def _unfinished(texts: dict[int, str], docs: list[tuple[int, ...]], *,
                types: dict[int, DocType] | None = None, legible: bool = True) -> set[int]:
    documents = [DocumentFacts(doc_type=LETTER, pages=p) for p in docs]
    return unfinished_letters(
        documents, texts, {n: _quality(n, legible=legible) for n in texts},
        types or dict.fromkeys(texts, LETTER),
        closings=CFG.letter_closings, min_words=CFG.letter_min_words,
    )


def test_a_letter_stopping_before_its_closing_lost_its_end() -> None:
    """GIVEN a one-page letter of support reading well, its text stopping after the body
    WHEN judged THEN its page is incomplete; the same letter ending on its closing is whole."""
    assert _unfinished({4: BODY}, [(4,)]) == {4}
    assert _unfinished({4: f"{BODY} {CLOSING}"}, [(4,)]) == set()
    assert _unfinished({4: f"{BODY} Sincerely, Jane Roe"}, [(4,)]) == set()


def test_the_closing_may_be_on_the_letter_s_last_page_or_the_next_letter_page() -> None:
    """GIVEN a two-page letter closing on its second page, grouped as one document or kept
    apart (a letter page follows) WHEN judged THEN neither page is incomplete; a letter
    followed by the form is still judged."""
    texts = {4: BODY, 5: f"{BODY} {CLOSING}"}
    assert _unfinished(texts, [(4, 5)]) == set()
    assert _unfinished(texts, [(4,), (5,)]) == set()
    assert _unfinished({4: BODY, 5: ""}, [(4,)], types={4: LETTER, 5: FORM}) == {4}


def test_a_page_that_reads_badly_says_nothing_of_its_closing() -> None:
    """GIVEN a letter's last page OCR garbled (few real words) or judged illegible WHEN
    judged THEN it is not called incomplete: the closing may be there, unread."""
    assert _unfinished({4: "Lvy One Dee ea tced zzkq"}, [(4,)]) == set()
    assert _unfinished({4: BODY}, [(4,)], legible=False) == set()


def test_marked_page_is_incomplete_at_the_bottom() -> None:
    q = mark_unfinished(_quality(4))
    assert (q.complete, q.cut_edges, q.signals[UNFINISHED]) == (False, ("bottom",), 1.0)
