"""Civil-status documents: birth and marriage certificates, each in several layouts."""

from __future__ import annotations

import datetime as dt

from PIL import Image

from sample_scans.doc_text import (
    DocContext,
    any_date,
    any_name,
    birthplace,
    choose,
    country,
    days_before,
    fmt_date,
    full_name,
    proper,
    random_person,
    state_title,
)
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
from sample_scans.sheet import Sheet

CIVIL_OFFICES = (
    ("Archives nationales — Service de l'état civil", "National Archives — Civil Registry"),
    ("Direction de l'état civil", "Civil Status Directorate"),
    ("Mairie — Officier de l'état civil", "Municipal Registry Office"),
)
SERIF = ("serif", "dserif", "freeserif")


def _sex_word(sex: str, ctx: DocContext) -> str:
    return {"F": ctx.t("Féminin", "Female"), "M": ctx.t("Masculin", "Male")}.get(sex, "X")


def _birth_facts(ctx: DocContext) -> dict:
    """What every birth certificate layout prints (parents and registrar are invented)."""
    s, rng = ctx.subject, ctx.rng
    born = s["date_of_birth"]
    return {
        "born": born,
        "place": birthplace(s, rng),
        "father": full_name(random_person(rng, sex="M", family=proper(s["family_name"]))),
        "mother": full_name(random_person(rng, sex="F")),
        "registered": born + dt.timedelta(days=rng.randint(2, 90)),
        "issued": days_before(rng, ctx.today, 20, 2500),
        "record": record_numbers(rng, born.year),
        "office": ctx.t(*rng.choice(CIVIL_OFFICES)),
        "state": state_title(s.get("nationality", ""), ctx.lang).upper(),
    }


def render_birth(ctx: DocContext) -> list[Image.Image]:
    """A birth certificate in one of four layouts."""
    variant = BIRTH_VARIANTS[choose(ctx, tuple(BIRTH_VARIANTS))]
    return [variant(ctx, _birth_facts(ctx)).finish()]


def _footer(sheet: Sheet, ctx: DocContext, f: dict, *, y: float, role: str | None = None) -> None:
    role = role or ctx.w("registrar")
    official_footer(sheet, ctx, y=y, place=f["place"], date=f["issued"], role=role)


def _birth_extract(ctx: DocContext, f: dict) -> Sheet:
    s, sheet = ctx.subject, new_sheet(ctx)
    y = state_header(sheet, [f["state"], f["office"]])
    y = title(sheet, ctx.t("EXTRAIT D'ACTE DE NAISSANCE", "EXTRACT OF BIRTH RECORD"), y + 10)
    ref = ctx.t("Référence du registre : ", "Register reference: ") + f["record"]
    sheet.text((MARGIN, y), ref, size=9, fill=60)
    y += 30
    rows = [
        ("name", s["family_name"].upper()),
        ("given", proper(s["given_names"])),
        ("sex", _sex_word(s["sex"], ctx)),
        ("birth", any_date(f["born"], ctx)),
        ("place", f["place"]),
        ("father", f["father"]),
        ("mother", f["mother"]),
        ("registered", any_date(f["registered"], ctx)),
    ]
    for key, value in rows:
        y = leader(sheet, y, ctx.bi(key), value)
    note = ctx.t(
        "Extrait certifié conforme aux registres de l'état civil.",
        "Certified a true extract of the civil status registers.",
    )
    sheet.text((MARGIN, y + 16), note, size=10, italic=True)
    _footer(sheet, ctx, f, y=y + 66)
    return sheet


def _birth_boxes(ctx: DocContext, f: dict) -> Sheet:
    s, sheet = ctx.subject, new_sheet(ctx)
    sheet.rect((36, 36, 576, 756), w=2.2)
    sheet.rect((42, 42, 570, 750), w=0.6)
    sheet.text((306, 60), f["state"], size=11, bold=True, anchor="ma")
    number = ctx.t("No ", "No. ") + str(ctx.rng.randint(100000, 999999))
    sheet.text((RIGHT, 60), number, size=10, anchor="ra", family="mono")
    y = title(sheet, ctx.t("CERTIFICAT DE NAISSANCE", "BIRTH CERTIFICATE"), 84, size=19)
    cells = [
        ("surname", s["family_name"].upper(), "given", proper(s["given_names"])),
        ("birth", any_date(f["born"], ctx), "sex", _sex_word(s["sex"], ctx)),
        ("place", f["place"], "country", country(s.get("nationality", ""), ctx.lang)),
        ("father", f["father"], "mother", f["mother"]),
        ("registered", any_date(f["registered"], ctx), "entry", f["record"]),
    ]
    for key1, value1, key2, value2 in cells:
        for x, key, value in ((MARGIN, key1, value1), (MARGIN + 246, key2, value2)):
            sheet.rect((x, y + 10, x + 246, y + 56), w=0.7)
            sheet.text((x + 5, y + 15), ctx.w(key).strip(), size=7.5, fill=70)
            sheet.fit_text((x + 8, y + 32), value, width=232, size=12, family="typewriter")
        y += 46
    note = ctx.t(
        "Le présent certificat est délivré pour servir et valoir ce que de droit.",
        "This certificate is issued for whatever lawful purpose it may serve.",
    )
    sheet.text((MARGIN, y + 30), note, size=9, italic=True)
    _footer(
        sheet, ctx, f, y=y + 70, role=ctx.t("Le Directeur de l'état civil", "Registrar General")
    )
    return sheet


