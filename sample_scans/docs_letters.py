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
from sample_scans.sheet import Sheet

MINISTRY = ("Ministère de l'Immigration, de la Francisation et de l'Intégration",
            "Direction des programmes humanitaires", "Montréal (Québec)")  # fmt: skip

#: kind -> (sender organisation fr/en, heading fr/en, paragraphs fr, paragraphs en).
LETTERS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "distress": (
        ("Centre d'aide aux familles immigrantes", "Immigrant Family Support Centre"),
        ("LETTRE D'APPUI", "LETTER OF SUPPORT"),
        ("Je vous écris pour appuyer la demande de {name}, que notre organisme accompagne depuis {since}.",
         "{first} a quitté son pays dans des circonstances très difficiles et vit aujourd'hui une situation de grande détresse, loin de plusieurs membres de sa famille.",
         "Un retour dans son pays d'origine l'exposerait à des risques graves, documentés par nos intervenants au cours de nombreuses rencontres.",
         "Malgré ces épreuves, {first} fait preuve d'un courage remarquable et participe activement aux activités de soutien que nous offrons.",
         "Nous croyons sincèrement que sa sélection permanente au Québec est la seule issue humaine à sa situation."),
        ("I am writing in support of the application of {name}, whom our organization has accompanied since {since}.",
         "{first} left their country in very difficult circumstances and now lives in great distress, far from several family members.",
         "A return to the country of origin would expose {first} to serious risks, documented by our caseworkers over many meetings.",
         "Despite these hardships, {first} has shown remarkable courage and takes an active part in the support activities we offer.",
         "We sincerely believe that permanent selection in Québec is the only humane outcome for this situation."),
    ),
    "integration": (
        ("Paroisse communautaire Saint-Michel", "Saint-Michel Community Parish"),
        ("TÉMOIGNAGE D'INTÉGRATION", "LETTER ON INTEGRATION"),
        ("Par la présente, je témoigne de l'excellente intégration de {name} dans notre communauté depuis {since}.",
         "{first} s'implique chaque semaine comme bénévole à la banque alimentaire et auprès des personnes âgées du quartier.",
         "Ses voisins et les membres de notre comité le/la connaissent comme une personne fiable, généreuse et respectueuse.",
         "Ses enfants fréquentent l'école du quartier et participent aux activités sportives de la municipalité.",
         "Je recommande sans réserve que sa demande soit acceptée."),
        ("I hereby attest to the excellent integration of {name} in our community since {since}.",
         "{first} volunteers every week at the food bank and with the elderly people of the neighbourhood.",
         "Neighbours and the members of our committee know {first} as a reliable, generous and respectful person.",
         "The children attend the local school and take part in the town's sports activities.",
         "I recommend without reservation that the application be accepted."),
    ),
    "french": (
        ("Centre de francisation Les Mots du Fleuve", "Les Mots du Fleuve French Language Centre"),
        ("ATTESTATION DE COURS DE FRANÇAIS", "FRENCH COURSE ATTENDANCE LETTER"),
        ("Nous attestons que {name} est inscrit(e) à nos cours de français à temps partiel depuis {since}.",
         "{first} a complété les niveaux 3 et 4 du programme et suit actuellement le niveau 5, avec un taux de présence supérieur à 90 %.",
         "Ses progrès à l'oral comme à l'écrit sont constants; {first} peut désormais communiquer aisément dans les situations de la vie courante.",
         "Cette attestation est délivrée à la demande de l'étudiant(e) pour servir à sa demande d'immigration."),
        ("We certify that {name} has been enrolled in our part-time French courses since {since}.",
         "{first} has completed levels 3 and 4 of the program and is now in level 5, with attendance above 90%.",
         "Progress in speaking and writing has been steady; {first} can now communicate easily in everyday situations.",
         "This letter is issued at the student's request for use in an immigration application."),
    ),
    "employment": (
        ("Entrepôts Laurentiens inc.", "Laurentian Warehousing Inc."),
        ("ATTESTATION D'EMPLOI", "EMPLOYMENT LETTER"),
        ("Nous confirmons que {name} occupe un poste permanent à temps plein de préposé(e) à l'entrepôt au sein de notre entreprise depuis {since}.",
         "Son salaire horaire est de 21,50 $ pour une semaine de 40 heures.",
         "{first} est une personne ponctuelle et appréciée de ses collègues; son rendement dépasse nos attentes.",
         "Nous souhaitons poursuivre notre relation d'emploi à long terme.",
         "Pour toute information supplémentaire, n'hésitez pas à communiquer avec le soussigné."),
        ("We confirm that {name} has held a permanent full-time position as a warehouse clerk with our company since {since}.",
         "The hourly wage is $21.50 for a 40-hour week.",
         "{first} is punctual and well liked by colleagues; performance exceeds our expectations.",
         "We wish to continue this employment relationship in the long term.",
         "For any further information, please do not hesitate to contact the undersigned."),
    ),
}  # fmt: skip


