"""Civil-status documents: birth and marriage certificates, proofs of a de facto union."""

from __future__ import annotations

import datetime as dt

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    address_lines,
    any_date,
    any_name,
    choose,
    birthplace,
    country,
    days_before,
    fmt_date,
    full_name,
    proper,
    random_person,
    state_title,
)
from sample_scans.docs_residence import lease_page  # a joint lease is a lease with two tenants
from sample_scans.docs_common import (
    MARGIN,
    RIGHT,
    leader,
    new_sheet,
    official_footer,
    record_numbers,
    spouse_of,
    state_header,
    title,
    wedding_date,
)

CIVIL_OFFICE = (("Archives nationales — Service de l'état civil", "National Archives — Civil Registry Service"),
                ("Direction de l'état civil", "Civil Status Directorate"),
                ("Mairie — Officier de l'état civil", "Municipal Registry Office"))  # fmt: skip


def _sex_word(sex: str, ctx: DocContext) -> str:
    return {"F": ctx.t("Féminin", "Female"), "M": ctx.t("Masculin", "Male")}.get(sex, "X")


def _birth_facts(ctx: DocContext) -> dict:
    """The facts every birth certificate variant prints, worded for ``ctx.lang``."""
    s, rng = ctx.subject, ctx.rng
    born = s["date_of_birth"]
    father = random_person(rng, sex="M", family=proper(s["family_name"]))
    mother = random_person(rng, sex="F")
    return {
        "born": born, "place": birthplace(s, rng), "father": full_name(father), "mother": full_name(mother),
        "registered": born + dt.timedelta(days=rng.randint(2, 90)),
        "issued": days_before(rng, ctx.today, 20, 2500), "record": record_numbers(rng, born.year),
        "office": rng.choice(CIVIL_OFFICE), "state": state_title(s.get("nationality", ""), ctx.lang),
    }  # fmt: skip


def render_birth(ctx: DocContext) -> list[Image.Image]:
    """A birth certificate in one of four layouts."""
    variant = BIRTH_VARIANTS[choose(ctx, tuple(BIRTH_VARIANTS))]
    return [variant(ctx, _birth_facts(ctx)).finish()]


def _birth_extract(ctx: DocContext, f: dict):
    s, sheet = ctx.subject, new_sheet(ctx)
    y = state_header(sheet, [f["state"].upper(), ctx.t(*f["office"])])
    y = title(sheet, ctx.t("EXTRAIT D'ACTE DE NAISSANCE", "EXTRACT OF BIRTH RECORD"), y + 10)
    sheet.text(
        (MARGIN, y),
        ctx.t("Référence du registre : ", "Register reference: ") + f["record"],
        size=9,
        fill=60,
    )
    y += 30
    rows = [
        (ctx.t("Nom / Name", "Name / Nom"), s["family_name"].upper()),
        (ctx.t("Prénoms / Given names", "Given names / Prénoms"), proper(s["given_names"])),
        (ctx.t("Sexe / Sex", "Sex / Sexe"), _sex_word(s["sex"], ctx)),
        (
            ctx.t("Date de naissance / Date of birth", "Date of birth / Date de naissance"),
            any_date(f["born"], ctx),
        ),
        (
            ctx.t("Lieu de naissance / Place of birth", "Place of birth / Lieu de naissance"),
            f["place"],
        ),
        (ctx.t("Père / Father", "Father / Père"), f["father"]),
        (ctx.t("Mère / Mother", "Mother / Mère"), f["mother"]),
        (ctx.t("Date de la déclaration", "Date of registration"), any_date(f["registered"], ctx)),
    ]
    for label, value in rows:
        y = leader(sheet, y, label, value)
    y += 16
    sheet.para(
        (MARGIN, y),
        ctx.t(
            "Extrait certifié conforme aux registres de l'état civil.",
            "Certified a true extract of the civil status registers.",
        ),
        width=RIGHT - MARGIN,
        size=10,
        italic=True,
    )
    official_footer(
        sheet,
        ctx,
        y=y + 50,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Officier de l'état civil", "Registrar of Civil Status"),
    )
    return sheet


