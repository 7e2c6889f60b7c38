"""Words for invented documents: people's names as documents print them, dates, countries, issuers.

Every issuer, clinic, landlord and company here is invented; country names are only used to
title a document the way its state would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

#: Documents are dated up to this day unless the caller says otherwise.
REFERENCE_DATE = dt.date(2026, 10, 1)

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
MONTHS_ICAO_FR = ("JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN",
                  "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC")  # fmt: skip

#: ISO-3 -> (French name, English name, French state title, English state title, towns).
COUNTRIES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "HTI": ("Haïti", "Haiti", "République d'Haïti", "Republic of Haiti",
            ("Port-au-Prince", "Cap-Haïtien", "Les Cayes", "Gonaïves", "Jacmel", "Jérémie")),
    "COD": ("République démocratique du Congo", "Democratic Republic of the Congo",
            "République démocratique du Congo", "Democratic Republic of the Congo",
            ("Kinshasa", "Lubumbashi", "Mbuji-Mayi", "Kisangani", "Bukavu", "Goma")),
    "SYR": ("Syrie", "Syria", "République arabe syrienne", "Syrian Arab Republic",
            ("Damas", "Alep", "Homs", "Lattaquié", "Hama")),
    "COL": ("Colombie", "Colombia", "République de Colombie", "Republic of Colombia",
            ("Bogotá", "Medellín", "Cali", "Barranquilla", "Cúcuta")),
    "CMR": ("Cameroun", "Cameroon", "République du Cameroun", "Republic of Cameroon",
            ("Yaoundé", "Douala", "Bafoussam", "Garoua", "Bamenda")),
    "AFG": ("Afghanistan", "Afghanistan", "République islamique d'Afghanistan",
            "Islamic Republic of Afghanistan", ("Kaboul", "Hérat", "Kandahar", "Mazar-e Charif")),
    "DZA": ("Algérie", "Algeria", "République algérienne démocratique et populaire",
            "People's Democratic Republic of Algeria",
            ("Alger", "Oran", "Constantine", "Annaba", "Tizi Ouzou")),
    "UKR": ("Ukraine", "Ukraine", "Ukraine", "Ukraine", ("Kyiv", "Kharkiv", "Odesa", "Lviv")),
    "SEN": ("Sénégal", "Senegal", "République du Sénégal", "Republic of Senegal",
            ("Dakar", "Thiès", "Saint-Louis", "Ziguinchor", "Kaolack")),
    "CAN": ("Canada", "Canada", "Canada", "Canada", ("Montréal", "Québec", "Sherbrooke")),
    "MAR": ("Maroc", "Morocco", "Royaume du Maroc", "Kingdom of Morocco",
            ("Casablanca", "Rabat", "Fès")),
    "CIV": ("Côte d'Ivoire", "Côte d'Ivoire", "République de Côte d'Ivoire",
            "Republic of Côte d'Ivoire", ("Abidjan", "Bouaké", "Yamoussoukro")),
    "GIN": ("Guinée", "Guinea", "République de Guinée", "Republic of Guinea",
            ("Conakry", "Kankan", "Labé")),
    "IRN": ("Iran", "Iran", "République islamique d'Iran", "Islamic Republic of Iran",
            ("Téhéran", "Ispahan", "Tabriz")),
    "MEX": ("Mexique", "Mexico", "États-Unis du Mexique", "United Mexican States",
            ("Mexico", "Puebla", "Oaxaca")),
    "VEN": ("Venezuela", "Venezuela", "République bolivarienne du Venezuela",
            "Bolivarian Republic of Venezuela", ("Caracas", "Maracaibo", "Valencia")),
    "BDI": ("Burundi", "Burundi", "République du Burundi", "Republic of Burundi",
            ("Bujumbura", "Gitega")),
    "RWA": ("Rwanda", "Rwanda", "République du Rwanda", "Republic of Rwanda",
            ("Kigali", "Butare")),
    "LBN": ("Liban", "Lebanon", "République libanaise", "Lebanese Republic",
            ("Beyrouth", "Tripoli", "Saïda")),
    "IRQ": ("Irak", "Iraq", "République d'Irak", "Republic of Iraq",
            ("Bagdad", "Mossoul", "Erbil")),
    "ERI": ("Érythrée", "Eritrea", "État d'Érythrée", "State of Eritrea", ("Asmara", "Keren")),
    "NGA": ("Nigeria", "Nigeria", "République fédérale du Nigeria",
            "Federal Republic of Nigeria", ("Lagos", "Abuja", "Ibadan", "Enugu")),
}  # fmt: skip

GIVEN_F = ("Marie", "Rose", "Fatou", "Amina", "Grâce", "Nadia", "Josette", "Lucia", "Esther",
           "Claudette", "Mariam")  # fmt: skip
GIVEN_M = ("Jean", "Pierre", "Joseph", "Moussa", "Ahmad", "Emmanuel", "Carlos", "Paul",
           "Ibrahim", "Wilfrid", "André")  # fmt: skip
FAMILY = ("Laguerre", "Mbala", "Diallo", "Haddad", "Pérez", "Nkemdirim", "Baptiste", "Rahimi",
          "Kanza", "Morel", "Okoro")  # fmt: skip

#: Field labels shared by the templates: key -> (French, English).
LABELS: dict[str, tuple[str, str]] = {
    "name": ("Nom", "Name"), "surname": ("Nom de famille", "Surname"),
    "given": ("Prénoms", "Given names"), "sex": ("Sexe", "Sex"),
    "birth": ("Date de naissance", "Date of birth"),
    "place": ("Lieu de naissance", "Place of birth"),
    "father": ("Père", "Father"), "mother": ("Mère", "Mother"),
    "registered": ("Date de la déclaration", "Date of registration"),
    "nationality": ("Nationalité", "Nationality"), "country": ("Pays", "Country"),
    "married_on": ("Date du mariage", "Date of marriage"),
    "married_at": ("Lieu du mariage", "Place of marriage"), "witnesses": ("Témoins", "Witnesses"),
    "registrar": ("Officier de l'état civil", "Registrar of Civil Status"),
    "entry": ("Acte no ", "Entry no. "), "patient": ("Patient(e)", "Patient"),
    "date": ("Date", "Date"), "amount": ("Montant", "Amount"),
}  # fmt: skip


@dataclass(frozen=True)
class DocContext:
    """Everything a document template needs: who, where, which language, which dice."""

    subject: dict
    lang: str
    rng: random.Random
    dpi: int
    other: dict | None = None
    address: dict | None = None
    corrupt_mrz: bool = False
    today: dt.date = REFERENCE_DATE
    variant: str | None = None

    def t(self, fr: str, en: str) -> str:
        """Pick the French or the English wording."""
        return fr if self.lang == "fr" else en

    def w(self, key: str) -> str:
        """A shared label (``LABELS``) in the document's language."""
        return self.t(*LABELS[key])

    def bi(self, key: str) -> str:
        """A shared label in both languages, the document's own first: ``Sexe / Sex``."""
        fr, en = LABELS[key]
        return f"{fr} / {en}" if self.fr else f"{en} / {fr}"

    @property
    def fr(self) -> bool:
        return self.lang == "fr"


