"""Who a supporting document is about: names and dates of birth read from its text.

Three sources, most trusted first: labelled lines (``Nom / Surname : …``, ``Né(e) le …``,
``Locataire : …``), with the value on the same line or, when the label stands alone, on the
next one (column by column when several labels share a line); a courtesy title before a name
(``Mme Sophie Leblanc``); and, for letters and other prose, spaCy's person entities. Labels of
people a document names but is not about (parents, doctor, landlord, witnesses) are read and
set aside, so their names are never taken for the subject's. Each mention keeps the line it came
from and the box of its words, for the report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import spacy

from extractors.dates import find_dates
from extractors.page_lines import (
    Line,
    addressee_mentions,
    first_sentence,
    fold_keep_length,
    honorific_mentions,
    line_offsets,
    name_value,
    page_lines,
    plausible_name,
    stacked_mentions,
    title_case,
    union_box,
)
from extractors.people import tokens
from schemas.base import PixelBox
from schemas.codes import DocType
from schemas.extraction import PersonMention
from schemas.ocr import OcrWord, PageOcr

log = logging.getLogger(__name__)

_B, _E = r"(?<![a-z])", r"(?![a-z])"
_OF = r"(?:du|de\s+la|de\s+l'|des|of\s+the|of)\s*"
_NOT_SUBJECT = (
    r"pere|mere|parents?|temoins?|medecin|docteur|officier[a-z' ]*?civil|officier|officiant|"
    r"celebrant|proprietaire|locateur|bailleur|employeur|notaire|commissaire|father|mother|"
    r"witness(?:es)?|physician|doctor|landlord|lessor|employer|registrar|"
    # Who sends the money a dependant lives on is named on the transfer, not its subject.
    r"expediteur|expeditrice|sender|remitter|payeur|payeuse|payer|donneur\s+d'ordre"
)
_SUBJECT = (
    r"titulaire|holder|locataires?|tenants?|lessees?|patiente?|epoux|epouse|spouse|husband|"
    r"wife|conjointe?s?|partner|enfant(?:\s+a\s+charge)?|(?:dependent\s+)?child|cliente?|"
    r"customer|account\s+holder|beneficiaire|beneficiary|"
    r"abonnee?|subscriber|requerante?|applicant|declarante?s?|declarant"
)
#: (kind, pattern) in priority order: at one position the first that matches wins.
_LABELS: tuple[tuple[str, str], ...] = (
    ("skip", rf"(?:nom\s+{_OF})?(?:{_NOT_SUBJECT})(?:'s)?(?:\s+(?:full\s+)?name)?"),
    ("skip", rf"(?:date\s+de\s+naissance|date\s+of\s+birth|nee?\s+le)\s+{_OF}(?:{_NOT_SUBJECT})|"
             rf"(?:{_NOT_SUBJECT})(?:'s)?\s+(?:date\s+of\s+birth|birth\s*date)"),
    ("dob", r"nee?\s*(?:\(e\))?\s+le|date\s+de\s+naissance|date\s+of\s+birth|birth\s*date|"
            r"born(?:\s+on)?|ddn|dob"),
    ("full", rf"nom\s+(?:et|&)\s+prenoms?(?:\(s\))?|nom\s+complet|full\s+name|"
             rf"(?:nom|name)\s+{_OF}(?:{_SUBJECT})|(?:{_SUBJECT})(?:'s)?\s+(?:full\s+)?name|"
             rf"nom\s+{_OF}(?:{_SUBJECT})"),
    # "sumame" and "non de famille": how OCR often reads them.
    ("family", r"no[mn]:?\s+de\s+famille|family\s+name|surname|sumame|last\s+name|"
               r"nom\s+de\s+naissance"),
    ("given", r"prenoms?(?:\s*\(s\))?|given\s+names?(?:\s*\(s\))?|first\s+names?|forenames?"),
    ("full", rf"{_SUBJECT}"),
    ("skip", r"lieu\s+de\s+naissance|place\s+of\s+birth|nationalite|nationality|sexe|sex|"
             r"adresse|address|date\s+de\s+delivrance|date\s+d'expiration|date\s+of\s+issue|"
             r"date\s+of\s+expiry|autorite|authority|taille|height|profession|occupation|"
             r"telephone|courriel|e-?mail|signature|numero|number|no|type|date|lieu|place"),
    # A bare "Nom" is the family name in French usage; a bare "Name" is the whole name.
    ("family", r"nom"),
    ("full", r"name"),
)
# A label is followed by a separator, ends its line or heads a column before another label:
# "mon patient, Luc" is prose, not a label. Birth-date labels need none of that ("née le
# 3 mars 1991"): their value must parse as a date anyway.
_ANY_LABEL = "|".join(p for _, p in _LABELS)
_AFTER = rf"(?=\s*(?:[:/\-.]|$|(?:{_ANY_LABEL}){_E}))"
_LABEL_RE = re.compile(
    "|".join(
        f"(?P<{k}{i}>{_B}(?:{p}){_E}{'' if k == 'dob' else _AFTER})"
        for i, (k, p) in enumerate(_LABELS)
    )
)
_LOOSE_RE = re.compile(rf"^\W*(?:{_ANY_LABEL}){_E}\W*")
# A label opening a line of a two-column table ("Nom   DIOP"), with a short value after it;
# the table's rules, read as bars, may stand around them ("| Nom BA-DIALLO |").
_LINE_START_RE = re.compile(
    "^[\\s|]*(?:" + "|".join(f"(?P<{k}{i}>(?:{p}){_E})" for i, (k, p) in enumerate(_LABELS))
    + r")(?=\s+\S+(?:\s+\S+){0,3}\s*$)"
)
# Civil records in prose: "NASSER Tarek, né(e) le 3 mai 1970", "Luz Muñoz, born 2 May 1970",
# "BENYOUCEF, Mohamed Amine, né(e) le 10 décembre 2003".
_BORN = re.compile(
    r"((?:[A-ZÀ-Ý][\w'’\-]*,?\s+){1,3}[A-ZÀ-Ý][\w'’\-]*),?\s+"
    r"(?:n[ée]e?\s*(?:\(e\))?\s+le|born(?:\s+on)?)\s+(?=((?:\S+\s*){1,4}))"
)
# Civil records in prose that state the birth before they name the child, as registrars
# write them: "que le 28 décembre 1966 est né à Goma un enfant de sexe masculin, prénommé
# Trésor", "on October 1, 2014 was born at Herat a girl, named Zahra NOORI". The date is the
# one right before the verb; the name follows "prénommé(e)" or "named" in the same sentence.
_BORN_THEN_NAMED = re.compile(
    r"\b(?:[Ll]e|[Oo]n)\s+(?P<date>(?:[^\s.;]+\s+){1,3}?\d{4}),?\s+"
    r"(?:est\s+n[ée]e?|was\s+born)\b[^.;]{0,160}?"
    r"\b(?P<kw>pr[ée]nomm[ée]e?(?:\s*\(e\))?|nomm[ée]e?(?:\s*\(e\))?|named)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,2})"
)
# Where such a record gives the child's family name apart, later in the record: "Nom de
# l'enfant : NZUZI", "ayant pour nom NZUZI", "the child's family name: NOORI".
_CHILD_FAMILY = re.compile(
    r"\b(?:[Nn]om\s+(?:de\s+famille\s+)?de\s+l['’]enfant|ayant\s+pour\s+nom|"
    r"[Cc]hild['’]s\s+(?:family\s+|last\s+)?name)\s*:?\s*"
    r"(?P<family>[A-ZÀ-Ý][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,2})"
)
#: How far after the child's given name (characters) the record may state the family name.
_CHILD_FAMILY_WITHIN = 400
_SPLIT_PEOPLE = re.compile(r"\s+(?:et|and|&)\s+|;", re.IGNORECASE)
#: Label words by length: a word OCR misread by one letter ("familie") is mended before labels
#: are looked for (same length, so every position still maps back to the line).
_VOCAB: dict[int, frozenset[str]] = {}
for _w in {w for _, p in _LABELS for w in re.findall(r"[a-z]{6,}", p)}:
    _VOCAB[len(_w)] = _VOCAB.get(len(_w), frozenset()) | {_w}


def _mend_labels(folded: str) -> str:
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        vocab = _VOCAB.get(len(word), frozenset())
        near = [v for v in vocab if sum(a != b for a, b in zip(word, v, strict=True)) == 1]
        return near[0] if len(near) == 1 and word not in vocab else word
    return re.sub(r"[a-z]{6,}", fix, folded)


_ENDINGS = re.compile(r"\((?:e|s|es|ne|le)\)")
# Prose naming someone: "a boy, named Serhii SHEVCHENKO", "l'enfant prénommé Luc".
_NAMED = re.compile(
    r"\b(?:named|called|nommée?|prénommée?|dénommée?)\s+((?:[A-ZÀ-Ý][\w'’\-]*\s*){2,4})"
)
# Two to four capitalised words: a name in running text, for letters the model misses.
_WORD_CAP = (
    r"(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:[-'’][A-ZÀ-Ýa-zà-ÿ][a-zà-ÿ]*)*|[A-ZÀ-Ý]['’][A-ZÀ-Ý][a-zà-ÿ]+"
    r"|[A-ZÀ-Ý]+(?:[-'’][A-ZÀ-Ý]+)+|[A-ZÀ-Ý]{2,})"
)
_CAPITALS = re.compile(rf"(?<![\w'’-])({_WORD_CAP}(?:[ ]+{_WORD_CAP}){{1,3}})(?![\w'’])")
_MAX_CAPITALS = 12
_HONORIFIC_ONLY = re.compile(
    r"^(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)\s+"
)
_PROSE_TYPES = frozenset({
    DocType.SUPPORTING_LETTER, DocType.MEDICAL_CERTIFICATE, DocType.FINANCIAL_DEPENDENCY_PROOF,
    DocType.UNION_PROOF, DocType.MARRIAGE_CERTIFICATE, DocType.RESIDENCE_PROOF, DocType.OTHER,
    DocType.BIRTH_CERTIFICATE,
})
_MAX_NER_MENTIONS = 8


@dataclass(frozen=True)
class _Item:
    kind: str
    value: str
    text: str
    bbox: PixelBox | None


@dataclass
class _Builder:
    family: str | None = None
    given: str | None = None
    full: str | None = None
    dob: object = None
    texts: list[str] = field(default_factory=list)
    boxes: list[PixelBox] = field(default_factory=list)


def _labels(line: Line) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every label on the line."""
    # "Patient(e)", "Prénom(s)": the inclusive endings are blanked, keeping every position.
    folded = _ENDINGS.sub(lambda m: " " * len(m.group(0)), fold_keep_length(line.text))
    folded = _mend_labels(folded)
    found = list(_LABEL_RE.finditer(folded))
    if not found:
        # Without a separator, only a capitalised value makes it a label: "Patient stable" is not.
        found = [m for m in _LINE_START_RE.finditer(folded)
                 if _ENDINGS.sub("", line.text[m.end():]).strip()[:1].isupper()]
    return [(m.lastgroup.rstrip("0123456789"), m.start(), m.end())  # type: ignore[union-attr]
            for m in found]


