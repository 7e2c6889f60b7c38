"""Turn per-box character candidates into field values, with the field's syntax as a guide.

A comb's value is its characters joined; a blank box between words is one space and trailing
blanks are dropped. Fields with a syntax (dates, postal codes, UCI, telephone, relationship
code) pick, box by box, the best candidate the syntax allows, fixing the usual letter/digit
confusions (O/0, I/1, S/5, B/8, Z/2, G/6) and paying for it in confidence.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from dataclasses import dataclass

from extractors.page_lines import fold_keep_length

#: Per box: None for an empty box, else candidates (character, probability), best first.
Candidates = list[tuple[str, float]] | None

TO_DIGIT = {
    "O": "0",
    "D": "0",
    "Q": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "T": "7",
    "Z": "2",
    "S": "5",
    "B": "8",
    "G": "6",
    "A": "4",
    "Y": "7",
}
TO_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A", "7": "T"}
#: Confidence kept when a character had to be changed to fit the syntax.
CORRECTION_COST = 0.8
#: Confidence kept when the whole value breaks its syntax (wrong length, impossible date).
SYNTAX_FAIL = 0.3
POSTAL_SHAPE = "A9A9A9"
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_DIGIT_FIELDS = {"uci": (8, 10), "telephone": (10,)}


@dataclass(frozen=True)
class Decoded:
    """A field value, how sure we are of it (0–1), what was seen, and whether it is valid."""

    value: str | None
    confidence: float
    raw: str
    valid: bool = True


#: Accented capitals written with a mark above the letter, and their base letter.
_ACCENT_ABOVE = {
    "À": "A",
    "Â": "A",
    "Ä": "A",
    "É": "E",
    "È": "E",
    "Ê": "E",
    "Ë": "E",
    "Î": "I",
    "Ï": "I",
    "Ô": "O",
    "Ö": "O",
    "Ù": "U",
    "Û": "U",
    "Ü": "U",
    "Ÿ": "Y",
    "Á": "A",
    "Í": "I",
    "Ó": "O",
    "Ú": "U",
    "Ñ": "N",
    "Ã": "A",
    "Õ": "O",
}


def drop_unseen_accents(cands: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Candidates of a box with no mark above its letter: accented readings become their base
    letter (recognisers see accents in slant and noise; a missing accent is seen on the ink)."""
    merged: dict[str, float] = {}
    for ch, p in cands:
        base = _ACCENT_ABOVE.get(ch, ch)
        merged[base] = max(merged.get(base, 0.0), p)
    return sorted(merged.items(), key=lambda kv: -kv[1])


def raw_text(boxes: list[Candidates]) -> str:
    """Top candidates as seen, one character per box, ``_`` for an empty box."""
    return "".join("_" if b is None else (b[0][0] if b else "?") for b in boxes)


def _best(cands: list[tuple[str, float]], allowed: str, fix: dict[str, str]) -> tuple[str, float]:
    """Best candidate in ``allowed``; else the top one mapped through ``fix``.

    The probability returned is the candidate's own; ``_confidence`` charges corrections.
    """
    for ch, p in cands:
        if ch in allowed:
            return ch, p
    top, p = cands[0] if cands else ("?", 0.0)
    mapped = fix.get(top.upper(), top.upper())
    return (mapped, p) if mapped in allowed else ("?", 0.0)


def _confidence(picks: list[tuple[str, float]], boxes: list[Candidates]) -> float:
    """The product of the characters' probabilities (all must be right for the field to be),
    times ``CORRECTION_COST`` per character that is not its box's top candidate: each
    correction is a guess the field had to make."""
    tops = [b[0][0] if b else "?" for b in boxes if b is not None]
    fixes = sum(ch != top for (ch, _), top in zip(picks, tops, strict=False))
    return math.prod(p for _, p in picks) * CORRECTION_COST**fixes if picks else 0.0


