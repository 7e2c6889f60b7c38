"""What each page is: weighted French and English phrases, a machine-readable zone, the form.

Phrases come from ``schemas/data/doc_types.toml`` and are matched with a spaCy ``PhraseMatcher``
on accent-folded, lower-cased text, after mending OCR misreads of the phrase words (edit distance
1–2 to a known word). A page is typed only when the evidence is strong enough and clearly ahead
of the runner-up; otherwise it is ``other``, never a forced guess.

``ClassifiedPage.evidence`` carries the phrases found, plus cues that ``group_documents`` reads
back: ``title: …`` (a document starts here), ``continued: …`` (it goes on from the page before),
``first page: …``, ``weak evidence`` and ``machine-readable zone``.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS
from spacy.matcher import PhraseMatcher

from extractors.page_lines import page_lines
from schemas.codes import DocType
from schemas.config import ClassifyConfig
from schemas.extraction import ClassifiedPage
from schemas.ocr import PageOcr
from schemas.quality import PageQuality

log = logging.getLogger(__name__)

TITLE = "title: "
CONTINUED = "continued: "
FIRST_PAGE = "first page: "
BEST_GUESS = "best guess: "
WEAK = "weak evidence"
MRZ_CUE = "machine-readable zone"
FORM_CUE = "form page read: "
_CONTINUATION_KEY = "cue|continuation"
_TIERS = ("decisive", "strong", "medium", "weak", "negative")
_PAGE_OF = re.compile(r"\b(?:page|p\.)\s*(\d{1,2})\s*(?:/|de|of|sur)\s*(\d{1,2})\b")
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT_AS_LETTER = str.maketrans("015", "ols")


@dataclass(frozen=True)
class _Phrase:
    doc_type: DocType
    tier: str
    weight: float
    text: str


@dataclass(frozen=True)
class DocTypeMatcher:
    """The phrase matcher and everything needed to score a page with it."""

    nlp: spacy.Language
    matcher: PhraseMatcher
    phrases: Mapping[str, _Phrase]
    lexicon: tuple[str, ...]
    keep_words: frozenset[str]
    title_lines: int = 8
    title_factor: float = 1.5
    mrz_weight: float = 6.0
    fuzzy_min_length: int = 6


def fold(text: str) -> str:
    """Lower case without accents: ``Identité`` → ``identite``."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _fold_stop_words(words: set[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_FR_ONLY = _fold_stop_words(FR_STOP_WORDS) - _fold_stop_words(EN_STOP_WORDS)
_EN_ONLY = _fold_stop_words(EN_STOP_WORDS) - _fold_stop_words(FR_STOP_WORDS)


def build_matcher(nlp: spacy.Language, patterns_file: Path) -> DocTypeMatcher:
    """Read the phrase file and build a matcher over ``nlp``'s tokenizer.

    Args:
        nlp: Any spaCy pipeline; only its tokenizer is used (``spacy.blank("fr")`` is enough).
        patterns_file: ``doc_types.toml``.
    """
    with patterns_file.open("rb") as fh:
        raw = tomllib.load(fh)
    weights, settings = raw.pop("weights"), raw.pop("settings")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases: dict[str, _Phrase] = {}
    for type_name, tiers in raw.items():
        doc_type = DocType(type_name)
        for tier in _TIERS:
            for text in tiers.get(tier, ()):
                key = f"{type_name}|{tier}|{fold(text)}"
                phrases[key] = _Phrase(doc_type, tier, float(weights[tier]), fold(text))
                matcher.add(key, [nlp.make_doc(fold(text))])
    matcher.add(_CONTINUATION_KEY, [nlp.make_doc(fold(t)) for t in settings["continuation"]])
    keep = frozenset(fold(w) for w in settings.get("keep_words", ()))
    min_len = int(settings.get("fuzzy_min_length", 6))
    words = {w for p in phrases.values() for w in _WORD.findall(p.text) if len(w) >= min_len}
    log.debug("doc type matcher: %d phrases, %d lexicon words", len(phrases), len(words))
    return DocTypeMatcher(
        nlp=nlp, matcher=matcher, phrases=phrases, lexicon=tuple(sorted(words | keep)),
        keep_words=keep, title_lines=int(settings["title_lines"]),
        title_factor=float(settings["title_factor"]), mrz_weight=float(settings["mrz_weight"]),
        fuzzy_min_length=min_len,
    )


def _mend(word: str, m: DocTypeMatcher) -> str:
    """A phrase word OCR misread (``passep0rt``, ``certiflcat``), or the word unchanged."""
    if len(word) < m.fuzzy_min_length or word.isdigit() or word in m.keep_words:
        return word
    letters = word.translate(_DIGIT_AS_LETTER)
    cutoff = 2 if len(word) >= 10 else 1
    hit = process.extractOne(letters, m.lexicon, scorer=Levenshtein.distance, score_cutoff=cutoff)
    return hit[0] if hit is not None else word