def _birth_boxes(ctx: DocContext, f: dict):
    s, sheet, rng = ctx.subject, new_sheet(ctx), ctx.rng
    sheet.rect((36, 36, 576, 756), w=2.2)
    sheet.rect((42, 42, 570, 750), w=0.6)
    sheet.text((306, 60), f["state"].upper(), size=11, bold=True, anchor="ma")
    y = title(sheet, ctx.t("CERTIFICAT DE NAISSANCE", "BIRTH CERTIFICATE"), 84, size=19)
    sheet.text(
        (RIGHT, 60),
        ctx.t("No ", "No. ") + f"{rng.randint(100000, 999999)}",
        size=10,
        anchor="ra",
        family="mono",
    )
    cells = [
        [
            (ctx.t("Nom de famille", "Surname"), s["family_name"].upper()),
            (ctx.t("Prénom(s)", "Given name(s)"), proper(s["given_names"])),
        ],
        [
            (ctx.t("Date de naissance", "Date of birth"), any_date(f["born"], ctx)),
            (ctx.t("Sexe", "Sex"), _sex_word(s["sex"], ctx)),
        ],
        [
            (ctx.t("Lieu de naissance", "Place of birth"), f["place"]),
            (ctx.t("Pays", "Country"), country(s.get("nationality", ""), ctx.lang)),
        ],
        [
            (ctx.t("Nom du père", "Father's name"), f["father"]),
            (ctx.t("Nom de la mère", "Mother's name"), f["mother"]),
        ],
        [
            (
                ctx.t("Date d'enregistrement", "Date of registration"),
                any_date(f["registered"], ctx),
            ),
            (ctx.t("Numéro d'acte", "Entry number"), f["record"]),
        ],
    ]
    y += 10
    for row in cells:
        x = MARGIN
        for label, value in row:
            sheet.rect((x, y, x + 246, y + 46), w=0.7)
            sheet.text((x + 5, y + 5), label, size=7.5, fill=70)
            sheet.fit_text((x + 8, y + 22), value, width=232, size=12, family="typewriter")
            x += 246
        y += 46
    sheet.text(
        (MARGIN, y + 20),
        ctx.t(
            "Le présent certificat est délivré pour servir et valoir ce que de droit.",
            "This certificate is issued for whatever lawful purpose it may serve.",
        ),
        size=9,
        italic=True,
    )
    official_footer(
        sheet,
        ctx,
        y=y + 60,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Le Directeur de l'état civil", "The Registrar General"),
    )
    return sheet


