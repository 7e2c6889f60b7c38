"""Synthetic identities for sample packets: names, dates, Québec addresses and numbers.

Every identity is invented: names are drawn at random from lists of common family and given
names of the communities the program serves, so a combination names nobody real; numbers
(UCI, passport, dossier, telephone) are random digits.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, replace

#: Origin → (form country name, ISO3, document language, family names, female, male given names).
ORIGINS: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "haiti": ("HAÏTI", "HTI", "fr",
              ("Jean-Baptiste", "Pierre-Louis", "Joseph", "Étienne", "Dorvil", "Saint-Fleur",
               "Desrosiers", "Augustin", "Valcourt", "Noël", "Delva", "Bélizaire", "Alcindor"),
              ("Marie-Carmelle", "Nadège", "Widline", "Fabienne", "Rose-Laure", "Guerline",
               "Mirlande", "Marie Michelle"),
              ("Jean-Robert", "Wilner", "Frantz", "Réginald", "Ronel", "Jean Wesly", "Dieudonné")),
    "drc": ("RD CONGO", "COD", "fr",
            ("Mbuyi", "Kabongo", "Tshibangu", "Mukendi", "Ilunga", "Kasongo", "Lukusa", "Nzuzi",
             "Mwamba", "Kalala Ngoy", "Mutombo"),
            ("Grâce", "Bénédicte", "Nathalie", "Chancelle", "Merveille", "Divine Esther"),
            ("Patient", "Héritier", "Dieumerci", "Trésor", "Christian", "Exaucé", "Jonathan")),
    "syria": ("SYRIE", "SYR", "en",
              ("Al-Hassan", "Haddad", "Khoury", "Al-Khatib", "Nasser", "Sabbagh", "Darwish",
               "Abou Chaar", "Hamwi", "Al-Masri", "Kassab"),
              ("Rania", "Lina", "Nour", "Hiba", "Yasmine", "Fatima Zahra"),
              ("Mohammad Ali", "Omar", "Khaled", "Tarek", "Abdul Rahman", "Samir")),
    "colombia": ("COLOMBIE", "COL", "es",
                 ("González Pérez", "Rodríguez", "Martínez Ortiz", "Gómez", "Hernández",
                  "Ramírez", "Castaño", "Muñoz", "Jiménez Vargas", "Londoño"),
                 ("María José", "Luz Ángela", "Daniela", "Valentina", "Ana Lucía"),
                 ("Juan Camilo", "Andrés Felipe", "Jhon Fredy", "Sebastián", "Luis Ángel")),
    "cameroon": ("CAMEROUN", "CMR", "fr",
                 ("Nguema", "Fotso", "Tchoumi", "Ngo Bassa", "Mbarga", "Etoundi", "Ndjock"),
                 ("Aïcha", "Christelle", "Murielle", "Blandine"),
                 ("Serge", "Armel", "Rodrigue", "Boris Junior")),
    "afghanistan": ("AFGHANISTAN", "AFG", "en",
                    ("Ahmadi", "Hakimi", "Noori", "Rahimi", "Sultani", "Karimi"),
                    ("Zahra", "Maryam", "Farzana", "Parwana"),
                    ("Ahmad Shah", "Mohammad Nabi", "Farid", "Hamid")),
    "algeria": ("ALGÉRIE", "DZA", "fr",
                ("Benali", "Bouzid", "El Amrani", "Boudiaf", "Aït Ouali", "Cherif", "Benyoucef"),
                ("Amel", "Khadija", "Sara", "Imane", "Nour El Houda"),
                ("Youssef", "Mehdi", "Karim", "Nassim", "Mohamed Amine")),
    "ukraine": ("UKRAINE", "UKR", "en",
                ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk"),
                ("Oksana", "Iryna", "Olena", "Yuliia"),
                ("Andrii", "Oleksandr", "Dmytro", "Serhii")),
    "senegal": ("SÉNÉGAL", "SEN", "fr",
                ("N'Diaye", "Diop", "Fall", "Sarr", "Ba", "Diallo"),
                ("Awa", "Aminata", "Ndeye Fatou", "Mariama"),
                ("Cheikh", "Moussa", "Abdoulaye", "Mamadou Lamine")),
    "quebec": ("CANADA", "CAN", "fr",
               ("Tremblay", "Gagnon", "Bouchard", "Côté", "Gauthier", "Lévesque", "Bélanger",
                "Ouellet", "Pelletier", "Bérubé"),
               ("Marie-Ève", "Geneviève", "Isabelle", "Émilie", "Chloé"),
               ("Jean-François", "Mathieu", "Étienne", "Frédéric", "Louis-Philippe")),
}

#: Applicants come from these origins; ``quebec`` only appears for spouses met here.
APPLICANT_ORIGINS: tuple[str, ...] = tuple(o for o in ORIGINS if o != "quebec")

#: Municipality → (province, forward sortation areas, area codes, streets).
MUNICIPALITIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Montréal": ("QC", ("H2X", "H3T", "H1N", "H4C", "H3S", "H2S", "H1H", "H4L"), ("514", "438"),
                 ("rue Saint-Denis", "boulevard Saint-Laurent", "avenue du Parc",
                  "rue Jean-Talon Est", "ch. de la Côte-des-Neiges", "rue Sherbrooke Ouest",
                  "boulevard Pie-IX", "rue Bélanger")),
    "Laval": ("QC", ("H7N", "H7T", "H7G"), ("450", "579"),
              ("boulevard des Laurentides", "boulevard Cartier", "rue Saint-Martin")),
    "Longueuil": ("QC", ("J4K", "J4H"), ("450",),
                  ("boulevard Taschereau", "rue Saint-Charles Ouest", "chemin de Chambly")),
    "Québec": ("QC", ("G1R", "G1K", "G2B", "G1M"), ("418", "581"),
               ("rue Saint-Jean", "boulevard Charest Est", "3e Avenue", "rue de la Couronne")),
    "Gatineau": ("QC", ("J8Y", "J9H", "J8T"), ("819", "873"),
                 ("boulevard Maloney Ouest", "rue Laurier", "boulevard Saint-Joseph")),
    "Sherbrooke": ("QC", ("J1H", "J1J"), ("819",), ("rue King Ouest", "rue Wellington Sud")),
    "Trois-Rivières": ("QC", ("G9A", "G8T"), ("819",),
                       ("rue des Forges", "boulevard des Récollets")),
    "Saguenay": ("QC", ("G7H",), ("418",), ("rue Racine Est", "boulevard Talbot")),
    "Lévis": ("QC", ("G6V",), ("418",), ("rue Saint-Georges", "route du Président-Kennedy")),
    "Terrebonne": ("QC", ("J6W",), ("450",), ("montée Masson", "rue Saint-Louis")),
    "Brossard": ("QC", ("J4W", "J4Z"), ("450",), ("boulevard Rome", "avenue Auteuil")),
    "Granby": ("QC", ("J2G",), ("450",), ("rue Principale", "rue Dufferin")),
    "Drummondville": ("QC", ("J2B",), ("819",), ("boulevard Saint-Joseph", "rue Lindsay")),
}

#: Addresses outside Québec, for the ``address_outside_quebec`` scenario.
OUTSIDE_QUEBEC: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Ottawa": ("ON", ("K1N", "K2P", "K1Y"), ("613",), ("rue Rideau", "avenue Bank")),
    "Toronto": ("ON", ("M5V", "M6H"), ("416",), ("Queen Street West", "Dundas Street")),
    "Moncton": ("NB", ("E1C",), ("506",), ("rue Main", "avenue Mountain")),
}

_LDU_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
_MAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.fr", "videotron.ca")


@dataclass(frozen=True)
class Identity:
    """One invented person, names in their ordinary spelling (``Marie-Ève``, ``Al-Hassan``)."""

    family_name: str
    given_names: str
    sex: str
    date_of_birth: dt.date
    origin: str
    document_number: str

    @property
    def country(self) -> str:
        """Country of birth as written on the form (capitals, accents kept)."""
        return ORIGINS[self.origin][0]

    @property
    def nationality(self) -> str:
        return ORIGINS[self.origin][1]

    @property
    def doc_lang(self) -> str:
        return ORIGINS[self.origin][2]

    def subject(self) -> dict[str, object]:
        """The ``subject`` dict the document renderer takes."""
        return {
            "family_name": self.family_name, "given_names": self.given_names,
            "date_of_birth": self.date_of_birth, "sex": self.sex,
            "country_of_birth": self.country, "nationality": self.nationality,
            "document_number": self.document_number,
        }

    def age_on(self, day: dt.date) -> int:
        b = self.date_of_birth
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass(frozen=True)
class Address:
    """A postal address; ``postal_code`` is written ``H2X 0C9``."""

    street: str
    apartment: str
    municipality: str
    postal_code: str
    province: str

    def as_dict(self) -> dict[str, str]:
        return {"street": self.street, "apartment": self.apartment,
                "municipality": self.municipality, "postal_code": self.postal_code,
                "province": self.province}


def upper(text: str) -> str:
    """Block capitals as an applicant writes them: accents kept, ``'`` and ``-`` kept."""
    return unicodedata.normalize("NFC", text.upper())


