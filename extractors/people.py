"""The people of an application and which supporting document is whose.

Names are compared the way a reviewer would: accents dropped, case folded, hyphens as spaces,
names in any order, and a middle name present on one side only tolerated. A machine-readable
zone is compared on its letters alone, since OCR often reads its fillers as K or X.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from extractors.check_inputs import field_prefix
from schemas.codes import DocType, FieldStatus
from schemas.config import RulesConfig
from schemas.extraction import DocumentFacts, FieldRead, MrzRead, PersonMention
from schemas.people import Person

log = logging.getLogger(__name__)

MEMBER_ROWS = range(1, 6)
SPOUSE = 1
#: Added to a name score when the document gives the person's exact date of birth.
DOB_BONUS = 10.0
#: How far under the match threshold a name may be when the date of birth agrees: the document
#: is then theirs, and the name difference is for the reviewer (identity_mismatch).
NEAR_MISS = 30.0
#: How far under the match threshold a paper's labelled name may be when the form's own
#: reading of the person's name is unsure: MARYAM KARIMI is the member read MAKYAM KAKIMI (one
#: letter off in each word scores 83).
UNSURE_NEAR_MISS = 10.0
#: A labelled name carries a person's given name when one of its words scores this much
#: against one of theirs.
_GIVEN_SEEN = 70.0
#: Text scores this close count as equal.
_TEXT_TIE = 5.0
_COUPLE_DOCS = (DocType.MARRIAGE_CERTIFICATE, DocType.UNION_PROOF)
#: Papers a person sends one of: a second one matched to them goes to a namesake with none.
_ONE_EACH = (DocType.BIRTH_CERTIFICATE, DocType.IDENTITY_DOCUMENT)
_CHILD_DOCS = (DocType.MEDICAL_CERTIFICATE, DocType.FINANCIAL_DEPENDENCY_PROOF)


# --- the form's people ------------------------------------------------------------------------


def _value(fields: Mapping[str, FieldRead], name: str) -> str | None:
    """What the applicant wrote; a low-confidence reading still names someone to match."""
    f = fields.get(name)
    if f is None or f.status is FieldStatus.EMPTY or not f.value:
        return None
    return f.value.strip() or None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get((value or "").lower())


def _confident(fields: Mapping[str, FieldRead], *names: str) -> bool:
    return all(fields.get(n) is None or fields[n].status is FieldStatus.READ for n in names)


def _principal(fields: Mapping[str, FieldRead]) -> Person:
    family, given = _value(fields, "family_name"), _value(fields, "given_names")
    preprinted = _value(fields, "preprinted_name")
    sure = _confident(fields, "family_name", "given_names")
    if preprinted and not (family and given and sure):
        # The ministry printed "FAMILY NAME, Given names" on every page: better than a name
        # the applicant wrote but that could not be read with confidence.
        family, _, given = (part.strip() or None for part in preprinted.partition(","))
        sure = True
    born = _value(fields, "date_of_birth")
    return Person(
        id="principal", family_name=family, given_names=given, name_sure=sure,
        date_of_birth=_date(born), date_of_birth_read=born, residence="quebec",
    )


#: The fields of a page-2 row (``member3_family_name``…).
_ROW_FIELDS = ("family_name", "given_names", "relationship", "date_of_birth", "residence",
               "included", "has_spouse")


def row_used(fields: Mapping[str, FieldRead], key: str) -> bool:
    """Whether the page-2 row ``key`` (``member3``) names someone: a name is written in it.
    A lone character read unsure in an otherwise empty row (a speck or a stray stroke read
    L) names nobody: its fields are not missing, nor is it a person."""
    written = [f for s in _ROW_FIELDS
               if (f := fields.get(f"{key}_{s}")) is not None and f.status is not FieldStatus.EMPTY]
    names = [f for f in written if f.name.endswith(("_family_name", "_given_names"))]
    if not names:
        return False
    lone = names[0]
    return not (len(written) == 1 and lone.status is FieldStatus.UNREADABLE
                and len((lone.value or "").strip()) <= 1)


def _member(fields: Mapping[str, FieldRead], row: int) -> Person | None:
    key = f"member{row}"
    family, given = _value(fields, f"{key}_family_name"), _value(fields, f"{key}_given_names")
    if not (family or given) or not row_used(fields, key):
        return None
    relationship = _value(fields, f"{key}_relationship")
    born = _value(fields, f"{key}_date_of_birth")
    return Person(
        id=key, family_name=family, given_names=given,
        name_sure=_confident(fields, f"{key}_family_name", f"{key}_given_names"),
        date_of_birth=_date(born), date_of_birth_read=born,
        relationship=int(relationship) if relationship and relationship.isdigit() else None,
        residence=_value(fields, f"{key}_residence"),
        included=_yes_no(_value(fields, f"{key}_included")) is True,
        has_spouse=_yes_no(_value(fields, f"{key}_has_spouse")),
    )


def people_from_form(fields: Mapping[str, FieldRead]) -> tuple[Person, ...]:
    """The principal applicant (page 1) and every used row of page 2, in form order.

    The principal is always returned, with no name when the form could not be read, so the
    documents every application needs are still asked for.
    """
    members = [m for row in MEMBER_ROWS if (m := _member(fields, row)) is not None]
    log.debug("form declares %d family member(s)", len(members))
    return (_principal(fields), *members)


# --- comparing names --------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str | None) -> list[str]:
    """Name words: no accents, case-folded, hyphens and fillers as spaces, no apostrophes."""
    if not text:
        return []
    text = re.sub(r"['’.]", "", _fold(text))
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def _cover(needles: Sequence[str], hay: Sequence[str]) -> tuple[float, list[str]]:
    """Mean best score of each needle among ``hay`` (each hay word used once), and the rest."""
    rest = list(hay)
    scores = []
    for needle in needles:
        if not rest:
            scores.append(0.0)
            continue
        best = max(range(len(rest)), key=lambda i: fuzz.ratio(needle, rest[i]))
        scores.append(fuzz.ratio(needle, rest.pop(best)))
    return (sum(scores) / len(scores) if scores else 0.0), rest


def _given_score(seen: Sequence[str], declared: Sequence[str]) -> float:
    """Either side may hold a middle name the other lacks; words may run together."""
    one_way = _cover(seen, declared)[0]
    other_way = _cover(declared, seen)[0]
    joined = fuzz.ratio("".join(seen), "".join(declared))
    return max(one_way, other_way, joined)


def _mrz_skeleton(text: str) -> str:
    return re.sub(r"[^A-Z]|[KX]", "", _fold(text).upper())


def _mrz_score(mention: PersonMention, person: Person) -> float:
    """The zone's letters against the person's, fillers (and the K and X OCR reads for them)
    ignored; a long name the zone truncated is compared on what fits."""
    seen = _mrz_skeleton(f"{mention.family_name or ''}{mention.given_names or ''}")
    declared = _mrz_skeleton(f"{person.family_name or ''}{person.given_names or ''}")
    if not seen or not declared:
        return 0.0
    if not (mention.text or "").endswith("<"):
        # No filler at the end: the name filled the zone and was cut.
        declared = declared[: len(seen)]
    return fuzz.ratio(seen, declared)


def _family_first(family: Sequence[str], given: Sequence[str], seen: Sequence[str]) -> float:
    fam_score, rest = _cover(family, seen) if family else (0.0, list(seen))
    if not given:
        return fam_score if not rest else fam_score * 0.9
    if not rest:
        # Only a family name: siblings share it, so it never decides alone.
        return fam_score * 0.8
    giv_score = _given_score(rest, given)
    return (fam_score + giv_score) / 2 if family else giv_score * 0.8


def _given_first(family: Sequence[str], given: Sequence[str], seen: Sequence[str]) -> float:
    """Given names taken first, so a different family name (maiden name) is not hidden by a
    given name standing in for it."""
    if not family or not given:
        return 0.0
    giv_score, rest = _cover(given, seen)
    return (giv_score + (_cover(family, rest)[0] if rest else 0.0)) / 2


def name_score(mention: PersonMention, person: Person) -> float:
    """How well a name on a document matches a person of the form, 0–100."""
    family = tokens(person.family_name)
    given = tokens(person.given_names)
    seen = tokens(mention.family_name) + tokens(mention.given_names)
    if not seen:
        seen = tokens(mention.full_name)
    if not seen or not (family or given):
        return 0.0
    score = max(_family_first(family, given, seen), _given_first(family, given, seen))
    if mention.source == "mrz":
        score = max(score, _mrz_score(mention, person))
    return round(score, 1)


def _best_word(needle: str, words: Sequence[str]) -> float:
    """The best fuzzy score of a name word among a document's words."""
    found = process.extractOne(needle, words, scorer=fuzz.ratio)
    return float(found[1]) if found else 0.0


