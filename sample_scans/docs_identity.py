"""Identity documents as photocopied: a passport data page (TD3 MRZ) or an ID card (TD1 MRZ).

The card or page is drawn at its real size and placed on a US Letter sheet, as a copier shows it.
"""

from __future__ import annotations

import datetime as dt

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    birthplace,
    choose,
    country,
    digits,
    fmt_date,
    full_name,
    proper,
    state_title,
)
from sample_scans.mrz import corrupt_mrz, mrz_td1, mrz_td3
from sample_scans.sheet import Sheet

PASSPORT_PT = (354.3, 249.4)  # ISO/IEC 7810 ID-3: 125 x 88 mm
CARD_PT = (242.6, 153.0)  # ID-1: 85.6 x 54 mm
IDENTITY_VARIANTS = ("passport", "passport", "passport_booklet", "card")  # passports weigh double
CARD_FAMILIES = ("sans", "dejavu", "freesans", "narrow")


def render_identity(ctx: DocContext) -> list[Image.Image]:
    """One photocopied page holding a passport data page or both faces of an ID card."""
    rng = ctx.rng
    page = Sheet(dpi=ctx.dpi, rng=rng)
    issue = ctx.today - dt.timedelta(days=rng.randint(90, 3200))
    expiry = issue.replace(year=issue.year + rng.choice((5, 10)))
    kind = choose(ctx, IDENTITY_VARIANTS)
    if kind == "card":
        scale = rng.choice((1.0, 1.0, 1.4))
        front, back = _card_front(ctx, issue, expiry, scale), _card_back(ctx, issue, expiry, scale)
        x, y = rng.uniform(60, 150), rng.uniform(50, 120)
        page.paste(front, (x, y))
        page.paste(back, (x + rng.uniform(-10, 10), y + CARD_PT[1] * scale + rng.uniform(25, 90)))
    else:
        data = _passport_page(ctx, issue, expiry)
        x, y = rng.uniform(40, 210), rng.uniform(40, 140)
        if kind == "passport_booklet":
            page.paste(_observations_page(ctx), (x, y))
            y += PASSPORT_PT[1]
        page.paste(data, (x, y))
    return [page.finish()]


ID_LABELS = {
    "type": ("Type", "Type"),
    "code": ("Code du pays", "Country code"),
    "number": ("No du passeport", "Passport No."),
    "surname": ("Nom", "Surname"),
    "given": ("Prénoms", "Given names"),
    "nationality": ("Nationalité", "Nationality"),
    "birth": ("Date de naissance", "Date of birth"),
    "sex": ("Sexe", "Sex"),
    "place": ("Lieu de naissance", "Place of birth"),
    "issue": ("Date de délivrance", "Date of issue"),
    "expiry": ("Date d'expiration", "Date of expiry"),
    "authority": ("Autorité", "Authority"),
    "card_number": ("No de la carte", "Card No."),
}


def _labels(ctx: DocContext) -> dict[str, str]:
    """The document's field labels: mostly bilingual, the issuer's language first."""
    if ctx.rng.random() < 0.15:  # some states print their own language only
        return {key: ctx.t(fr, en) for key, (fr, en) in ID_LABELS.items()}
    order = (lambda fr, en: f"{fr} / {en}") if ctx.fr else (lambda fr, en: f"{en} / {fr}")
    return {key: order(fr, en) for key, (fr, en) in ID_LABELS.items()}


def _field(
    card: Sheet, xy: tuple[float, float], label: str, value: str, *, size: float = 8.0
) -> None:
    card.text(xy, label, size=4.8, fill=60)
    card.text((xy[0], xy[1] + 6), value, size=size, bold=True)


