"""Proofs of residence in Québec: a lease, utility bills, a bank statement, an official letter.

All companies are invented ("Énergie Boréale", "Télécom Fleuve", "Caisse des Érables").
"""

from __future__ import annotations

import datetime as dt
import math

from PIL import Image

from sample_scans.doc_text import (
    MONTHS_EN,
    MONTHS_FR,
    DocContext,
    address_lines,
    any_date,
    choose,
    days_before,
    digits,
    fmt_date,
    full_name,
    money,
    random_person,
)
from sample_scans.docs_common import MARGIN, RIGHT, new_sheet, title
from sample_scans.sheet import Sheet

RESIDENCE_VARIANTS = ("lease", "electricity", "phone", "bank", "letter")
DEFAULT_ADDRESS = {"street": "1835 rue des Érables", "apartment": "", "municipality": "Montréal", "postal_code": "H2K 3L8", "province": "QC"}  # fmt: skip


def _address(ctx: DocContext) -> dict:
    return ctx.address or DEFAULT_ADDRESS


def render_residence(ctx: DocContext) -> list[Image.Image]:
    """A proof of residence in one of five kinds."""
    kind = choose(ctx, RESIDENCE_VARIANTS)
    if kind == "lease":
        start = days_before(ctx.rng, ctx.today, 60, 700).replace(day=1)
        return [lease_page(ctx, tenants=[ctx.subject], start=start, joint=False).finish()]
    return [
        {
            "electricity": _electricity_bill,
            "phone": _phone_bill,
            "bank": _bank_statement,
            "letter": _official_letter,
        }[kind](ctx).finish()
    ]


def _window(sheet: Sheet, ctx: DocContext, *, y: float = 150, upper: bool | None = None) -> None:
    """The addressee block, where an envelope window shows it."""
    upper = ctx.rng.random() < 0.5 if upper is None else upper
    name = full_name(ctx.subject, order="upper" if upper else "given_first")
    for i, line in enumerate([name, *address_lines(_address(ctx), upper=upper)]):
        sheet.text((72, y + i * 13), line, size=10.5, family="sans" if not upper else "mono")


def _logo(sheet: Sheet, xy: tuple[float, float], name: str, tagline: str, *, shape: str) -> None:
    """An invented company's mark: a simple shape and its name."""
    x, y = xy
    k = sheet.k
    if shape == "bolt":
        pts = [
            (x + 10, y),
            (x + 2, y + 16),
            (x + 9, y + 16),
            (x + 5, y + 30),
            (x + 18, y + 11),
            (x + 11, y + 11),
            (x + 16, y),
        ]
        sheet.draw.polygon([(px * k, py * k) for px, py in pts], fill=40)
    elif shape == "wave":
        for j in range(3):
            pts = [((x + i) * k, (y + 8 + j * 7 + 3 * math.sin(i / 3)) * k) for i in range(0, 24)]
            sheet.draw.line(pts, fill=40, width=max(1, round(2 * k)))
    else:
        sheet.draw.ellipse([x * k, y * k, (x + 26) * k, (y + 26) * k], fill=50)
        sheet.text((x + 13, y + 13), name[0], size=16, bold=True, fill=255, anchor="mm")
    sheet.text((x + 34, y + 2), name, size=16, bold=True)
    sheet.text((x + 34, y + 21), tagline, size=8, fill=80)


