"""The rules about people and their documents: what is missing, whose each document is, and
whether names, dates of birth and machine-readable zones agree.

``checks.run_checks`` applies these with the form, page and file-number rules, all reading
one packet's ``CheckInputs``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.check_inputs import (
    CheckInputs,
    field_evidence,
    field_prefix,
    required_documents,
)
from extractors.dossier import printed_names, registry_entry
from extractors.people import BIRTH_PAPERS, NEAR_MISS, mrz_mention, name_score, tokens
from schemas.codes import DocType, FieldStatus, FlagCode
from schemas.config import RequiredDocuments, Requirement
from schemas.extraction import (
    DocumentFacts,
    MrzRead,
    PersonMention,
)
from schemas.flags import Evidence, Flag
from schemas.people import Person

log = logging.getLogger(__name__)

F = FlagCode
CHILD_RELATIONSHIPS = (2, 3, 4)
SPOUSE = 1
#: Documents whose names and dates of birth must agree with the form.
IDENTITY_TYPES = BIRTH_PAPERS


def _words(m: PersonMention) -> list[str]:
    """Every word of a reading's names, normalised (``tokens``)."""
    return tokens(m.family_name) + tokens(m.given_names) + tokens(m.full_name)


def _shown(m: PersonMention) -> str:
    return m.full_name or " ".join(filter(None, (m.given_names, m.family_name)))


# --- required documents -----------------------------------------------------------------------


def _needs(pk: CheckInputs, person: Person, required: RequiredDocuments) -> list[Requirement]:
    if person.id == "principal":
        # The form has its own flags (form_missing, form_page_missing).
        return [r for r in required.principal if DocType.APPLICATION_FORM not in r.any_of]
    if not person.included:
        return []
    needs = list(required.member)
    age = person.age_on(pk.received)
    for cond in required.member_when:
        if cond.relationship and (person.relationship not in cond.relationship
                                  or _misread_spouse(pk, person, age)
                                  or _misread_child(pk, person)):
            continue
        if cond.min_age is not None and (age is None or age < cond.min_age):
            continue
        needs += cond.documents
    return needs


def _misread_spouse(pk: CheckInputs, person: Person, age: int | None) -> bool:
    """A spouse the form reader was unsure of, on a row whose date of birth makes them a
    child: the box more likely holds a child's code. The unsure reading is reported
    (``field_unreadable``); asking the applicant for a marriage proof on its strength is not."""
    field = pk.fields.get(f"{person.id}_relationship")
    return (person.relationship == SPOUSE and age is not None
            and age < pk.cfg.rules.spouse_min_age
            and field is not None and field.status is not FieldStatus.READ)


#: Years a parent is older than their child at the least: a "child" born closer to the
#: principal than this is not theirs.
_PARENT_MIN_GAP_YEARS = 12


def _misread_child(pk: CheckInputs, person: Person) -> bool:
    """A child's code the form reader was unsure of, on a row whose date of birth is within
    ``_PARENT_MIN_GAP_YEARS`` of the principal's (a spouse's code 1 read 4): the dependent
    child rules are not applied on its strength; the unsure reading is reported
    (``field_unreadable``)."""
    field = pk.fields.get(f"{person.id}_relationship")
    principal = pk.person("principal")
    if (person.relationship not in CHILD_RELATIONSHIPS or field is None
            or field.status is FieldStatus.READ or principal is None
            or principal.date_of_birth is None or person.date_of_birth is None):
        return False
    return principal.age_on(person.date_of_birth) < _PARENT_MIN_GAP_YEARS


def _unsure(pk: CheckInputs) -> set[str]:
    """People whose name on the form could not be read with confidence: documents cannot be
    matched to them reliably."""
    return {
        p.id
        for p in pk.people
        if any(
            (f := pk.fields.get(field_prefix(p.id) + s)) is not None
            and f.status is FieldStatus.UNREADABLE
            for s in ("family_name", "given_names")
        )
    }


