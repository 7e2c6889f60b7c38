"""Medical certificates and proofs of financial dependency (for a dependent child aged 22+)."""

from __future__ import annotations

import datetime as dt

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    any_date,
    any_name,
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
from sample_scans.sheet import Sheet

#: (kind fr, kind en, diagnosis fr, diagnosis en)
CONDITIONS = (
    ("physique", "physical", "une paralysie cérébrale avec atteinte motrice sévère",
     "cerebral palsy with severe motor impairment"),
    ("physique", "physical", "une insuffisance rénale chronique nécessitant une dialyse",
     "chronic kidney failure requiring dialysis"),
    ("physique", "physical", "une cécité bilatérale congénitale", "congenital bilateral blindness"),
    ("mentale", "mental", "une déficience intellectuelle modérée",
     "a moderate intellectual disability"),
    ("mentale", "mental", "un trouble du spectre de l'autisme de niveau 3",
     "level 3 autism spectrum disorder"),
    ("mentale", "mental", "une schizophrénie chronique", "chronic schizophrenia"),
)  # fmt: skip
CLINICS = (
    ("Clinique médicale des Érables", "Maple Medical Clinic"),
    ("Centre de santé Saint-Laurent", "Saint-Laurent Health Centre"),
    ("Polyclinique du Plateau", "Plateau Polyclinic"),
    ("Hôpital régional de la Rive", "Riverside Regional Hospital"),
)
OATHS = ("Commissaire à l'assermentation", "Commissioner for oaths")


def render_medical(ctx: DocContext) -> list[Image.Image]:
    """A medical certificate (physical or mental condition) in one of three layouts."""
    condition = ctx.rng.choice(CONDITIONS)
    doctor = random_person(ctx.rng, sex=ctx.rng.choice("FM"))
    variant = MEDICAL_VARIANTS[choose(ctx, tuple(MEDICAL_VARIANTS))]
    sheet = new_sheet(ctx)
    _clinic_head(sheet, ctx)
    return [variant(ctx, sheet, condition, doctor).finish()]


def _clinic_head(sheet: Sheet, ctx: DocContext) -> None:
    sheet.rect((MARGIN, 40, MARGIN + 6, 82), outline=None, fill=60)
    sheet.text((MARGIN + 14, 42), ctx.t(*ctx.rng.choice(CLINICS)), size=14, bold=True)
    where = f"{ctx.rng.randint(100, 9999)}, boulevard Saint-Joseph · (514) 555-{digits(ctx.rng, 4)}"
    sheet.text((MARGIN + 14, 62), where, size=8.5, fill=70)
    sheet.line((MARGIN, 92), (RIGHT, 92), w=0.8)


def _doctor_block(sheet: Sheet, ctx: DocContext, doctor: dict, y: float) -> None:
    licence = digits(ctx.rng, 5)
    sheet.sign((340, y, 530, y + 44), "Dr " + doctor["family_name"])
    sheet.text((340, y + 50), f"Dr {full_name(doctor)}", size=10, bold=True)
    sheet.text((340, y + 63), ctx.t("Permis no ", "Licence no. ") + licence, size=9)
    ring = ctx.t("Médecin — Doctor", "Physician — Médecin")
    sheet.stamp((250, y + 30), ring=ring, middle=[licence], radius=34)


def _medical_letter(ctx: DocContext, sheet: Sheet, cond: tuple, doctor: dict) -> Sheet:
    s = ctx.subject
    y = title(sheet, ctx.t("CERTIFICAT MÉDICAL", "MEDICAL CERTIFICATE"), 115, size=18)
    y = leader(sheet, y, ctx.w("patient"), full_name(s, order="comma"), tab=130)
    y = leader(sheet, y, ctx.w("birth"), any_date(s["date_of_birth"], ctx), tab=130)
    seen = fmt_date(days_before(ctx.rng, ctx.today, 5, 150), lang=ctx.lang, style="long")
    who, dr = any_name(s, ctx.rng), full_name(doctor)
    text = ctx.t(
        f"Je soussigné(e), Dr {dr}, certifie avoir examiné {who} le {seen}. Cette personne "
        f"présente depuis l'enfance {cond[2]}. En raison de cette condition {cond[0]}, elle est "
        "incapable de subvenir seule à ses besoins et dépend de ses parents pour les soins et "
        "l'entretien quotidiens.\nCet état est permanent et n'est pas susceptible d'amélioration.",
        f"I, the undersigned, Dr {dr}, certify that I examined {who} on {seen}. This person has "
        f"had {cond[3]} since childhood. Because of this {cond[1]} condition, they are unable to "
        "support themselves and depend on their parents for daily care and maintenance.\nThis "
        "condition is permanent and is not expected to improve.",
    )
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11, leading=1.6)
    _doctor_block(sheet, ctx, doctor, y + 30)
    return sheet