def _electricity_bill(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx, family="sans"), ctx.rng
    _logo(
        sheet,
        (MARGIN, 44),
        "Énergie Boréale",
        ctx.t("Distribution d'électricité", "Electricity distribution"),
        shape="bolt",
    )
    sheet.text(
        (RIGHT, 46),
        ctx.t("FACTURE D'ÉLECTRICITÉ", "ELECTRICITY BILL"),
        size=14,
        bold=True,
        anchor="ra",
    )
    billed = days_before(rng, ctx.today, 5, 120)
    period_start = billed - dt.timedelta(days=61)
    account = f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}"
    meta = [(ctx.t("No de compte", "Account number"), account), (ctx.t("Date de facturation", "Billing date"), any_date(billed, ctx)),
            (ctx.t("Période", "Period"), f"{period_start.strftime('%d/%m/%Y')} - {billed.strftime('%d/%m/%Y')}")]  # fmt: skip
    for i, (label, value) in enumerate(meta):
        sheet.text((RIGHT - 190, 70 + i * 13), label, size=8.5, fill=70)
        sheet.text((RIGHT, 70 + i * 13), value, size=8.5, bold=True, anchor="ra")
    _window(sheet, ctx)
    kwh = rng.randint(900, 3600)
    amount = round(kwh * 0.0738 + 0.44 * 61, 2)
    sheet.rect((360, 140, RIGHT, 200), w=1.2, fill=235)
    sheet.text((370, 148), ctx.t("Montant à payer", "Amount due"), size=10)
    sheet.text(
        (RIGHT - 10, 166), money(amount * 1.14975, ctx.lang), size=18, bold=True, anchor="ra"
    )
    sheet.text(
        (370, 186),
        ctx.t("Date d'échéance : ", "Due date: ")
        + (billed + dt.timedelta(days=21)).strftime("%d/%m/%Y"),
        size=9,
    )
    rows = [[ctx.t("Description", "Description"), ctx.t("Quantité", "Quantity"), ctx.t("Prix", "Rate"), ctx.t("Montant", "Amount")],
            [ctx.t("Redevance d'abonnement", "Access charge"), "61 j", "0,4400 $", money(0.44 * 61, ctx.lang)],
            [ctx.t("Énergie consommée", "Energy used"), f"{kwh} kWh", "0,0738 $", money(kwh * 0.0738, ctx.lang)],
            ["TPS / GST 5 %", "", "", money(amount * 0.05, ctx.lang)], ["TVQ / QST 9,975 %", "", "", money(amount * 0.09975, ctx.lang)]]  # fmt: skip
    y = sheet.table((MARGIN, 240), [220, 90, 90, 92], rows, size=9.5, align="lrrr")
    _consumption_chart(sheet, ctx, y + 30)
    _payment_stub(sheet, ctx, account=account, amount=money(amount * 1.14975, ctx.lang))
    return sheet


def _consumption_chart(sheet: Sheet, ctx: DocContext, y: float) -> None:
    """Thirteen months of consumption as bars, like the back of every utility bill."""
    sheet.text(
        (MARGIN, y),
        ctx.t("Historique de consommation (kWh)", "Consumption history (kWh)"),
        size=10,
        bold=True,
    )
    base = y + 120
    sheet.line((MARGIN, base), (MARGIN + 13 * 30, base), w=0.6)
    months = MONTHS_FR if ctx.fr else MONTHS_EN
    for i in range(13):
        h = ctx.rng.uniform(20, 100)
        sheet.rect((MARGIN + 6 + i * 30, base - h, MARGIN + 24 + i * 30, base), w=0.4, fill=150)
        sheet.text(
            (MARGIN + 15 + i * 30, base + 4), months[i % 12][:3], size=7, anchor="ma", fill=60
        )


def _payment_stub(sheet: Sheet, ctx: DocContext, *, account: str, amount: str) -> None:
    """The tear-off coupon at the foot of a bill."""
    y = 640.0
    for x in range(int(MARGIN), int(RIGHT), 8):
        sheet.line((x, y), (x + 4, y), w=0.5)
    sheet.text(
        (MARGIN, y + 10),
        ctx.t(
            "Coupon de paiement — joindre à votre paiement",
            "Payment stub — return with your payment",
        ),
        size=9,
        bold=True,
    )
    sheet.text((MARGIN, y + 28), ctx.t("No de compte : ", "Account number: ") + account, size=9)
    sheet.text((MARGIN, y + 42), ctx.t("Montant : ", "Amount: ") + amount, size=9)
    sheet.text((MARGIN, y + 60), full_name(ctx.subject, order="upper"), size=9, family="mono")
    k, rng = sheet.k, ctx.rng
    x = 330.0
    while x < RIGHT:  # a barcode-like stripe pattern (not a real symbology)
        w = rng.choice((0.8, 0.8, 1.6, 2.4))
        sheet.draw.rectangle([x * k, (y + 30) * k, (x + w) * k, (y + 70) * k], fill=0)
        x += w + rng.choice((0.8, 1.6, 2.4))