def ascii_fold(text: str) -> str:
    """Drop accents (``Côté`` → ``Cote``), as e-mail addresses and MRZ lines do."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def birth_date(rng: random.Random, *, on: dt.date, min_age: int, max_age: int) -> dt.date:
    """A date of birth giving an age in ``[min_age, max_age]`` on ``on``."""
    latest = _years_before(on, min_age)
    earliest = _years_before(on, max_age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years_before(day: dt.date, years: int) -> dt.date:
    return add_years(day, -years)


def document_number(rng: random.Random) -> str:
    """A passport-style number: two letters and seven digits."""
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    return letters + "".join(rng.choice("0123456789") for _ in range(7))


def make_identity(
    rng: random.Random, *, origin: str, sex: str, born: dt.date, family_name: str | None = None,
    max_len: int = 26,
) -> Identity:
    """A person of ``origin``; names longer than ``max_len`` (form boxes) are drawn again."""
    _, _, _, families, female, male = ORIGINS[origin]
    for _ in range(50):
        family = family_name or rng.choice(families)
        given = rng.choice(female if sex == "F" else male)
        if len(family) <= max_len and len(given) <= max_len:
            break
    return Identity(family_name=family, given_names=given, sex=sex, date_of_birth=born,
                    origin=origin, document_number=document_number(rng))


def misspelled(ident: Identity, rng: random.Random) -> Identity:
    """The same person with the family name mistyped (a letter doubled or swapped).

    Close enough that the document still points at this person, different enough that a
    reviewer sees the names disagree.
    """
    name = ident.family_name
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters[1:-1] or letters)
    if rng.random() < 0.5:
        new = name[:i] + name[i] + name[i:]
    else:
        repl = rng.choice([c for c in "aeiourn" if c != name[i].lower()])
        new = name[:i] + (repl.upper() if name[i].isupper() else repl) + name[i + 1:]
    return replace(ident, family_name=new)


def shifted_birth(ident: Identity, rng: random.Random) -> Identity:
    """The same person with a different date of birth (day/month swapped or year off)."""
    b = ident.date_of_birth
    if b.day <= 12 and b.day != b.month and rng.random() < 0.5:
        return replace(ident, date_of_birth=b.replace(month=b.day, day=b.month))
    delta = rng.choice((-2, -1, 1, 2))
    return replace(ident, date_of_birth=_years_before(b, -delta))


def make_address(rng: random.Random, *, outside_quebec: bool = False) -> Address:
    """A plausible street address in Québec (or, on request, in another province)."""
    table = OUTSIDE_QUEBEC if outside_quebec else MUNICIPALITIES
    town = rng.choice(sorted(table))
    province, fsas, _, streets = table[town]
    ldu = f"{rng.randint(0, 9)}{rng.choice(_LDU_LETTERS)}{rng.randint(0, 9)}"
    street = ""
    while not street or len(street) > 30:  # the form's street comb has 30 boxes
        number = rng.choice((rng.randint(10, 999), rng.randint(1000, 9999)))
        street = f"{number} {rng.choice(streets)}"
    apartment = rng.choice(("", "", str(rng.randint(1, 12)), str(rng.randint(101, 812))))
    return Address(street=street, apartment=apartment,
                   municipality=town, postal_code=f"{rng.choice(fsas)} {ldu}",
                   province=province)


def telephone(rng: random.Random, address: Address) -> str:
    """Ten digits with an area code of the address's region."""
    table = {**MUNICIPALITIES, **OUTSIDE_QUEBEC}
    area = rng.choice(table[address.municipality][2])
    return f"{area}{rng.randint(200, 989)}{rng.randint(0, 9999):04d}"


def email(rng: random.Random, ident: Identity) -> str | None:
    """A personal address built from the name, or None (many applicants leave it empty)."""
    if rng.random() < 0.3:
        return None
    first = ascii_fold(ident.given_names.split()[0]).lower().replace("'", "")
    last = ascii_fold(ident.family_name.split()[0]).lower().replace("'", "")
    for local in (f"{first}.{last}{rng.randint(1, 99)}", f"{first[0]}{last}{rng.randint(1, 99)}"):
        addr = f"{local}@{rng.choice(_MAIL_DOMAINS)}"
        if len(addr) <= 30:
            return addr
    return None


def uci(rng: random.Random) -> str:
    """An IRCC unique client identifier: 8 digits (older files) or 10."""
    n = rng.choice((8, 10, 10))
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def dossier_number(rng: random.Random, *, year: int) -> str:
    """A ministry file number ``PCH-YYYY-NNNNNN``."""
    return f"PCH-{year}-{rng.randint(1, 999_999):06d}"