def _birth_prose(ctx: DocContext, f: dict):
    s, sheet = ctx.subject, new_sheet(ctx, family=ctx.rng.choice(("serif", "dserif", "freeserif")))
    y = state_header(
        sheet, [f["state"].upper(), ctx.t(*f["office"])], with_emblem=ctx.rng.random() < 0.5
    )
    y = title(sheet, ctx.t("ACTE DE NAISSANCE", "CERTIFICATE OF BIRTH"), y + 12, boxed=True)
    sheet.text((MARGIN, y), ctx.t("Acte no ", "Entry no. ") + f["record"], size=10, bold=True)
    sheet.text(
        (RIGHT, y),
        f"{s['family_name'].upper()} {proper(s['given_names'])}",
        size=10,
        bold=True,
        anchor="ra",
    )
    child = ctx.t(
        "une enfant de sexe féminin" if s["sex"] == "F" else "un enfant de sexe masculin",
        "a " + ("girl" if s["sex"] == "F" else "boy"),
    )
    text = ctx.t(
        f"Le {fmt_date(f['registered'], lang='fr', style='long')}, par-devant nous, officier de l'état civil, a comparu "
        f"{f['father']}, lequel nous a déclaré que le {fmt_date(f['born'], lang='fr', style='long')}, est né à {f['place']} "
        f"{child}, prénommé(e) {proper(s['given_names'])}, de son union avec {f['mother']}. Nom de l'enfant : "
        f"{s['family_name'].upper()}. Lecture faite, le comparant a signé avec nous le présent acte.",
        f"On {fmt_date(f['registered'], lang='en', style='long')}, before us, registrar of civil status, appeared "
        f"{f['father']}, who declared that on {fmt_date(f['born'], lang='en', style='long')} was born at {f['place']} "
        f"{child}, named {proper(s['given_names'])} {s['family_name'].upper()}, child of the declarant and of "
        f"{f['mother']}. This record was read to the declarant, who signed it with us.",
    )
    y = sheet.para((MARGIN, y + 30), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    sheet.text(
        (MARGIN, y + 16),
        ctx.t("Pour extrait conforme.", "Certified true extract."),
        size=10,
        italic=True,
    )
    official_footer(
        sheet,
        ctx,
        y=y + 50,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Officier de l'état civil", "Registrar"),
    )
    return sheet


def _birth_long_form(ctx: DocContext, f: dict):
    s, sheet, rng = ctx.subject, new_sheet(ctx), ctx.rng
    sheet.text((MARGIN, 50), f["state"].upper(), size=10, bold=True)
    sheet.text((MARGIN, 64), ctx.t(*f["office"]), size=9)
    sheet.text((RIGHT, 50), ctx.t("Copie intégrale", "Long form"), size=9, anchor="ra", italic=True)
    y = title(sheet, ctx.t("COPIE D'ACTE DE NAISSANCE", "BIRTH REGISTRATION RECORD"), 100, size=16)
    rows = [[ctx.t("Rubrique", "Item"), ctx.t("Mention", "Entry")],
            [ctx.t("Nom", "Family name"), s["family_name"].upper()], [ctx.t("Prénoms", "Given names"), s["given_names"].upper()],
            [ctx.t("Né(e) le", "Born on"), any_date(f["born"], ctx)], [ctx.t("à", "at"), f["place"]],
            [ctx.t("Sexe", "Sex"), _sex_word(s["sex"], ctx)], [ctx.t("Fils/fille de", "Child of"), f["father"]],
            [ctx.t("et de", "and of"), f["mother"]], [ctx.t("Acte dressé le", "Registered on"), any_date(f["registered"], ctx)]]  # fmt: skip
    y = sheet.table((MARGIN, y), [150, RIGHT - MARGIN - 150], rows, size=10.5, row_h=24)
    sheet.text(
        (MARGIN, y + 14),
        ctx.t("Mentions marginales : néant", "Marginal notes: none"),
        size=9,
        italic=True,
    )
    sheet.box_stamp(
        (450, y + 40),
        [ctx.t("COPIE CONFORME", "CERTIFIED COPY"), f["issued"].strftime("%d-%m-%Y")],
        size=10,
    )
    official_footer(
        sheet,
        ctx,
        y=y + 90,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("L'officier de l'état civil", "The Registrar"),
    )
    del rng
    return sheet


def render_marriage(ctx: DocContext) -> list[Image.Image]:
    """A marriage certificate in one of three layouts."""
    a, b = ctx.subject, spouse_of(ctx)
    facts = {"date": wedding_date(a, b, ctx), "place": birthplace(a, ctx.rng), "record": record_numbers(ctx.rng, ctx.today.year),
             "issued": days_before(ctx.rng, ctx.today, 20, 900), "state": state_title(a.get("nationality", ""), ctx.lang)}  # fmt: skip
    variant = MARRIAGE_VARIANTS[choose(ctx, tuple(MARRIAGE_VARIANTS))]
    return [variant(ctx, a, b, facts).finish()]


def _marriage_extract(ctx: DocContext, a: dict, b: dict, f: dict):
    sheet = new_sheet(ctx)
    y = state_header(sheet, [f["state"].upper(), ctx.t(*ctx.rng.choice(CIVIL_OFFICE))])
    y = title(sheet, ctx.t("EXTRAIT D'ACTE DE MARIAGE", "MARRIAGE CERTIFICATE"), y + 10)
    for n, p in ((1, a), (2, b)):
        sheet.text((MARGIN, y), ctx.t(f"Époux/Épouse {n}", f"Spouse {n}"), size=11, bold=True)
        y = leader(
            sheet,
            y + 20,
            ctx.t("Nom et prénoms / Name", "Name / Nom et prénoms"),
            full_name(p, order="family_first"),
        )
        y = leader(
            sheet,
            y,
            ctx.t("Date de naissance / Date of birth", "Date of birth / Date de naissance"),
            any_date(p["date_of_birth"], ctx),
        )
        y += 8
    y = leader(
        sheet,
        y,
        ctx.t("Date du mariage / Date of marriage", "Date of marriage / Date du mariage"),
        any_date(f["date"], ctx),
    )
    y = leader(
        sheet,
        y,
        ctx.t("Lieu du mariage / Place of marriage", "Place of marriage / Lieu du mariage"),
        f["place"],
    )
    witnesses = ", ".join(full_name(random_person(ctx.rng, sex=x)) for x in "FM")
    y = leader(sheet, y, ctx.t("Témoins / Witnesses", "Witnesses / Témoins"), witnesses)
    official_footer(
        sheet,
        ctx,
        y=y + 30,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Officier de l'état civil", "Registrar of Marriages"),
    )
    return sheet


def _marriage_prose(ctx: DocContext, a: dict, b: dict, f: dict):
    sheet = new_sheet(ctx, family=ctx.rng.choice(("serif", "dserif", "freeserif")))
    y = state_header(sheet, [f["state"].upper()], with_emblem=True)
    y = title(sheet, ctx.t("ACTE DE MARIAGE", "CERTIFICATE OF MARRIAGE"), y + 14, size=20)
    sheet.text((MARGIN, y), ctx.t("Acte no ", "Entry no. ") + f["record"], size=10, bold=True)
    text = ctx.t(
        f"Le {fmt_date(f['date'], lang='fr', style='long')}, à {f['place']}, devant nous, officier de l'état civil, ont "
        f"comparu publiquement {any_name(a, ctx.rng)}, né(e) le {any_date(a['date_of_birth'], ctx)}, et "
        f"{any_name(b, ctx.rng)}, né(e) le {any_date(b['date_of_birth'], ctx)}, lesquels ont déclaré l'un après l'autre "
        "vouloir se prendre pour époux. Nous avons prononcé au nom de la loi qu'ils sont unis par le mariage.",
        f"On {fmt_date(f['date'], lang='en', style='long')}, at {f['place']}, before us, registrar, appeared "
        f"{any_name(a, ctx.rng)}, born {any_date(a['date_of_birth'], ctx)}, and {any_name(b, ctx.rng)}, born "
        f"{any_date(b['date_of_birth'], ctx)}, who each declared their wish to marry the other. We pronounced "
        "them united in marriage in the name of the law.",
    )
    y = sheet.para((MARGIN, y + 30), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    y += 20
    for i, p in enumerate((a, b)):
        sheet.sign((MARGIN + i * 240, y, MARGIN + i * 240 + 180, y + 40), full_name(p))
        sheet.line((MARGIN + i * 240, y + 42), (MARGIN + i * 240 + 180, y + 42), w=0.4)
    official_footer(
        sheet,
        ctx,
        y=y + 70,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Officier de l'état civil", "Registrar"),
    )
    return sheet


def _marriage_columns(ctx: DocContext, a: dict, b: dict, f: dict):
    sheet = new_sheet(ctx)
    sheet.rect((40, 40, 572, 752), w=1.5)
    sheet.text((306, 56), f["state"].upper(), size=10.5, bold=True, anchor="ma")
    y = title(sheet, ctx.t("CERTIFICAT DE MARIAGE", "MARRIAGE CERTIFICATE"), 78, size=18)
    head = ["", ctx.t("Époux / Épouse", "Spouse"), ctx.t("Époux / Épouse", "Spouse")]
    rows = [head,
            [ctx.t("Nom", "Surname"), a["family_name"].upper(), b["family_name"].upper()],
            [ctx.t("Prénoms", "Given names"), proper(a["given_names"]), proper(b["given_names"])],
            [ctx.t("Né(e) le", "Date of birth"), any_date(a["date_of_birth"], ctx), any_date(b["date_of_birth"], ctx)],
            [ctx.t("Nationalité", "Nationality"), country(a.get("nationality", ""), ctx.lang), country(b.get("nationality", ""), ctx.lang)]]  # fmt: skip
    y = sheet.table((MARGIN, y + 6), [120, 186, 186], rows, size=10, row_h=26)
    y = leader(
        sheet,
        y + 24,
        ctx.t("Date du mariage", "Date of marriage"),
        any_date(f["date"], ctx),
        tab=150,
    )
    y = leader(sheet, y, ctx.t("Lieu", "Place"), f["place"], tab=150)
    official_footer(
        sheet,
        ctx,
        y=y + 30,
        place=f["place"],
        date=f["issued"],
        role=ctx.t("Officier de l'état civil", "Marriage Registrar"),
    )
    return sheet


def render_union(ctx: DocContext) -> list[Image.Image]:
    """A proof of de facto union: a solemn declaration, a joint lease or a cohabitation affidavit."""
    a, b = ctx.subject, spouse_of(ctx)
    since = wedding_date(a, b, ctx)
    variant = UNION_VARIANTS[choose(ctx, tuple(UNION_VARIANTS))]
    return [variant(ctx, a, b, since).finish()]


def _union_declaration(ctx: DocContext, a: dict, b: dict, since: dt.date):
    sheet, rng = new_sheet(ctx), ctx.rng
    y = title(
        sheet,
        ctx.t(
            "DÉCLARATION SOLENNELLE D'UNION DE FAIT", "STATUTORY DECLARATION OF COMMON-LAW UNION"
        ),
        70,
        size=14.5,
        boxed=True,
    )
    addr = ", ".join(address_lines(ctx.address)) if ctx.address else ""
    text = ctx.t(
        f"Nous, soussignés, {any_name(a, rng)}, né(e) le {any_date(a['date_of_birth'], ctx)}, et {any_name(b, rng)}, "
        f"né(e) le {any_date(b['date_of_birth'], ctx)}, déclarons solennellement que nous vivons maritalement, en union "
        f"de fait, de façon continue depuis le {any_date(since, ctx)}" + (f", et que nous résidons ensemble au {addr}." if addr else ".") +
        "\nNous faisons cette déclaration solennelle, la croyant consciencieusement vraie et sachant qu'elle a la même "
        "force et le même effet que si elle était faite sous serment.",
        f"We, the undersigned, {any_name(a, rng)}, born {any_date(a['date_of_birth'], ctx)}, and {any_name(b, rng)}, "
        f"born {any_date(b['date_of_birth'], ctx)}, solemnly declare that we have lived together in a conjugal "
        f"relationship, continuously, since {any_date(since, ctx)}" + (f", and that we reside together at {addr}." if addr else ".") +
        "\nWe make this solemn declaration conscientiously believing it to be true and knowing that it is of the same "
        "force and effect as if made under oath.",
    )  # fmt: skip
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11, leading=1.55)
    for i, p in enumerate((a, b)):
        sheet.sign((MARGIN + i * 250, y + 20, MARGIN + i * 250 + 190, y + 62), full_name(p))
        sheet.line((MARGIN + i * 250, y + 64), (MARGIN + i * 250 + 190, y + 64), w=0.4)
        sheet.text((MARGIN + i * 250, y + 68), full_name(p), size=9)
    y += 110
    sworn = days_before(rng, ctx.today, 5, 200)
    sheet.text(
        (MARGIN, y),
        ctx.t(
            f"Déclaré solennellement devant moi à Montréal, le {fmt_date(sworn, lang='fr', style='long')}",
            f"Solemnly declared before me at Montréal on {fmt_date(sworn, lang='en', style='long')}",
        ),
        size=10,
    )
    commissioner = random_person(rng, sex=rng.choice("FM"))
    sheet.sign((MARGIN, y + 14, MARGIN + 180, y + 54), full_name(commissioner))
    sheet.text(
        (MARGIN, y + 60),
        f"{full_name(commissioner)} — "
        + ctx.t("commissaire à l'assermentation no ", "Commissioner for oaths no. ")
        + f"{rng.randint(100000, 239999)}",
        size=9,
    )
    sheet.stamp(
        (430, y + 40),
        ring=ctx.t("Commissaire à l'assermentation", "Commissioner for oaths"),
        middle=[f"{rng.randint(100000, 239999)}"],
        radius=40,
    )
    return sheet


def _union_lease(ctx: DocContext, a: dict, b: dict, since: dt.date):
    start = max(since, days_before(ctx.rng, ctx.today, 60, 700)).replace(day=1)  # the current lease
    return lease_page(ctx, tenants=[a, b], start=start, joint=True)


def _union_affidavit(ctx: DocContext, a: dict, b: dict, since: dt.date):
    sheet, rng = new_sheet(ctx), ctx.rng
    witness = random_person(rng, sex=rng.choice("FM"))
    y = title(sheet, ctx.t("ATTESTATION DE VIE COMMUNE", "AFFIDAVIT OF COHABITATION"), 80, size=17)
    text = ctx.t(
        f"Je, soussigné(e), {full_name(witness)}, atteste connaître personnellement {any_name(a, rng)} et "
        f"{any_name(b, rng)} depuis plusieurs années. Je confirme qu'ils font vie commune et se présentent comme conjoints "
        f"depuis le {any_date(since, ctx)}. Je fais cette attestation en toute connaissance de cause.",
        f"I, the undersigned, {full_name(witness)}, certify that I have personally known {any_name(a, rng)} and "
        f"{any_name(b, rng)} for several years. I confirm that they have lived together as spouses since "
        f"{any_date(since, ctx)}. I make this affidavit knowing it to be true.",
    )
    y = sheet.para((MARGIN, y + 20), text, width=RIGHT - MARGIN, size=11.5, leading=1.6)
    sheet.sign((MARGIN, y + 30, MARGIN + 200, y + 75), full_name(witness))
    sheet.text((MARGIN, y + 82), full_name(witness), size=10)
    sheet.text((MARGIN, y + 96), any_date(days_before(rng, ctx.today, 5, 120), ctx), size=10)
    return sheet


BIRTH_VARIANTS = {"extract": _birth_extract, "boxes": _birth_boxes, "prose": _birth_prose, "long_form": _birth_long_form}
MARRIAGE_VARIANTS = {"extract": _marriage_extract, "prose": _marriage_prose, "columns": _marriage_columns}
UNION_VARIANTS = {"declaration": _union_declaration, "joint_lease": _union_lease, "affidavit": _union_affidavit}