def _join(chars: list[str | None]) -> str:
    """Characters of a comb; inner runs of blank boxes become one space, ends are trimmed."""
    text = "".join(" " if c is None else c for c in chars)
    return re.sub(r" +", " ", text).strip()


def _strokes_not_slashes(boxes: list[Candidates]) -> list[Candidates]:
    """A ``/`` between two letters is an I, between two digits a 1, paid for as a correction.

    A plain slanted stroke is all three; nobody writes a slash inside a word or a number on
    this form (LINDSAY, not L/NDSAY; 5013, not 50/3).
    """
    out = list(boxes)
    for i in range(1, len(boxes) - 1):
        here, left, right = boxes[i], boxes[i - 1], boxes[i + 1]
        if not (here and left and right) or here[0][0] != "/":
            continue
        pair = left[0][0] + right[0][0]
        stroke = "I" if pair.isalpha() else "1" if pair.isdigit() else None
        if stroke is None:
            continue
        seen = dict(here)
        p = max(seen.get(stroke, 0.0), here[0][1] * CORRECTION_COST)
        out[i] = [(stroke, p)] + [(c, q) for c, q in here if c != stroke]
    return out


def decode_text(boxes: list[Candidates], *, allowed: str, digits_alone: bool = False) -> Decoded:
    """A free-text comb (names, street, place, email, apartment): top candidates, joined.

    Where letters and digits mix (street, email, apartment), look-alikes are settled by their
    word (``_letter_or_digit``; ``digits_alone``: a word of look-alikes only is a number).
    """
    raw = raw_text(boxes)
    if "/" in allowed:
        boxes = _strokes_not_slashes(boxes)
    if any(c in DIGITS for c in allowed):
        boxes = _letter_or_digit(boxes, digits_alone=digits_alone)
    chars: list[str | None] = []
    picks: list[tuple[str, float]] = []
    for b in boxes:
        if b is None:
            chars.append(None)
            continue
        ch, p = _best(b, allowed, {}) if b else ("?", 0.0)
        chars.append(ch)
        picks.append((ch, p))
    value = _join(chars)
    if not value:
        return Decoded(None, 1.0, raw)
    return Decoded(value, _confidence(picks, boxes), raw, valid="?" not in value)


#: What a blank box between written characters of an e-mail address is taken for: an address
#: holds no space, and its full stop is the smallest mark written, the one a light pen or a
#: faint copy loses (``YAHOO FR``). A guess, so it costs the field its sureness.
LOST_DOT = (".", 0.5)


def fill_lost_dots(boxes: list[Candidates]) -> list[Candidates]:
    """An e-mail comb's boxes with every blank between two written boxes read as a full stop."""
    written = [i for i, b in enumerate(boxes) if b is not None]
    if len(written) < 2:
        return boxes
    first, last = written[0], written[-1]
    return [[LOST_DOT] if b is None and first < i < last else b for i, b in enumerate(boxes)]


#: Letters and digits written alike in block capitals: the same glyph, told apart only by the
#: characters around it.
TWINS = {"O": "0"}
#: Letters and digits that look alike but are often written apart (a 1 with its flag, a Z
#: with its bar): switched by their neighbours only when the recogniser also saw the other
#: reading, at least ``LOOKALIKE_DOUBT`` as likely as its top one.
LOOKALIKES = {"I": "1", "S": "5", "Z": "2", "B": "8", "G": "6"}
LOOKALIKE_DOUBT = 0.1
#: A bare upright stroke, the way many hands write a 1 (no flag) and every hand an I: read I
#: where the word around it is a number, it is a 1, whatever the recogniser's doubt (``I84``
#: is 184). Only that way: a 1 among letters (``KOVALENKO11``) was written with its flag.
STROKES = {"I": "1"}
_WORD_BREAKS = ".@-/,' "


