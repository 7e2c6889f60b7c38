"""A residential lease (bail de logement), laid out in lettered sections like the usual forms.

It serves as a proof of residence (one tenant) and as a proof of union (two joint tenants).
"""

from __future__ import annotations

import datetime as dt

from sample_scans.doc_text import (
    DocContext,
    address_lines,
    fmt_date,
    full_name,
    money,
    random_person,
)
from sample_scans.docs_common import MARGIN, RIGHT, home, new_sheet, title
from sample_scans.sheet import Sheet

LEASE_FAMILIES = ("sans", "dejavu", "freesans", "narrow")


def lease_page(ctx: DocContext, *, tenants: list[dict], start: dt.date, joint: bool) -> Sheet:
    """A 12-month lease naming ``tenants`` at the Québec address, signed by everyone."""
    sheet, rng = new_sheet(ctx, family=ctx.rng.choice(LEASE_FAMILIES)), ctx.rng
    y = title(sheet, ctx.t("BAIL DE LOGEMENT", "RESIDENTIAL LEASE"), 50, size=18, boxed=True)
    if joint:
        note = ctx.t(
            "Locataires conjoints, solidairement responsables", "Joint tenants, jointly liable"
        )
        sheet.text((306, y - 6), note, size=10, italic=True, anchor="ma")
        y += 14
    landlord = random_person(rng, sex=rng.choice("FM"))
    lessor = [
        full_name(landlord, order="upper"),
        f"{rng.randint(100, 9999)} boulevard des Prairies, Laval (QC)  H7N 2T{rng.randint(1, 9)}",
    ]
    y = _section(sheet, y, ctx.t("A  ENTRE LE LOCATEUR", "A  BETWEEN THE LESSOR"), lessor)
    lessees = [full_name(t, order="upper") for t in tenants]
    y = _section(sheet, y, ctx.t("ET LE(S) LOCATAIRE(S)", "AND THE LESSEE(S)"), lessees)
    dwelling = ctx.t("B  DESCRIPTION DU LOGEMENT LOUÉ", "B  DESCRIPTION OF THE DWELLING")
    y = _section(sheet, y, dwelling, address_lines(home(ctx)))
    y = _section(sheet, y, ctx.t("C  DURÉE DU BAIL", "C  TERM OF LEASE"), [_term(ctx, start)])
    y = _section(sheet, y, ctx.t("D  LOYER", "D  RENT"), [_rent(ctx)])
    sheet.text((MARGIN, y + 10), "SIGNATURES", size=11, bold=True)
    signed = fmt_date(start - dt.timedelta(days=20), lang=ctx.lang, style="slash")
    for i, person in enumerate([landlord, *tenants]):
        x, yy = MARGIN + (i % 2) * 250, y + 28 + (i // 2) * 70
        sheet.sign((x, yy, x + 200, yy + 44), full_name(person))
        sheet.line((x, yy + 46), (x + 200, yy + 46), w=0.4)
        role = ctx.t("Locateur", "Lessor") if i == 0 else ctx.t("Locataire", "Lessee")
        sheet.text((x, yy + 50), f"{role} — {signed}", size=8.5)
    return sheet


def _term(ctx: DocContext, start: dt.date) -> str:
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    first = fmt_date(start, lang=ctx.lang, style="long")
    last = fmt_date(end, lang=ctx.lang, style="long")
    return ctx.t(
        f"Bail à durée fixe de 12 mois, du {first} au {last}.",
        f"Fixed-term lease of 12 months, from {first} to {last}.",
    )


def _rent(ctx: DocContext) -> str:
    rent = money(ctx.rng.randrange(750, 1900, 5), ctx.lang)
    return ctx.t(
        f"Loyer mensuel : {rent}, payable le 1er de chaque mois.",
        f"Monthly rent: {rent}, payable on the 1st of each month.",
    )


def _section(sheet: Sheet, y: float, heading: str, lines: list[str]) -> float:
    """A shaded section heading over its boxed content; returns the y below it."""
    sheet.rect((MARGIN, y, RIGHT, y + 16), outline=None, fill=215)
    sheet.text((MARGIN + 6, y + 8), heading, size=10, bold=True, anchor="lm")
    y += 16
    box_h = 10 + 15 * len(lines)
    sheet.rect((MARGIN, y, RIGHT, y + box_h), w=0.6)
    for i, line in enumerate(lines):
        sheet.fit_text((MARGIN + 8, y + 7 + i * 15), line, width=RIGHT - MARGIN - 16, size=10.5)
    return y + box_h + 12