def _birth_prose(ctx: DocContext, f: dict) -> Sheet:
    s, sheet = ctx.subject, new_sheet(ctx, family=ctx.rng.choice(SERIF))
    y = state_header(sheet, [f["state"], f["office"]], with_emblem=ctx.rng.random() < 0.5)
    y = title(sheet, ctx.t("ACTE DE NAISSANCE", "CERTIFICATE OF BIRTH"), y + 12, boxed=True)
    sheet.text((MARGIN, y), ctx.w("entry") + f["record"], size=10, bold=True)
    margin_name = f"{s['family_name'].upper()} {proper(s['given_names'])}"
    sheet.text((RIGHT, y), margin_name, size=10, bold=True, anchor="ra")
    y = sheet.para(
        (MARGIN, y + 30), _birth_story(ctx, f), width=RIGHT - MARGIN, size=11.5, leading=1.6
    )
    sheet.text(
        (MARGIN, y + 16), ctx.t("Pour extrait conforme.", "Certified true extract."), size=10
    )
    _footer(sheet, ctx, f, y=y + 50)
    return sheet


def _birth_story(ctx: DocContext, f: dict) -> str:
    """The registrar's sentence recording the birth."""
    s, girl = ctx.subject, ctx.subject["sex"] == "F"
    given, family = proper(s["given_names"]), s["family_name"].upper()
    when = fmt_date(f["registered"], lang=ctx.lang, style="long")
    born = fmt_date(f["born"], lang=ctx.lang, style="long")
    if ctx.fr:
        child = "une enfant de sexe féminin" if girl else "un enfant de sexe masculin"
        return (
            f"Le {when}, par-devant nous, officier de l'état civil, a comparu {f['father']}, "
            f"lequel nous a déclaré que le {born} est né à {f['place']} {child}, prénommé(e) "
            f"{given}, de son union avec {f['mother']}. Nom de l'enfant : {family}. Lecture "
            "faite, le comparant a signé avec nous le présent acte."
        )
    return (
        f"On {when}, before us, registrar of civil status, appeared {f['father']}, who declared "
        f"that on {born} was born at {f['place']} a {'girl' if girl else 'boy'}, named {given} "
        f"{family}, child of the declarant and of {f['mother']}. This record was read to the "
        "declarant, who signed it with us."
    )


def _birth_long_form(ctx: DocContext, f: dict) -> Sheet:
    s, sheet = ctx.subject, new_sheet(ctx)
    sheet.text((MARGIN, 50), f["state"], size=10, bold=True)
    sheet.text((MARGIN, 64), f["office"], size=9)
    sheet.text((RIGHT, 50), ctx.t("Copie intégrale", "Long form"), size=9, anchor="ra", italic=True)
    y = title(sheet, ctx.t("COPIE D'ACTE DE NAISSANCE", "BIRTH REGISTRATION RECORD"), 100, size=16)
    rows = [
        [ctx.t("Rubrique", "Item"), ctx.t("Mention", "Entry")],
        [ctx.w("name"), s["family_name"].upper()],
        [ctx.w("given"), s["given_names"].upper()],
        [ctx.t("Né(e) le", "Born on"), any_date(f["born"], ctx)],
        [ctx.t("à", "at"), f["place"]],
        [ctx.w("sex"), _sex_word(s["sex"], ctx)],
        [ctx.t("Fils/fille de", "Child of"), f["father"]],
        [ctx.t("et de", "and of"), f["mother"]],
        [ctx.t("Acte dressé le", "Registered on"), any_date(f["registered"], ctx)],
    ]
    y = sheet.table((MARGIN, y), [150, RIGHT - MARGIN - 150], rows, size=10.5, row_h=24)
    sheet.text(
        (MARGIN, y + 14), ctx.t("Mentions marginales : néant", "Marginal notes: none"), size=9
    )
    stamp = [ctx.t("COPIE CONFORME", "CERTIFIED COPY"), f["issued"].strftime("%d-%m-%Y")]
    sheet.box_stamp((450, y + 40), stamp, size=10)
    _footer(sheet, ctx, f, y=y + 90)
    return sheet


def render_marriage(ctx: DocContext) -> list[Image.Image]:
    """A marriage certificate in one of three layouts."""
    a, b, rng = ctx.subject, spouse_of(ctx), ctx.rng
    facts = {
        "date": wedding_date(a, b, ctx),
        "place": birthplace(a, rng),
        "record": record_numbers(rng, ctx.today.year),
        "issued": days_before(rng, ctx.today, 20, 900),
        "state": state_title(a.get("nationality", ""), ctx.lang).upper(),
        "office": ctx.t(*rng.choice(CIVIL_OFFICES)),
    }
    variant = MARRIAGE_VARIANTS[choose(ctx, tuple(MARRIAGE_VARIANTS))]
    return [variant(ctx, a, b, facts).finish()]