def text_score(
    words: Sequence[str], person: Person, dates: Collection[dt.date] = ()
) -> float:
    """How fully the person's name is typed anywhere on a document, 0–100, whatever its
    layout: every family-name word (or the family name with its spaces lost or added, as a form
    reading may have them) and at least one given name, each the best fuzzy match among the
    document's words. Both parts are needed: relatives share a family name. The person's date
    of birth written anywhere on it adds ``DOB_BONUS``."""
    family, given = tokens(person.family_name), tokens(person.given_names)
    vocab = sorted(set(words))
    if not family or not given or not vocab:
        return 0.0
    pairs = sorted({a + b for a, b in zip(words, words[1:], strict=False)})
    fam = sum(_best_word(t, vocab) for t in family) / len(family)
    fam = max(fam, _best_word("".join(family), vocab + pairs))
    # A one- or two-letter word (an initial, a misread) is found on any page: never alone.
    giv = max([_best_word(t, vocab) for t in given if len(t) > 2]
              + [_best_word("".join(given), vocab + pairs)])
    score = (fam + giv) / 2
    if any(person.born_on(d) for d in dates):
        score = min(100.0, score + DOB_BONUS)
    return round(score, 1)


# --- who each document is about ---------------------------------------------------------------


def mrz_mention(mrz: MrzRead) -> PersonMention:
    """The holder named by a machine-readable zone; ``text`` is its raw name field."""
    field = mrz.lines[0][5:] if mrz.kind == "TD3" else mrz.lines[-1]
    return PersonMention(
        family_name=mrz.family_name or None, given_names=mrz.given_names or None,
        date_of_birth=mrz.date_of_birth, source="mrz", bbox=mrz.bbox, text=field,
    )