#: A name word on a paper this close (rapidfuzz ratio) to a word of the family's name.
_FAMILY_WORD_SEEN = 75.0


def _could_be_theirs(pk: CheckInputs, person: Person, doc: DocumentFacts) -> bool:
    """Whether a document nobody matched may be this unsure person's. Not a birth certificate
    or an identity paper (they always state their holder's family name) when the person's
    family name is known all the same (read surely, or the printed one their unsure reading
    spells) and every name the paper states, labelled or in its zone, is another family's: a
    birth certificate of MWAMBA is nobody's in the SAINT-FLEUR family."""
    if doc.doc_type not in BIRTH_PAPERS:
        return True
    refs = _references(pk, person)
    stated = [_words(m) for m in doc.mentions
              if m.source in ("label", "mrz") and (m.family_name or m.full_name)]  # fmt: skip
    if doc.mrz is not None:
        stated.append(_words(mrz_mention(doc.mrz)))
    stated = [w for w in stated if w]
    if not refs or not stated:
        return True
    return any(
        all(max(fuzz.ratio(r, w) for w in words) >= _FAMILY_WORD_SEEN for r in ref)
        for ref in refs for words in stated
    )


def _cut(pk: CheckInputs, doc: DocumentFacts) -> bool:
    """A page of the document is cut off: the name it lacks may be on the part missing."""
    return any(not q.complete for n in doc.pages if (q := pk.quality.get(n)) is not None)


def _may_own(pk: CheckInputs, person: Person, doc: DocumentFacts, unsure: set[str]) -> bool:
    """Whether a document nobody matched may be this person's: their name could not be read,
    or the document's was cut off (a bill copied without its left third, ASSA left of NGO
    BASSA); unless it names another family (``_could_be_theirs``). Either way the packet is
    not complete: the unreadable field or the cut page is flagged."""
    return (person.id in unsure or _cut(pk, doc)) and _could_be_theirs(pk, person, doc)


def _missing(pk: CheckInputs) -> Iterator[tuple[Person, Requirement]]:
    """Requirements no document satisfies; a document counts when one of its pages is
    legible. A document nobody matched stands in for a person who may own it (``_may_own``)."""
    required = required_documents(pk.cfg.rules.required_documents_file)
    held, unsure = held_documents(pk), _unsure(pk)
    spare = [d for d in pk.documents if d.person is None and pk.legible(d)]
    for person in pk.people:
        for req in _needs(pk, person, required):
            if any((person.id, t) in held for t in req.any_of):
                continue
            stand_in = next((d for d in spare if d.doc_type in req.any_of
                             and _may_own(pk, person, d, unsure)), None)  # fmt: skip
            if stand_in is not None:
                spare.remove(stand_in)
                continue
            yield person, req


def held_documents(pk: CheckInputs) -> set[tuple[str | None, DocType]]:
    """(person, type) of every legible document. A lease or bill naming the spouse beside the
    principal also proves their union (a joint lease, intake-rules.md)."""
    legible = [d for d in pk.documents if pk.legible(d)]
    held = {(d.person, d.doc_type) for d in legible}
    spouse = next((p for p in pk.people if p.relationship == SPOUSE), None)
    for d in legible:
        if (
            spouse
            and d.doc_type is DocType.RESIDENCE_PROOF
            and any(name_score(m, spouse) >= pk.threshold for m in d.mentions)
        ):
            held.add((spouse.id, DocType.UNION_PROOF))
    return held


def _document_name(pk: CheckInputs, req: Requirement) -> str:
    """The flag names the first accepted type, or the one the declared marital status calls
    for (a de facto couple proves its union, not a marriage)."""
    status = pk.read("marital_status")
    if status and status.value == "de_facto" and DocType.UNION_PROOF in req.any_of:
        return DocType.UNION_PROOF.value
    return req.name


