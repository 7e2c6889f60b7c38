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

CONDITIONS = (
    ("physique", "physical", "une paralysie cérébrale avec atteinte motrice sévère", "cerebral palsy with severe motor impairment"),
    ("physique", "physical", "une insuffisance rénale chronique nécessitant une dialyse", "chronic kidney failure requiring dialysis"),
    ("physique", "physical", "une cécité bilatérale congénitale", "congenital bilateral blindness"),
    ("mentale", "mental", "une déficience intellectuelle modérée", "a moderate intellectual disability"),
    ("mentale", "mental", "un trouble du spectre de l'autisme de niveau 3", "level 3 autism spectrum disorder"),
    ("mentale", "mental", "une schizophrénie chronique", "chronic schizophrenia"),
)  # fmt: skip
CLINICS = (("Clinique médicale des Érables", "Maple Medical Clinic"), ("Centre de santé Saint-Laurent", "Saint-Laurent Health Centre"),
           ("Polyclinique du Plateau", "Plateau Polyclinic"), ("Hôpital régional de la Rive", "Riverside Regional Hospital"))  # fmt: skip


def render_medical(ctx: DocContext) -> list[Image.Image]:
    """A medical certificate (physical or mental condition) in one of three layouts."""
    condition = ctx.rng.choice(CONDITIONS)
    doctor = random_person(ctx.rng, sex=ctx.rng.choice("FM"))
    variant = MEDICAL_VARIANTS[choose(ctx, tuple(MEDICAL_VARIANTS))]
    return [variant(ctx, condition, doctor).finish()]


def _clinic_head(sheet: Sheet, ctx: DocContext) -> None:
    clinic = ctx.t(*ctx.rng.choice(CLINICS))
    sheet.rect((MARGIN, 40, MARGIN + 6, 82), outline=None, fill=60)
    sheet.text((MARGIN + 14, 42), clinic, size=14, bold=True)
    sheet.text(
        (MARGIN + 14, 62),
        f"{ctx.rng.randint(100, 9999)}, boulevard Saint-Joseph · (514) 555-{digits(ctx.rng, 4)}",
        size=8.5,
        fill=70,
    )
    sheet.line((MARGIN, 92), (RIGHT, 92), w=0.8)


def _doctor_block(sheet: Sheet, ctx: DocContext, doctor: dict, y: float) -> None:
    sheet.sign((340, y, 530, y + 44), "Dr " + doctor["family_name"])
    sheet.text((340, y + 50), f"Dr {full_name(doctor)}", size=10, bold=True)
    sheet.text((340, y + 63), ctx.t("Permis no ", "Licence no. ") + digits(ctx.rng, 5), size=9)
    sheet.stamp(
        (250, y + 30),
        ring=ctx.t("Médecin — Doctor", "Physician — Médecin"),
        middle=[digits(ctx.rng, 5)],
        radius=34,
    )


def _medical_letter(ctx: DocContext, cond: tuple, doctor: dict) -> Sheet:
    sheet, s = new_sheet(ctx), ctx.subject
    _clinic_head(sheet, ctx)
    y = title(sheet, ctx.t("CERTIFICAT MÉDICAL", "MEDICAL CERTIFICATE"), 115, size=18)
    seen = days_before(ctx.rng, ctx.today, 5, 150)
    y = leader(sheet, y, ctx.t("Patient(e)", "Patient"), full_name(s, order="comma"), tab=130)
    y = leader(
        sheet,
        y,
        ctx.t("Date de naissance", "Date of birth"),
        any_date(s["date_of_birth"], ctx),
        tab=130,
    )
    text = ctx.t(
        f"Je soussigné(e), Dr {full_name(doctor)}, certifie avoir examiné {any_name(s, ctx.rng)} le {fmt_date(seen, lang='fr', style='long')}. "
        f"Cette personne présente depuis l'enfance {cond[2]}. En raison de cette condition {cond[0]}, elle est incapable "
        "de subvenir seule à ses besoins et dépend de ses parents pour les soins et l'entretien quotidiens.\n"
        "Cet état est permanent et n'est pas susceptible d'amélioration notable.",
        f"I, the undersigned, Dr {full_name(doctor)}, certify that I examined {any_name(s, ctx.rng)} on {fmt_date(seen, lang='en', style='long')}. "
        f"This person has had {cond[3]} since childhood. Because of this {cond[1]} condition, they are unable to "
        "support themselves and depend on their parents for daily care and maintenance.\n"
        "This condition is permanent and is not expected to improve significantly.",
    )
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11, leading=1.6)
    _doctor_block(sheet, ctx, doctor, y + 30)
    return sheet