def _letter_or_digit(boxes: list[Candidates], *, digits_alone: bool) -> list[Candidates]:
    """Boxes read as a letter or a digit that look alike, settled by their word.

    A look-alike takes the kind of its nearest unambiguous neighbours in its word (words end
    at blanks and ``.@-/,'``), and the word's majority where those disagree: ``I83`` is 183,
    ``M0NTEE`` is MONTEE, ``AHMADI9O`` ends in 90. A word of look-alikes only is left as
    read, unless ``digits_alone`` (an apartment number). For twins (O/0) the two readings'
    probabilities are summed, and that is no correction; other look-alikes switch only where
    the recogniser had its doubts, but for an I in a number (``STROKES``), a correction.
    """
    pairs = TWINS | LOOKALIKES
    back = {d: c for c, d in pairs.items()}
    tops = [b[0][0] if b else None for b in boxes]

    def other(j: int) -> str | None:
        """The reading box ``j`` might be instead of its top one, if it is a look-alike."""
        top = tops[j]
        alt = pairs.get(top) or back.get(top)
        if alt is None:
            return None
        if top in TWINS or alt in TWINS or top in STROKES:
            return alt
        cands = boxes[j] or []
        seen = max((q for ch, q in cands if ch == alt), default=0.0)
        return alt if seen >= LOOKALIKE_DOUBT * cands[0][1] else None

    def kind(j: int) -> str | None:
        c = tops[j]
        if c is None or other(j):
            return None
        return "d" if c in DIGITS else ("a" if c.isalpha() else None)

    out = list(boxes)
    word: list[int] = []
    for i, c in enumerate([*tops, None]):
        if c is not None and c not in _WORD_BREAKS:
            word.append(i)
            continue
        kinds = [kind(j) for j in word]
        majority = None
        n_a, n_d = kinds.count("a"), kinds.count("d")
        if n_a != n_d:
            majority = "a" if n_a > n_d else "d"
        elif n_a == 0 and digits_alone:
            majority = "d"
        for pos, j in enumerate(word):
            top, alt = tops[j], other(j)
            if alt is None:
                continue
            near = {k for k in (_nearest(kinds, pos, -1), _nearest(kinds, pos, 1)) if k}
            want = near.pop() if len(near) == 1 else majority
            if want is None:
                continue
            target = top if (top in DIGITS) == (want == "d") else alt
            cands = boxes[j] or []
            if top in TWINS or alt in TWINS:
                p = min(1.0, sum(q for ch, q in cands if ch in (top, alt)))
                out[j] = [(target, p)]
            elif target != top:
                # A stroke may hold no 1 among its candidates: it gets its I's odds, less a
                # correction's cost.
                if target not in dict(cands):
                    cands = [(target, cands[0][1] * CORRECTION_COST), *cands]
                out[j] = sorted(cands, key=lambda cq: cq[0] != target)
        word = []
    return out


def _nearest(kinds: list[str | None], pos: int, step: int) -> str | None:
    """The kind of the nearest unambiguous character from ``pos`` in direction ``step``."""
    i = pos + step
    while 0 <= i < len(kinds):
        if kinds[i]:
            return kinds[i]
        i += step
    return None


def decode_digits(boxes: list[Candidates], *, name: str) -> Decoded:
    """Digits only (UCI 8 or 10, telephone 10, relationship code 1–4)."""
    kept = [b for b in boxes if b is not None]
    if not kept:
        return Decoded(None, 1.0, raw_text(boxes))
    picks = [_best(b, DIGITS, TO_DIGIT) for b in kept]
    value = "".join(ch for ch, _ in picks)
    conf = _confidence(picks, boxes)
    # A blank box inside a number is a slip of the pen or a missed stroke: it breaks the syntax.
    inner_gap = "_" in raw_text(boxes).strip("_")
    lengths = _DIGIT_FIELDS.get(name.split("_", 1)[-1] if name.startswith("member") else name)
    valid = "?" not in value and not inner_gap
    if lengths and len(value) not in lengths:
        valid = False
    if name.endswith("relationship") and value not in ("1", "2", "3", "4"):
        valid = False
    return Decoded(value, conf if valid else conf * SYNTAX_FAIL, raw_text(boxes), valid)


