"""Proofs of a de facto union: a solemn declaration, a joint lease, a cohabitation affidavit."""

from __future__ import annotations

import datetime as dt

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    address_lines,
    any_date,
    any_name,
    choose,
    days_before,
    fmt_date,
    full_name,
    random_person,
)
from sample_scans.docs_common import MARGIN, RIGHT, new_sheet, spouse_of, title, wedding_date
from sample_scans.docs_lease import lease_page
from sample_scans.sheet import Sheet


def render_union(ctx: DocContext) -> list[Image.Image]:
    """A proof of de facto union in one of three layouts."""
    a, b = ctx.subject, spouse_of(ctx)
    since = wedding_date(a, b, ctx)
    variant = UNION_VARIANTS[choose(ctx, tuple(UNION_VARIANTS))]
    return [variant(ctx, a, b, since).finish()]


def _declaration_text(ctx: DocContext, a: dict, b: dict, since: dt.date) -> str:
    rng = ctx.rng
    addr = ", ".join(address_lines(ctx.address)) if ctx.address else ""
    one = f"{any_name(a, rng)}, {ctx.t('né(e) le', 'born')} {any_date(a['date_of_birth'], ctx)}"
    two = f"{any_name(b, rng)}, {ctx.t('né(e) le', 'born')} {any_date(b['date_of_birth'], ctx)}"
    if ctx.fr:
        where = f", et que nous résidons ensemble au {addr}." if addr else "."
        return (
            f"Nous, soussignés, {one}, et {two}, déclarons solennellement que nous vivons "
            f"maritalement, en union de fait, de façon continue depuis le {any_date(since, ctx)}"
            f"{where}\nNous faisons cette déclaration solennelle, la croyant consciencieusement "
            "vraie et sachant qu'elle a la même force et le même effet que si elle était faite "
            "sous serment."
        )
    where = f", and that we reside together at {addr}." if addr else "."
    return (
        f"We, the undersigned, {one}, and {two}, solemnly declare that we have lived together "
        f"in a conjugal relationship, continuously, since {any_date(since, ctx)}{where}\nWe make "
        "this solemn declaration conscientiously believing it to be true and knowing that it is "
        "of the same force and effect as if made under oath."
    )


def _union_declaration(ctx: DocContext, a: dict, b: dict, since: dt.date) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    head = ctx.t(
        "DÉCLARATION SOLENNELLE D'UNION DE FAIT", "STATUTORY DECLARATION OF COMMON-LAW UNION"
    )
    y = title(sheet, head, 70, size=14.5, boxed=True)
    text = _declaration_text(ctx, a, b, since)
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11, leading=1.55)
    for i, p in enumerate((a, b)):
        x = MARGIN + i * 250
        sheet.sign((x, y + 20, x + 190, y + 62), full_name(p))
        sheet.line((x, y + 64), (x + 190, y + 64), w=0.4)
        sheet.text((x, y + 68), full_name(p), size=9)
    y += 110
    sworn = fmt_date(days_before(rng, ctx.today, 5, 200), lang=ctx.lang, style="long")
    before = ctx.t(
        "Déclaré solennellement devant moi à Montréal, le ", "Solemnly declared before me"
    )
    sheet.text((MARGIN, y), before + ctx.t(sworn, f" at Montréal on {sworn}"), size=10)
    commissioner = random_person(rng, sex=rng.choice("FM"))
    number = str(rng.randint(100000, 239999))
    role = ctx.t("Commissaire à l'assermentation", "Commissioner for oaths")
    sheet.sign((MARGIN, y + 14, MARGIN + 180, y + 54), full_name(commissioner))
    sheet.text((MARGIN, y + 60), f"{full_name(commissioner)} — {role} no {number}", size=9)
    sheet.stamp((430, y + 40), ring=role, middle=[number], radius=40)
    return sheet


def _union_lease(ctx: DocContext, a: dict, b: dict, since: dt.date) -> Sheet:
    # the couple's current lease, which cannot start before they moved in together
    start = max(since, days_before(ctx.rng, ctx.today, 60, 700)).replace(day=1)
    return lease_page(ctx, tenants=[a, b], start=start, joint=True)


def _union_affidavit(ctx: DocContext, a: dict, b: dict, since: dt.date) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    witness = random_person(rng, sex=rng.choice("FM"))
    y = title(sheet, ctx.t("ATTESTATION DE VIE COMMUNE", "AFFIDAVIT OF COHABITATION"), 80, size=17)
    one, two, when = any_name(a, rng), any_name(b, rng), any_date(since, ctx)
    text = ctx.t(
        f"Je, soussigné(e), {full_name(witness)}, atteste connaître personnellement {one} et "
        f"{two} depuis plusieurs années. Je confirme qu'ils font vie commune et se présentent "
        f"comme conjoints depuis le {when}. Je fais cette attestation en toute connaissance de "
        "cause.",
        f"I, the undersigned, {full_name(witness)}, certify that I have personally known {one} "
        f"and {two} for several years. I confirm that they have lived together as spouses since "
        f"{when}. I make this affidavit knowing it to be true.",
    )
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    sheet.sign((MARGIN, y + 30, MARGIN + 200, y + 75), full_name(witness))
    sheet.text((MARGIN, y + 82), full_name(witness), size=10)
    sheet.text((MARGIN, y + 96), any_date(days_before(rng, ctx.today, 5, 120), ctx), size=10)
    return sheet


UNION_VARIANTS = {
    "declaration": _union_declaration,
    "joint_lease": _union_lease,
    "affidavit": _union_affidavit,
}
