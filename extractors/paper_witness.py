"""Form readings a person's own papers confirm.

The glyph reader is often unsure of a name or a birth date it read right: its confidence is a
product over every box, and one doubtful letter sinks it. A paper matched to the person (an
identity document or a birth certificate) that gives the same name letter for letter on a
labelled line, or the same birth date there or in a machine-readable zone whose check digits
hold, is a second reader, independent of the first (Tesseract on typed print). Both misreading
a value into the same wrong one is far rarer than either alone, so such a field passes: it is
reported read and not flagged ``field_unreadable``. Its value is never changed, and a paper
that differs confirms nothing.

The address is confirmed the same way by a proof of residence that prints it: the street, the
municipality, the postal code (its middle space aside), found whole in the proof's text.

Whose each document is still rests on the field as the form reader left it: it cannot rest on a
confidence the same papers lent. Where the paper that lent it cannot be what a rule judges, a
confirmed value counts as read: a family name or a birth date is held to the person's other
papers (one that differs differs from both readers), and a postal code is judged for where it
lies.

An accent the paper prints must be on the form too; where it prints none (OCR often drops
them), the form's accents are its own, as with the name the ministry printed: a confirmed field
gets ``UNVOUCHED_MAX``, never "sure".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from extractors.check_inputs import field_prefix
from extractors.form_decode import UNVOUCHED_MAX
from extractors.people import BIRTH_PAPERS, stated_birth_dates
from schemas.codes import DocType, FieldStatus
from schemas.extraction import DocumentFacts, FieldRead
from schemas.people import Person

log = logging.getLogger(__name__)

#: Address fields a proof of residence prints.
_ADDRESS = ("street", "municipality", "postal_code")


def _runs(words: Sequence[str]) -> Iterable[str]:
    """Every run of consecutive words: a name written whole ("Zahra NOORI") holds the family
    name and the given names as runs, whichever comes first."""
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            yield " ".join(words[i:j])


def _written(text: str) -> str:
    """A name as written, for comparing letter by letter: capitals, accents kept, one space
    between words, apostrophes dropped."""
    return " ".join(re.sub(r"['’]", "", text.upper()).split())


def _base(ch: str) -> str:
    return unicodedata.normalize("NFKD", ch)[0]


def _says_alike(paper: str, form: str) -> bool:
    """The paper writes the form's reading: the same letters and separators, and every accent
    the paper prints read on the form too. Where it prints none, the form's are its own."""
    paper, form = _written(paper), _written(form)
    return len(paper) == len(form) and all(
        p == f or (_base(p) == _base(f) and _base(p) == p) for p, f in zip(paper, form, strict=True)
    )


def _names(papers: Sequence[DocumentFacts], part: str) -> list[str]:
    """The ``family_name`` or ``given_names`` the papers' labelled lines give, as written there.

    Zones confirm no name: they print no accents nor hyphens, so agreeing with one says nothing
    of the form's (on seeds 8300, 8500 and 8700, half the names zones alone confirmed had an
    accent the form reader missed), and their check digits do not cover names.
    """
    out: list[str] = []
    for d in papers:
        for m in d.mentions:
            if m.source != "label":
                continue
            value = getattr(m, part)
            if value:
                out.append(value)
            elif m.full_name:
                out += _runs(m.full_name.split())
    return out


_POSTAL_SPACE = re.compile(r"\b([A-Z]\d[A-Z]) (\d[A-Z]\d)\b")


def _printed_in(text: str, value: str) -> bool:
    """``value`` stands whole in ``text`` as written (``_says_alike``: same letters, every
    accent printed read too). Postal codes are compared without their middle space."""
    text = _POSTAL_SPACE.sub(r"\1\2", _written(text))
    value = _POSTAL_SPACE.sub(r"\1\2", _written(value))
    plain_text = "".join(_base(c) for c in text)
    plain_value = "".join(_base(c) for c in value)
    start = plain_text.find(plain_value)
    while value and start >= 0:
        end = start + len(value)
        whole = (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum())
        if whole and _says_alike(text[start:end], value):
            return True
        start = plain_text.find(plain_value, start + 1)
    return False


def _confirmed(f: FieldRead) -> FieldRead:
    return f.model_copy(
        update={"confidence": max(f.confidence, UNVOUCHED_MAX), "status": FieldStatus.READ}
    )


def confirm_from_papers(
    fields: Mapping[str, FieldRead], people: Sequence[Person], docs: Sequence[DocumentFacts],
    page_texts: Mapping[int, str],
) -> dict[str, FieldRead]:
    """The unsure names, birth dates and address fields that a paper states alike, passed
    (``UNVOUCHED_MAX``, status read), by field name. ``page_texts``: each page's OCR text."""
    out: dict[str, FieldRead] = {}
    proofs = [page_texts.get(n, "") for d in docs if d.doc_type is DocType.RESIDENCE_PROOF
              for n in d.pages]  # fmt: skip
    for name in _ADDRESS:
        f = fields.get(name)
        if f is None or f.status is not FieldStatus.UNREADABLE or not f.value:
            continue
        if any(_printed_in(t, f.value) for t in proofs):
            out[name] = _confirmed(f)
            log.debug("%s confirmed by a proof of residence", name)
    for person in people:
        papers = [d for d in docs if d.person == person.id and d.doc_type in BIRTH_PAPERS]
        if not papers:
            continue
        for suffix in ("family_name", "given_names", "date_of_birth"):
            f = fields.get(field_prefix(person.id) + suffix)
            if f is None or f.status is not FieldStatus.UNREADABLE or not f.value:
                continue
            if suffix == "date_of_birth":
                alike = f.value in {d.isoformat() for d in stated_birth_dates(papers)}
            else:
                alike = any(_says_alike(n, f.value) for n in _names(papers, suffix))
            if alike:
                out[f.name] = _confirmed(f)
                log.debug("%s: %s confirmed by a paper", person.id, suffix)
    return out