#: Letters Canada Post puts in a postal code: never D, F, I, O, Q or U (they read as other
#: characters), and W and Z never first.
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
POSTAL_FIRST = "ABCEGHJKLMNPRSTVXY"
#: Weight of a first letter outside the applicants' home region (``home``): the rare address
#: elsewhere stays possible, and a clear T stays T, but a J read as T with J a close second
#: is the home letter.
OUT_OF_HOME = 0.2


def _postal_first(cands: list[tuple[str, float]], home: str) -> tuple[str, float]:
    """The first letter, weighed by the home region, and its probability among the letters a
    postal code can start with (a reading no code starts with, such as I, is a misreading)."""
    weighed = [(ch, p * (1.0 if ch in home else OUT_OF_HOME)) for ch, p in cands
               if ch in POSTAL_FIRST]  # fmt: skip
    total = sum(w for _, w in weighed)
    if not total:
        return _best(cands, POSTAL_FIRST, TO_LETTER)
    ch, w = max(weighed, key=lambda cw: cw[1])
    return ch, w / total


def decode_postal(boxes: list[Candidates], *, home: str = "") -> Decoded:
    """Canadian postal code A9A9A9: letters and digits fixed by position, letters among those
    Canada Post uses; with ``home`` (first letters, GHJ for Québec), the first letter weighed
    towards the region most applicants live in."""
    kept = [b for b in boxes if b is not None]
    if not kept:
        return Decoded(None, 1.0, raw_text(boxes))
    picks = []
    for k, (shape, b) in enumerate(zip(POSTAL_SHAPE, kept, strict=False)):
        if shape == "A" and k == 0 and home and b:
            picks.append(_postal_first(b, home))
        elif shape == "A":
            picks.append(_best(b, POSTAL_FIRST if k == 0 else POSTAL_LETTERS, TO_LETTER))
        else:
            picks.append(_best(b, DIGITS, TO_DIGIT))
    value = "".join(ch for ch, _ in picks)
    conf = _confidence(picks, kept)
    valid = len(kept) == 6 and len(boxes) >= 6 and "?" not in value
    return Decoded(value, conf if valid else conf * SYNTAX_FAIL, raw_text(boxes), valid)


def _plausible_date(digits: str) -> dt.date | None:
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2100 else None


#: Weight of a date outside the window its field's answers fall in (``decode_date``): such a
#: date stays possible (a form dated years back, a grandparent of 112), but a reading of the
#: same boxes inside the window is far likelier (2020 for 2026, 1907 for 1967: a 6 read as 0).
OUT_OF_WINDOW = 0.05