def _medical_form(ctx: DocContext, sheet: Sheet, cond: tuple, doctor: dict) -> Sheet:
    s = ctx.subject
    y = title(
        sheet, ctx.t("RAPPORT MÉDICAL — CERTIFICAT", "MEDICAL REPORT — CERTIFICATE"), 112, size=15
    )
    rows = [
        (ctx.t("Nom du patient", "Patient's name"), full_name(s, order="family_first")),
        (ctx.w("birth"), fmt_date(s["date_of_birth"], lang=ctx.lang, style="iso")),
    ]
    for label, value in rows:
        sheet.rect((MARGIN, y, RIGHT, y + 34), w=0.6)
        sheet.text((MARGIN + 5, y + 4), label, size=7.5, fill=70)
        sheet.text((MARGIN + 10, y + 16), value, size=11.5)
        y += 34
    y += 16
    sheet.text(
        (MARGIN, y), ctx.t("Nature de l'atteinte :", "Nature of the condition:"), size=10, bold=True
    )
    for i, (fr, en) in enumerate((("Physique", "Physical"), ("Mentale", "Mental"))):
        x = MARGIN + 160 + i * 110
        sheet.rect((x, y, x + 10, y + 10), w=0.7)
        sheet.text((x + 16, y), ctx.t(fr, en), size=10)
        if (cond[0] == "physique") == (i == 0):
            sheet.text((x + 1, y - 1), "X", size=11, bold=True)
    y += 30
    sheet.text((MARGIN, y), ctx.t("Diagnostic :", "Diagnosis:"), size=10, bold=True)
    for i in range(3):
        sheet.line((MARGIN, y + 34 + i * 24), (RIGHT, y + 34 + i * 24), w=0.4, fill=120)
    sheet.handwrite((MARGIN + 8, y + 30), ctx.t(cond[2], cond[3])[:48].capitalize(), size=17)
    question = ctx.t(
        "Incapable de subvenir à ses besoins ?  OUI", "Unable to support themselves?  YES"
    )
    sheet.text((MARGIN, y + 110), question, size=10)
    examined = any_date(days_before(ctx.rng, ctx.today, 5, 150), ctx)
    sheet.text((MARGIN, y + 134), ctx.t("Date de l'examen : ", "Examined on: ") + examined, size=10)
    _doctor_block(sheet, ctx, doctor, y + 164)
    return sheet


def _medical_attestation(ctx: DocContext, sheet: Sheet, cond: tuple, doctor: dict) -> Sheet:
    s = ctx.subject
    y = title(sheet, ctx.t("ATTESTATION MÉDICALE", "MEDICAL ATTESTATION"), 112, size=17, boxed=True)
    diagnosed = days_before(ctx.rng, s["date_of_birth"] + dt.timedelta(days=365 * 12), 0, 3000)
    rows = [
        [ctx.t("Élément", "Item"), ctx.t("Renseignement", "Information")],
        [ctx.w("patient"), full_name(s, order="comma")],
        [ctx.t("Né(e) le", "Born"), any_date(s["date_of_birth"], ctx)],
        [ctx.t("Diagnostic", "Diagnosis"), ctx.t(cond[2], cond[3])[:58]],
        [ctx.t("Atteinte", "Condition"), ctx.t(cond[0], cond[1])],
        [ctx.t("Depuis", "Since"), any_date(diagnosed, ctx)],
        [ctx.t("Autonomie financière", "Self-supporting"), ctx.t("Non", "No")],
    ]
    y = sheet.table((MARGIN, y), [150, RIGHT - MARGIN - 150], rows, size=10, row_h=24)
    note = ctx.t(
        "Délivrée à la demande du patient et de sa famille.", "Issued at the family's request."
    )
    sheet.text((MARGIN, y + 20), note, size=10, italic=True)
    _doctor_block(sheet, ctx, doctor, y + 60)
    return sheet


def _parent(ctx: DocContext) -> dict:
    if ctx.other is not None:
        return ctx.other
    return random_person(
        ctx.rng, sex=ctx.rng.choice("FM"), family=proper(ctx.subject["family_name"])
    )


def render_dependency(ctx: DocContext) -> list[Image.Image]:
    """A proof of financial dependency on a parent, in one of three layouts."""
    variant = DEPENDENCY_VARIANTS[choose(ctx, tuple(DEPENDENCY_VARIANTS))]
    return [variant(ctx, _parent(ctx)).finish()]