def missing_documents(pk: CheckInputs) -> Iterator[Flag]:
    """Required documents nobody sent. Without a form nothing says who is in the family, so
    only the form itself is reported missing."""
    if not pk.has_form:
        return
    for person, req in _missing(pk):
        name = _document_name(pk, req)
        yield pk.flag(
            F.MISSING_DOCUMENT,
            f"No {name.replace('_', ' ')} found for {person.display_name} ({person.id}).",
            Evidence(
                expected=" or ".join(t.value for t in req.any_of),
                note=f"{len(pk.documents)} document(s) in the envelope",
            ),
            document=name,
            person=person.id,
        )


def unmatched_documents(pk: CheckInputs) -> Iterator[Flag]:
    """Required kinds of document naming nobody of the form (letters and unknown pages may)."""
    required = required_documents(pk.cfg.rules.required_documents_file)
    wanted = {t for r in (*required.principal, *required.member) for t in r.any_of}
    wanted |= {t for c in required.member_when for r in c.documents for t in r.any_of}
    if not pk.has_names:
        return  # No name on the form: nothing to say a document names nobody.
    # A document may be of a kind someone still lacks, and theirs (``_may_own``).
    held, unsure = held_documents(pk), _unsure(pk)
    open_kinds = [(p, t) for p in pk.people for r in _needs(pk, p, required)
                  if not any((p.id, k) in held for k in r.any_of) for t in r.any_of]
    for doc in pk.documents:
        maybe_theirs = any(t is doc.doc_type and _may_own(pk, p, doc, unsure)
                           for p, t in open_kinds)  # fmt: skip
        if (doc.person is None and doc.doc_type in wanted and not maybe_theirs
                and pk.first_legible(doc)):
            m = doc.mentions[0] if doc.mentions else None
            names = "; ".join(_shown(x) for x in doc.mentions[:3]) or None
            yield pk.flag(
                F.UNMATCHED_DOCUMENT,
                f"The {doc.doc_type.value.replace('_', ' ')} on "
                f"page {doc.pages[0]} names nobody on the form.",
                Evidence(
                    page=doc.pages[0],
                    bbox=m.bbox if m else None,
                    text_read=names,
                    note="no readable name" if m is None else None,
                ),
                page=doc.pages[0],
            )


# --- family members ---------------------------------------------------------------------------


def _member_evidence(pk: CheckInputs, pid: str, suffix: str) -> Evidence:
    f = pk.fields.get(f"{pid}_{suffix}")
    return field_evidence(f) if f is not None else Evidence(note=f"{pid} {suffix}")


def dependants(pk: CheckInputs) -> Iterator[Flag]:
    """Members abroad marked included; included children who are not dependent."""
    proofs = {DocType.MEDICAL_CERTIFICATE, DocType.FINANCIAL_DEPENDENCY_PROOF}
    for p in pk.people:
        if p.id == "principal" or not p.included:
            continue
        if p.residence == "abroad":
            yield pk.flag(
                F.MEMBER_ABROAD_INCLUDED,
                f"{p.display_name} lives abroad and cannot be included in the application.",
                _member_evidence(pk, p.id, "residence"),
                person=p.id,
            )
        if p.relationship not in CHILD_RELATIONSHIPS or _misread_child(pk, p):
            continue
        age = p.age_on(pk.received)
        held = {d.doc_type for d in pk.documents if d.person == p.id}
        if p.has_spouse:
            why, suffix = "is married or has a de facto spouse", "has_spouse"
        elif age is not None and age >= pk.cfg.rules.dependent_max_age and not proofs <= held:
            why, suffix = f"is {age} and lacks the medical and financial proofs", "date_of_birth"
        else:
            continue
        yield pk.flag(
            F.NOT_DEPENDENT_CHILD,
            f"{p.display_name} {why}: not a dependent child.",
            _member_evidence(pk, p.id, suffix),
            person=p.id,
        )


# --- names and dates of birth -----------------------------------------------------------------