def decode_date(
    boxes: list[Candidates], *, window: tuple[dt.date, dt.date] | None = None
) -> Decoded:
    """YYYY MM DD in eight boxes; the most probable valid, plausible date among the candidates.

    ``window`` (first, last day) is where the field's answers fall: a date outside it counts
    ``OUT_OF_WINDOW`` of its probability in the choice.

    The confidence is the chosen date's share of every valid date the boxes' candidates
    spell (weighed by the window), times the share of the boxes' probability those candidates
    hold, times ``CORRECTION_COST`` for each box read otherwise than its top candidate: what
    is written is a date, so a month box read 1 at 0.64 and 2 at 0.16 is a 1 (no month
    starts with 2), while a box whose candidates leave much of its probability to digits
    they do not name keeps that doubt. A clearly written date outside the window, with no
    reading inside to compete, stays as sure as it looks (it is readable; the rules judge it).
    """
    raw = raw_text(boxes)
    if all(b is None for b in boxes):
        return Decoded(None, 1.0, raw)
    if any(b is None for b in boxes) or len(boxes) != 8:
        guess = "".join(_best(b, DIGITS, TO_DIGIT)[0] if b else "?" for b in boxes)
        return Decoded(f"{guess[:4]}-{guess[4:6]}-{guess[6:8]}", 0.0, raw, valid=False)
    per_box = [_digit_options(b) for b in boxes if b is not None]
    # The probability the candidates hold, all boxes at once; the rest is digits unseen.
    seen = math.prod(min(1.0, sum(q for _, q, _ in options)) for options in per_box)
    best: tuple[float, float, int, str] | None = None  # (choice, weighted, fixes, digits)
    mass = weighted_mass = 0.0
    # Each box offers at most 3 digits, so the search is at most 3^8 = 6561 small products.
    for combo in itertools.product(*per_box):
        digits = "".join(ch for ch, _, _ in combo)
        day = _plausible_date(digits)
        if day is None:
            continue
        fixes = sum(fixed for _, _, fixed in combo)
        p = math.prod(q for _, q, _ in combo)
        outside = window is not None and not window[0] <= day <= window[1]
        w = p * OUT_OF_WINDOW if outside else p
        mass, weighted_mass = mass + p, weighted_mass + w
        # A correction is a guess: among readings alike, the one that needs fewer wins.
        choice = w * CORRECTION_COST**fixes
        if best is None or choice > best[0]:
            best = (choice, w, fixes, digits)
    if best is None:
        top = "".join(o[0][0] for o in per_box)
        conf = math.prod(o[0][1] for o in per_box) * SYNTAX_FAIL
        return Decoded(f"{top[:4]}-{top[4:6]}-{top[6:]}", conf, raw, valid=False)
    _, w, fixes, d = best
    # The unseen share counts as valid dates spread as the seen ones are (weighed alike).
    share = w / weighted_mass * mass / (mass + 1.0 - seen) if weighted_mass else 0.0
    conf = min(1.0, share * CORRECTION_COST**fixes)
    return Decoded(f"{d[:4]}-{d[4:6]}-{d[6:]}", conf, raw)


def _digit_options(cands: list[tuple[str, float]]) -> list[tuple[str, float, bool]]:
    """Up to three digit readings of a box, best first: (digit, probability, corrected?).

    The top candidate if a digit is the reading as seen; runner-ups and letters mapped to
    digits are corrections.
    """
    out: dict[str, tuple[float, bool]] = {}
    for i, (ch, p) in enumerate(cands):
        digit = ch if ch in DIGITS else TO_DIGIT.get(ch.upper())
        if digit is not None and (digit not in out or out[digit][0] < p):
            out[digit] = (p, not (i == 0 and ch in DIGITS))
    if not out:
        return [("?", 0.0, True)]
    ranked = sorted(out.items(), key=lambda kv: -kv[1][0])[:3]
    return [(d, p, fixed) for d, (p, fixed) in ranked]


# --- lexicons ---------------------------------------------------------------------------------

#: Probability given to an entry's character that is not among a box's candidates: a reading
#: one or two characters off an entry can still be that entry, five off cannot.
LEXICON_FLOOR = 0.02
#: An accent the ink does not show (the mark detector misses faint or touching accents), or
#: one it shows that the entry lacks: the base letter's probability, paid for.
ACCENT_MISS = 0.6
#: Share of answers to a lexicon field that are in its lexicon (most applicants live in
#: Québec and were born in a country): the prior of "it is an entry".
IN_LEXICON = 0.9
#: Entries longer or shorter than the written span by more than this are not compared.
MAX_EDITS = 2
#: Odds that an answer outside the lexicon is spelled, box for box, like an entry except where
#: the reading was unsure: few real town or country names are one letter off another, while a
#: misread entry always is. So DRUNMONDVILLE, its N read at 0.84 and M next at 0.02, is
#: DRUMMONDVILLE.
NEAR_MISS = 0.1
#: A box read at least this sure is clearly written: an entry that disagrees with it there is
#: no near miss, and the written answer keeps its full odds (the lexicon never overwrites what
#: is clearly written).
CLEAR = 0.9
#: Highest confidence entries blind to accents (``vouch=False``) give a value they correct
#: or agree with.
UNVOUCHED_MAX = 0.85


@functools.lru_cache(maxsize=4096)
def _unaccented(text: str) -> str:
    """The capitals without their accents, one for one (É → E, Ç → C)."""
    return fold_keep_length(text).upper()