def choose(ctx: DocContext, names: Sequence[str]) -> str:
    """The layout variant: the caller's ``ctx.variant``, else a random one (repeats weigh more)."""
    if ctx.variant is None:
        return ctx.rng.choice(tuple(names))
    if ctx.variant not in names:
        raise ValueError(f"no layout variant {ctx.variant!r}; choose from {sorted(set(names))}")
    return ctx.variant


def proper(name: str) -> str:
    """``MARIE-ÈVE`` -> ``Marie-Ève``; names already in mixed case are kept as written."""
    if not name.isupper():
        return name
    return " ".join(_cap_word(w) for w in name.split(" "))


def _cap_word(word: str) -> str:
    return "-".join(
        "'".join(p[:1].upper() + p[1:].lower() for p in h.split("'")) for h in word.split("-")
    )


def full_name(person: dict, *, order: str = "given_first") -> str:
    """A person's name in one of the ways documents print it."""
    family, given = person["family_name"], person["given_names"]
    if order == "family_first":
        return f"{family.upper()} {proper(given)}"
    if order == "comma":
        return f"{family.upper()}, {proper(given)}"
    if order == "upper":
        return f"{given.upper()} {family.upper()}"
    return f"{proper(given)} {proper(family)}"


def any_name(person: dict, rng: random.Random) -> str:
    """A person's name, in a random one of the usual orders."""
    return full_name(person, order=rng.choice(("given_first", "family_first", "comma", "upper")))