def readable(pk: CheckInputs, pid: str, *suffixes: str) -> bool:
    """The form's fields for this person were read with confidence (or left empty)."""
    got = [pk.fields.get(field_prefix(pid) + s) for s in suffixes]
    read = any(f is not None and f.status is FieldStatus.READ for f in got)
    return read and not any(f is not None and f.status is FieldStatus.UNREADABLE for f in got)


def _mismatch(pk: CheckInputs, doc: DocumentFacts, person: Person, what: str, ev: Evidence) -> Flag:
    page, kind = doc.pages[0], doc.doc_type.value.replace("_", " ")
    label = "name" if what == "name" else "date of birth"
    return pk.flag(
        F.IDENTITY_MISMATCH,
        f"The {label} on the {kind} (page {page}) differs from the form for {person.display_name}.",
        ev.model_copy(update={"page": page}),
        person=person.id,
        field=what,
        page=page,
    )


def _letters(text: str | None) -> str:
    """A zone's name letters: fillers, and the K and X OCR reads for them, left out."""
    return re.sub(r"[KX]", "", "".join(tokens(text)).upper())


def _zone_starts_with(m: PersonMention, family: Sequence[str]) -> bool:
    """The zone's raw name field opens with exactly this family name, then a filler: what a
    misread separator (``TKACHENKO<X<OLENA``) cannot hide, and a letter doubled can. Between
    the words of the name, the filler may also be read as S (``ABOU<CHAAR`` read
    ``ABOUSCHAAR``)."""
    words = [re.escape(w.upper()) for w in family]
    if not words:
        return False
    name, text = "[<KXS]+".join(words), (m.text or "").upper()
    if re.match(name + r"(?:[<KX]|$)", text):
        return True
    # With no double filler anywhere, the one between the names was misread, as S< most
    # often (BONDARENKOS<IRYNAS for BONDARENKO<<IRYNA).
    return "<<" not in text and re.match(name + "S<", text) is not None


def _agrees(m: PersonMention, references: Sequence[list[str]]) -> bool:
    """The reading carries one of the reference family names exactly (accents, case, hyphens
    and word order aside): a letter doubled or changed is a different name."""
    if m.source == "mrz":
        return any(_letters(m.family_name) == _letters(" ".join(r)) or _zone_starts_with(m, r)
                   for r in references)
    words = _words(m)
    return any(set(r) <= set(words) or _spelled_across("".join(r), words) for r in references)


def _spelled_across(name: str, words: Sequence[str]) -> bool:
    """``name`` is consecutive words joined: OCR cut it at a gap between two letters
    (NDJOCK read ND JOCK). Whole words only, so a letter added still differs."""
    for i in range(len(words)):
        joined = ""
        for w in words[i:]:
            joined += w
            if len(joined) >= len(name):
                break
        if joined == name and joined != words[i]:
            return True
    return False


def _doc_families(doc: DocumentFacts, person: Person, pk: CheckInputs) -> set[str]:
    """Family names (words joined) a document gives this person, from its labels or zone."""
    out: set[str] = set()
    for m in doc.mentions:
        if m.source != "label" or name_score(m, person) < pk.threshold - NEAR_MISS:
            continue
        if m.family_name:
            out.add("".join(tokens(m.family_name)))
        else:  # A whole name as written: any of its words may be the family name.
            out |= set(tokens(m.full_name))
    if doc.mrz is not None and doc.mrz.checks_ok:
        out.add("".join(tokens(doc.mrz.family_name)))
    return out - {""}


def _form_outvoted(pk: CheckInputs, person: Person) -> bool:
    """Two of the person's identity papers agree on a family name the form's reading does not
    give: the hand-printed reading is what is wrong (a recogniser's slip), not the papers.
    For a family member, the family name the ministry printed for the principal is a vote
    too: one paper giving exactly that name outvotes an unsure reading a letter away."""
    form = "".join(tokens(person.family_name))
    papers = [_doc_families(d, person, pk) for d in pk.documents
              if d.person == person.id and d.doc_type in IDENTITY_TYPES]
    household = set() if person.id == "principal" else {
        "".join(tokens(p.family_name)) for p, _ in printed_names(pk)} - {""}
    shared = [name for name in set().union(*papers)
              if sum(name in p for p in papers) + (name in household) >= 2]
    return bool(shared) and form not in shared