def _marriage_extract(ctx: DocContext, a: dict, b: dict, f: dict) -> Sheet:
    sheet = new_sheet(ctx)
    y = state_header(sheet, [f["state"], f["office"]])
    y = title(sheet, ctx.t("EXTRAIT D'ACTE DE MARIAGE", "MARRIAGE CERTIFICATE"), y + 10)
    for n, p in ((1, a), (2, b)):
        sheet.text((MARGIN, y), ctx.t(f"Époux/Épouse {n}", f"Spouse {n}"), size=11, bold=True)
        y = leader(sheet, y + 20, ctx.bi("name"), full_name(p, order="family_first"))
        y = leader(sheet, y, ctx.bi("birth"), any_date(p["date_of_birth"], ctx)) + 8
    y = leader(sheet, y, ctx.bi("married_on"), any_date(f["date"], ctx))
    y = leader(sheet, y, ctx.bi("married_at"), f["place"])
    witnesses = ", ".join(full_name(random_person(ctx.rng, sex=x)) for x in "FM")
    y = leader(sheet, y, ctx.bi("witnesses"), witnesses)
    _footer(sheet, ctx, f, y=y + 30)
    return sheet


def _marriage_prose(ctx: DocContext, a: dict, b: dict, f: dict) -> Sheet:
    sheet, rng = new_sheet(ctx, family=ctx.rng.choice(SERIF)), ctx.rng
    y = state_header(sheet, [f["state"]])
    y = title(sheet, ctx.t("ACTE DE MARIAGE", "CERTIFICATE OF MARRIAGE"), y + 14, size=20)
    sheet.text((MARGIN, y), ctx.w("entry") + f["record"], size=10, bold=True)
    when = fmt_date(f["date"], lang=ctx.lang, style="long")
    one = f"{any_name(a, rng)}, {ctx.t('né(e) le', 'born')} {any_date(a['date_of_birth'], ctx)}"
    two = f"{any_name(b, rng)}, {ctx.t('né(e) le', 'born')} {any_date(b['date_of_birth'], ctx)}"
    text = ctx.t(
        f"Le {when}, à {f['place']}, devant nous, officier de l'état civil, ont comparu "
        f"publiquement {one}, et {two}, lesquels ont déclaré l'un après l'autre vouloir se "
        "prendre pour époux. Nous avons prononcé au nom de la loi qu'ils sont unis par le mariage.",
        f"On {when}, at {f['place']}, before us, registrar, appeared {one}, and {two}, who each "
        "declared their wish to marry the other. We pronounced them united in marriage in the "
        "name of the law.",
    )
    y = sheet.para((MARGIN, y + 30), text, width=RIGHT - MARGIN, size=11.5, leading=1.6) + 20
    for i, p in enumerate((a, b)):
        x = MARGIN + i * 240
        sheet.sign((x, y, x + 180, y + 40), full_name(p))
        sheet.line((x, y + 42), (x + 180, y + 42), w=0.4)
    _footer(sheet, ctx, f, y=y + 70)
    return sheet


def _marriage_columns(ctx: DocContext, a: dict, b: dict, f: dict) -> Sheet:
    sheet = new_sheet(ctx)
    sheet.rect((40, 40, 572, 752), w=1.5)
    sheet.text((306, 56), f["state"], size=10.5, bold=True, anchor="ma")
    y = title(sheet, ctx.t("CERTIFICAT DE MARIAGE", "MARRIAGE CERTIFICATE"), 78, size=18)
    spouse = ctx.t("Époux / Épouse", "Spouse")
    nat = [country(p.get("nationality", ""), ctx.lang) for p in (a, b)]
    rows = [
        ["", spouse, spouse],
        [ctx.w("surname"), a["family_name"].upper(), b["family_name"].upper()],
        [ctx.w("given"), proper(a["given_names"]), proper(b["given_names"])],
        [ctx.w("birth"), any_date(a["date_of_birth"], ctx), any_date(b["date_of_birth"], ctx)],
        [ctx.w("nationality"), *nat],
    ]
    y = sheet.table((MARGIN, y + 6), [120, 186, 186], rows, size=10, row_h=26)
    y = leader(sheet, y + 24, ctx.w("married_on"), any_date(f["date"], ctx), tab=150)
    y = leader(sheet, y, ctx.w("married_at"), f["place"], tab=150)
    _footer(sheet, ctx, f, y=y + 30)
    return sheet


BIRTH_VARIANTS = {
    "extract": _birth_extract,
    "boxes": _birth_boxes,
    "prose": _birth_prose,
    "long_form": _birth_long_form,
}
MARRIAGE_VARIANTS = {
    "extract": _marriage_extract,
    "prose": _marriage_prose,
    "columns": _marriage_columns,
}