def _passport_page(ctx: DocContext, issue: dt.date, expiry: dt.date) -> Sheet:
    rng, s = ctx.rng, ctx.subject
    card = Sheet(dpi=ctx.dpi, rng=rng, size_pt=PASSPORT_PT, family=rng.choice(CARD_FAMILIES))
    w, h = PASSPORT_PT
    card.rect((0, 0, w, h), outline=None, fill=rng.randint(228, 242))
    card.guilloche((4, 30, w - 4, h - 52), tone=rng.randint(200, 222))
    title = ctx.t("PASSEPORT", "PASSPORT")
    if rng.random() < 0.8:
        title = ctx.t("PASSEPORT / PASSPORT", "PASSPORT / PASSEPORT")
    state = state_title(s["nationality"], ctx.lang).upper()
    card.text((w / 2, 8), state, size=7.5, bold=True, anchor="ma")
    card.text((w / 2, 18), title, size=10.5, bold=True, anchor="ma")
    card.photo((12, 42, 98, 152), sex=s["sex"])
    _passport_fields(card, ctx, issue, expiry)
    card.sign((14, 154, 96, 176), full_name(s))
    lines = mrz_td3(
        issuing_state=s["nationality"], family_name=s["family_name"],
        given_names=s["given_names"], document_number=s["document_number"],
        nationality=s["nationality"], date_of_birth=s["date_of_birth"], sex=s["sex"],
        expiry=expiry, personal_number=digits(rng, 10) if rng.random() < 0.5 else "",
    )  # fmt: skip
    _mrz(card, corrupt_mrz(lines, rng) if ctx.corrupt_mrz else lines, top=h - 44)
    card.rect((0, 0, w, h), w=0.8, outline=rng.randint(110, 170))
    return card


def _passport_fields(card: Sheet, ctx: DocContext, issue: dt.date, expiry: dt.date) -> None:
    """The data page's labelled fields, right of the photo, dates in ICAO style."""
    s, lab, x = ctx.subject, _labels(ctx), 108.0
    icao = lambda d: fmt_date(d, lang=ctx.lang, style="icao")  # noqa: E731
    authority = ctx.rng.choice(("DIE", "SEPN", "ONI", "MAE", "DGDI"))
    rows = [
        [("type", "P", 0), ("code", s["nationality"], 60), ("number", s["document_number"], 150)],
        [("surname", s["family_name"].upper(), 0)],
        [("given", s["given_names"].upper(), 0)],
        [("nationality", country(s["nationality"], ctx.lang).upper(), 0)],
        [("birth", icao(s["date_of_birth"]), 0), ("sex", s["sex"], 150)],
        [("place", birthplace(s, ctx.rng).upper(), 0)],
        [("issue", icao(issue), 0), ("authority", authority, 120)],
        [("expiry", icao(expiry), 0)],
    ]
    for i, row in enumerate(rows):
        for key, value, dx in row:
            _field(card, (x + dx, 38.0 + 19 * i), lab[key], value)


def _mrz(card: Sheet, lines: tuple[str, ...], *, top: float) -> None:
    """The MRZ in OCR-B on a plain band, sized so a line spans ~92 % of the document."""
    w = card.size_pt[0]
    card.rect((0, top - 4, w, card.size_pt[1]), outline=None, fill=250)
    size = 10.0
    while card.width(lines[0], size, family="ocrb") > w * 0.92:
        size -= 0.25
    for i, line in enumerate(lines):
        card.text((w * 0.04, top + i * size * 1.45), line, size=size, family="ocrb")


def _observations_page(ctx: DocContext) -> Sheet:
    """The facing page of an open passport: observations and a holder's signature line."""
    page = Sheet(dpi=ctx.dpi, rng=ctx.rng, size_pt=PASSPORT_PT)
    w, h = PASSPORT_PT
    page.rect((0, 0, w, h), outline=None, fill=ctx.rng.randint(232, 245))
    page.guilloche((4, 4, w - 4, h - 4), tone=ctx.rng.randint(215, 230))
    page.text(
        (w / 2, 20),
        ctx.t("OBSERVATIONS", "ENDORSEMENTS / OBSERVATIONS"),
        size=8,
        bold=True,
        anchor="ma",
    )
    for i in range(5):
        page.line((20, 60 + i * 28), (w - 20, 60 + i * 28), w=0.3, fill=160)
    page.text((w / 2, h - 14), "2", size=7, anchor="ma", fill=90)
    return page