#: Longer paragraphs any writer may add, used to make a letter run onto a second page.
EXTRA_FR = (
    "Je connais {first} depuis {since}. Dès notre première rencontre, j'ai été frappé(e) par sa détermination à reconstruire sa vie et celle de sa famille. Chaque semaine, {first} prend le temps de prendre des nouvelles des autres participants, d'aider les nouveaux arrivants à remplir leurs formulaires et de les accompagner dans leurs démarches auprès des services publics.",
    "Sa situation familiale demeure fragile. Plusieurs membres de sa famille vivent encore dans des conditions précaires, et {first} consacre une part importante de ses revenus à les soutenir. Cette solidarité, qu'on retrouve chez beaucoup de familles que nous accompagnons, témoigne de valeurs profondes de responsabilité et d'entraide.",
    "Au cours des derniers mois, {first} a suivi avec assiduité des ateliers sur la recherche d'emploi, le logement et le fonctionnement des institutions québécoises. Nos animateurs soulignent sa participation active, la pertinence de ses questions et le sérieux avec lequel {first} met en pratique les conseils reçus.",
    "Il me semble important de préciser que {first} n'a jamais eu recours à l'aide de dernier recours de façon prolongée. Dès son arrivée, {first} a cherché à travailler et à apprendre le français, convaincu(e) que l'autonomie est la meilleure façon de remercier la société qui l'accueille.",
    "Dans notre quartier, {first} est connu(e) pour sa gentillesse et sa disponibilité. Les commerçants, les voisins et les responsables de l'école de ses enfants en parlent avec respect. Son départ serait une perte réelle pour notre communauté, qui compte sur son engagement bénévole.",
    "Je reste à votre disposition pour vous fournir tout renseignement complémentaire concernant le parcours de {first}. Notre organisme tient des dossiers détaillés de chaque accompagnement et peut, avec son consentement, vous transmettre les documents pertinents.",
)  # fmt: skip
EXTRA_EN = (
    "I have known {first} since {since}. From our first meeting, I was struck by the determination to rebuild a life for the whole family. Every week, {first} takes the time to check on other participants, helps newcomers fill in their forms and goes with them to public offices.",
    "The family situation remains fragile. Several relatives still live in precarious conditions, and {first} devotes a large part of the household income to supporting them. This solidarity, which we see in many of the families we accompany, reflects deep values of responsibility and mutual help.",
    "Over the past months, {first} has faithfully attended workshops on job searching, housing and how Québec institutions work. Our facilitators note active participation, thoughtful questions and the seriousness with which {first} puts the advice received into practice.",
    "I think it important to stress that {first} has never relied on last-resort assistance for long. From the very beginning, {first} sought work and set out to learn French, convinced that self-reliance is the best way to thank the society that offers a welcome.",
    "In our neighbourhood, {first} is known for kindness and availability. Shopkeepers, neighbours and the staff of the children's school speak of {first} with respect. A departure would be a real loss for our community, which relies on this volunteer commitment.",
    "I remain at your disposal to provide any further information about the path of {first}. Our organization keeps detailed records of each person we accompany and can, with consent, send you the relevant documents.",
)  # fmt: skip