_NOISE_WORD = re.compile(r"(.)\1\1|^[^aeiouy]{4,}$")


def _plausible(m: PersonMention, references: Sequence[list[str]] = ()) -> bool:
    """Every word of the reading could be a name: OCR noise (``ooo``, ``cece eeeeeeees``) has
    runs of one letter or no vowel. A word one letter from a reference family name is that
    name, misspelt (NASSSER, a letter doubled in NASSER), not noise. A zone's letters are
    checked by its digits instead."""
    if m.source == "mrz":
        return True
    family = [w for r in references for w in r]
    return bool(words := _words(m)) and not any(
        _NOISE_WORD.search(w) and not any(Levenshtein.distance(w, f) <= 1 for f in family)
        for w in words
    )


def _references(pk: CheckInputs, person: Person) -> list[list[str]]:
    """The family name on the form when it was read with confidence, and for the principal
    the ones the ministry printed (typed, so read well even when the hand-printed one is not).
    A reading short of ``name_sure_confidence`` gives way to two papers that agree without it.
    """
    refs = []
    f = pk.fields.get(field_prefix(person.id) + "family_name")
    sure = readable(pk, person.id, "family_name") and f is not None and (
        f.confidence >= pk.cfg.rules.name_sure_confidence or not _form_outvoted(pk, person))
    # A reading unsure that one of the person's papers states alike is two readers agreeing,
    # as with birth dates: the confirming paper cannot differ from it.
    if sure or (f is not None and f.name in pk.confirmed):
        refs.append(tokens(person.family_name))
    printed = [tokens(p.family_name) for p, _ in printed_names(pk)]
    if person.id == "principal":
        refs += printed
    elif not refs and f is not None and f.value:
        # A member's unsure reading that spells the family name the ministry printed, or
        # misses it by one letter (AHWADI for AHMADI): the family's name, the typed one read
        # well. A paper giving another name differs.
        seen = "".join(tokens(f.value))
        refs += [r for r in printed if Levenshtein.distance(seen, "".join(r)) <= 1]
        refs += [] if refs else _nearest_paper_name(pk, person, seen)
    return [r for r in refs if r]


def _nearest_paper_name(pk: CheckInputs, person: Person, seen: str) -> list[list[str]]:
    """The person's papers disagree on the family name and the form's reading is unsure: the
    name it spells nearest (PIERRE-LOUIS for PIERRE-LUUIS, against PIEROE-LOUIS), when
    strictly nearer than the others and within ``_MISSPELT_MAX`` letters, is the reference
    the others differ from. Only readings the page's OCR was sure of take part: a line read
    at confidence 5 (``oo ABOU CHAAR``) is no reference anything can differ from."""
    names = {"".join(t): t for d in pk.documents
             if d.person == person.id and d.doc_type in IDENTITY_TYPES
             for m in d.mentions if m.source == "label" and _sure_witness(pk, m)
             and (t := tokens(m.family_name))}  # fmt: skip
    if len(names) < 2:
        return []  # (a zone's names are left out: its check digits do not cover them)
    (near, best), (second, _) = sorted((Levenshtein.distance(seen, n), n) for n in names)[:2]
    return [names[best]] if near <= _MISSPELT_MAX and near < second else []


#: Letters a misspelt family name differs by at most (one changed, dropped or doubled; two).
_MISSPELT_MAX = 2