def _clean_value(raw: str) -> str:
    """A value without the separators, inclusive endings, stray second-language labels, table
    rules read as bars, and dot leaders around it."""
    value = re.sub(r"^\s*\((?:e|s|es|ne|le)\)", "", raw, flags=re.IGNORECASE)
    for _ in range(3):
        stripped = _LOOSE_RE.sub("", _mend_labels(fold_keep_length(value)), count=1)
        value = value[len(value) - len(stripped):] if len(stripped) < len(value) else value
    return first_sentence(_without_leaders(value)).strip(" :/-.,\t|")


#: Lower-case words that open a name ("de la Cruz", "van Dijk", "el Amrani"): never leaders.
_PARTICLES = frozenset({
    "de", "du", "des", "la", "le", "el", "al", "da", "das", "do", "dos", "di", "del", "della",
    "van", "von", "der", "den", "ter", "ten", "bin", "ben", "ibn", "abu", "ould",
})
# A word OCR makes of a dot leader ("Nom ........ KASONGO" read "Nom oo. cc cecccsecses
# KASONGO"): small letters, dots and zeros only.
_LEADER_WORD = re.compile(r"[a-z.0…·,_~-]+")


def _without_leaders(value: str) -> str:
    """The value from its first capitalised word, where only dot-leader words come before it."""
    words = value.split()
    i = 0
    while i < len(words) - 1 and _LEADER_WORD.fullmatch(words[i]) and words[i] not in _PARTICLES:
        i += 1
    return " ".join(words[i:]) if i and words[i][:1].isupper() else value


