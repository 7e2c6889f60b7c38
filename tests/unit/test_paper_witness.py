"""Unsure form readings that the person's own papers state alike pass; nothing else changes."""

from __future__ import annotations

import datetime as dt

from extractors.form_decode import UNVOUCHED_MAX
from extractors.mrz import check_digit, parse_td3
from extractors.paper_witness import confirm_from_papers
from schemas.codes import DocType, FieldKind, FieldStatus
from schemas.extraction import DocumentFacts, FieldRead, MrzRead, PersonMention
from schemas.people import Person

CHILD = Person(id="member2", family_name="BÉLANGER", given_names="LUC", relationship=2,
               date_of_birth=dt.date(2006, 6, 1))  # fmt: skip


def _unsure(name: str, value: str, *, confidence: float = 0.4) -> FieldRead:
    kind = FieldKind.DATE if "date" in name else FieldKind.COMB
    return FieldRead(name=name, kind=kind, form_page=2, value=value, confidence=confidence,
                     status=FieldStatus.UNREADABLE)  # fmt: skip


def _certificate(*mentions: PersonMention, person: str = "member2") -> DocumentFacts:
    return DocumentFacts(doc_type=DocType.BIRTH_CERTIFICATE, pages=(5,), mentions=mentions,
                         person=person)  # fmt: skip


def _zone(family: str, born: str) -> MrzRead:
    number, expiry, personal = "AB1234567", "300101", "<" * 14
    body = (f"{number}{check_digit(number)}CAN{born}{check_digit(born)}M{expiry}"
            f"{check_digit(expiry)}{personal}{check_digit(personal)}")  # fmt: skip
    composite = body[0:10] + body[13:20] + body[21:43]
    return parse_td3([f"P<CAN{family}<<LUC".ljust(44, "<"), body + check_digit(composite)])


def test_a_name_the_certificate_prints_alike_passes() -> None:
    """GIVEN the child's family name read BÉLANGER but unsure, and his birth certificate's
    labelled line "Nom : BELANGER" (typed capitals, no accent) WHEN confirmed THEN the field
    is read at UNVOUCHED_MAX, its value the form's; his sure given names are left alone."""
    fields = {"member2_family_name": _unsure("member2_family_name", "BÉLANGER"),
              "member2_given_names": _unsure("member2_given_names", "LUC", confidence=0.95)
              .model_copy(update={"status": FieldStatus.READ})}  # fmt: skip
    cert = _certificate(PersonMention(family_name="BELANGER", given_names="Luc"))
    out = confirm_from_papers(fields, [CHILD], [cert], {})
    assert list(out) == ["member2_family_name"]
    f = out["member2_family_name"]
    assert (f.value, f.status, f.confidence) == ("BÉLANGER", FieldStatus.READ, UNVOUCHED_MAX)


def test_a_name_written_whole_holds_both_parts() -> None:
    fields = {"member2_given_names": _unsure("member2_given_names", "LUC")}
    cert = _certificate(PersonMention(full_name="Luc BÉLANGER"))
    assert "member2_given_names" in confirm_from_papers(fields, [CHILD], [cert], {})


def test_what_the_paper_prints_otherwise_confirms_nothing() -> None:
    """An accent the paper prints and the form lacks, a hyphen for a space, a letter off, a
    paper of someone else, or a name only in a zone (no accents, unchecked): no field passes."""
    fields = {"member2_family_name": _unsure("member2_family_name", "BELANGER-ROY")}
    for paper, person in (("BÉLANGER-ROY", "member2"), ("BELANGER ROY", "member2"),
                          ("BELLANGER-ROY", "member2"), ("BELANGER-ROY", "member1")):  # fmt: skip
        cert = _certificate(PersonMention(family_name=paper), person=person)
        assert confirm_from_papers(fields, [CHILD], [cert], {}) == {}, paper
    zone = _zone("BELANGER<ROY", "060601")
    assert zone.checks_ok
    passport = DocumentFacts(doc_type=DocType.IDENTITY_DOCUMENT, pages=(6,), mrz=zone,
                             person="member2")  # fmt: skip
    assert confirm_from_papers(fields, [CHILD], [passport], {}) == {}


def test_a_birth_date_the_zone_holds_passes() -> None:
    """GIVEN the child's birth date read 2006-06-01 but unsure WHEN his passport's zone, its
    check digits holding, says the same THEN it passes; a zone saying another date, or a
    letter's date, does not."""
    fields = {"member2_date_of_birth": _unsure("member2_date_of_birth", "2006-06-01")}
    same = DocumentFacts(doc_type=DocType.IDENTITY_DOCUMENT, pages=(6,),
                         mrz=_zone("BELANGER", "060601"), person="member2")  # fmt: skip
    other = same.model_copy(update={"mrz": _zone("BELANGER", "060602")})
    letter = same.model_copy(update={"doc_type": DocType.SUPPORTING_LETTER, "mrz": None,
                                     "mentions": (PersonMention(full_name="Luc Bélanger",
                                                  date_of_birth=dt.date(2006, 6, 1)),)})
    assert confirm_from_papers(fields, [CHILD], [same], {})["member2_date_of_birth"].status is (
        FieldStatus.READ)
    assert confirm_from_papers(fields, [CHILD], [other], {}) == {}
    assert confirm_from_papers(fields, [CHILD], [letter], {}) == {}


def test_an_address_the_proof_of_residence_prints_passes() -> None:
    """GIVEN the street, municipality and postal code read unsure WHEN a proof of residence
    prints them (the postal code with its space) THEN they pass; a street that only begins
    its printed one, or one missing an accent the proof prints, does not."""
    text = ("Ville de Longueuil\nAVIS DE CONFIRMATION D'ADRESSE\n9073 BOULEVARD TASCHEREAU, "
            "APP. 407\nLONGUEUIL (QC) J4H 2W7\n12 rue des Érables")  # fmt: skip
    proof = DocumentFacts(doc_type=DocType.RESIDENCE_PROOF, pages=(9,), person="principal")
    fields = {"street": _unsure("street", "9073 BOULEVARD TASCHEREAU"),
              "municipality": _unsure("municipality", "LONGUEUIL"),
              "postal_code": _unsure("postal_code", "J4H2W7")}  # fmt: skip
    out = confirm_from_papers(fields, [CHILD], [proof], {9: text})
    assert sorted(out) == ["municipality", "postal_code", "street"]
    assert confirm_from_papers(fields, [CHILD], [proof], {8: text}) == {}  # another page's text
    for street in ("9073 BOULEVARD TASCHERE", "12 RUE DES ERABLES"):
        wrong = {"street": _unsure("street", street)}
        assert confirm_from_papers(wrong, [CHILD], [proof], {9: text}) == {}, street
    right = {"street": _unsure("street", "12 RUE DES ÉRABLES")}
    assert "street" in confirm_from_papers(right, [CHILD], [proof], {9: text})