def render_supporting_letter(ctx: DocContext) -> list[Image.Image]:
    """A letter in prose about the applicant: distress, integration, French courses or work."""
    rng, s = ctx.rng, ctx.subject
    kind = choose(ctx, tuple(LETTERS))
    org, heading, paras_fr, paras_en = LETTERS[kind]
    since = any_date(days_before(rng, ctx.today, 200, 1500), ctx)
    fill = {
        "name": full_name(s, order=rng.choice(("given_first", "upper"))),
        "first": proper(s["given_names"]).split()[0],
        "since": since,
    }
    paras = [p.format(**fill) for p in (paras_fr if ctx.fr else paras_en)]
    extra = EXTRA_FR if ctx.fr else EXTRA_EN
    count = rng.choice((0, 1, 2, 5, 6))  # some writers go on, onto a second page
    for p in rng.sample(extra, count):
        paras.insert(rng.randint(1, len(paras) - 1), p.format(**fill))
    sheet = new_sheet(ctx, family=rng.choice(("serif", "sans", "dserif", "freeserif", "dejavu")))
    y = _letterhead(sheet, ctx, ctx.t(*org))
    if rng.random() < 0.6:
        y = title(sheet, ctx.t(*heading), y + 4, size=13)
    sheet.text(
        (MARGIN, y),
        ctx.t(
            "Objet : Demande de sélection permanente — ",
            "Subject: Application for permanent selection — ",
        )
        + full_name(s),
        size=10.5,
        bold=True,
    )
    y += 28
    sheet.text((MARGIN, y), ctx.t("Madame, Monsieur,", "Dear Sir or Madam,"), size=11)
    pages = [sheet]
    y += 24
    for para in paras:
        lines = sheet.wrap(para, width=RIGHT - MARGIN, size=11)
        if y + len(lines) * 16 > 700:
            sheet = new_sheet(ctx, family=sheet.family)
            sheet.text((RIGHT, 40), "2", size=9, anchor="ra")
            pages.append(sheet)
            y = 70
        y = sheet.para((MARGIN, y), para, width=RIGHT - MARGIN, size=11, leading=1.45) + 10
    _closing(sheet, ctx, y)
    return [p.finish() for p in pages]


def _letterhead(sheet: Sheet, ctx: DocContext, org: str) -> float:
    """Sender, date and recipient blocks; returns the y where the body starts."""
    rng = ctx.rng
    sheet.text((MARGIN, 44), org, size=13, bold=True)
    sheet.text(
        (MARGIN, 61),
        f"{rng.randint(10, 9999)}, rue {rng.choice(('Jarry Est', 'Ontario Est', 'Wellington', 'King Ouest'))} · 514 555-{digits(rng, 4)}",
        size=8.5,
        fill=70,
    )
    sheet.line((MARGIN, 74), (RIGHT, 74), w=0.6)
    sent = days_before(rng, ctx.today, 5, 120)
    sheet.text((RIGHT, 92), fmt_date(sent, lang=ctx.lang, style="long"), size=10.5, anchor="ra")
    for i, line in enumerate(MINISTRY):
        sheet.text((MARGIN, 120 + i * 13), line, size=10)
    return 120 + 13 * len(MINISTRY) + 22


def _closing(sheet: Sheet, ctx: DocContext, y: float) -> None:
    writer = random_person(ctx.rng, sex=ctx.rng.choice("FM"))
    sheet.text(
        (MARGIN, y + 6),
        ctx.t(
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.", "Yours sincerely,"
        ),
        size=11,
    )
    sheet.sign((MARGIN, y + 20, MARGIN + 190, y + 62), full_name(writer))
    sheet.text((MARGIN, y + 68), full_name(writer), size=10.5, bold=True)
    sheet.text((MARGIN, y + 82), ctx.t("Coordonnateur(trice)", "Coordinator"), size=9.5)


def render_other(ctx: DocContext) -> list[Image.Image]:
    """Something that is none of the listed types: a receipt or a school report."""
    return [OTHER_VARIANTS[choose(ctx, tuple(OTHER_VARIANTS))](ctx).finish()]


