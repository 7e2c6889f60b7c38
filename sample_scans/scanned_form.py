"""One application form as the mailroom scans it: a sample family's answers, hand-printed by
one writer, photocopied (clean, normal or heavy, 20/70/10), scanned gray at 200–240 dpi or
black-and-white at 200–300 dpi, sometimes turned. Used by the form benchmark and its tests."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import numpy as np

from sample_scans import degrade, family, scanfiles
from sample_scans.render_form import render_form_pages

RECEIVED = dt.date(2026, 11, 2)
#: Share of forms left unsigned, so that signature presence is measured both ways.
UNSIGNED_SHARE = 0.15


@dataclass(frozen=True)
class ScannedPage:
    image: np.ndarray
    dpi: int
    level: str  # photocopy level: clean, normal or heavy


@dataclass(frozen=True)
class ScannedForm:
    values: dict[str, str]
    dossier_number: str
    pages: list[ScannedPage]


def scanned_form(seed: int, *, unsigned_share: float = 0.0) -> ScannedForm:
    rng = random.Random(seed)
    fam = family.make_family(rng, received=RECEIVED)
    docs = family.required_documents(fam, received=RECEIVED) + family.optional_documents(fam, rng)
    signed = RECEIVED - dt.timedelta(days=rng.randint(3, 30))
    values = family.form_values(fam, docs, signed=signed, rng=rng)
    if unsigned_share and rng.random() < unsigned_share:
        values["signature"] = "false"
    number = f"PCH-2026-{rng.randint(0, 999999):06d}"
    name = family.preprinted_name(fam.principal)
    rendered = render_form_pages(values, dossier_number=number, rng=rng, preprinted_name=name)
    setup = scanfiles.choose_setup(rng, day=RECEIVED)
    pages = []
    for img in rendered:
        level = rng.choices(degrade.LEVELS, weights=(20, 70, 10))[0]
        out = degrade.photocopy(img, rng=rng, level=level, dpi=300, out_dpi=setup.dpi)
        if rng.random() < 0.12:
            out = degrade.turn(out, rng.choice((180, 180, 90, 270)))
        if setup.bilevel:
            out = degrade.to_bilevel(out)
        pages.append(ScannedPage(np.asarray(out.convert("L")), setup.dpi, level))
    return ScannedForm(values, number, pages)