def _scores(mentions: Sequence[PersonMention], person: Person,
            dates: Collection[dt.date] = ()) -> tuple[float, bool]:
    """Best name score over the mentions, with the date-of-birth bonus, and whether a mention
    gives the person's exact date of birth (or the document writes it anywhere: a birth
    certificate names the parents too, but it is dated with the child's birth)."""
    best = 0.0
    dob_agrees = any(person.born_on(d) for d in dates)
    for m in mentions:
        same_dob = person.born_on(m.date_of_birth)
        dob_agrees |= same_dob
        best = max(best, min(100.0, name_score(m, person) + (DOB_BONUS if same_dob else 0.0)))
    return best, dob_agrees


def _preference(doc_type: DocType, person: Person, index: int) -> tuple[float, ...]:
    """Among people a document names equally well, whose it most likely is: a birth
    certificate is the youngest's (parents are named on it too), medical and dependency
    proofs a child's (the parent who pays is named too), anything else the principal's."""
    if doc_type is DocType.BIRTH_CERTIFICATE:
        born = person.date_of_birth
        return (born.toordinal() if born else 0, -index)
    if doc_type in _CHILD_DOCS:
        return (person.relationship in (2, 3, 4), person.id != "principal", -index)
    return (person.id == "principal", -index)


def choose_person(
    mentions: Sequence[PersonMention], people: Sequence[Person], cfg: RulesConfig,
    doc_type: DocType = DocType.OTHER, dates: Collection[dt.date] = (),
) -> tuple[str | None, float]:
    """The person the document names, or a near miss whose birth date agrees, or nobody.

    A birth date that agrees outranks a name alone (a parent who pays or declares is named in
    full on a child's papers, the child's date is what makes them the child's); then a full
    match, then the document kind's preference, then the better name.
    """
    if not mentions or not people:
        return None, 0.0
    scored = [(*_scores(mentions, p, dates), p, i) for i, p in enumerate(people)]
    found = [s for s in scored if s[0] >= cfg.name_match_min
             or (s[1] and s[0] >= cfg.name_match_min - NEAR_MISS)]
    if found:
        score, _, person, _ = max(found, key=lambda s: (
            s[1], s[0] >= cfg.name_match_min, _preference(doc_type, s[2], s[3]), s[0]))
        return person.id, score
    owner = _given_name_owner(mentions, people)
    if owner is not None:
        return owner.id, cfg.name_match_min
    return None, max(s[0] for s in scored)