def _items(lines: Sequence[Line]) -> list[_Item]:
    """Every labelled value of the page, in reading order."""
    out: list[_Item] = []
    labels = [_labels(ln) for ln in lines]
    for i, line in enumerate(lines):
        found = labels[i]
        ends: list[int | None] = [lab[1] for lab in found[1:]]
        ends += [None] * bool(found)
        values = [
            _clean_value(line.text[end:stop])
            for (_, _, end), stop in zip(found, ends, strict=True)
        ]
        for (kind, start, _), value in zip(found, values, strict=True):
            if kind != "skip" and value:
                out.append(_Item(kind, value, line.text, line.box(start)))
        shared = _shared_values(found, values)
        pending = [lab for j, lab in enumerate(found)
                   if lab[0] != "skip" and not values[j] and j not in shared]
        box = line.box(pending[0][1], pending[-1][2]) if pending else None
        below = _below(lines, labels, i, box) if pending else None
        if below is not None:
            out += _next_line_items(line, below, pending)
    return out


def _below(lines: Sequence[Line], labels: Sequence[list], i: int, box: PixelBox | None
           ) -> Line | None:
    """The value of labels standing alone: the first line below them in the same column (two
    columns of labels interleave when lines are ordered by height), or just the next line."""
    for j in range(i + 1, min(i + 4, len(lines))):
        cand = lines[j].box()
        if box is None or cand is None:
            return lines[j] if j == i + 1 and not labels[j] else None
        if cand[0] < box[2] and box[0] < cand[2]:
            return None if labels[j] else lines[j]
    return None


