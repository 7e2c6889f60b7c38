"""Supporting letters in prose (1-2 pages) and "other" documents (receipts, school reports)."""

from __future__ import annotations

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    address_lines,
    any_date,
    choose,
    days_before,
    digits,
    fmt_date,
    full_name,
    money,
    proper,
    random_person,
)
from sample_scans.docs_common import MARGIN, RIGHT, leader, new_sheet, title
from sample_scans.letter_texts import EXTRA_EN, EXTRA_FR, LETTERS
from sample_scans.sheet import Sheet

MINISTRY = (
    "Ministère de l'Immigration, de la Francisation et de l'Intégration",
    "Direction des programmes humanitaires",
    "Montréal (Québec)",
)
LETTER_FAMILIES = ("serif", "sans", "dserif", "freeserif", "dejavu")
STREETS = ("Jarry Est", "Ontario Est", "Wellington", "King Ouest")
BODY_BOTTOM = 700.0  # a paragraph that would end below this starts a new page


def render_supporting_letter(ctx: DocContext) -> list[Image.Image]:
    """A letter in prose naming the applicant: distress, integration, French courses or work."""
    rng, s = ctx.rng, ctx.subject
    org, heading, paras = _letter_text(ctx, choose(ctx, tuple(LETTERS)))
    sheet = new_sheet(ctx, family=rng.choice(LETTER_FAMILIES))
    y = _letterhead(sheet, ctx, org)
    if rng.random() < 0.6:
        y = title(sheet, heading, y + 4, size=13)
    about = ctx.t(
        "Objet : Demande de sélection permanente — ", "Subject: Application for selection — "
    )
    sheet.text((MARGIN, y), about + full_name(s), size=10.5, bold=True)
    sheet.text((MARGIN, y + 28), ctx.t("Madame, Monsieur,", "Dear Sir or Madam,"), size=11)
    pages, y = [sheet], y + 52
    for para in paras:
        lines = sheet.wrap(para, width=RIGHT - MARGIN, size=11)
        if y + len(lines) * 16 > BODY_BOTTOM:
            sheet = new_sheet(ctx, family=sheet.family)
            sheet.text((RIGHT, 40), "2", size=9, anchor="ra")
            pages.append(sheet)
            y = 70
        y = sheet.para((MARGIN, y), para, width=RIGHT - MARGIN, size=11, leading=1.45) + 10
    _closing(sheet, ctx, y)
    return [p.finish() for p in pages]


def _letter_text(ctx: DocContext, kind: str) -> tuple[str, str, list[str]]:
    """Sender, heading and paragraphs; some writers go on with extra paragraphs (2 pages)."""
    rng, s = ctx.rng, ctx.subject
    org, heading, paras_fr, paras_en = LETTERS[kind]
    fill = {
        "name": full_name(s, order=rng.choice(("given_first", "upper"))),
        "first": proper(s["given_names"]).split()[0],
        "since": any_date(days_before(rng, ctx.today, 200, 1500), ctx),
    }
    paras = [p.format(**fill) for p in (paras_fr if ctx.fr else paras_en)]
    for extra in rng.sample(EXTRA_FR if ctx.fr else EXTRA_EN, rng.choice((0, 1, 2, 5, 6))):
        paras.insert(rng.randint(1, len(paras) - 1), extra.format(**fill))
    return ctx.t(*org), ctx.t(*heading), paras


def _letterhead(sheet: Sheet, ctx: DocContext, org: str) -> float:
    """Sender, date and recipient blocks; returns the y where the body starts."""
    rng = ctx.rng
    sheet.text((MARGIN, 44), org, size=13, bold=True)
    street = f"{rng.randint(10, 9999)}, rue {rng.choice(STREETS)} · 514 555-{digits(rng, 4)}"
    sheet.text((MARGIN, 61), street, size=8.5, fill=70)
    sheet.line((MARGIN, 74), (RIGHT, 74), w=0.6)
    sent = fmt_date(days_before(rng, ctx.today, 5, 120), lang=ctx.lang, style="long")
    sheet.text((RIGHT, 92), sent, size=10.5, anchor="ra")
    for i, line in enumerate(MINISTRY):
        sheet.text((MARGIN, 120 + i * 13), line, size=10)
    return 120 + 13 * len(MINISTRY) + 22