def person_by_text(
    doc: DocumentFacts, people: Sequence[Person], cfg: RulesConfig
) -> tuple[str | None, float]:
    """The person whose whole name the document's text carries, when no labelled name said
    whose it is; among several, the document kind's preference (a birth certificate names the
    parents too)."""
    scored = [(text_score(doc.name_words, p, doc.dates), p, i) for i, p in enumerate(people)]
    # As with labelled names, a birth date the document writes lets a name read less well
    # (a garbled label, a form reading with a wrong letter) still say whose it is.
    named = [s for s in scored if s[0] >= cfg.name_match_min or (
        _born_on_any(s[1], doc.dates) and s[0] >= cfg.name_match_min - NEAR_MISS)]
    if not named:
        return None, 0.0
    # A name spelled out beats one a common word happens to resemble; among equals, the
    # person whose birth date the document writes, then the document kind's preference.
    top = max(s[0] for s in named)
    score, person, _ = max(
        (s for s in named if s[0] >= top - _TEXT_TIE),
        key=lambda s: (_born_on_any(s[1], doc.dates), _preference(doc.doc_type, s[1], s[2])),
    )
    return person.id, score


def _household_proof(doc: DocumentFacts, people: Sequence[Person], person: str | None
                     ) -> str | None:
    """A proof of residence is asked of the principal alone: one whose words give the
    principal's family name and not a family member's given names (a bill cut through
    DIEUDONNÉ DESROSIERS, read INÉ DESROSIERS) is the principal's, whatever member the
    fragments of words resemble more."""
    principal, owner = _by_id(people, "principal"), _by_id(people, person)
    if doc.doc_type is not DocType.RESIDENCE_PROOF or principal is None or owner is None:
        return person
    words = set(doc.name_words)
    family = tokens(principal.family_name)
    if owner is not principal and family and set(family) <= words and not _spells_given(
            owner, words):
        return principal.id
    return person


def _unsure_near_miss(
    mentions: Sequence[PersonMention], people: Sequence[Person], cfg: RulesConfig
) -> tuple[Person, float] | None:
    """The person whose unsure form reading a labelled name on the paper nearly spells, best
    first; None when no one's does. A label giving other given names (WIDLINE DELVA for
    DIEUDONNÉ DELVA, read DIEUDON NÉ) names a sibling, however close the family name."""
    labelled = [m for m in mentions if m.source == "label"]
    scored = [(p, _scores([m for m in labelled if _gives_given(m, p)], p)[0])
              for p in people if not p.name_sure]
    near = [s for s in scored if s[1] >= cfg.name_match_min - UNSURE_NEAR_MISS]
    return max(near, key=lambda s: s[1], default=None)


def _gives_given(m: PersonMention, person: Person) -> bool:
    """Whether a labelled name holds one of the person's given names, as read on the form:
    close by ``_GIVEN_SEEN``, or a letter off (AWA for a form reading DWA). Without given
    names on either side, nothing says otherwise."""
    given = tokens(person.given_names)
    words = tokens(m.given_names) if m.family_name else tokens(m.given_names or m.full_name)
    if not given or not words:
        return True
    return any(fuzz.ratio(g, w) >= _GIVEN_SEEN
               or (min(len(g), len(w)) >= 3 and Levenshtein.distance(g, w) <= 1)
               for g in given for w in words)


def _named_otherwise(mentions: Sequence[PersonMention], person: Person | None) -> bool:
    """Whether the paper's labelled subject is someone else: a labelled full name none of
    whose words is one of the person's given names. A money transfer names its sender in
    full too; the text alone cannot tell the sender from the beneficiary its label names."""
    given = tokens(person.given_names) if person else []
    for m in mentions:
        words = tokens(m.family_name) + tokens(m.given_names) or tokens(m.full_name)
        if m.source == "label" and len(words) >= 2 and given and max(
            fuzz.ratio(g, w) for g in given for w in words
        ) < _GIVEN_SEEN:
            return True
    return False


def _by_id(people: Sequence[Person], person_id: str | None) -> Person | None:
    return next((p for p in people if p.id == person_id), None)


def _born_on_any(person: Person, dates: Collection[dt.date]) -> bool:
    return any(person.born_on(d) for d in dates)


def _given_name_owner(mentions: Sequence[PersonMention], people: Sequence[Person]
                      ) -> Person | None:
    """The one person whose given names a mention giving only given names spells exactly: in a
    family, siblings share a family name, rarely a given name."""
    for m in mentions:
        if m.family_name or m.full_name or not m.given_names:
            continue
        seen = tokens(m.given_names)
        owners = [p for p in people if tokens(p.given_names) == seen]
        if len(owners) == 1:
            return owners[0]
    return None