def _shared_values(found: Sequence[tuple[str, int, int]], values: Sequence[str]) -> dict[int, str]:
    """``Nom / Surname : X``: a label left empty before its translation takes the same value."""
    shared: dict[int, str] = {}
    for j in range(len(found) - 1, -1, -1):
        if not values[j] and j + 1 < len(found) and found[j][0] == found[j + 1][0]:
            value = values[j + 1] or shared.get(j + 1, "")
            if value:
                shared[j] = value
    return shared


def _next_line_items(
    line: Line, following: Line, labels: Sequence[tuple[str, int, int]]
) -> list[_Item]:
    """Values printed under their labels: the whole next line, or column by column."""
    text = f"{line.text}\n{following.text}"
    kinds = list(dict.fromkeys(k for k, _, _ in labels))
    if len(kinds) == 1 or not line.words or not following.words:
        box = union_box([b for b in (line.box(labels[0][1]), following.box()) if b])
        return [_Item(kinds[0], following.text.strip(), text, box)]
    starts = line.word_starts()
    lefts = [next((w.bbox[0] for w, s in zip(line.words, starts, strict=True) if s >= st),
                  line.words[-1].bbox[0]) for _, st, _ in labels]
    columns: dict[int, list[OcrWord]] = {}
    for w in following.words:
        centre = (w.bbox[0] + w.bbox[2]) / 2
        col = max((j for j, x in enumerate(lefts) if x <= centre), default=0)
        columns.setdefault(col, []).append(w)
    return [_Item(labels[j][0], " ".join(w.text for w in ws), text, union_box(ws))
            for j, ws in sorted(columns.items())]


def _person(b: _Builder, source: str) -> PersonMention | None:
    if not (b.family or b.given or b.full):
        return None
    return PersonMention(
        family_name=b.family, given_names=b.given, full_name=b.full, date_of_birth=b.dob,
        source=source, text="\n".join(dict.fromkeys(b.texts)), bbox=union_box(b.boxes),
    )


def _split_comma(raw: str) -> tuple[str, str | None] | None:
    """A name as written: ``DUPONT, Jean`` is family then given; otherwise one name, or None
    when nothing in ``raw`` looks like a name."""
    family, sep, given = raw.partition(",")
    family_name, given_name = name_value(family), name_value(given) if sep else None
    if family_name is None:
        return None
    return family_name, given_name


