"""An OCR page as lines of words; text helpers for names; names shown outside any label
(after a courtesy title, above an address)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.dates import find_dates
from schemas.base import PixelBox
from schemas.extraction import PersonMention
from schemas.ocr import OcrWord, PageOcr

_NAME_CHARS = re.compile(r"[^\w'’\- ]|\d|_")
_SENTENCE_END = re.compile(r"([^\W\d_]{2,})\.(?:\s|$)")
_ABBREVIATIONS = frozenset(("mme", "mlle", "mrs", "mr", "ms", "dr", "st", "ste", "jr", "sr"))
_HONORIFIC = re.compile(
    r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Mr\.?|Mrs\.?|Ms\.?|Miss)\s+"
    r"((?:[A-ZÀ-Ý][\w'’\-]*\.?\s?){1,4})"
)
_POSTAL = re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")


@dataclass(frozen=True)
class Line:
    """One line of a page: its text (words joined by single spaces) and its words."""

    text: str
    words: tuple[OcrWord, ...] = ()

    def word_starts(self) -> list[int]:
        starts, pos = [], 0
        for w in self.words:
            starts.append(pos)
            pos += len(w.text) + 1
        return starts

    def box(self, start: int = 0, end: int | None = None) -> PixelBox | None:
        """Box of the words overlapping characters ``start:end`` of the line."""
        end = len(self.text) if end is None else end
        picked = [w for w, s in zip(self.words, self.word_starts(), strict=True)
                  if s < end and s + len(w.text) > start]
        return union_box(picked)


def union_box(boxes_or_words: Sequence[OcrWord] | Sequence[PixelBox]) -> PixelBox | None:
    boxes = [b.bbox if isinstance(b, OcrWord) else b for b in boxes_or_words]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def fold_keep_length(text: str) -> str:
    """Lower case without accents, same length as ``text`` so spans map back."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        low = (base if len(base) == 1 else ch).lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def page_lines(ocr: PageOcr) -> list[Line]:
    """Lines top to bottom (OCR words grouped by line), or the text layer's lines."""
    if ocr.text_layer is not None:
        return [Line(t) for t in ocr.text_layer.splitlines() if t.strip()]
    groups: dict[tuple[int, int], list[OcrWord]] = {}
    for w in ocr.words:
        groups.setdefault((w.block, w.line), []).append(w)
    ordered = sorted(groups.values(), key=lambda ws: (min(w.bbox[1] for w in ws), ws[0].bbox[0]))
    return [Line(" ".join(w.text for w in ws), tuple(ws)) for ws in ordered]


def first_sentence(raw: str) -> str:
    """``KASONGO. Lecture faite`` → ``KASONGO``: a word's period ends the value, an initial's
    (``J. Kanga``) or a title's (``Mme. X``) does not."""
    end = next((m.end(1) for m in _SENTENCE_END.finditer(raw)
                if m.group(1).lower() not in _ABBREVIATIONS), None)
    return raw[:end]


def name_value(raw: str) -> str | None:
    """A plausible name: letters, spaces, hyphens and apostrophes, one to six words."""
    # A sentence ends the value ("KASONGO. Lecture faite"); an initial's period does not.
    name = " ".join(_NAME_CHARS.sub(" ", first_sentence(raw.split("  ")[0])).split())
    letters = sum(c.isalpha() for c in name)
    return name if letters >= 2 and len(name.split()) <= 6 else None


def addressee(line: Line) -> str | None:
    """The whole line when it is 2–4 words, else the run of 2–4 capitalised words opening it
    ("FARZANA KARIMI Montant à payer")."""
    words = line.text.split()
    if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
        return line.text.strip()
    run = []
    for w in words:
        if not (w.isalpha() and w.isupper()):
            break
        run.append(w)
    return " ".join(run) if 2 <= len(run) <= 4 else None


def line_offsets(lines: Sequence[Line]) -> list[int]:
    """Where each line starts in the lines joined by newlines."""
    offsets = [0]
    for ln in lines[:-1]:
        offsets.append(offsets[-1] + len(ln.text) + 1)
    return offsets


def title_case(text: str) -> str:
    """``JEAN DUPONT`` → ``Jean Dupont``: the French model labels capitals badly."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        titled = word[0] + word[1:].lower()
        return titled if len(titled) == len(word) else word
    return re.sub(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'’\-]+\b", fix, text)


#: Words of documents and addresses, never of a person's name: a run of capitalised words
#: holding one ("CERTIFICAT DE MARIAGE", "RUE FABRE") is not a name.
NOT_NAME_WORDS = frozenset((
    "acte", "attestation", "avenue", "avis", "bail", "banque", "bank", "birth", "boulevard",
    "canada", "card", "carte", "certificat", "certificate", "certified", "chemin", "city",
    "civil", "clinic", "clinique", "copie", "date", "dear", "declaration", "direction", "etat",
    "facture", "hopital", "hospital", "lease", "letter", "lettre", "madame", "madam", "mariage",
    "marriage", "ministere", "montant", "montreal", "monsieur", "naissance", "notice", "objet",
    "office", "page", "passeport", "passport", "province", "qc", "quebec", "registre", "registry",
    "republic", "republique", "rue", "service", "services", "sir", "state", "street", "subject",
    "total", "ville",
))


def plausible_name(name: str) -> bool:
    """No word of the name is document or address vocabulary."""
    words = fold_keep_length(name).replace("-", " ").split()
    return not any(w.strip("'’.") in NOT_NAME_WORDS for w in words)


def honorific_mentions(lines: Sequence[Line]) -> list[PersonMention]:
    """``Mme Sophie Leblanc``, ``Mr. John Baker``: a courtesy title then capitalised words."""
    out = []
    for line in lines:
        for m in _HONORIFIC.finditer(line.text):
            name = name_value(m.group(1))
            if name:
                out.append(PersonMention(full_name=name, source="heading", text=line.text,
                                         bbox=line.box(m.start(1), m.end(1))))
    return out


def addressee_mentions(lines: Sequence[Line]) -> list[PersonMention]:
    """The addressee of a bill or statement: just above an address (a postal code within the
    two lines below)."""
    out = []
    for i, line in enumerate(lines[:-1]):
        name = addressee(line)
        below = " ".join(ln.text for ln in lines[i + 1 : i + 3]).upper()
        if name and plausible_name(name) and _POSTAL.search(below):
            out.append(PersonMention(full_name=name, source="heading", text=line.text,
                                     bbox=line.box(0, len(name))))
    return out


def stacked_mentions(lines: Sequence[Line]) -> list[PersonMention]:
    """A family name and given names on two lines of capitals, as in a table whose label
    column OCR lost ("ÉTIENNE" / "JEAN-ROBERT" / "4 janvier 1965")."""
    caps = [all(w.isalpha() or "-" in w for w in ln.text.split()) and ln.text.isupper()
            and 1 <= len(ln.text.split()) <= 3 and plausible_name(ln.text) for ln in lines]
    out = []
    for i in range(len(lines) - 1):
        if caps[i] and caps[i + 1] and not (i and caps[i - 1]):
            dates = find_dates(lines[i + 2].text) if i + 2 < len(lines) else []
            out.append(PersonMention(family_name=lines[i].text.strip(),
                                     given_names=lines[i + 1].text.strip(), source="ner",
                                     date_of_birth=dates[0][0] if dates else None,
                                     text=f"{lines[i].text}\n{lines[i + 1].text}",
                                     bbox=union_box([b for b in (lines[i].box(), lines[i + 1].box())
                                                     if b])))
    return out