def _phone_bill(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    _logo(
        sheet,
        (MARGIN, 44),
        ctx.t("Télécom Fleuve", "Riverline Telecom"),
        ctx.t("Mobile · Internet · Télé", "Mobile · Internet · TV"),
        shape="wave",
    )
    billed = days_before(rng, ctx.today, 5, 120)
    sheet.text(
        (RIGHT, 46), ctx.t("VOTRE FACTURE", "YOUR STATEMENT"), size=14, bold=True, anchor="ra"
    )
    sheet.text((RIGHT, 66), ctx.t("Date : ", "Date: ") + any_date(billed, ctx), size=9, anchor="ra")
    account = digits(rng, 9)
    sheet.text((RIGHT, 79), ctx.t("Compte : ", "Account: ") + account, size=9, anchor="ra")
    _window(sheet, ctx)
    plan = rng.choice((45.0, 55.0, 65.0, 75.0))
    rows = [[ctx.t("Sommaire du compte", "Account summary"), ctx.t("Montant", "Amount")],
            [ctx.t("Solde précédent", "Previous balance"), money(plan * 1.15, ctx.lang)],
            [ctx.t("Paiement reçu — merci", "Payment received — thank you"), "-" + money(plan * 1.15, ctx.lang)],
            [ctx.t("Forfait mobile", "Mobile plan") + f" ({rng.randint(10, 100)} Go)", money(plan, ctx.lang)],
            [ctx.t("Frais d'accès au réseau 911", "911 network access fee"), money(0.46, ctx.lang)],
            ["TPS / GST", money(plan * 0.05, ctx.lang)], ["TVQ / QST", money(plan * 0.09975, ctx.lang)],
            [ctx.t("Total à payer", "Total due"), money(plan * 1.15 + 0.46, ctx.lang)]]  # fmt: skip
    y = sheet.table((MARGIN, 240), [360, 132], rows, size=10, grid=rng.random() < 0.5, align="lr")
    sheet.para((MARGIN, y + 30), ctx.t("Ligne : (514) 555-" + digits(rng, 4) + ". Les frais sont facturés un mois à l'avance. Pour nous joindre : service à la clientèle, 7 jours sur 7.",
                                        "Line: (514) 555-" + digits(rng, 4) + ". Charges are billed one month in advance. To reach us: customer service, 7 days a week."),
               width=RIGHT - MARGIN, size=8.5)  # fmt: skip
    _payment_stub(sheet, ctx, account=account, amount=money(plan * 1.15 + 0.46, ctx.lang))
    return sheet


def _bank_statement(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    _logo(
        sheet,
        (MARGIN, 44),
        ctx.t("Caisse des Érables", "Maple Savings Bank"),
        ctx.t("Coopérative financière", "Financial cooperative"),
        shape="disc",
    )
    end = days_before(rng, ctx.today, 5, 100)
    start = end - dt.timedelta(days=30)
    sheet.text(
        (RIGHT, 46), ctx.t("RELEVÉ DE COMPTE", "ACCOUNT STATEMENT"), size=14, bold=True, anchor="ra"
    )
    sheet.text(
        (RIGHT, 66),
        f"{start.strftime('%d/%m/%Y')} — {end.strftime('%d/%m/%Y')}",
        size=9,
        anchor="ra",
    )
    sheet.text(
        (RIGHT, 79),
        ctx.t("Folio ", "Account ") + f"{digits(rng, 5)}-{digits(rng, 3)}",
        size=9,
        anchor="ra",
    )
    _window(sheet, ctx)
    balance = rng.uniform(150, 2500)
    rows = [
        [
            ctx.t("Date", "Date"),
            ctx.t("Description", "Description"),
            ctx.t("Retrait", "Withdrawal"),
            ctx.t("Dépôt", "Deposit"),
            ctx.t("Solde", "Balance"),
        ]
    ]
    day = start
    labels = ctx.t(
        "Épicerie Métro-Nord|Paiement facture|Retrait GAB|Dépôt salaire|Pharmacie|Transport STM|Virement Interac",
        "Grocery store|Bill payment|ATM withdrawal|Payroll deposit|Pharmacy|Transit pass|Interac transfer",
    ).split("|")
    for _ in range(rng.randint(8, 14)):
        day += dt.timedelta(days=rng.randint(1, 3))
        label = rng.choice(labels)
        amount = round(rng.uniform(8, 900), 2)
        deposit = (
            label.startswith(("Dépôt", "Payroll", "Virement", "Interac")) and rng.random() < 0.7
        )
        balance += amount if deposit else -amount / 3
        rows.append(
            [
                day.strftime("%d/%m"),
                label,
                "" if deposit else money(amount / 3, ctx.lang),
                money(amount, ctx.lang) if deposit else "",
                money(balance, ctx.lang),
            ]
        )
    sheet.table(
        (MARGIN, 240),
        [50, 200, 80, 80, 82],
        rows,
        size=8.8,
        row_h=17,
        grid=rng.random() < 0.4,
        align="llrrr",
    )
    sheet.text(
        (MARGIN, 740),
        ctx.t(
            "Membre de l'assurance-dépôts. Conservez ce relevé pour vos dossiers.",
            "Deposits insured. Keep this statement for your records.",
        ),
        size=7.5,
        fill=80,
    )
    return sheet


def _official_letter(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    town = _address(ctx)["municipality"]
    office = ctx.t(f"Ville de {town} — Service des citoyens", f"City of {town} — Citizen Services")
    sheet.text((MARGIN, 48), office, size=12, bold=True)
    sheet.text(
        (MARGIN, 64),
        ctx.t("Bureau des taxes et de l'évaluation foncière", "Property tax and assessment office"),
        size=9,
    )
    sheet.line((MARGIN, 78), (RIGHT, 78), w=1)
    sent = days_before(rng, ctx.today, 5, 200)
    sheet.text(
        (RIGHT, 96), f"{town}, " + fmt_date(sent, lang=ctx.lang, style="long"), size=10, anchor="ra"
    )
    _window(sheet, ctx, y=130, upper=True)
    y = title(
        sheet,
        ctx.t("AVIS DE CONFIRMATION D'ADRESSE", "NOTICE OF ADDRESS CONFIRMATION"),
        220,
        size=13,
    )
    body = ctx.t(
        f"Madame, Monsieur,\nNous confirmons que {full_name(ctx.subject)} est inscrit(e) à nos registres à l'adresse ci-dessus "
        f"depuis le {any_date(days_before(rng, sent, 60, 900), ctx)}. Le présent avis peut servir de preuve de résidence "
        "auprès des organismes publics.\nVeuillez agréer nos salutations distinguées.",
        f"Dear Sir or Madam,\nWe confirm that {full_name(ctx.subject)} has been registered at the above address since "
        f"{any_date(days_before(rng, sent, 60, 900), ctx)}. This notice may be used as proof of residence with public "
        "bodies.\nYours sincerely,",
    )
    y = sheet.para((MARGIN, y + 10), body, width=RIGHT - MARGIN, size=11, leading=1.55)
    clerk = random_person(rng, sex=rng.choice("FM"))
    sheet.sign((MARGIN, y + 14, MARGIN + 190, y + 56), full_name(clerk))
    sheet.text((MARGIN, y + 62), full_name(clerk), size=10, bold=True)
    sheet.text(
        (MARGIN, y + 75), ctx.t("Préposé(e) aux renseignements", "Information officer"), size=9
    )
    sheet.text(
        (MARGIN, 742),
        ctx.t("Référence : ", "Reference: ") + f"{digits(rng, 4)}-{digits(rng, 6)}",
        size=8,
        fill=80,
    )
    return sheet


def lease_page(ctx: DocContext, *, tenants: list[dict], start: dt.date, joint: bool) -> Sheet:
    """A residential lease naming ``tenants`` at the Québec address."""
    sheet, rng = new_sheet(ctx, family=rng_family(ctx)), ctx.rng
    head = ctx.t("BAIL DE LOGEMENT", "RESIDENTIAL LEASE")
    y = title(sheet, head, 50, size=18, boxed=True)
    if joint:
        sheet.text(
            (306, y - 6),
            ctx.t(
                "Locataires conjoints, solidairement responsables", "Joint tenants, jointly liable"
            ),
            size=10,
            italic=True,
            anchor="ma",
        )
        y += 14
    landlord = random_person(rng, sex=rng.choice("FM"))
    y = _lease_section(
        sheet,
        y,
        "A",
        ctx.t("ENTRE LE LOCATEUR", "BETWEEN THE LESSOR"),
        [
            full_name(landlord, order="upper"),
            f"{rng.randint(100, 9999)} boulevard des Prairies, Laval (QC)  H7N 2T{rng.randint(1, 9)}",
        ],
    )
    y = _lease_section(
        sheet,
        y,
        "",
        ctx.t("ET LE(S) LOCATAIRE(S)", "AND THE LESSEE(S)"),
        [full_name(t, order="upper") for t in tenants],
    )
    y = _lease_section(
        sheet,
        y,
        "B",
        ctx.t("DESCRIPTION DU LOGEMENT LOUÉ", "DESCRIPTION OF THE DWELLING"),
        address_lines(_address(ctx)),
    )
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    term = ctx.t(f"Bail à durée fixe de 12 mois, du {fmt_date(start, lang='fr', style='long')} au {fmt_date(end, lang='fr', style='long')}.",
                 f"Fixed-term lease of 12 months, from {fmt_date(start, lang='en', style='long')} to {fmt_date(end, lang='en', style='long')}.")  # fmt: skip
    y = _lease_section(sheet, y, "C", ctx.t("DURÉE DU BAIL", "TERM OF LEASE"), [term])
    rent = rng.randrange(750, 1900, 5)
    y = _lease_section(
        sheet,
        y,
        "D",
        ctx.t("LOYER", "RENT"),
        [
            ctx.t(
                f"Loyer mensuel : {money(rent, 'fr')}, payable le 1er de chaque mois.",
                f"Monthly rent: {money(rent, 'en')}, payable on the 1st of each month.",
            )
        ],
    )
    sheet.text((MARGIN, y + 10), ctx.t("SIGNATURES", "SIGNATURES"), size=11, bold=True)
    y += 28
    for i, person in enumerate([landlord, *tenants]):
        x = MARGIN + (i % 2) * 250
        yy = y + (i // 2) * 70
        sheet.sign((x, yy, x + 200, yy + 44), full_name(person))
        sheet.line((x, yy + 46), (x + 200, yy + 46), w=0.4)
        role = ctx.t("Locateur", "Lessor") if i == 0 else ctx.t("Locataire", "Lessee")
        sheet.text(
            (x, yy + 50),
            f"{role} — {fmt_date(start - dt.timedelta(days=20), lang=ctx.lang, style='slash')}",
            size=8.5,
        )
    return sheet


def rng_family(ctx: DocContext) -> str:
    return ctx.rng.choice(("sans", "dejavu", "freesans", "narrow"))


def _lease_section(sheet: Sheet, y: float, letter: str, heading: str, lines: list[str]) -> float:
    """A shaded section heading and its boxed content, as on the standard lease forms."""
    sheet.rect((MARGIN, y, RIGHT, y + 16), outline=None, fill=215)
    sheet.text(
        (MARGIN + 6, y + 8),
        f"{letter + '  ' if letter else ''}{heading}",
        size=10,
        bold=True,
        anchor="lm",
    )
    y += 16
    box_h = 10 + 15 * len(lines)
    sheet.rect((MARGIN, y, RIGHT, y + box_h), w=0.6)
    for i, line in enumerate(lines):
        sheet.fit_text((MARGIN + 8, y + 7 + i * 15), line, width=RIGHT - MARGIN - 16, size=10.5)
    return y + box_h + 12
