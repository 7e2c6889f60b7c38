"""One hand writes every box of a form page: the fields read surely teach how it writes.

The glyph CNN errs alike on every box a writer shapes unusually: an R whose bowl stays open
is read K, an O drawn heavy on one side D, on every R or O of the page. A field whose value
is sure (a lexicon entry or the printed name agreeing with the boxes, or every box read
clearly) tells what each of its boxes holds: this writer's R looks like this. Each box of a
field not yet sure is compared with those in the network's feature space (the hidden layer
its classifier reads), and the values of the boxes written most alike weigh on its
candidates. The network's own candidates stay the only answers: a box is never given a
character its reader did not propose.

This is the writer adaptation of ICR stations, done on one page without any training: the
page is its own small labelled set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extractors.form_decode import Candidates

#: A field decoded at least this sure labels its boxes. The printed name agreeing with a
#: written one is capped at 0.85, and it is the best witness of the page's letters; taking
#: only the fields at 0.9 and over read 3 fewer comb fields right on 40 forms (seeds
#: 98000-98019 and 99000-99019, where these constants were chosen).
LABEL_MIN = 0.8
#: Fields decoded at least this sure are kept as they are; every other comb field is decoded
#: again with the page's labelled boxes.
SURE = 0.9
#: Labelled boxes consulted per box, and how fast a neighbour's weight falls with the cosine
#: of their features, exp(SHARPNESS * (cos - 1)). A box's nearest box of the same character
#: on its page measured cos 0.96-0.996 (10th-90th percentile), its nearest of another
#: character mostly under 0.72: only boxes written alike count.
NEIGHBOURS = 3
SHARPNESS = 50.0
#: Weight of the reader's own view against the neighbours': a box whose nearest labelled
#: boxes are not written alike (a character no sure field holds) keeps its candidates.
SELF_WEIGHT = 0.5
#: A candidate no neighbour shares keeps this much weight against one they all share; the
#: power softens the neighbours' say (1 would let them overrule a clear reading).
FLOOR = 0.02
POWER = 0.5


@dataclass(frozen=True)
class Prototypes:
    """Boxes of the page whose character is known: unit feature rows and their characters."""

    features: np.ndarray
    labels: tuple[str, ...]


def box_labels(
    value: str, boxes: list[Candidates], *, separators: str = " "
) -> list[str | None] | None:
    """The character of ``value`` each box holds (None for an empty box), or None when the
    value's characters (``separators`` left out: a date's dashes are not written) and the
    inked boxes do not pair one to one."""
    chars = iter(c for c in value if c not in separators)
    if sum(c not in separators for c in value) != sum(b is not None for b in boxes):
        return None
    return [None if b is None else next(chars) for b in boxes]


def prototypes(
    labelled: list[tuple[list[str | None], list[np.ndarray | None]]],
) -> Prototypes | None:
    """The page's labelled boxes, from each sure field's (``box_labels``, box features); None
    when no box has features (a reader without them)."""
    rows, labels = [], []
    for chars, feats in labelled:
        for ch, f in zip(chars, feats, strict=True):
            if ch is not None and f is not None:
                rows.append(f)
                labels.append(ch)
    if not rows:
        return None
    return Prototypes(_unit(np.stack(rows)), tuple(labels))


def adapt(
    boxes: list[Candidates], feats: list[np.ndarray | None], protos: Prototypes
) -> list[Candidates]:
    """Each inked box's candidates reweighed by the labelled boxes written most like it.

    A candidate's probability is multiplied by ``(share + FLOOR) ** POWER``, where ``share`` is
    the neighbours' weight on that character, then the candidates are rescaled to the mass
    they had, so the field's confidence stays on the reader's scale.
    """
    out: list[Candidates] = []
    for cands, f in zip(boxes, feats, strict=True):
        if not cands or f is None:
            out.append(cands)
            continue
        sims = protos.features @ _unit(f[None, :])[0]
        near = np.argsort(-sims)[:NEIGHBOURS]
        votes: dict[str, float] = {}
        for j in near:
            votes[protos.labels[j]] = votes.get(protos.labels[j], 0.0) + float(
                np.exp(SHARPNESS * (sims[j] - 1.0))
            )
        total = sum(votes.values()) + SELF_WEIGHT
        weighed = [(ch, p * (votes.get(ch, 0.0) / total + FLOOR) ** POWER) for ch, p in cands]
        scale = sum(p for _, p in cands) / max(sum(p for _, p in weighed), 1e-12)
        out.append(sorted(((ch, p * scale) for ch, p in weighed), key=lambda kv: -kv[1]))
    return out


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = rows.astype(np.float64)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
