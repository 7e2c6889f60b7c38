"""The notice of missing documents: the letter that gives the applicant 60 days.

Built from the report (what is missing, for whom) and the reviewer's corrections of the form
fields (the name and address the letter goes to); rendered in French or English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from extractors.report_html import template_env
from schemas.report import IntakeReport

#: Where the applicant mails what is missing (the program page).
OFFICE = (
    "Ministère de l’Immigration, de la Francisation et de l’Intégration",
    "204-1200, boulevard Saint-Laurent",
    "Montréal (Québec) H2X 0C9",
)

DOCUMENT_NAMES = {
    "fr": {
        "application_form": "le formulaire de demande, rempli, daté et signé (3 pages)",
        "identity_document": (
            "la page de renseignements du passeport ou la carte d’identité nationale"
        ),
        "birth_certificate": "l’acte de naissance",
        "marriage_certificate": "l’acte de mariage ou une preuve d’union de fait",
        "union_proof": "une preuve d’union de fait ou l’acte de mariage",
        "residence_proof": "une preuve de résidence au Québec (bail, facture, relevé bancaire)",
        "medical_certificate": "un certificat médical attestant l’état physique ou mental",
        "financial_dependency_proof": "une preuve de dépendance financière",
        "form_signature": "la signature du formulaire (page 3)",
        "form_date": "la date de signature du formulaire (page 3)",
    },
    "en": {
        "application_form": "the application form, completed, dated and signed (3 pages)",
        "identity_document": "the passport data page or national identity card",
        "birth_certificate": "the birth certificate",
        "marriage_certificate": "the marriage certificate or a proof of de facto union",
        "union_proof": "a proof of de facto union or the marriage certificate",
        "residence_proof": "a proof of residence in Québec (lease, bill, bank statement)",
        "medical_certificate": "a medical certificate of the physical or mental condition",
        "financial_dependency_proof": "a proof of financial dependency",
        "form_signature": "the signature of the form (page 3)",
        "form_date": "the date the form was signed (page 3)",
    },
}


@dataclass(frozen=True)
class NoticeLine:
    person: str
    what: str


def notice_lines(report: IntakeReport, *, lang: str) -> list[NoticeLine]:
    """What the applicant must send, person by person, in words."""
    names = DOCUMENT_NAMES.get(lang, DOCUMENT_NAMES["fr"])
    lines = []
    for m in report.missing:
        doc, _, page = m.document.partition(" page ")
        what = names.get(doc, doc)
        if page:
            what = f"{what} — page {page}"
        lines.append(
            NoticeLine(person=m.person_name or report.people.get(m.person, m.person), what=what)
        )
    codes = {f.code.value for f in report.flags}
    for code, key in (("form_unsigned", "form_signature"), ("form_undated", "form_date")):
        if code in codes:
            lines.append(NoticeLine(person=report.people.get("principal", ""), what=names[key]))
    return lines


def render_notice_html(
    report: IntakeReport,
    *,
    fields: Mapping[str, str | None],
    notice_date: dt.date,
    deadline_days: int,
    lang: str = "fr",
) -> str:
    """The letter, ready to print; ``fields`` are the form's values as the reviewer left them."""
    address = [
        " ".join(v for v in (fields.get("given_names"), fields.get("family_name")) if v),
        " ".join(v for v in (fields.get("street"), fields.get("apartment")) if v),
        " ".join(v for v in (fields.get("municipality"), _postal(fields.get("postal_code"))) if v),
    ]
    return (
        template_env()
        .get_template("notice.html.j2")
        .render(
            lang=lang,
            office=OFFICE,
            address=[a for a in address if a],
            dossier=report.dossier_number or fields.get("dossier_number") or "—",
            notice_date=notice_date,
            deadline=notice_date + dt.timedelta(days=deadline_days),
            days=deadline_days,
            lines=notice_lines(report, lang=lang),
            received=report.received_date,
        )
    )


def _postal(code: str | None) -> str | None:
    code = (code or "").replace(" ", "")
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code or None