def fmt_date(d: dt.date, *, lang: str, style: str) -> str:
    """A date as documents write it; numeric styles are day first (never ambiguous m/d)."""
    if style == "long":
        if lang == "fr":
            return f"{'1er' if d.day == 1 else d.day} {MONTHS_FR[d.month - 1]} {d.year}"
        return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    if style == "long_dmy":
        return f"{d.day} {(MONTHS_FR if lang == 'fr' else MONTHS_EN)[d.month - 1]} {d.year}"
    if style == "upper":
        return fmt_date(d, lang=lang, style="long_dmy").upper()
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "dots":
        return d.strftime("%d.%m.%Y")
    if style == "icao":
        month = f"{MONTHS_ICAO_FR[d.month - 1]}/{MONTHS_EN[d.month - 1][:3].upper()}"
        return f"{d.day:02d} {month} {d.year}"
    return d.isoformat()


DATE_STYLES = ("long", "long_dmy", "upper", "slash", "dots", "iso")


def any_date(d: dt.date, ctx: DocContext) -> str:
    """A date in a random one of the usual styles."""
    return fmt_date(d, lang=ctx.lang, style=ctx.rng.choice(DATE_STYLES))


def country(code: str, lang: str) -> str:
    """A country's name from its ISO-3 code (the code itself when unknown)."""
    entry = COUNTRIES.get(code)
    return code if entry is None else entry[0 if lang == "fr" else 1]


def state_title(code: str, lang: str) -> str:
    """The issuing state's formal title, e.g. ``République d'Haïti``."""
    entry = COUNTRIES.get(code)
    return code if entry is None else entry[2 if lang == "fr" else 3]


def birthplace(subject: dict, rng: random.Random) -> str:
    """A plausible town of birth in the subject's country of birth."""
    code = subject.get("nationality", "")
    cities = COUNTRIES.get(code, ("", "", "", "", ()))[4]
    place = rng.choice(cities) if cities else proper(subject.get("country_of_birth", ""))
    return place


def random_person(rng: random.Random, *, sex: str, family: str | None = None) -> dict:
    """An invented relative or official: family and given names only."""
    given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
    if rng.random() < 0.4:
        given += " " + rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
    return {"family_name": family or rng.choice(FAMILY), "given_names": given}


def address_lines(address: dict, *, upper: bool = False) -> list[str]:
    """A Québec address block: street (and apartment), town, province and postal code."""
    street = address["street"]
    apt = address.get("apartment") or ""
    first = f"{street}, app. {apt}" if apt else street
    second = (
        f"{address['municipality']} ({address.get('province', 'QC')})  {address['postal_code']}"
    )
    lines = [first, second]
    return [line.upper() for line in lines] if upper else lines


def money(amount: float, lang: str) -> str:
    """``1 234,56 $`` in French, ``$1,234.56`` in English."""
    if lang == "fr":
        return f"{amount:,.2f} $".replace(",", " ").replace(".", ",")
    return f"${amount:,.2f}"


def digits(rng: random.Random, n: int) -> str:
    """``n`` random digits."""
    return "".join(rng.choice("0123456789") for _ in range(n))


def days_before(rng: random.Random, ref: dt.date, low: int, high: int) -> dt.date:
    """A date between ``low`` and ``high`` days before ``ref``."""
    return ref - dt.timedelta(days=rng.randint(low, high))


def age_date(birth: dt.date, years: int, rng: random.Random) -> dt.date:
    """A day in the year the person turns ``years``."""
    return birth.replace(day=1, month=1, year=birth.year + years) + dt.timedelta(
        days=rng.randint(0, 360)
    )
