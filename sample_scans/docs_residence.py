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
from sample_scans.docs_common import MARGIN, RIGHT, home, new_sheet, title
from sample_scans.docs_lease import lease_page
from sample_scans.sheet import Sheet

RESIDENCE_VARIANTS = ("lease", "electricity", "phone", "bank", "letter")
TAXES = 1.14975  # GST 5 % + QST 9.975 %


def render_residence(ctx: DocContext) -> list[Image.Image]:
    """A proof of residence in one of five kinds."""
    kind = choose(ctx, RESIDENCE_VARIANTS)
    if kind == "lease":
        start = days_before(ctx.rng, ctx.today, 60, 700).replace(day=1)
        return [lease_page(ctx, tenants=[ctx.subject], start=start, joint=False).finish()]
    makers = {
        "electricity": _electricity_bill,
        "phone": _phone_bill,
        "bank": _bank_statement,
        "letter": _official_letter,
    }
    return [makers[kind](ctx).finish()]


def _window(sheet: Sheet, ctx: DocContext, *, y: float = 150, upper: bool | None = None) -> None:
    """The addressee block, where an envelope window shows it."""
    upper = ctx.rng.random() < 0.5 if upper is None else upper
    name = full_name(ctx.subject, order="upper" if upper else "given_first")
    for i, line in enumerate([name, *address_lines(home(ctx), upper=upper)]):
        sheet.text((72, y + i * 13), line, size=10.5, family="mono" if upper else "sans")


def _logo(sheet: Sheet, name: str, tagline: str, *, shape: str) -> None:
    """An invented company's mark at the top left: a simple shape and its name."""
    x, y, k = MARGIN, 44.0, sheet.k
    if shape == "bolt":
        pts = [(10, 0), (2, 16), (9, 16), (5, 30), (18, 11), (11, 11), (16, 0)]
        sheet.draw.polygon([((x + px) * k, (y + py) * k) for px, py in pts], fill=40)
    elif shape == "wave":
        for j in range(3):
            pts = [((x + i) * k, (y + 8 + j * 7 + 3 * math.sin(i / 3)) * k) for i in range(24)]
            sheet.draw.line(pts, fill=40, width=max(1, round(2 * k)))
    else:
        sheet.draw.ellipse([x * k, y * k, (x + 26) * k, (y + 26) * k], fill=50)
        sheet.text((x + 13, y + 13), name[0], size=16, bold=True, fill=255, anchor="mm")
    sheet.text((x + 34, y + 2), name, size=16, bold=True)
    sheet.text((x + 34, y + 21), tagline, size=8, fill=80)


def _corner(sheet: Sheet, heading: str, rows: list[tuple[str, str]]) -> None:
    """The document's name and its reference lines, top right."""
    sheet.text((RIGHT, 46), heading, size=14, bold=True, anchor="ra")
    for i, (label, value) in enumerate(rows):
        sheet.text((RIGHT - 190, 70 + i * 13), label, size=8.5, fill=70)
        sheet.text((RIGHT, 70 + i * 13), value, size=8.5, bold=True, anchor="ra")


def _electricity_bill(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx, family="sans"), ctx.rng
    _logo(
        sheet,
        "Énergie Boréale",
        ctx.t("Distribution d'électricité", "Power distribution"),
        shape="bolt",
    )
    billed = days_before(rng, ctx.today, 5, 120)
    period = (
        f"{(billed - dt.timedelta(days=61)).strftime('%d/%m/%Y')} - {billed.strftime('%d/%m/%Y')}"
    )
    account = f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}"
    _corner(sheet, ctx.t("FACTURE D'ÉLECTRICITÉ", "ELECTRICITY BILL"), [
        (ctx.t("No de compte", "Account number"), account),
        (ctx.t("Date de facturation", "Billing date"), any_date(billed, ctx)),
        (ctx.t("Période", "Period"), period),
    ])  # fmt: skip
    _window(sheet, ctx)
    kwh = rng.randint(900, 3600)
    amount = round(kwh * 0.0738 + 0.44 * 61, 2)
    due = money(amount * TAXES, ctx.lang)
    sheet.rect((360, 140, RIGHT, 200), w=1.2, fill=235)
    sheet.text((370, 148), ctx.t("Montant à payer", "Amount due"), size=10)
    sheet.text((RIGHT - 10, 166), due, size=18, bold=True, anchor="ra")
    deadline = (billed + dt.timedelta(days=21)).strftime("%d/%m/%Y")
    sheet.text((370, 186), ctx.t("Date d'échéance : ", "Due date: ") + deadline, size=9)
    m = ctx.lang
    rows = [
        ["Description", ctx.t("Quantité", "Quantity"), ctx.t("Prix", "Rate"), ctx.w("amount")],
        [ctx.t("Redevance d'abonnement", "Access charge"), "61 j", "0,4400 $", money(26.84, m)],
        [
            ctx.t("Énergie consommée", "Energy used"),
            f"{kwh} kWh",
            "0,0738 $",
            money(kwh * 0.0738, m),
        ],
        ["TPS / GST 5 %", "", "", money(amount * 0.05, m)],
        ["TVQ / QST 9,975 %", "", "", money(amount * 0.09975, m)],
    ]
    y = sheet.table((MARGIN, 240), [220, 90, 90, 92], rows, size=9.5, align="lrrr")
    _consumption_chart(sheet, ctx, y + 30)
    _payment_stub(sheet, ctx, account=account, amount=due)
    return sheet