def _prepare(text: str, m: DocTypeMatcher) -> str:
    lines = (re.sub(r"[|_—–]", " ", fold(line)) for line in text.splitlines())
    return "\n".join(_WORD.sub(lambda w: _mend(w.group(0), m), line) for line in lines)


@dataclass
class _Reading:
    scores: dict[DocType, float]
    found: dict[str, float]
    titles: set[DocType]
    cues: list[str]


def _title_end(text: str, lines: int) -> int:
    """Character offset where the page's first ``lines`` non-empty lines end."""
    seen = 0
    for m in re.finditer(r"[^\n]*\n?", text):
        if m.group(0).strip():
            seen += 1
        if seen >= lines:
            return m.end()
    return len(text)


def _longest(m: DocTypeMatcher, matches: list[tuple[int, int, int]]) -> list[tuple[str, int, int]]:
    """Per document type, the longest phrases that do not overlap: "dear sir or madam" counts
    once, not also as "dear sir" and "dear"."""
    taken: dict[object, set[int]] = {}
    out = []
    for match_id, start, end in sorted(matches, key=lambda x: x[1] - x[2]):
        key = m.nlp.vocab.strings[match_id]
        group = m.phrases[key].doc_type if key in m.phrases else key
        span = set(range(start, end))
        if not span & taken.setdefault(group, set()):
            taken[group] |= span
            out.append((key, start, end))
    return out


def _read(text: str, m: DocTypeMatcher) -> _Reading:
    """Score every document type on one page's prepared text."""
    # A phrase wraps across lines as often as not ("preuve de / résidence"): the matcher reads
    # the page as one run of words (same offsets, so titles still end where their lines do).
    doc = m.nlp.make_doc(text.replace("\n", " "))
    title_end = _title_end(text, m.title_lines)
    found: dict[str, float] = {}
    reading = _Reading(scores={}, found=found, titles=set(), cues=[])
    for key, start, end in _longest(m, m.matcher(doc)):
        if key == _CONTINUATION_KEY:
            reading.cues.append(CONTINUED + doc[start:end].text)
            continue
        phrase = m.phrases[key]
        weight = phrase.weight
        if phrase.tier in ("decisive", "strong") and doc[start].idx < title_end:
            weight *= m.title_factor
            reading.titles.add(phrase.doc_type)
        # Each phrase counts once, however often a page repeats it.
        found[key] = max(found.get(key, weight), weight) if weight > 0 else weight
    for key, weight in found.items():
        t = m.phrases[key].doc_type
        reading.scores[t] = reading.scores.get(t, 0.0) + weight
    reading.cues += _page_cues(text)
    return reading


def _page_cues(text: str) -> list[str]:
    """``page 2 of 3`` says the page continues a document; ``page 1 of 3`` that one starts."""
    cues = []
    for m in _PAGE_OF.finditer(text):
        k, n = int(m.group(1)), int(m.group(2))
        if 1 < k <= n:
            cues.append(f"{CONTINUED}page {k}/{n}")
        elif k == 1 <= n:
            cues.append(f"{FIRST_PAGE}page 1/{n}")
    return cues


def detect_language(text: str) -> str:
    """``fr`` or ``en`` by counting stop words found in only one of the two languages."""
    words = _WORD.findall(fold(text))
    fr = sum(w in _FR_ONLY for w in words)
    en = sum(w in _EN_ONLY for w in words)
    if fr + en < 3 or fr == en:
        return "unknown"
    return "fr" if fr > en else "en"


def _evidence(reading: _Reading, m: DocTypeMatcher) -> list[str]:
    ranked = sorted(reading.found.items(), key=lambda kv: -abs(kv[1]))
    phrases = [
        f"{'against ' if w < 0 else ''}{m.phrases[k].doc_type.value}: {m.phrases[k].text}"
        for k, w in ranked[:8]
    ]
    return [TITLE + t.value for t in sorted(reading.titles)] + reading.cues + phrases


def _decide(scores: Mapping[DocType, float], cfg: ClassifyConfig) -> tuple[DocType, float, str]:
    """The leading type and a confidence, or ``other`` with why."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best_type, best = ranked[0] if ranked else (DocType.OTHER, 0.0)
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < cfg.min_score:
        return DocType.OTHER, round(1.0 - max(best, 0.0) / cfg.min_score / 2, 3), WEAK
    if best - runner < cfg.margin:
        return DocType.OTHER, 0.3, f"{BEST_GUESS}{best_type.value} (tied)"
    confidence = min(1.0, (best - max(runner, 0.0)) / (best + 1.0))
    return best_type, round(confidence, 3), ""


def _form_page(cues: Sequence[str]) -> int | None:
    for cue in cues:
        m = re.search(r"page (\d)/3$", cue)
        if m:
            return int(m.group(1))
    return None


def _typed(
    reading: _Reading, matcher: DocTypeMatcher, cfg: ClassifyConfig, *, has_mrz: bool
) -> tuple[DocType, float, list[str]]:
    """The page's type, its confidence and the cues that decided it."""
    cues: list[str] = []
    if has_mrz:
        ident = DocType.IDENTITY_DOCUMENT
        reading.scores[ident] = reading.scores.get(ident, 0.0) + matcher.mrz_weight
        cues.append(MRZ_CUE)
    decisive = {matcher.phrases[k].doc_type for k in reading.found
                if matcher.phrases[k].tier == "decisive"}
    if len(decisive) == 1:
        return decisive.pop(), 0.9, cues
    doc_type, confidence, why = _decide(reading.scores, cfg)
    if why:
        cues.append(why)
    if doc_type is DocType.OTHER and reading.scores and why == WEAK:
        best = max(reading.scores, key=lambda t: reading.scores[t])
        cues.append(f"{BEST_GUESS}{best.value}")
    return doc_type, confidence, cues