def _from_labels(items: Sequence[_Item]) -> list[PersonMention]:
    """Assemble labelled values into people: a repeated field or a role label starts another."""
    people: list[PersonMention | None] = []
    b = _Builder()
    for item in items:
        if item.kind == "dob":
            dates = find_dates(item.value)
            if not dates:
                continue
            if b.dob is not None:
                people.append(_person(b, "label"))
                b = _Builder()
            b.dob = dates[0][0]
            _note(b, item)
            continue
        slot = item.kind if item.kind in ("family", "given") else "full"
        parts = [n for n in map(_split_comma, _SPLIT_PEOPLE.split(item.value)) if n]
        for k, names in enumerate(parts):
            if slot == "given" and b.full and not (b.family or b.given):
                # "Name: KOVALENKO" then "Given names: Yuliia": the name was the family name.
                b.family, b.full = b.full, None
            if slot == "full" or k > 0 or getattr(b, slot) is not None or b.full:
                people.append(_person(b, "label"))
                b = _Builder()
            if slot == "given":
                b.given = " ".join(filter(None, names))
            elif names[1] is not None or slot == "family":
                b.family, b.given = names[0], names[1] or b.given
            else:
                b.full = names[0]
            _note(b, item)
    people.append(_person(b, "label"))
    return [p for p in people if p is not None]


def _note(b: _Builder, item: _Item) -> None:
    b.texts.append(item.text)
    if item.bbox:
        b.boxes.append(item.bbox)


def _from_born(lines: Sequence[Line]) -> list[PersonMention]:
    """Names followed by their birth date in running text, across line breaks."""
    text, offsets = " ".join(ln.text for ln in lines), line_offsets(lines)
    out = []
    for m in _BORN.finditer(text):
        name, dates = name_value(m.group(1)), find_dates(m.group(2))
        if name is None or len(name.split()) < 2 or not dates:
            continue
        line, bbox = _located(lines, offsets, m.start(1), len(name))
        out.append(PersonMention(full_name=name, date_of_birth=dates[0][0], source="label",
                                 text=line.text, bbox=bbox))
    return out


def _located(lines: Sequence[Line], offsets: Sequence[int], start: int,
             length: int) -> tuple[Line, PixelBox | None]:
    """The line holding character ``start`` of the joined ``lines`` (``line_offsets``), and
    the box of its words over ``length`` characters from there."""
    i = max(j for j, off in enumerate(offsets) if off <= start)
    at = start - offsets[i]
    return lines[i], lines[i].box(at, at + length)


def _from_birth_record(lines: Sequence[Line]) -> list[PersonMention]:
    """The child a civil record in prose declares born, with the birth date stated before the
    name (``_BORN_THEN_NAMED``). What follows "prénommé(e)" is given names ("Boris Junior"),
    with the family name the record gives apart further on (``_CHILD_FAMILY``) when it does;
    after "named" one word is a given name, more are the name as written."""
    text, offsets = " ".join(ln.text for ln in lines), line_offsets(lines)
    out = []
    for m in _BORN_THEN_NAMED.finditer(text):
        name, dates = name_value(m.group("name")), find_dates(m.group("date"))
        if name is None or not dates:
            continue
        line, bbox = _located(lines, offsets, m.start("name"), len(m.group("name")))
        given = m.group("kw").lower().startswith("pr") or len(name.split()) == 1
        family = _CHILD_FAMILY.search(text, m.end(), m.end() + _CHILD_FAMILY_WITHIN)
        out.append(PersonMention(
            family_name=name_value(family.group("family")) if given and family else None,
            given_names=name if given else None, full_name=None if given else name,
            date_of_birth=dates[-1][0], source="label", text=line.text, bbox=bbox,
        ))
    return out


def _from_entities(lines: Sequence[Line], nlp: spacy.Language) -> list[PersonMention]:
    """Person entities of spaCy's model, on title-cased text, with the box of their words.

    Lines that hold a label are left to the labels: there an entity is as likely the landlord
    or the doctor as the subject.
    """
    text, offsets = "\n".join(title_case(ln.text) for ln in lines), line_offsets(lines)
    found = [(ent.start_char, ent.text) for ent in nlp(text).ents if ent.label_ == "PER"]
    return _spans(lines, offsets, found, "ner", _MAX_NER_MENTIONS)