def _consumption_chart(sheet: Sheet, ctx: DocContext, y: float) -> None:
    """Thirteen months of consumption as bars, like the back of every utility bill."""
    head = ctx.t("Historique de consommation (kWh)", "Consumption history (kWh)")
    sheet.text((MARGIN, y), head, size=10, bold=True)
    base = y + 120
    sheet.line((MARGIN, base), (MARGIN + 13 * 30, base), w=0.6)
    months = MONTHS_FR if ctx.fr else MONTHS_EN
    for i in range(13):
        x, h = MARGIN + i * 30, ctx.rng.uniform(20, 100)
        sheet.rect((x + 6, base - h, x + 24, base), w=0.4, fill=150)
        sheet.text((x + 15, base + 4), months[i % 12][:3], size=7, anchor="ma", fill=60)


def _payment_stub(sheet: Sheet, ctx: DocContext, *, account: str, amount: str) -> None:
    """The tear-off coupon at the foot of a bill, with a barcode-like stripe pattern."""
    y, k, rng = 640.0, sheet.k, ctx.rng
    for x in range(int(MARGIN), int(RIGHT), 8):
        sheet.line((x, y), (x + 4, y), w=0.5)
    head = ctx.t(
        "Coupon de paiement — joindre à votre paiement", "Payment stub — return with payment"
    )
    sheet.text((MARGIN, y + 10), head, size=9, bold=True)
    sheet.text((MARGIN, y + 28), ctx.t("No de compte : ", "Account number: ") + account, size=9)
    sheet.text((MARGIN, y + 42), ctx.w("amount") + " : " + amount, size=9)
    sheet.text((MARGIN, y + 60), full_name(ctx.subject, order="upper"), size=9, family="mono")
    x = 330.0
    while x < RIGHT:  # not a real symbology: only the look of one
        w = rng.choice((0.8, 0.8, 1.6, 2.4))
        sheet.draw.rectangle([x * k, (y + 30) * k, (x + w) * k, (y + 70) * k], fill=0)
        x += w + rng.choice((0.8, 1.6, 2.4))


def _phone_bill(ctx: DocContext) -> Sheet:
    sheet, rng, m = new_sheet(ctx), ctx.rng, ctx.lang
    brand = ctx.t("Télécom Fleuve", "Riverline Telecom")
    _logo(sheet, brand, ctx.t("Mobile · Internet · Télé", "Mobile · Internet · TV"), shape="wave")
    account = digits(rng, 9)
    _corner(sheet, ctx.t("VOTRE FACTURE", "YOUR STATEMENT"), [
        (ctx.w("date"), any_date(days_before(rng, ctx.today, 5, 120), ctx)),
        (ctx.t("Compte", "Account"), account),
    ])  # fmt: skip
    _window(sheet, ctx)
    plan = rng.choice((45.0, 55.0, 65.0, 75.0))
    total = money(plan * TAXES + 0.46, m)
    rows = [
        [ctx.t("Sommaire du compte", "Account summary"), ctx.w("amount")],
        [ctx.t("Solde précédent", "Previous balance"), money(plan * TAXES, m)],
        [
            ctx.t("Paiement reçu — merci", "Payment received — thank you"),
            "-" + money(plan * TAXES, m),
        ],
        [ctx.t("Forfait mobile", "Mobile plan") + f" ({rng.randint(10, 100)} Go)", money(plan, m)],
        [ctx.t("Frais d'accès au réseau 911", "911 network access fee"), money(0.46, m)],
        ["TPS / GST", money(plan * 0.05, m)],
        ["TVQ / QST", money(plan * 0.09975, m)],
        [ctx.t("Total à payer", "Total due"), total],
    ]
    y = sheet.table((MARGIN, 240), [360, 132], rows, size=10, grid=rng.random() < 0.5, align="lr")
    note = ctx.t(
        f"Ligne : (514) 555-{digits(rng, 4)}. Les frais sont facturés un mois à l'avance.",
        f"Line: (514) 555-{digits(rng, 4)}. Charges are billed one month in advance.",
    )
    sheet.para((MARGIN, y + 30), note, width=RIGHT - MARGIN, size=8.5)
    _payment_stub(sheet, ctx, account=account, amount=total)
    return sheet