def _beyond_given(m: PersonMention, person: Person) -> bool:
    """A whole name as written holds a word besides the person's given names: only then can it
    disagree on the family name ("Fatima Zahra" alone says nothing of it)."""
    given = set(tokens(person.given_names))
    words = tokens(m.full_name)
    return len(words) > 1 and not all(_given_word(w, given) for w in words)


def _given_word(word: str, given: set[str]) -> bool:
    """One of the given names on the form, or one letter from it: the form reader misreads a
    hand-printed letter (NDEYE read NDEYF) far more often than a paper names someone else."""
    return word in given or (
        len(word) >= 4 and any(Levenshtein.distance(word, g) <= 1 for g in given)
    )


def _sure_witness(pk: CheckInputs, m: PersonMention) -> bool:
    """The page's OCR was sure of every word of the name: a word Tesseract doubted (MUÑOZ
    read MUROZ at 67) says nothing of a one-letter difference. A zone is judged by its check
    digits instead."""
    return m.ocr_confidence is None or m.ocr_confidence >= pk.cfg.rules.name_witness_min_ocr


def _sure_date(pk: CheckInputs, m: PersonMention) -> bool:
    """The page's OCR was sure of the birth date's year: a year it doubted (15.01.1991 read
    15.01.1994 at confidence 0, in a typewriter face) says nothing of a one-digit difference."""
    return m.date_confidence is None or m.date_confidence >= pk.cfg.rules.date_witness_min_ocr


def _someone_else(m: PersonMention, person: Person, references: Sequence[list[str]]) -> bool:
    """A reading whose words, the person's given names aside, are all more than
    ``_MISSPELT_MAX`` letters from every reference family name: on a paper that prints the
    family name elsewhere, another person sharing a given name (a parent, the declarant, the
    officer: Jean LAGUERRE on Jean Wesly DESROSIERS's birth certificate). A name misspelt
    stays within a letter or two of the right one."""
    given = set(tokens(person.given_names))
    words = [w for w in _words(m) if not _given_word(w, given)]
    family = [w for r in references for w in r]
    return bool(words) and all(Levenshtein.distance(w, f) > _MISSPELT_MAX
                               for w in words for f in family)


def _misread_line(m: PersonMention, person: Person, references: Sequence[list[str]]) -> bool:
    """A reading differing on the family name that also misspells a given name the form
    states (ONDOKO Luz Angeia for LONDOÑO Luz Ángela): OCR garbled the line, and a typist
    who misspelt a family name rarely misspelt the given names beside it. A zone is judged
    by its check digits instead."""
    if m.source == "mrz" or _agrees(m, references):
        return False
    family = [w for r in references for w in r]
    for w in _words(m):
        if any(Levenshtein.distance(w, f) <= _MISSPELT_MAX for f in family):
            continue
        if any(0 < Levenshtein.distance(w, g) <= 1 and len(g) >= 4
               for g in tokens(person.given_names)):
            return True
    return False


def _names_agree(pk: CheckInputs, doc: DocumentFacts, person: Person) -> Iterator[Flag]:
    # Readings of this person (not of the officer or a parent) that carry a family name: a
    # given name alone cannot disagree on it.
    references = _references(pk, person)
    readings = [
        m
        for m in doc.mentions
        if (m.family_name or _beyond_given(m, person))
        and name_score(m, person) >= pk.threshold - NEAR_MISS and _plausible(m, references)
    ]
    readings += [mrz_mention(doc.mrz)] if doc.mrz is not None else []
    if not readings or not references:
        return
    # The given names are held to the form only when it could be read there.
    given_ok = doc.match_score >= pk.threshold or not readable(pk, person.id, "given_names")
    if given_ok and any(_agrees(m, references) for m in readings):
        return
    if given_ok and _printed_as_on_form(doc, person, references):
        return
    # Only a reading the page's OCR was sure of can disagree, and only about this person.
    named = [m for m in doc.mentions if m.source != "mrz" and _plausible(m, references)
             and _agrees(m, references)]
    witnesses = [m for m in readings if _sure_witness(pk, m)
                 and not (named and _someone_else(m, person, references))
                 and not _misread_line(m, person, references)]
    if not witnesses:
        return
    best = max(witnesses, key=lambda m: name_score(m, person))
    yield _mismatch(
        pk,
        doc,
        person,
        "name",
        Evidence(
            bbox=best.bbox,
            text_read=_shown(best),
            expected=person.display_name,
            note=f"name match {doc.match_score:.0f}/100",
        ),
    )


