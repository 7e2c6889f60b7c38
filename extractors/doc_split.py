"""Consecutive pages taken for one document that are two: identity papers or birth
certificates of two people, one after the other, with nothing on the second page to say it
starts a document of its own. Each page is judged alone (its labelled names or zone, else the
name its text carries in full) and the document is split where the person changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from extractors.people import choose_person, mrz_mention, person_by_text
from schemas.codes import DocType
from schemas.config import RulesConfig
from schemas.extraction import DocumentFacts
from schemas.people import Person

#: Kinds of document about one person each: consecutive pages naming two people are two.
_ONE_SUBJECT = (DocType.IDENTITY_DOCUMENT, DocType.BIRTH_CERTIFICATE)


def _page_owner(
    doc: DocumentFacts, page: DocumentFacts, people: Sequence[Person], cfg: RulesConfig
) -> str | None:
    """Whose the page alone says it is: its labelled names or zone, else the name its text
    carries in full."""
    own = [m for m in page.mentions if m.source in ("label", "mrz")]
    if page.mrz is not None:
        own.insert(0, mrz_mention(page.mrz))
    person, _ = choose_person(own, people, cfg, doc.doc_type, page.dates) if own else (None, 0.0)
    if person is None:
        person, _ = person_by_text(page, people, cfg)
    return person


def _part(doc: DocumentFacts, pages: Sequence[int], page_words: Mapping[int, Sequence[str]],
          page_dates: Mapping[int, Sequence[dt.date]]) -> DocumentFacts:
    """The pages ``pages`` of a document, with what was read on them only."""
    keep = doc.mrz_page in pages
    return doc.model_copy(update={
        "pages": tuple(pages),
        "mentions": tuple(m for m in doc.mentions if m.page_no in pages),
        "mrz": doc.mrz if keep else None,
        "mrz_page": doc.mrz_page if keep else None,
        "name_words": tuple(w for n in pages for w in page_words.get(n, ())),
        "dates": tuple(d for n in pages for d in page_dates.get(n, ())),
    })


def split_by_subject(
    docs: Sequence[DocumentFacts], people: Sequence[Person], *, cfg: RulesConfig,
    page_words: Mapping[int, Sequence[str]], page_dates: Mapping[int, Sequence[dt.date]],
    continued: frozenset[int] = frozenset(),
) -> list[DocumentFacts]:
    """Consecutive identity papers or birth certificates of different people, taken for one
    document because nothing on the second page said it starts one, split where the person
    changes. A page that says it continues the one before (``page 2 of 2``) is never split off.
    """
    out: list[DocumentFacts] = []
    for doc in docs:
        if len(doc.pages) < 2 or doc.doc_type not in _ONE_SUBJECT:
            out.append(doc)
            continue
        runs: list[list[int]] = []
        owner: str | None = None
        for n in doc.pages:
            page = _part(doc, [n], page_words, page_dates)
            who = _page_owner(doc, page, people, cfg)
            if runs and not (n not in continued and who and owner and who != owner):
                runs[-1].append(n)
                owner = owner or who
                continue
            runs.append([n])
            owner = who
        out += ([_part(doc, run, page_words, page_dates) for run in runs]
                if len(runs) > 1 else [doc])
    return out