BANK_LINES = (
    ("Épicerie Métro-Nord", "Grocery store", False), ("Paiement facture", "Bill payment", False),
    ("Retrait GAB", "ATM withdrawal", False), ("Dépôt salaire", "Payroll deposit", True),
    ("Pharmacie", "Pharmacy", False), ("Transport en commun", "Transit pass", False),
    ("Virement Interac reçu", "Interac transfer received", True),
)  # fmt: skip


def _bank_statement(ctx: DocContext) -> Sheet:
    sheet, rng, m = new_sheet(ctx), ctx.rng, ctx.lang
    brand = ctx.t("Caisse des Érables", "Maple Savings Bank")
    _logo(sheet, brand, ctx.t("Coopérative financière", "Financial cooperative"), shape="disc")
    end = days_before(rng, ctx.today, 5, 100)
    day = end - dt.timedelta(days=30)
    _corner(sheet, ctx.t("RELEVÉ DE COMPTE", "ACCOUNT STATEMENT"), [
        (ctx.t("Période", "Period"), f"{day.strftime('%d/%m/%Y')} — {end.strftime('%d/%m/%Y')}"),
        (ctx.t("Folio", "Account"), f"{digits(rng, 5)}-{digits(rng, 3)}"),
    ])  # fmt: skip
    _window(sheet, ctx)
    head = [ctx.w("date"), "Description", ctx.t("Retrait", "Withdrawal"), ctx.t("Dépôt", "Deposit")]
    rows = [[*head, ctx.t("Solde", "Balance")]]
    balance = rng.uniform(150, 2500)
    for _ in range(rng.randint(8, 14)):
        day += dt.timedelta(days=rng.randint(1, 2))
        fr, en, deposit = rng.choice(BANK_LINES)
        amount = round(rng.uniform(300, 900) if deposit else rng.uniform(5, 250), 2)
        balance += amount if deposit else -amount
        out, into = ("", money(amount, m)) if deposit else (money(amount, m), "")
        rows.append([day.strftime("%d/%m"), ctx.t(fr, en), out, into, money(balance, m)])
    widths = [50, 200, 80, 80, 82]
    sheet.table(
        (MARGIN, 240), widths, rows, size=8.8, row_h=17, grid=rng.random() < 0.4, align="llrrr"
    )
    small = ctx.t("Conservez ce relevé pour vos dossiers.", "Keep this statement for your records.")
    sheet.text((MARGIN, 740), small, size=7.5, fill=80)
    return sheet


def _official_letter(ctx: DocContext) -> Sheet:
    sheet, rng = new_sheet(ctx), ctx.rng
    town = home(ctx)["municipality"]
    sheet.text(
        (MARGIN, 48), ctx.t(f"Ville de {town}", f"City of {town}") + " — 311", size=12, bold=True
    )
    office = ctx.t(
        "Bureau des taxes et de l'évaluation foncière", "Property tax and assessment office"
    )
    sheet.text((MARGIN, 64), office, size=9)
    sheet.line((MARGIN, 78), (RIGHT, 78), w=1)
    sent = days_before(rng, ctx.today, 5, 200)
    sheet.text(
        (RIGHT, 96), f"{town}, {fmt_date(sent, lang=ctx.lang, style='long')}", size=10, anchor="ra"
    )
    _window(sheet, ctx, y=130, upper=True)
    heading = ctx.t("AVIS DE CONFIRMATION D'ADRESSE", "NOTICE OF ADDRESS CONFIRMATION")
    y = title(sheet, heading, 220, size=13)
    name, since = full_name(ctx.subject), any_date(days_before(rng, sent, 60, 900), ctx)
    body = ctx.t(
        f"Madame, Monsieur,\nNous confirmons que {name} est inscrit(e) à nos registres à "
        f"l'adresse ci-dessus depuis le {since}. Le présent avis peut servir de preuve de "
        "résidence auprès des organismes publics.\nVeuillez agréer nos salutations distinguées.",
        f"Dear Sir or Madam,\nWe confirm that {name} has been registered at the above address "
        f"since {since}. This notice may be used as proof of residence with public bodies.\n"
        "Yours sincerely,",
    )
    y = sheet.para((MARGIN, y + 10), body, width=RIGHT - MARGIN, size=11, leading=1.55)
    clerk = random_person(rng, sex=rng.choice("FM"))
    sheet.sign((MARGIN, y + 14, MARGIN + 190, y + 56), full_name(clerk))
    sheet.text((MARGIN, y + 62), full_name(clerk), size=10, bold=True)
    sheet.text(
        (MARGIN, y + 75), ctx.t("Préposé(e) aux renseignements", "Information officer"), size=9
    )
    ref = f"{digits(rng, 4)}-{digits(rng, 6)}"
    sheet.text((MARGIN, 742), ctx.t("Référence : ", "Reference: ") + ref, size=8, fill=80)
    return sheet