def _closing(sheet: Sheet, ctx: DocContext, y: float) -> None:
    writer = full_name(random_person(ctx.rng, sex=ctx.rng.choice("FM")))
    bye = ctx.t(
        "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.", "Yours sincerely,"
    )
    sheet.text((MARGIN, y + 6), bye, size=11)
    sheet.sign((MARGIN, y + 20, MARGIN + 190, y + 62), writer)
    sheet.text((MARGIN, y + 68), writer, size=10.5, bold=True)
    sheet.text((MARGIN, y + 82), ctx.t("Coordonnateur(trice)", "Coordinator"), size=9.5)


def render_other(ctx: DocContext) -> list[Image.Image]:
    """Something that is none of the listed types: a receipt or a school report."""
    return [OTHER_VARIANTS[choose(ctx, tuple(OTHER_VARIANTS))](ctx).finish()]


SHOPS = (
    ("Traductions Boréal", "Boreal Translations"),
    ("Photo Express Jean-Talon", "Jean-Talon Photo Express"),
)


def _receipt(ctx: DocContext) -> Sheet:
    sheet, rng, m = new_sheet(ctx, family="sans"), ctx.rng, ctx.lang
    sheet.text((MARGIN, 50), ctx.t(*rng.choice(SHOPS)), size=16, bold=True)
    y = title(sheet, ctx.t("REÇU", "RECEIPT"), 90, size=20, boxed=True)
    paid = days_before(rng, ctx.today, 5, 200)
    payer = full_name(ctx.subject)
    y = leader(sheet, y + 6, ctx.t("Reçu de", "Received from"), payer, tab=130)
    y = leader(sheet, y, ctx.w("date"), any_date(paid, ctx), tab=130)
    y = leader(sheet, y, ctx.t("No de reçu", "Receipt no."), digits(rng, 6), tab=130)
    translation = ctx.t("Traduction certifiée (page)", "Certified translation (page)")
    items = [
        [ctx.t("Article", "Item"), ctx.t("Qté", "Qty"), ctx.w("amount")],
        [translation, str(rng.randint(1, 6)), money(rng.randint(40, 300), m)],
        [ctx.t("Photos format passeport", "Passport photos"), "2", money(18, m)],
    ]
    y = sheet.table((MARGIN, y + 10), [300, 60, 132], items, size=10, align="lrr")
    if ctx.address:
        sheet.text((MARGIN, y + 20), " · ".join(address_lines(ctx.address)), size=8.5, fill=80)
    sheet.box_stamp((430, y + 70), [ctx.t("PAYÉ", "PAID"), paid.strftime("%d-%m-%Y")], size=13)
    return sheet


SUBJECTS = (
    ("Français", "French"),
    ("Mathématique", "Mathematics"),
    ("Anglais", "English"),
    ("Science et technologie", "Science and technology"),
    ("Histoire", "History"),
    ("Éducation physique", "Physical education"),
)


def _school_report(ctx: DocContext) -> Sheet:
    sheet, rng, s = new_sheet(ctx), ctx.rng, ctx.subject
    school = ctx.t("École secondaire des Trois-Ponts", "Three Bridges High School")
    sheet.text((306, 46), school, size=13, bold=True, anchor="ma")
    y = title(sheet, ctx.t("BULLETIN SCOLAIRE", "SCHOOL REPORT CARD"), 72, size=18)
    y = leader(sheet, y, ctx.t("Élève", "Student"), full_name(s, order="comma"), tab=110)
    y = leader(sheet, y, ctx.w("birth"), any_date(s["date_of_birth"], ctx), tab=110)
    year = ctx.today.year
    y = leader(sheet, y, ctx.t("Année scolaire", "School year"), f"{year - 1}-{year}", tab=110)
    head = (
        ["Étape 1", "Étape 2", "Moyenne du groupe"] if ctx.fr else ["Term 1", "Term 2", "Average"]
    )
    rows = [[ctx.t("Matière", "Subject"), *head]]
    for pair in SUBJECTS:
        marks = [rng.randint(60, 98), rng.randint(60, 98), rng.randint(68, 80)]
        rows.append([ctx.t(*pair), *(f"{v} %" for v in marks)])
    y = sheet.table((MARGIN, y + 10), [200, 90, 90, 112], rows, size=10, row_h=22, align="lrrr")
    comment = ctx.t(
        "Commentaire : élève sérieux(se) et appliqué(e).", "Comment: a diligent student."
    )
    sheet.text((MARGIN, y + 24), comment, size=10, italic=True)
    sheet.sign((360, y + 50, 540, y + 90), random_person(rng, sex="F")["family_name"])
    sheet.text((360, y + 96), ctx.t("La direction", "The principal"), size=9)
    return sheet


OTHER_VARIANTS = {"receipt": _receipt, "school_report": _school_report}