def _dependency_attestation(ctx: DocContext, parent: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx), ctx.subject, ctx.rng
    heading = ctx.t("ATTESTATION DE DÉPENDANCE FINANCIÈRE", "PROOF OF FINANCIAL SUPPORT")
    y = title(sheet, heading, 70, size=16, boxed=True)
    monthly = money(rng.randrange(300, 1200, 50), ctx.lang)
    since = any_date(s["date_of_birth"].replace(year=s["date_of_birth"].year + 18), ctx)
    me, child, born = full_name(parent), any_name(s, rng), any_date(s["date_of_birth"], ctx)
    text = ctx.t(
        f"Je, soussigné(e), {me}, déclare subvenir entièrement aux besoins de mon enfant {child}, "
        f"né(e) le {born}, depuis le {since}. Je verse chaque mois environ {monthly} pour son "
        "logement, sa nourriture, ses soins et ses études. Mon enfant n'a aucun revenu propre.",
        f"I, the undersigned, {me}, declare that I have fully supported my child {child}, born "
        f"{born}, since {since}. I pay about {monthly} each month for housing, food, care and "
        "education. My child has no income of their own.",
    )
    y = sheet.para((MARGIN, y + 24), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    sheet.sign((MARGIN, y + 30, MARGIN + 200, y + 74), me)
    sheet.line((MARGIN, y + 76), (MARGIN + 200, y + 76), w=0.4)
    sheet.text((MARGIN, y + 80), me, size=9.5)
    sheet.text((MARGIN, y + 94), any_date(days_before(rng, ctx.today, 5, 150), ctx), size=9.5)
    sheet.stamp((420, y + 70), ring=ctx.t(*OATHS), middle=[digits(rng, 6)], radius=40)
    return sheet


def _transfer_history(ctx: DocContext, parent: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx, family="sans"), ctx.subject, ctx.rng
    sheet.text((MARGIN, 44), "TransferExpress", size=18, bold=True)
    tagline = ctx.t("Transferts d'argent internationaux", "International money transfers")
    sheet.text((MARGIN, 66), tagline, size=9, fill=80)
    heading = ctx.t("HISTORIQUE DES TRANSFERTS D'ARGENT", "MONEY TRANSFER HISTORY")
    y = title(sheet, heading, 100, size=14)
    y = leader(sheet, y, ctx.t("Expéditeur", "Sender"), full_name(parent, order="upper"), tab=120)
    y = leader(sheet, y, ctx.t("Bénéficiaire", "Receiver"), full_name(s, order="upper"), tab=120)
    rows = [[ctx.w("date"), ctx.t("No de transfert", "Transfer no."), ctx.w("amount"), "Statut"]]
    day = days_before(rng, ctx.today, 370, 400)
    for _ in range(12):
        day += dt.timedelta(days=rng.randint(26, 34))
        amount = money(rng.randrange(250, 900, 25), ctx.lang)
        rows.append(
            [day.strftime("%d/%m/%Y"), f"TX{digits(rng, 10)}", amount, ctx.t("Payé", "Paid")]
        )
    y = sheet.table((MARGIN, y + 10), [110, 170, 110, 102], rows, size=9.5, row_h=19, align="llrl")
    note = ctx.t(
        "Ce document ne constitue pas un reçu officiel.", "This is not an official receipt."
    )
    sheet.text((MARGIN, y + 20), note, size=8.5)
    return sheet


def _support_affidavit(ctx: DocContext, parent: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx, family="serif"), ctx.subject, ctx.rng
    y = title(sheet, ctx.t("DÉCLARATION DE PRISE EN CHARGE", "AFFIDAVIT OF SUPPORT"), 80, size=17)
    rows = [
        (ctx.t("Nom du parent", "Parent's name"), full_name(parent, order="comma")),
        (ctx.t("Nom de l'enfant à charge", "Dependent child's name"), full_name(s, order="comma")),
        (
            ctx.t("Date de naissance de l'enfant", "Child's date of birth"),
            any_date(s["date_of_birth"], ctx),
        ),
        (ctx.t("Aide mensuelle", "Monthly support"), money(rng.randrange(300, 1200, 50), ctx.lang)),
    ]
    for label, value in rows:
        y = leader(sheet, y, label, value, tab=220)
    text = ctx.t(
        "Je déclare que mon enfant, qui poursuit des études à temps plein, dépend entièrement de "
        "moi sur le plan financier depuis sa majorité, sans interruption.",
        "I declare that my child, a full-time student, has depended entirely on me financially "
        "since reaching the age of majority, without interruption.",
    )
    y = sheet.para((MARGIN, y + 16), text, width=RIGHT - MARGIN, size=11, leading=1.6)
    sheet.sign((MARGIN, y + 24, MARGIN + 200, y + 66), full_name(parent))
    sheet.text((MARGIN, y + 72), ctx.t("Signature du parent", "Parent's signature"), size=9)
    return sheet


MEDICAL_VARIANTS = {
    "letter": _medical_letter,
    "form": _medical_form,
    "attestation": _medical_attestation,
}
DEPENDENCY_VARIANTS = {
    "attestation": _dependency_attestation,
    "transfers": _transfer_history,
    "affidavit": _support_affidavit,
}
