"""The prose of supporting letters, French and English: per kind, then extra paragraphs.

Placeholders: ``{name}`` (full name), ``{first}`` (first given name), ``{since}`` (a date).
Every organisation named here is invented.
"""

from __future__ import annotations

#: kind -> (sender organisation fr/en, heading fr/en, paragraphs fr, paragraphs en).
LETTERS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "distress": (
        ("Centre d'aide aux familles immigrantes", "Immigrant Family Support Centre"),
        ("LETTRE D'APPUI", "LETTER OF SUPPORT"),
        (
            (
                "Je vous écris pour appuyer la demande de {name}, que notre organisme accompagne "
                "depuis {since}."
            ),
            (
                "{first} a quitté son pays dans des circonstances très difficiles et vit "
                "aujourd'hui une situation de grande détresse, loin de plusieurs membres de sa "
                "famille."
            ),
            (
                "Un retour dans son pays d'origine l'exposerait à des risques graves, documentés "
                "par nos intervenants au cours de nombreuses rencontres."
            ),
            (
                "Malgré ces épreuves, {first} fait preuve d'un courage remarquable et participe "
                "activement aux activités de soutien que nous offrons."
            ),
            (
                "Nous croyons sincèrement que sa sélection permanente au Québec est la seule issue "
                "humaine à sa situation."
            ),
        ),
        (
            (
                "I am writing in support of the application of {name}, whom our organization has "
                "accompanied since {since}."
            ),
            (
                "{first} left their country in very difficult circumstances and now lives in great "
                "distress, far from several family members."
            ),
            (
                "A return to the country of origin would expose {first} to serious risks, "
                "documented by our caseworkers over many meetings."
            ),
            (
                "Despite these hardships, {first} has shown remarkable courage and takes an active "
                "part in the support activities we offer."
            ),
            (
                "We sincerely believe that permanent selection in Québec is the only humane outcome"
                " for this situation."
            ),
        ),
    ),
    "integration": (
        ("Paroisse communautaire Saint-Michel", "Saint-Michel Community Parish"),
        ("TÉMOIGNAGE D'INTÉGRATION", "LETTER ON INTEGRATION"),
        (
            (
                "Par la présente, je témoigne de l'excellente intégration de {name} dans notre "
                "communauté depuis {since}."
            ),
            (
                "{first} s'implique chaque semaine comme bénévole à la banque alimentaire et auprès"
                " des personnes âgées du quartier."
            ),
            (
                "Ses voisins et les membres de notre comité le/la connaissent comme une personne "
                "fiable, généreuse et respectueuse."
            ),
            (
                "Ses enfants fréquentent l'école du quartier et participent aux activités sportives"
                " de la municipalité."
            ),
            "Je recommande sans réserve que sa demande soit acceptée.",
        ),
        (
            (
                "I hereby attest to the excellent integration of {name} in our community since "
                "{since}."
            ),
            (
                "{first} volunteers every week at the food bank and with the elderly people of the "
                "neighbourhood."
            ),
            (
                "Neighbours and the members of our committee know {first} as a reliable, generous "
                "and respectful person."
            ),
            "The children attend the local school and take part in the town's sports activities.",
            "I recommend without reservation that the application be accepted.",
        ),
    ),
    "french": (
        ("Centre de francisation Les Mots du Fleuve", "Les Mots du Fleuve French Language Centre"),
        ("ATTESTATION DE COURS DE FRANÇAIS", "FRENCH COURSE ATTENDANCE LETTER"),
        (
            (
                "Nous attestons que {name} est inscrit(e) à nos cours de français à temps partiel "
                "depuis {since}."
            ),
            (
                "{first} a complété les niveaux 3 et 4 du programme et suit actuellement le niveau "
                "5, avec un taux de présence supérieur à 90 %."
            ),
            (
                "Ses progrès à l'oral comme à l'écrit sont constants; {first} peut désormais "
                "communiquer aisément dans les situations de la vie courante."
            ),
            (
                "Cette attestation est délivrée à la demande de l'étudiant(e) pour servir à sa "
                "demande d'immigration."
            ),
        ),
        (
            (
                "We certify that {name} has been enrolled in our part-time French courses since "
                "{since}."
            ),
            (
                "{first} has completed levels 3 and 4 of the program and is now in level 5, with "
                "attendance above 90%."
            ),
            (
                "Progress in speaking and writing has been steady; {first} can now communicate "
                "easily in everyday situations."
            ),
            "This letter is issued at the student's request for use in an immigration application.",
        ),
    ),
    "employment": (
        ("Entrepôts Laurentiens inc.", "Laurentian Warehousing Inc."),
        ("ATTESTATION D'EMPLOI", "EMPLOYMENT LETTER"),
        (
            (
                "Nous confirmons que {name} occupe un poste permanent à temps plein de préposé(e) à"
                " l'entrepôt au sein de notre entreprise depuis {since}."
            ),
            "Son salaire horaire est de 21,50 $ pour une semaine de 40 heures.",
            (
                "{first} est une personne ponctuelle et appréciée de ses collègues; son rendement "
                "dépasse nos attentes."
            ),
            "Nous souhaitons poursuivre notre relation d'emploi à long terme.",
            "Pour toute information supplémentaire, n'hésitez pas à communiquer avec le soussigné.",
        ),
        (
            (
                "We confirm that {name} has held a permanent full-time position as a warehouse "
                "clerk with our company since {since}."
            ),
            "The hourly wage is $21.50 for a 40-hour week.",
            (
                "{first} is punctual and well liked by colleagues; performance exceeds our "
                "expectations."
            ),
            "We wish to continue this employment relationship in the long term.",
            "For any further information, please do not hesitate to contact the undersigned.",
        ),
    ),
}