def lexicon_entries(lines: list[str], *, allowed: str) -> dict[int, list[str]]:
    """Entries as they are written in block capitals, by length; entries with a character the
    field cannot hold are left out (a space is a blank box)."""
    # One spelling per name: SENEGAL and SÉNÉGAL are one answer, kept with its accents.
    spelled: dict[str, str] = {}
    for line in lines:
        entry = re.sub(r"\s+", " ", line.strip().upper().replace("–", "-"))
        fits = all(c in allowed or c == " " for c in entry)
        if not entry or entry.startswith("#") or not fits:
            continue
        key = _unaccented(entry)
        if sum(c != k for c, k in zip(entry, key, strict=True)) >= sum(
            c != k for c, k in zip(spelled.get(key, key), key, strict=True)
        ):
            spelled[key] = entry
    out: dict[int, list[str]] = {}
    for entry in sorted(spelled.values()):
        out.setdefault(len(entry), []).append(entry)
    return out


#: Readings of a letter that lost a stroke along a box line when the lines were removed (a
#: writer's bar drawn on the comb's top or bottom line): seen → the letters it may be.
LOST_STROKE = {"F": "E", "L": "E", "I": "T", "U": "O", "C": "G"}
#: What such a reading is worth, as a share of its probability.
STROKE_MISS = 0.5


def _box_p(ch: str, cands: list[tuple[str, float]]) -> float:
    best = LEXICON_FLOOR
    base = _unaccented(ch)
    for c, p in cands:
        if c == ch:
            return max(best, p)
        seen = _unaccented(c)
        if seen == base:
            best = max(best, p * ACCENT_MISS)
        elif base in LOST_STROKE.get(seen, ""):
            best = max(best, p * STROKE_MISS * (ACCENT_MISS if base != ch else 1.0))
    return best


class _SpanOdds:
    """``_box_p`` for the boxes of one written span, each (box, character) pair worked out
    once: the hundreds of entries compared with one span ask for the same few pairs."""

    def __init__(self, boxes: list[Candidates]) -> None:
        self.boxes = boxes
        self._memo: dict[tuple[int, str], float] = {}

    def p(self, j: int, ch: str) -> float:
        """P(box ``j`` | character ``ch``): a space fits a blank box only, a character a
        written one."""
        key = (j, ch)
        found = self._memo.get(key)
        if found is None:
            b = self.boxes[j]
            if ch == " ":
                found = 1.0 if b is None else LEXICON_FLOOR
            else:
                found = LEXICON_FLOOR if b is None else _box_p(ch, b)
            self._memo[key] = found
        return found


def _entry_likelihood(entry: str, odds: _SpanOdds) -> float:
    """P(boxes | entry) up to a constant, over the best alignment of the entry's characters
    with the boxes: a character in its box (a space in a blank box), and at ``LEXICON_FLOOR``
    each a box too many (a stray mark, a letter split in two) or a character with no box (two
    letters in one box, a box skipped)."""
    n, m = len(entry), len(odds.boxes)
    # best[i][j]: likelihood of the first i characters over the first j boxes.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 1.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == 0.0:
                continue
            if i < n and j < m:
                best[i + 1][j + 1] = max(best[i + 1][j + 1], here * odds.p(j, entry[i]))
            if i < n:
                best[i + 1][j] = max(best[i + 1][j], here * LEXICON_FLOOR)
            if j < m:
                best[i][j + 1] = max(best[i][j + 1], here * LEXICON_FLOOR)
    return best[n][m]


def _best_outside(span: list[Candidates], *, in_lexicon: bool) -> float:
    """Likelihood of the most probable reading that is not an entry: the top candidates, or,
    when they spell an entry, the top candidates with the likeliest one-box change."""
    top = math.prod(b[0][1] if b else 1.0 for b in span)
    if not in_lexicon:
        return top
    ratios = [(b[1][1] if len(b) > 1 else 0.0) / b[0][1] for b in span if b and b[0][1] > 0]
    return top * max([LEXICON_FLOOR, *ratios])


