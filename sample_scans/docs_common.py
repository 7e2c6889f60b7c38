"""Pieces shared by document templates: letterheads, labelled lines, signature blocks."""

from __future__ import annotations

import datetime as dt
import math
import random

from sample_scans.doc_text import DocContext, age_date, random_person
from sample_scans.sheet import BODY_FAMILIES, Sheet

MARGIN = 60.0
RIGHT = 612.0 - MARGIN
#: used when a caller gives no address (an invented one in Montréal)
DEFAULT_ADDRESS = {
    "street": "1835 rue des Érables",
    "apartment": "",
    "municipality": "Montréal",
    "postal_code": "H2K 3L8",
    "province": "QC",
}


def home(ctx: DocContext) -> dict:
    """The Québec address documents are sent to."""
    return ctx.address or DEFAULT_ADDRESS


def new_sheet(ctx: DocContext, *, family: str | None = None) -> Sheet:
    """A US Letter sheet in one of the body fonts."""
    return Sheet(dpi=ctx.dpi, rng=ctx.rng, family=family or ctx.rng.choice(BODY_FAMILIES))


def emblem(sheet: Sheet, centre: tuple[float, float], r: float) -> None:
    """A generic state emblem: a ring and a five-pointed star (no real coat of arms)."""
    cx, cy = centre
    k = sheet.k
    sheet.draw.ellipse(
        [(cx - r) * k, (cy - r) * k, (cx + r) * k, (cy + r) * k],
        outline=0,
        width=max(1, round(1.2 * k)),
    )
    pts = []
    for i in range(10):
        rr = r * (0.75 if i % 2 == 0 else 0.3)
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(((cx + rr * math.cos(a)) * k, (cy + rr * math.sin(a)) * k))
    sheet.draw.polygon(pts, fill=60)


def state_header(
    sheet: Sheet, lines: list[str], *, y: float = 46, with_emblem: bool = True
) -> float:
    """Centred issuing-authority lines under an emblem; returns the y below them."""
    if with_emblem:
        emblem(sheet, (306, y + 16), 16)
        y += 40
    for i, line in enumerate(lines):
        sheet.text((306, y), line, size=11 if i == 0 else 9.5, bold=i == 0, anchor="ma")
        y += 15 if i == 0 else 13
    return y + 6


def title(sheet: Sheet, text: str, y: float, *, size: float = 17, boxed: bool = False) -> float:
    """The document's title, centred, optionally framed; returns the y below it."""
    w = sheet.width(text, size, bold=True)
    if boxed:
        sheet.rect((306 - w / 2 - 12, y - 6, 306 + w / 2 + 12, y + size * 1.25 + 4), w=1.2)
    sheet.text((306, y), text, size=size, bold=True, anchor="ma")
    return y + size * 1.6 + 8


def leader(
    sheet: Sheet,
    y: float,
    label: str,
    value: str,
    *,
    x: float = MARGIN,
    tab: float = 230,
    size: float = 10.5,
) -> float:
    """``Label .... VALUE``, the leader in the sheet's house style; returns the next line's y."""
    end = sheet.text((x, y), label + (" :" if sheet.leader == "colon" else ""), size=size)
    lead_from, lead_to = x + end + 4, x + tab - 6
    if sheet.leader == "rule":
        sheet.line((x + tab - 4, y + size * 1.15), (RIGHT, y + size * 1.15), w=0.4, fill=110)
    elif sheet.leader in ("dots", "spaced") and lead_to > lead_from:
        dot = "." if sheet.leader == "dots" else ". "
        count = int((lead_to - lead_from) / sheet.width(dot, size))
        sheet.text((lead_from, y), dot * count, size=size, fill=120)
    sheet.fit_text((x + tab, y - 1), value, width=RIGHT - x - tab, size=size + 0.5, bold=True)
    return y + size * 2.1


def official_footer(
    sheet: Sheet, ctx: DocContext, *, y: float, place: str, date: dt.date, role: str
) -> None:
    """``Fait à X, le D`` then an official's name, role, signature and round stamp."""
    rng = ctx.rng
    sheet.text(
        (MARGIN, y),
        ctx.t(
            f"Fait à {place}, le {date.strftime('%d/%m/%Y')}",
            f"Issued at {place} on {date.strftime('%d/%m/%Y')}",
        ),
        size=10,
    )
    official = random_person(rng, sex=rng.choice("FM"))
    x = 340.0
    sheet.text(
        (x, y + 24),
        f"{official['given_names'].split()[0]} {official['family_name'].upper()}",
        size=10,
        bold=True,
    )
    sheet.text((x, y + 38), role, size=9, italic=True)
    sheet.sign(
        (x - 6, y + 48, x + 170, y + 100),
        f"{official['given_names'][0]}. {official['family_name']}",
    )
    sheet.stamp(
        (x - 70 + rng.uniform(-15, 15), y + 70 + rng.uniform(-10, 10)),
        ring=role[:34],
        middle=[place.upper()[:14]],
        radius=rng.uniform(34, 44),
    )


def spouse_of(ctx: DocContext) -> dict:
    """The other spouse: ``ctx.other`` or an invented one of the other sex."""
    if ctx.other is not None:
        return ctx.other
    s = ctx.subject
    sex = "M" if s.get("sex") == "F" else "F"
    person = random_person(ctx.rng, sex=sex)
    born = s["date_of_birth"] + dt.timedelta(days=ctx.rng.randint(-2500, 2500))
    return {
        **person,
        "sex": sex,
        "date_of_birth": born,
        "nationality": s.get("nationality", ""),
        "country_of_birth": s.get("country_of_birth", ""),
    }


def wedding_date(a: dict, b: dict, ctx: DocContext) -> dt.date:
    """A day after both turned 20 and before the documents' reference date."""
    older_of_young = max(a["date_of_birth"], b["date_of_birth"])
    day = age_date(older_of_young, ctx.rng.randint(20, 30), ctx.rng)
    return min(day, ctx.today - dt.timedelta(days=ctx.rng.randint(200, 900)))


def record_numbers(rng: random.Random, year: int) -> str:
    """``Registre 12, folio 45, acte no 0781 (1988)``-style reference numbers."""
    return f"{rng.randint(1, 40)}/{rng.randint(1, 300)}/{rng.randint(1, 2000):04d}/{year}"