def _card_front(ctx: DocContext, issue: dt.date, expiry: dt.date, scale: float) -> Sheet:
    rng, s = ctx.rng, ctx.subject
    card = Sheet(
        dpi=round(ctx.dpi * scale), rng=rng, size_pt=CARD_PT, family=rng.choice(CARD_FAMILIES)
    )
    w, h = CARD_PT
    card.rect((0, 0, w, h), w=0.8, outline=120, fill=rng.randint(230, 244))
    card.guilloche((3, 24, w - 3, h - 3), tone=rng.randint(205, 225))
    card.text(
        (w / 2, 5), state_title(s["nationality"], ctx.lang).upper(), size=6, bold=True, anchor="ma"
    )
    title = ctx.t("CARTE NATIONALE D'IDENTITÉ", "NATIONAL IDENTITY CARD")
    card.text((w / 2, 13), title, size=7.5, bold=True, anchor="ma")
    card.photo((8, 28, 66, 104), sex=s["sex"])
    lab = _labels(ctx)
    x, y = 74.0, 26.0
    for label, value in (
        (lab["surname"], s["family_name"].upper()),
        (lab["given"], proper(s["given_names"])),
        (
            lab["birth"],
            fmt_date(
                s["date_of_birth"], lang=ctx.lang, style=rng.choice(("slash", "dots", "icao"))
            ),
        ),
        (lab["place"], birthplace(s, rng)),
        (lab["card_number"], s["document_number"]),
    ):
        card.text((x, y), label, size=4.2, fill=60)
        card.fit_text((x, y + 5), value, width=w - x - 6, size=6.8, bold=True)
        y += 15.5
    card.text((x + 110, 26 + 15.5 * 2), lab["sex"], size=4.2, fill=60)
    card.text((x + 110, 31 + 15.5 * 2), s["sex"], size=6.8, bold=True)
    card.sign((8, 108, 70, 130), full_name(s))
    card.text(
        (74, h - 14), f"{lab['expiry']}: {fmt_date(expiry, lang=ctx.lang, style='dots')}", size=5
    )
    return card


def _card_back(ctx: DocContext, issue: dt.date, expiry: dt.date, scale: float) -> Sheet:
    rng, s = ctx.rng, ctx.subject
    card = Sheet(dpi=round(ctx.dpi * scale), rng=rng, size_pt=CARD_PT)
    w, h = CARD_PT
    card.rect((0, 0, w, h), w=0.8, outline=120, fill=rng.randint(232, 246))
    lab = _labels(ctx)
    card.text((8, 8), f"{lab['issue']}: {fmt_date(issue, lang=ctx.lang, style='dots')}", size=5.2)
    card.text(
        (8, 17),
        f"{lab['authority']}: "
        + ctx.t("Office national d'identification", "National Identification Office"),
        size=5.2,
    )
    card.text(
        (8, 26), f"{lab['nationality']}: {country(s['nationality'], ctx.lang).upper()}", size=5.2
    )
    card.rect((w - 50, 6, w - 8, 44), w=0.4, outline=140)  # fingerprint box
    lines = mrz_td1(
        issuing_state=s["nationality"], family_name=s["family_name"], given_names=s["given_names"],
        document_number=s["document_number"], nationality=s["nationality"],
        date_of_birth=s["date_of_birth"], sex=s["sex"], expiry=expiry, optional1=digits(rng, 6),
    )  # fmt: skip
    _mrz(card, corrupt_mrz(lines, rng) if ctx.corrupt_mrz else lines, top=h - 50)
    card.rect((0, 0, w, h), w=0.8, outline=120)
    return card