def _medical_form(ctx: DocContext, cond: tuple, doctor: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx, family="sans"), ctx.subject, ctx.rng
    _clinic_head(sheet, ctx)
    y = title(
        sheet, ctx.t("RAPPORT MÉDICAL — CERTIFICAT", "MEDICAL REPORT — CERTIFICATE"), 112, size=15
    )
    rows = [(ctx.t("Nom du patient", "Patient's name"), full_name(s, order="family_first")),
            (ctx.t("Date de naissance", "Date of birth"), fmt_date(s["date_of_birth"], lang=ctx.lang, style="iso"))]  # fmt: skip
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
    y += 110
    sheet.text(
        (MARGIN, y),
        ctx.t(
            "La personne est-elle incapable de subvenir à ses besoins ?  OUI",
            "Is the person unable to support themselves?  YES",
        ),
        size=10,
    )
    y += 24
    sheet.text(
        (MARGIN, y),
        ctx.t("Date de l'examen : ", "Date of examination: ")
        + any_date(days_before(rng, ctx.today, 5, 150), ctx),
        size=10,
    )
    _doctor_block(sheet, ctx, doctor, y + 30)
    return sheet


def _medical_attestation(ctx: DocContext, cond: tuple, doctor: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx), ctx.subject, ctx.rng
    _clinic_head(sheet, ctx)
    y = title(sheet, ctx.t("ATTESTATION MÉDICALE", "MEDICAL ATTESTATION"), 112, size=17, boxed=True)
    diag = days_before(rng, s["date_of_birth"] + dt.timedelta(days=365 * 12), 0, 3000)
    rows = [[ctx.t("Élément", "Item"), ctx.t("Renseignement", "Information")],
            [ctx.t("Patient", "Patient"), full_name(s, order="comma")], [ctx.t("Né(e) le", "Born"), any_date(s["date_of_birth"], ctx)],
            [ctx.t("Diagnostic", "Diagnosis"), ctx.t(cond[2], cond[3])[:58]], [ctx.t("Atteinte", "Condition"), ctx.t(cond[0], cond[1])],
            [ctx.t("Depuis", "Since"), any_date(diag, ctx)], [ctx.t("Autonomie financière", "Self-supporting"), ctx.t("Non", "No")]]  # fmt: skip
    y = sheet.table((MARGIN, y), [150, RIGHT - MARGIN - 150], rows, size=10, row_h=24)
    sheet.para(
        (MARGIN, y + 20),
        ctx.t(
            "Attestation délivrée à la demande du patient et de sa famille.",
            "Issued at the request of the patient and family.",
        ),
        width=RIGHT - MARGIN,
        size=10,
        italic=True,
    )
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
    y = title(
        sheet,
        ctx.t("ATTESTATION DE DÉPENDANCE FINANCIÈRE", "PROOF OF FINANCIAL SUPPORT"),
        70,
        size=16,
        boxed=True,
    )
    monthly = rng.randrange(300, 1200, 50)
    since = s["date_of_birth"].replace(year=s["date_of_birth"].year + 18)
    text = ctx.t(
        f"Je, soussigné(e), {full_name(parent)}, déclare subvenir entièrement aux besoins de mon enfant {any_name(s, rng)}, "
        f"né(e) le {any_date(s['date_of_birth'], ctx)}, depuis le {any_date(since, ctx)}. Je verse chaque mois environ "
        f"{money(monthly, 'fr')} pour son logement, sa nourriture, ses soins et ses études. Mon enfant n'a aucun revenu propre.",
        f"I, the undersigned, {full_name(parent)}, declare that I have fully supported my child {any_name(s, rng)}, "
        f"born {any_date(s['date_of_birth'], ctx)}, since {any_date(since, ctx)}. I pay about {money(monthly, 'en')} "
        "each month for housing, food, care and education. My child has no income of their own.",
    )
    y = sheet.para((MARGIN, y + 24), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    sheet.sign((MARGIN, y + 30, MARGIN + 200, y + 74), full_name(parent))
    sheet.line((MARGIN, y + 76), (MARGIN + 200, y + 76), w=0.4)
    sheet.text((MARGIN, y + 80), full_name(parent), size=9.5)
    sheet.text((MARGIN, y + 94), any_date(days_before(rng, ctx.today, 5, 150), ctx), size=9.5)
    sheet.stamp(
        (420, y + 70),
        ring=ctx.t("Commissaire à l'assermentation", "Commissioner for oaths"),
        middle=[digits(rng, 6)],
        radius=40,
    )
    return sheet


def _transfer_history(ctx: DocContext, parent: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx, family="sans"), ctx.subject, ctx.rng
    sheet.text((MARGIN, 44), "TransferExpress", size=18, bold=True)
    sheet.text(
        (MARGIN, 66),
        ctx.t("Transferts d'argent internationaux", "International money transfers"),
        size=9,
        fill=80,
    )
    y = title(
        sheet, ctx.t("HISTORIQUE DES TRANSFERTS D'ARGENT", "MONEY TRANSFER HISTORY"), 100, size=14
    )
    y = leader(sheet, y, ctx.t("Expéditeur", "Sender"), full_name(parent, order="upper"), tab=120)
    y = leader(sheet, y, ctx.t("Bénéficiaire", "Receiver"), full_name(s, order="upper"), tab=120)
    rows = [
        [
            ctx.t("Date", "Date"),
            ctx.t("No de transfert", "Transfer no."),
            ctx.t("Montant", "Amount"),
            ctx.t("Statut", "Status"),
        ]
    ]
    day = days_before(rng, ctx.today, 370, 400)
    for _ in range(12):
        day += dt.timedelta(days=rng.randint(26, 34))
        rows.append(
            [
                day.strftime("%d/%m/%Y"),
                f"TX{digits(rng, 10)}",
                money(rng.randrange(250, 900, 25), ctx.lang),
                ctx.t("Payé", "Paid"),
            ]
        )
    y = sheet.table((MARGIN, y + 10), [110, 170, 110, 102], rows, size=9.5, row_h=19, align="llrl")
    sheet.para(
        (MARGIN, y + 20),
        ctx.t(
            "Relevé produit à la demande du client. Ce document ne constitue pas un reçu officiel.",
            "Statement produced at the customer's request. This is not an official receipt.",
        ),
        width=RIGHT - MARGIN,
        size=8.5,
    )
    return sheet


def _support_affidavit(ctx: DocContext, parent: dict) -> Sheet:
    sheet, s, rng = new_sheet(ctx, family="serif"), ctx.subject, ctx.rng
    y = title(sheet, ctx.t("DÉCLARATION DE PRISE EN CHARGE", "AFFIDAVIT OF SUPPORT"), 80, size=17)
    rows = [(ctx.t("Nom du parent", "Parent's name"), full_name(parent, order="comma")),
            (ctx.t("Nom de l'enfant à charge", "Dependent child's name"), full_name(s, order="comma")),
            (ctx.t("Date de naissance de l'enfant", "Child's date of birth"), any_date(s["date_of_birth"], ctx)),
            (ctx.t("Aide mensuelle", "Monthly support"), money(rng.randrange(300, 1200, 50), ctx.lang))]  # fmt: skip
    for label, value in rows:
        y = leader(sheet, y, label, value, tab=220)
    text = ctx.t("Je déclare que mon enfant, qui poursuit des études à temps plein, dépend entièrement de moi sur le plan financier depuis sa majorité, sans interruption.",
                 "I declare that my child, a full-time student, has depended entirely on me financially since reaching the age of majority, without interruption.")  # fmt: skip
    y = sheet.para((MARGIN, y + 16), text, width=RIGHT - MARGIN, size=11, leading=1.6)
    sheet.sign((MARGIN, y + 24, MARGIN + 200, y + 66), full_name(parent))
    sheet.text((MARGIN, y + 72), ctx.t("Signature du parent", "Parent's signature"), size=9)
    return sheet


MEDICAL_VARIANTS = {"letter": _medical_letter, "form": _medical_form, "attestation": _medical_attestation}
DEPENDENCY_VARIANTS = {"attestation": _dependency_attestation, "transfers": _transfer_history, "affidavit": _support_affidavit}