def _from_capitals(lines: Sequence[Line]) -> list[PersonMention]:
    """Capitalised word runs and names introduced by "named"/"nommé", outside labelled lines."""
    text, offsets = "\n".join(ln.text for ln in lines), line_offsets(lines)
    found = [(m.start(1), m.group(1)) for m in _NAMED.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in _CAPITALS.finditer(text)]
    return stacked_mentions(lines) + _spans(lines, offsets, found, "ner", _MAX_CAPITALS)


def _spans(lines: Sequence[Line], offsets: Sequence[int], found: Sequence[tuple[int, str]],
           source: str, limit: int) -> list[PersonMention]:
    """Mentions of names found at character offsets of the joined lines."""
    out: list[PersonMention] = []
    for start_char, raw in found:
        # Leading lower-case words ("appeared Paul Dupont") and courtesy titles are not names.
        lead = re.match(r"(?:[^\wÀ-ÿ]*[a-zà-ÿ][\w'’]*\s+)*", raw)
        skip = lead.end() if lead else 0
        name = name_value(_HONORIFIC_ONLY.sub("", raw[skip:]))
        if not name or len(name.split()) < 2 or "\n" in raw.strip() or not plausible_name(name):
            continue
        line, bbox = _located(lines, offsets, start_char + skip, len(raw) - skip)
        if any(kind != "dob" for kind, _, _ in _labels(line)):
            continue
        out.append(PersonMention(full_name=name, source=source, text=line.text,  # type: ignore[arg-type]
                                 bbox=bbox))
        if len(out) >= limit:
            break
    return out


def _key(m: PersonMention) -> str:
    return " ".join(sorted(fold_keep_length(" ".join(filter(None, (m.family_name, m.given_names,
                                                        m.full_name)))).split()))


def extract_mentions(
    ocr: PageOcr, *, doc_type: DocType, nlp: spacy.Language | None
) -> tuple[PersonMention, ...]:
    """People a page names, with their dates of birth where labelled.

    Args:
        ocr: The page's words (or text layer).
        doc_type: What the document is; prose kinds (letters, certificates, bills) are also
            searched for courtesy titles, addressees and, with ``nlp``, person entities.
        nlp: A spaCy pipeline with an NER component (``fr_core_news_sm``), or None.

    Returns:
        Mentions, labelled ones first, without repeats.
    """
    lines = page_lines(ocr)
    mentions = _from_labels(_items(lines)) + _from_born(lines) + _from_birth_record(lines)
    if doc_type in _PROSE_TYPES:
        mentions += honorific_mentions(lines) + addressee_mentions(lines)
        if nlp is not None and "ner" in nlp.pipe_names:
            mentions += _from_entities(lines, nlp)
        if not any(m.source != "ner" for m in mentions):
            # No label, title or address names anyone: capitalised word runs, as a last resort.
            mentions += _from_capitals(lines)
    seen: set[str] = set()
    unique = [m for m in mentions if not (_key(m) in seen or seen.add(_key(m)))]
    log.debug("page %d: %d person mention(s)", ocr.page_no, len(unique))
    return tuple(_with_confidence(m, ocr.words) for m in unique)


def _with_confidence(m: PersonMention, words: Sequence[OcrWord]) -> PersonMention:
    """The mention with Tesseract's lowest confidence among its name's words, found in its
    box, and among the page's words holding its birth year: how far the page's reading of
    the name, and of the date, can be trusted to the letter. A date is looked for on the
    whole page because records in prose state it lines away from the name."""
    if m.date_of_birth is not None and words:
        year = f"{m.date_of_birth.year:04d}"
        dated = [w.conf for w in words if year in w.text]
        m = m.model_copy(update={"date_confidence": float(min(dated))}) if dated else m
    if m.bbox is None or not words:
        return m
    x0, y0, x1, y1 = m.bbox
    inside = [w for w in words if w.bbox[0] >= x0 and w.bbox[1] >= y0
              and w.bbox[2] <= x1 and w.bbox[3] <= y1]  # fmt: skip
    seen: dict[str, float] = {}
    for w in inside:
        for part in tokens(w.text):
            seen[part] = min(seen.get(part, 100.0), w.conf)
    names = " ".join(filter(None, (m.family_name, m.given_names, m.full_name)))
    known = [seen[t] for t in tokens(names) if t in seen]
    return m.model_copy(update={"ocr_confidence": float(min(known))}) if known else m