def _receipt(ctx: DocContext) -> Sheet:
    sheet, rng, s = new_sheet(ctx, family="sans"), ctx.rng, ctx.subject
    shop = ctx.t(
        *rng.choice(
            (
                ("Traductions Boréal", "Boreal Translations"),
                ("Photo Express Jean-Talon", "Jean-Talon Photo Express"),
            )
        )
    )
    sheet.text((MARGIN, 50), shop, size=16, bold=True)
    y = title(sheet, ctx.t("REÇU", "RECEIPT"), 90, size=20, boxed=True)
    paid = days_before(rng, ctx.today, 5, 200)
    y = leader(sheet, y + 6, ctx.t("Reçu de", "Received from"), full_name(s), tab=130)
    y = leader(sheet, y, ctx.t("Date", "Date"), any_date(paid, ctx), tab=130)
    y = leader(sheet, y, ctx.t("No de reçu", "Receipt no."), digits(rng, 6), tab=130)
    items = [[ctx.t("Article", "Item"), ctx.t("Qté", "Qty"), ctx.t("Montant", "Amount")],
             [ctx.t("Traduction certifiée (page)", "Certified translation (page)"), str(rng.randint(1, 6)), money(rng.randint(40, 300), ctx.lang)],
             [ctx.t("Photos format passeport", "Passport photos"), "2", money(18, ctx.lang)]]  # fmt: skip
    y = sheet.table((MARGIN, y + 10), [300, 60, 132], items, size=10, align="lrr")
    if ctx.address:
        sheet.text((MARGIN, y + 20), " · ".join(address_lines(ctx.address)), size=8.5, fill=80)
    sheet.box_stamp((430, y + 70), [ctx.t("PAYÉ", "PAID"), paid.strftime("%d-%m-%Y")], size=13)
    return sheet


def _school_report(ctx: DocContext) -> Sheet:
    sheet, rng, s = new_sheet(ctx), ctx.rng, ctx.subject
    school = ctx.t("École secondaire des Trois-Ponts", "Three Bridges High School")
    sheet.text((306, 46), school, size=13, bold=True, anchor="ma")
    y = title(sheet, ctx.t("BULLETIN SCOLAIRE", "SCHOOL REPORT CARD"), 72, size=18)
    y = leader(sheet, y, ctx.t("Élève", "Student"), full_name(s, order="comma"), tab=110)
    y = leader(
        sheet,
        y,
        ctx.t("Date de naissance", "Date of birth"),
        any_date(s["date_of_birth"], ctx),
        tab=110,
    )
    year = ctx.today.year
    y = leader(sheet, y, ctx.t("Année scolaire", "School year"), f"{year - 1}-{year}", tab=110)
    subjects = ctx.t(
        "Français|Mathématique|Anglais|Science et technologie|Histoire|Éducation physique",
        "French|Mathematics|English|Science and technology|History|Physical education",
    ).split("|")
    rows = [
        [
            ctx.t("Matière", "Subject"),
            ctx.t("Étape 1", "Term 1"),
            ctx.t("Étape 2", "Term 2"),
            ctx.t("Moyenne du groupe", "Group average"),
        ]
    ]
    rows += [
        [m, f"{rng.randint(60, 98)} %", f"{rng.randint(60, 98)} %", f"{rng.randint(68, 80)} %"]
        for m in subjects
    ]
    y = sheet.table((MARGIN, y + 10), [200, 90, 90, 112], rows, size=10, row_h=22, align="lrrr")
    sheet.text(
        (MARGIN, y + 24),
        ctx.t(
            "Commentaire : élève sérieux(se) et appliqué(e).",
            "Comment: a serious and diligent student.",
        ),
        size=10,
        italic=True,
    )
    sheet.sign((360, y + 50, 540, y + 90), random_person(rng, sex="F")["family_name"])
    sheet.text((360, y + 96), ctx.t("La direction", "The principal"), size=9)
    return sheet


OTHER_VARIANTS = {"receipt": _receipt, "school_report": _school_report}