def _printed_as_on_form(
    doc: DocumentFacts, person: Person, references: Sequence[list[str]]
) -> bool:
    """The paper prints the person's whole name as the form gives it, word for word, though
    no reading of it was labelled (a passport whose labels OCR garbled): a zone that differs
    was misread (BENALL<<KARIMS), as a paper with another name would print that name."""
    words = set(doc.name_words)
    given = tokens(person.given_names)
    return bool(given) and set(given) <= words and any(set(r) <= words for r in references)


def _doc_dob(
    pk: CheckInputs, doc: DocumentFacts, person: Person, *, doubted: bool = False
) -> tuple[dt.date, Evidence] | None:
    """The birth date the document gives its subject. A zone's, protected by its check digit,
    decides; otherwise that of the best-named mention giving one, read surely unless
    ``doubted`` (``_sure_date``: alone, a doubted date cannot differ from the form; two
    papers agreeing on it letter for letter are still two readers)."""
    zone: MrzRead | None = doc.mrz
    if zone and zone.date_of_birth and "date_of_birth" not in zone.failed_checks:
        return zone.date_of_birth, Evidence(bbox=zone.bbox, note="machine-readable zone")
    dated = [
        m
        for m in doc.mentions
        if m.date_of_birth is not None and name_score(m, person) >= pk.threshold - NEAR_MISS
        and (doubted or _sure_date(pk, m))
    ]
    best = max(dated, key=lambda m: name_score(m, person), default=None)
    if best is None or best.date_of_birth is None:
        return None
    return best.date_of_birth, Evidence(bbox=best.bbox, note=best.text)


def _dob_outvoted(pk: CheckInputs, person: Person) -> dt.date | None:
    """The birth date two of the person's identity papers agree on, when the form's reading
    is another: the hand-printed reading is what is wrong (a 6 read as 0), as with names
    (``_form_outvoted``). A reading of ``name_sure_confidence`` or more gives way only to a
    date one digit away (a recogniser's slip: a 9 read 0 at 0.93); further off, the form and
    the papers disagree. A paper that differs alone still differs."""
    f = pk.fields.get(field_prefix(person.id) + "date_of_birth")
    if f is None:
        return None
    stated = [found[0] for d in pk.documents
              if d.person == person.id and d.doc_type in IDENTITY_TYPES and pk.first_legible(d)
              and (found := _doc_dob(pk, d, person, doubted=True)) is not None]  # fmt: skip
    agreed = {d for d in stated if stated.count(d) >= 2}
    if len(agreed) != 1 or person.date_of_birth in agreed:
        return None
    date = agreed.pop()
    sure = f.confidence >= pk.cfg.rules.name_sure_confidence
    return None if sure and not _one_digit_apart(person.date_of_birth, date) else date


def _one_digit_apart(a: dt.date | None, b: dt.date) -> bool:
    if a is None:
        return False
    return sum(x != y for x, y in zip(a.isoformat(), b.isoformat(), strict=True)) == 1


def reference_dob(pk: CheckInputs, person: Person) -> dt.date | None:
    """The birth date to hold documents to: the form's when read with confidence, or read
    unsure but stated alike by one of the person's papers (two readers agreeing, as
    ``confirm_from_papers`` reports it; a paper that differs then differs from both), and not
    after the envelope arrived, nor outvoted by two papers; else for the principal the one in
    the ministry's list of invited files."""
    born = person.date_of_birth
    sure = readable(pk, person.id, "date_of_birth") or (
        field_prefix(person.id) + "date_of_birth" in pk.confirmed)
    if (born is not None and sure and born <= pk.received
            and _dob_outvoted(pk, person) is None):
        # (A date after the envelope arrived is a misreading, not a birth date.)
        return born
    entry = registry_entry(pk) if person.id == "principal" else None
    return entry.date_of_birth if entry is not None else None