def _near_miss(entry: str, span: list[Candidates]) -> bool:
    """Whether ``entry`` differs from the reading of ``span`` only in boxes read unsure: same
    length, and every box where they differ is empty or its top candidate is under ``CLEAR``
    (accents aside: the recogniser misses them, and ``_box_p`` charges for them)."""
    if len(entry) != len(span):
        return False
    for ch, b in zip(entry, span, strict=True):
        if not b:
            continue  # an entry's letter in a blank box: lost ink or a blank read wrong
        if ch == " " or (_unaccented(b[0][0]) != _unaccented(ch) and b[0][1] >= CLEAR):
            return False
    return True


def decode_with_lexicon(
    boxes: list[Candidates], read: Decoded, entries: dict[int, list[str]],
    *, prior: float = IN_LEXICON, vouch: bool = True,
) -> Decoded:
    """The plain reading, or the lexicon entry the boxes most probably hold.

    The comb's written boxes (from the first to the last inked one) are compared with every
    entry within ``MAX_EDITS`` of that length. The best reading that is not an entry competes
    as "an answer outside the lexicon", scored by its own candidates' probabilities; an entry
    wins only where its posterior beats it, so a clearly written town that is not in the list
    stays as written; when the best entry is a near miss of the reading (``_near_miss``), the
    outside answer's odds are cut to ``NEAR_MISS``. The confidence is the winner's posterior.
    ``prior`` is the share of answers to the field that are in ``entries``. Without ``vouch``,
    for entries read by a machine with the recogniser's own blind spots (accents neither
    reads), they raise a reading's confidence to ``UNVOUCHED_MAX`` at most.
    """
    inked = [i for i, b in enumerate(boxes) if b is not None]
    if read.value is None or not inked:
        return read
    span = boxes[inked[0] : inked[-1] + 1]
    near = (e for k in range(len(span) - MAX_EDITS, len(span) + MAX_EDITS + 1)
            for e in entries.get(k, ()))  # fmt: skip
    odds = _SpanOdds(span)
    scored = sorted(((_entry_likelihood(e, odds), e) for e in near), reverse=True)
    if not scored:
        return read
    p_best, best = scored[0]
    outside = _best_outside(span, in_lexicon=read.value in {e for _, e in scored})
    outside *= (1 - prior) * (NEAR_MISS if best != read.value and _near_miss(best, span) else 1.0)
    total = outside + prior * sum(p for p, _ in scored)
    posterior = prior * p_best / total if total else 0.0
    if not vouch and best != read.value and _unaccented(best) == _unaccented(read.value):
        return read  # an entry that differs only in accents says nothing of them
    if best == read.value:
        # Entries blind to accents vouch for the letters only: both machines may have missed
        # the same accent (MUÑOZ read MUNOZ by both), so the value passes, never sure.
        vouched = posterior if vouch else min(posterior, UNVOUCHED_MAX)
        return Decoded(best, max(read.confidence, vouched), read.raw, read.valid)
    if posterior <= outside / total:
        return read
    if not vouch:
        # The entry settles the letters; the accents are the recogniser's alone, and it
        # misses some (AÏT read AIT): such a value is never reported sure.
        return Decoded(_accents_as_read(best, read.value), min(posterior, UNVOUCHED_MAX),
                       read.raw)  # fmt: skip
    return Decoded(best, posterior, read.raw)


def _accents_as_read(entry: str, reading: str) -> str:
    """``entry`` with the accents of ``reading`` wherever the two have the same base letter.

    For entries read by a machine blind to some accents (Tesseract reads the printed GÓMEZ as
    GÔMEZ and MUÑOZ as MUNOZ): such an entry is evidence for the letters, not the accents.
    """
    if len(entry) != len(reading):
        return entry
    return "".join(
        r if _unaccented(e) == _unaccented(r) else e for e, r in zip(entry, reading, strict=True)
    )