EXTRA_FR = (
    (
        "Je connais {first} depuis {since}. Dès notre première rencontre, j'ai été frappé(e) par sa"
        " détermination à reconstruire sa vie et celle de sa famille. Chaque semaine, {first} prend"
        " le temps de prendre des nouvelles des autres participants, d'aider les nouveaux arrivants"
        " à remplir leurs formulaires et de les accompagner dans leurs démarches auprès des "
        "services publics."
    ),
    (
        "Sa situation familiale demeure fragile. Plusieurs membres de sa famille vivent encore dans"
        " des conditions précaires, et {first} consacre une part importante de ses revenus à les "
        "soutenir. Cette solidarité, qu'on retrouve chez beaucoup de familles que nous "
        "accompagnons, témoigne de valeurs profondes de responsabilité et d'entraide."
    ),
    (
        "Au cours des derniers mois, {first} a suivi avec assiduité des ateliers sur la recherche "
        "d'emploi, le logement et le fonctionnement des institutions québécoises. Nos animateurs "
        "soulignent sa participation active, la pertinence de ses questions et le sérieux avec "
        "lequel {first} met en pratique les conseils reçus."
    ),
    (
        "Il me semble important de préciser que {first} n'a jamais eu recours à l'aide de dernier "
        "recours de façon prolongée. Dès son arrivée, {first} a cherché à travailler et à apprendre"
        " le français, convaincu(e) que l'autonomie est la meilleure façon de remercier la société "
        "qui l'accueille."
    ),
    (
        "Dans notre quartier, {first} est connu(e) pour sa gentillesse et sa disponibilité. Les "
        "commerçants, les voisins et les responsables de l'école de ses enfants en parlent avec "
        "respect. Son départ serait une perte réelle pour notre communauté, qui compte sur son "
        "engagement bénévole."
    ),
    (
        "Je reste à votre disposition pour vous fournir tout renseignement complémentaire "
        "concernant le parcours de {first}. Notre organisme tient des dossiers détaillés de chaque "
        "accompagnement et peut, avec son consentement, vous transmettre les documents pertinents."
    ),
)
EXTRA_EN = (
    (
        "I have known {first} since {since}. From our first meeting, I was struck by the "
        "determination to rebuild a life for the whole family. Every week, {first} takes the time "
        "to check on other participants, helps newcomers fill in their forms and goes with them to "
        "public offices."
    ),
    (
        "The family situation remains fragile. Several relatives still live in precarious "
        "conditions, and {first} devotes a large part of the household income to supporting them. "
        "This solidarity, which we see in many of the families we accompany, reflects deep values "
        "of responsibility and mutual help."
    ),
    (
        "Over the past months, {first} has faithfully attended workshops on job searching, housing "
        "and how Québec institutions work. Our facilitators note active participation, thoughtful "
        "questions and the seriousness with which {first} puts the advice received into practice."
    ),
    (
        "I think it important to stress that {first} has never relied on last-resort assistance for"
        " long. From the very beginning, {first} sought work and set out to learn French, convinced"
        " that self-reliance is the best way to thank the society that offers a welcome."
    ),
    (
        "In our neighbourhood, {first} is known for kindness and availability. Shopkeepers, "
        "neighbours and the staff of the children's school speak of {first} with respect. A "
        "departure would be a real loss for our community, which relies on this volunteer "
        "commitment."
    ),
    (
        "I remain at your disposal to provide any further information about the path of {first}. "
        "Our organization keeps detailed records of each person we accompany and can, with consent,"
        " send you the relevant documents."
    ),
)