def classify_page(
    ocr: PageOcr,
    *,
    quality: PageQuality,
    matcher: DocTypeMatcher,
    cfg: ClassifyConfig,
    is_form_page: int | None = None,
    has_mrz: bool = False,
) -> ClassifiedPage:
    """Type one page.

    Args:
        ocr: The page's text.
        quality: Its quality; a blank page is ``blank`` whatever stray marks OCR saw.
        matcher: From ``build_matcher``.
        cfg: Score thresholds.
        is_form_page: The form page number when the form reader recognised the page.
        has_mrz: A machine-readable zone was found on the page.
    """
    # Lines top to bottom, whatever order OCR found its blocks in: a title printed at the top
    # in a box of its own must come first.
    text = "\n".join(line.text for line in page_lines(ocr))
    language = detect_language(text)
    page = {"page_no": ocr.page_no, "language": language}
    if is_form_page is not None:
        return ClassifiedPage(
            **page, doc_type=DocType.APPLICATION_FORM, confidence=1.0, form_page=is_form_page,
            evidence=(f"{FORM_CUE}{is_form_page}",),
        )
    if quality.blank:
        return ClassifiedPage(**page, doc_type=DocType.BLANK, confidence=1.0, evidence=("blank",))
    reading = _read(_prepare(text, matcher), matcher)
    doc_type, confidence, cues = _typed(reading, matcher, cfg, has_mrz=has_mrz)
    evidence = tuple(cues + _evidence(reading, matcher))
    form_page = _form_page(reading.cues) if doc_type is DocType.APPLICATION_FORM else None
    log.debug("page %d: %s (%.2f)", ocr.page_no, doc_type.value, confidence)
    return ClassifiedPage(
        **page, doc_type=doc_type, confidence=confidence, evidence=evidence, form_page=form_page
    )


# --- grouping pages into documents ------------------------------------------------------------


def _has(page: ClassifiedPage, prefix: str) -> bool:
    return any(e.startswith(prefix) for e in page.evidence)


def says_continued(page: ClassifiedPage) -> bool:
    """The page says it goes on from the one before (``page 2 of 2``, ``suite``)."""
    return _has(page, CONTINUED)


def _continues(page: ClassifiedPage, group_type: DocType, group_has_mrz: bool) -> bool:
    """Whether ``page`` goes on with the document before it rather than starting one."""
    if DocType.APPLICATION_FORM in (page.doc_type, group_type):
        return page.doc_type is group_type
    if _has(page, FIRST_PAGE) or (group_has_mrz and _has(page, MRZ_CUE)):
        return False
    if _has(page, TITLE) and page.doc_type is not group_type:
        # A title of another kind of document outweighs a "suite" found in garbled text
        # ("Dane c'e Suite de…" for "Date de naissance" on a passport after a certificate).
        return False
    if _has(page, CONTINUED):
        return True
    if _has(page, TITLE):
        return False
    if page.doc_type is DocType.OTHER:
        return group_type is not DocType.OTHER and _has(page, WEAK)
    return page.doc_type is group_type


def group_documents(pages: Sequence[ClassifiedPage]) -> list[tuple[DocType, tuple[int, ...]]]:
    """Consecutive pages of one document, with the type of its first page.

    A page continues the document before it when it says so (``page 2 of 2``, ``suite``), when
    it has the same type and no title of its own, or when its evidence is weak. A title, a
    ``page 1 of n`` or a second machine-readable zone starts a new document. Blank pages neither
    start nor end one and belong to none.
    """
    groups: list[tuple[DocType, list[int], list[bool]]] = []
    for page in sorted(pages, key=lambda p: p.page_no):
        if page.doc_type is DocType.BLANK:
            continue
        if groups and _continues(page, groups[-1][0], any(groups[-1][2])):
            groups[-1][1].append(page.page_no)
            groups[-1][2].append(_has(page, MRZ_CUE))
            continue
        groups.append((page.doc_type, [page.page_no], [_has(page, MRZ_CUE)]))
    return [(doc_type, tuple(nos)) for doc_type, nos, _ in groups]