def _spouse(
    people: Sequence[Person], mentions: Sequence[PersonMention], cfg: RulesConfig
) -> Person | None:
    """The member declared as spouse; when no relationship code could be read, the member the
    couple document names best (if nearly well enough)."""
    declared = next((p for p in people if p.relationship == SPOUSE), None)
    if declared is not None or any(p.relationship == SPOUSE for p in people):
        return declared
    unknown = [p for p in people if p.id != "principal" and p.relationship is None]
    scored = [(_scores(mentions, p)[0], p) for p in unknown]
    best = max(scored, key=lambda s: s[0], default=None)
    return best[1] if best and best[0] >= cfg.name_match_min - NEAR_MISS else None


def _assign(doc: DocumentFacts, people: Sequence[Person], cfg: RulesConfig) -> DocumentFacts:
    mentions = list(doc.mentions)
    person, score = None, 0.0
    if doc.mrz is not None:
        # The zone is the document's own statement of its holder: it decides when it matches.
        person, score = choose_person([mrz_mention(doc.mrz)], people, cfg, doc.doc_type, doc.dates)
    if person is None:
        person, score = choose_person(mentions, people, cfg, doc.doc_type, doc.dates)
    if person is None:
        person, text = person_by_text(doc, people, cfg)
        score = max(score, text) if person is None else text
        person = _household_proof(doc, people, person)
        near = _unsure_near_miss(mentions, people, cfg)
        if near is not None and near[0].id != person and (
            person is None or _named_otherwise(mentions, _by_id(people, person))
        ):
            person, score = near[0].id, near[1]
    spouse = _spouse(people, mentions, cfg) if doc.doc_type in _COUPLE_DOCS else None
    if spouse is not None:
        # A marriage or union document names the couple: it is the spouse's required proof,
        # even when OCR garbled both names (a near match of either is enough).
        principal = next((p for p in people if p.id == "principal"), spouse)
        couple = max(_scores(mentions, spouse)[0], _scores(mentions, principal)[0])
        if person in ("principal", spouse.id) or couple >= cfg.name_match_min - NEAR_MISS:
            person, score = spouse.id, max(score, _scores(mentions, spouse)[0])
    owner = next((p for p in people if p.id == person), None)
    if owner is not None:
        # How well the document names its person: its readings, or its words.
        score = max(score, text_score(doc.name_words, owner))
    return doc.model_copy(update={"person": person, "match_score": round(score, 1)})


def _born_once(
    docs: list[DocumentFacts], people: Sequence[Person], cfg: RulesConfig
) -> list[DocumentFacts]:
    """A person is born once, and sends one identity paper as a rule. Of two birth
    certificates (or identity papers) matched to one person, one goes to someone else whose
    whole name it also carries and who has none (a parent's name on a child's certificate,
    or the child's on a parent's, drew it; or two children share a name, told apart by
    dates the papers do not print, or by a date only one of them was read with): one that
    does not give the person's own birth date before one that does, then the one matched
    less well, or among equals the one that names the other person best."""
    out = list(docs)
    for person, kind in itertools.product(people, _ONE_EACH):
        mine = [i for i, d in enumerate(out) if d.person == person.id and d.doc_type is kind]
        if len(mine) < 2:
            continue
        holders = {d.person for d in out if d.doc_type is kind}
        moves = []
        for i in mine:
            doc = out[i]
            for p in people:
                if p.id not in holders:
                    score = text_score(doc.name_words, p, doc.dates)
                    if score >= cfg.name_match_min:
                        moves.append((_born_on_any(person, _stated(doc)), doc.match_score,
                                      -score, i, p.id))
        if moves:
            _, _, minus, i, other = min(moves)
            log.info("%s of pages %s: %s has one already, %s none",
                     kind.value, out[i].pages, person.id, other)  # fmt: skip
            out[i] = out[i].model_copy(update={"person": other, "match_score": -minus})
    # A certificate matched to nobody (its family name lost to OCR) whose words spell out the
    # whole given names of exactly one person without a certificate is theirs.
    for i, doc in enumerate(out):
        if doc.person is not None or doc.doc_type is not DocType.BIRTH_CERTIFICATE:
            continue
        holders = {d.person for d in out if d.doc_type is DocType.BIRTH_CERTIFICATE}
        words = set(doc.name_words)
        named = [p for p in people if p.id not in holders and _spells_given(p, words)]
        if len(named) == 1:
            log.info("birth certificate of pages %s: the given names of %s, who has none",
                     doc.pages, named[0].id)  # fmt: skip
            out[i] = doc.model_copy(update={"person": named[0].id})
    return out