#: Box characters that end a word of a free-text comb (a blank box ends one too).
WORD_BREAKS = "-@"
#: Share of the words of a free-text field that are in its word list: about half the words of
#: a street address are its kind (RUE, BOULEVARD), a particle or SAINT; most e-mail domains
#: are a big provider's.
IN_WORD_LIST = 0.5


def _word_spans(boxes: list[Candidates]) -> list[tuple[int, int]]:
    """(start, end) of each run of inked boxes between blank boxes and ``WORD_BREAKS``."""
    spans, start = [], None
    for i, b in enumerate([*boxes, None]):
        breaks = b is None or (bool(b) and b[0][0] in WORD_BREAKS)
        if breaks and start is not None:
            spans.append((start, i))
            start = None
        elif not breaks and start is None:
            start = i
    return spans


def _mostly_digits(word: str) -> bool:
    """A civic number, even misread (I72 for 172), rather than a word with a misread letter
    (BOUL5/ARD)."""
    return sum(c in DIGITS for c in word) * 2 >= len(word)


def letter_runs(boxes: list[Candidates]) -> list[tuple[int, int]]:
    """(start, end) of each run of boxes read as letters before an e-mail address's ``@``:
    the words its local part is made of (``KARIM.BOUZID78``: KARIM, BOUZID)."""
    spans, start = [], None
    for i, b in enumerate([*boxes, None]):
        top = b[0][0] if b else ""
        letter = top.isalpha()
        if not letter and start is not None:
            spans.append((start, i))
            start = None
        if top == "@":
            break
        if letter and start is None:
            start = i
    return spans


def fix_words(
    boxes: list[Candidates], entries: dict[int, list[str]], *, allowed: str,
    prior: float = IN_WORD_LIST, spans: list[tuple[int, int]] | None = None,
) -> tuple[list[Candidates], float]:
    """The boxes with each word that ``entries`` settle (``decode_with_lexicon``) written in
    as sure, and what that does to the field's confidence (a factor: each such word's
    confidence in place of its characters'). Words that are mostly digits (civic numbers)
    are left alone, and an entry must fill its word's boxes one for one. ``spans`` are the
    words' boxes (default: runs between blank boxes and ``WORD_BREAKS``)."""
    fixed, factor = list(boxes), 1.0
    for a, b in _word_spans(boxes) if spans is None else spans:
        word = decode_text(boxes[a:b], allowed=allowed)
        if word.value is None or not word.confidence or _mostly_digits(word.value):
            continue
        d = decode_with_lexicon(boxes[a:b], word, entries, prior=prior)
        if d.value is None or len(d.value) != b - a or d.confidence == word.confidence:
            continue
        fixed[a:b] = [[(c, 1.0)] for c in d.value]
        factor *= d.confidence / word.confidence
    return fixed, factor


def decode_words_with_lexicon(
    boxes: list[Candidates], read: Decoded, entries: dict[int, list[str]], *, allowed: str,
    prior: float = IN_WORD_LIST, spans: list[tuple[int, int]] | None = None,
) -> Decoded:
    """``read`` with each of its words weighed against ``entries`` (``fix_words``): for
    fields whose words, not whole answers, come from a list (the RUE and OUEST of a street,
    the domain of an e-mail address)."""
    if read.value is None:
        return read
    fixed, factor = fix_words(boxes, entries, allowed=allowed, prior=prior, spans=spans)
    return with_fixed_words(read, boxes, fixed, factor, allowed=allowed)


def with_fixed_words(
    read: Decoded, boxes: list[Candidates], fixed: list[Candidates], factor: float, *,
    allowed: str,
) -> Decoded:
    """``read`` again from the boxes ``fix_words`` mended, its confidence times ``factor``;
    ``read`` itself where nothing was mended."""
    if fixed == boxes:
        return read
    value = decode_text(fixed, allowed=allowed).value
    return Decoded(value, min(1.0, read.confidence * factor), read.raw, valid=read.valid)