def _dob_agrees(pk: CheckInputs, doc: DocumentFacts, person: Person) -> Iterator[Flag]:
    expected = reference_dob(pk, person)
    if expected is None:
        return
    found = _doc_dob(pk, doc, person)
    if found is not None and found[0] != expected:
        ev = found[1].model_copy(
            update={"text_read": found[0].isoformat(), "expected": expected.isoformat()}
        )
        yield _mismatch(pk, doc, person, "date_of_birth", ev)


def _preprinted(pk: CheckInputs) -> Iterator[Flag]:
    """The name the applicant wrote against the name the ministry printed (its best reading
    over the form pages: one page's print may be badly read)."""
    principal, printed = pk.person("principal"), printed_names(pk)
    if (
        not printed
        or principal is None
        or not readable(pk, "principal", "family_name", "given_names")
    ):
        return
    written = PersonMention(family_name=principal.family_name, given_names=principal.given_names)
    score, shown, page = max(
        ((name_score(written, p), p, n) for p, n in printed), key=lambda s: s[0]
    )
    if score < pk.threshold:
        yield pk.flag(
            F.IDENTITY_MISMATCH,
            "The name written on the form differs from the name printed on it by the ministry.",
            Evidence(
                page=page,
                text_read=shown.display_name,
                expected=principal.display_name,
                note=f"name match {score:.0f}",
            ),
            person="principal",
            field="name",
            page=page,
        )


def outvoted_dates(pk: CheckInputs) -> Iterator[Flag]:
    """A birth date read on the form that two identity papers contradict alike is reported
    unreadable, not passed: the reviewer checks it on the page."""
    for person in pk.people:
        f = pk.fields.get(field_prefix(person.id) + "date_of_birth")
        agreed = _dob_outvoted(pk, person)
        if f is None or f.status is not FieldStatus.READ or agreed is None:
            continue
        yield pk.flag(
            F.FIELD_UNREADABLE,
            f"The date of birth read on the form for {person.display_name} differs from the "
            "one two of their identity papers state alike; check it on the page.",
            field_evidence(f, note=f"two papers state {agreed.isoformat()}"),
            field=f.name,
        )


def identity_mismatches(pk: CheckInputs) -> Iterator[Flag]:
    yield from _preprinted(pk)
    yield from outvoted_dates(pk)
    for doc in pk.documents:
        person = pk.person(doc.person)
        if person is None or doc.doc_type not in IDENTITY_TYPES or not pk.first_legible(doc):
            continue
        yield from _names_agree(pk, doc, person)
        yield from _dob_agrees(pk, doc, person)


def invalid_zones(pk: CheckInputs) -> Iterator[Flag]:
    """Zones whose check digits fail. A zone with a check character misread (no digit where
    a check digit stands) proves nothing either way: its failures may be the same misreading
    (a line read one character short fails every check after it), so it is not flagged."""
    for doc in pk.documents:
        zone, page = doc.mrz, doc.pages[0]
        if zone is not None and zone.unread_checks:
            log.info("page %d: zone not verified, check character misread (%s)", page,
                     ", ".join(zone.unread_checks))
        elif zone is not None and not zone.checks_ok and pk.first_legible(doc):
            failed = ", ".join(zone.failed_checks)
            yield pk.flag(
                F.MRZ_INVALID,
                f"The machine-readable zone on page {page} fails its check digits: {failed}.",
                Evidence(
                    page=page,
                    bbox=zone.bbox,
                    text_read="\n".join(zone.lines),
                    note=f"failed: {failed}",
                ),
                page=page,
            )