def _stated(doc: DocumentFacts) -> set[dt.date]:
    """Every date the document writes, its zone's birth date included."""
    zone = doc.mrz.date_of_birth if doc.mrz is not None else None
    return set(doc.dates) | ({zone} if zone else set())


def _spells_given(person: Person, words: set[str]) -> bool:
    """Every given name of the person is a word of the document, and there are at least two
    of them or one of five letters or more (an initial or a short name is found anywhere)."""
    given = tokens(person.given_names)
    return bool(given) and set(given) <= words and (len(given) > 1 or len(given[0]) >= 5)


def assign_documents(
    docs: Sequence[DocumentFacts], people: Sequence[Person], *, cfg: RulesConfig
) -> list[DocumentFacts]:
    """Each document with ``person`` (or None when it names nobody of the form) and its
    ``match_score``; the inputs are left unchanged."""
    out = _born_once([_assign(doc, people, cfg) for doc in docs], people, cfg)
    matched = sum(d.person is not None for d in out)
    log.info("%d document(s), %d matched to a person", len(out), matched)
    return out


def proofs_at_the_address(
    docs: Sequence[DocumentFacts], fields: Mapping[str, FieldRead],
    page_words: Mapping[int, Sequence[str]],
) -> list[DocumentFacts]:
    """A proof of residence matched to nobody that prints the form's street address (its
    civic number and street words in a row, the street read surely) is the principal's: it
    is asked of the principal alone, and a lease whose tenant's name the copy or OCR lost
    still names the home."""
    street = fields.get("street")
    wanted = tokens(street.value) if street and street.status is FieldStatus.READ else []
    if len(wanted) < 2 or not wanted[0].isdigit() or not any(len(w) >= 3 and w.isalpha()
                                                             for w in wanted[1:]):
        return list(docs)
    out = []
    for doc in docs:
        if doc.doc_type is DocType.RESIDENCE_PROOF and doc.person is None and any(
                _in_a_row(wanted, page_words.get(n, ())) for n in doc.pages):
            log.info("proof of residence of pages %s: the form's address", doc.pages)
            doc = doc.model_copy(update={"person": "principal"})
        out.append(doc)
    return out


def _in_a_row(needle: Sequence[str], words: Sequence[str]) -> bool:
    n = len(needle)
    return any(list(words[i:i + n]) == list(needle) for i in range(len(words) - n + 1))


#: Papers that state who their holder is and when they were born.
BIRTH_PAPERS = (DocType.IDENTITY_DOCUMENT, DocType.BIRTH_CERTIFICATE)


def _birth_date_unsure(fields: Mapping[str, FieldRead], person: Person) -> bool:
    f = fields.get(field_prefix(person.id) + "date_of_birth")
    return f is None or f.status is not FieldStatus.READ


def stated_birth_dates(papers: Sequence[DocumentFacts]) -> set[dt.date]:
    """The birth dates papers state: zones whose check digits hold, labelled lines."""
    zones = {d.mrz.date_of_birth for d in papers
             if d.mrz is not None and d.mrz.checks_ok and d.mrz.date_of_birth}  # fmt: skip
    return zones | {m.date_of_birth for d in papers for m in d.mentions
                    if m.date_of_birth and m.source in ("label", "mrz")}  # fmt: skip


def settle_from_papers(
    people: Sequence[Person], docs: Sequence[DocumentFacts], fields: Mapping[str, FieldRead]
) -> tuple[Person, ...]:
    """People whose date of birth the form reader could not read with confidence, with the
    one their own identity papers (the documents matched to them) state, where every such
    paper agrees: a machine-readable zone whose check digits hold, a labelled line.

    The form field stays flagged ``field_unreadable`` for the reviewer. What rests on it then
    rests on the papers rather than on a misread digit: the age that decides a child's
    documents, and whose the other documents are (``assign_documents`` again). A person
    without such papers, or whose papers disagree, keeps the form's reading. Names are not
    taken from the zones: their check digits do not cover them, and fillers read as K or S
    run into them (FALL<<AMINATA read NFALLSSAMINATASK…).
    """
    out = []
    for p in people:
        if _birth_date_unsure(fields, p):
            papers = [d for d in docs if d.person == p.id and d.doc_type in BIRTH_PAPERS]
            stated = stated_birth_dates(papers)
            if len(stated) == 1 and p.date_of_birth not in stated:
                log.info("%s: date of birth from the identity papers, the form's was unsure",
                         p.id)  # fmt: skip
                p = p.model_copy(update={"date_of_birth": stated.pop()})
        out.append(p)
    return tuple(out)
