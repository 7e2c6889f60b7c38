"""The form's people, name matching and who each document is about."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.mrz import parse_td3
from extractors.people import (
    assign_documents,
    mrz_mention,
    name_score,
    people_from_form,
    proofs_at_the_address,
)
from schemas.codes import DocType, FieldKind, FieldStatus
from schemas.config import RulesConfig
from schemas.extraction import DocumentFacts, FieldRead, MrzRead, PersonMention
from schemas.people import Person

T = DocType
D = dt.date
RULES = RulesConfig()


def _field(name: str, value: str | None, *, status: FieldStatus = FieldStatus.READ) -> FieldRead:
    page = 2 if name.startswith("member") else 1
    kind = FieldKind.DATE if "date" in name else FieldKind.COMB
    if status is FieldStatus.EMPTY:
        value = None
    return FieldRead(
        name=name,
        kind=kind,
        form_page=page,
        value=value,
        status=status,
        confidence=0.95 if status is FieldStatus.READ else 0.4,
    )


def _fields(**values: str | None) -> dict[str, FieldRead]:
    return {k: _field(k, v) for k, v in values.items()}


PRINCIPAL = Person(
    id="principal", family_name="TREMBLAY", given_names="MARIE-ÈVE", date_of_birth=D(1988, 4, 12)
)
SPOUSE = Person(
    id="member1",
    family_name="OKAFOR",
    given_names="CHIDI",
    relationship=1,
    date_of_birth=D(1986, 1, 30),
)
CHILD = Person(
    id="member2",
    family_name="TREMBLAY",
    given_names="LUC",
    relationship=2,
    date_of_birth=D(2012, 6, 1),
)
PEOPLE = (PRINCIPAL, SPOUSE, CHILD)


def _passport(family: str, given: str, page: int, born: dt.date | None = None) -> DocumentFacts:
    """A passport labelled with this name, and the birth date if given, on one page."""
    return DocumentFacts(
        doc_type=DocType.IDENTITY_DOCUMENT, pages=(page,),
        mentions=(PersonMention(family_name=family, given_names=given, date_of_birth=born),),
        name_words=(family.lower(), given.lower()), dates=(born,) if born else (),
    )


def _doc(doc_type: DocType, *mentions: PersonMention, **kw: object) -> DocumentFacts:
    return DocumentFacts(doc_type=doc_type, pages=(4,), mentions=mentions, **kw)


class TestPeopleFromForm:
    def test_principal_and_used_rows(self) -> None:
        """GIVEN page-1 fields and two filled rows of page 2 WHEN read THEN the principal and
        those two members, typed."""
        fields = _fields(
            family_name="TREMBLAY",
            given_names="MARIE-ÈVE",
            date_of_birth="1988-04-12",
            member1_family_name="OKAFOR",
            member1_given_names="CHIDI",
            member1_relationship="1",
            member1_date_of_birth="1986-01-30",
            member1_residence="quebec",
            member1_included="yes",
            member1_has_spouse="yes",
            member3_family_name="TREMBLAY",
            member3_given_names="LÉA",
            member3_relationship="2",
            member3_residence="abroad",
            member3_included="no",
            member3_has_spouse="no",
        )
        principal, m1, m3 = people_from_form(fields)
        assert (principal.id, principal.family_name, principal.date_of_birth) == (
            "principal",
            "TREMBLAY",
            D(1988, 4, 12),
        )
        assert (m1.id, m1.relationship, m1.residence, m1.included, m1.has_spouse) == (
            "member1",
            1,
            "quebec",
            True,
            True,
        )
        assert (m3.id, m3.included, m3.has_spouse, m3.residence) == (
            "member3",
            False,
            False,
            "abroad",
        )

    def test_empty_rows_are_not_people(self) -> None:
        fields = _fields(family_name="ROY", given_names="ANNE")
        fields["member1_family_name"] = _field(
            "member1_family_name", None, status=FieldStatus.EMPTY
        )
        assert [p.id for p in people_from_form(fields)] == ["principal"]

    def test_unticked_included_is_not_included(self) -> None:
        fields = _fields(family_name="ROY", member1_family_name="ROY", member1_given_names="LOU")
        assert people_from_form(fields)[1].included is False

    def test_an_unreadable_name_still_names_someone(self) -> None:
        """GIVEN a family name read with low confidence WHEN read THEN its best reading is kept
        for matching (checks report it as unreadable, never as a mismatch)."""
        fields = {"family_name": _field("family_name", "TREMBIAY", status=FieldStatus.UNREADABLE)}
        assert people_from_form(fields)[0].family_name == "TREMBIAY"

    def test_preprinted_name_when_the_applicant_wrote_none(self) -> None:
        fields = _fields(preprinted_name="TREMBLAY, Marie-Ève")
        principal = people_from_form(fields)[0]
        assert (principal.family_name, principal.given_names) == ("TREMBLAY", "Marie-Ève")

    def test_preprinted_name_over_an_unreadable_one(self) -> None:
        """GIVEN the principal's names unreadable and the ministry's printed name WHEN read
        THEN the printed name is used to match documents."""
        fields = {
            "family_name": _field("family_name", "DIDP", status=FieldStatus.UNREADABLE),
            "given_names": _field("given_names", "AWA"),
            "preprinted_name": _field("preprinted_name", "DIOP, Awa"),
        }
        principal = people_from_form(fields)[0]
        assert (principal.family_name, principal.given_names) == ("DIOP", "Awa")

    def test_printed_name_as_most_pages_read_it(self) -> None:
        """GIVEN the name the ministry printed read garbled on form page 1 and alike on pages 2
        and 3 WHEN the form's fields are merged THEN the name stands as pages 2 and 3 read it."""
        from extractors.packet import merge_form_fields
        from schemas.extraction import FormPageRead

        readings = ("94 5 BAKIMI, Kohasimas Nabi", "HAKIMI, Mohammad Nabi", "HAKIMI, Mohammad Nabi")
        pages = [FormPageRead(page_no=k, form_page=k, aligned=True, alignment_quality=0.9,
                              preprinted_name=name) for k, name in enumerate(readings, 1)]
        assert merge_form_fields(pages)["preprinted_name"].value == "HAKIMI, Mohammad Nabi"

    def test_no_form_still_has_a_principal(self) -> None:
        assert people_from_form({}) == (Person(id="principal", residence="quebec"),)


class TestNameScore:
    @pytest.mark.parametrize(
        "mention",
        [
            PersonMention(full_name="Marie-Eve Tremblay"),
            PersonMention(full_name="TREMBLAY Marie Ève"),
            PersonMention(family_name="tremblay", given_names="marie-eve"),
            PersonMention(family_name="TREMBLAY", given_names="MARIE"),
            PersonMention(full_name="Marie Ève Josée Tremblay"),
            PersonMention(full_name="MARIEEVE TREMBLAY"),
        ],
    )
    def test_same_person_written_differently(self, mention: PersonMention) -> None:
        """Accents, case, order, hyphens, a middle name on one side only: still a match."""
        assert name_score(mention, PRINCIPAL) >= RULES.name_match_min

    @pytest.mark.parametrize(
        "mention",
        [
            PersonMention(full_name="Luc Tremblay"),
            PersonMention(full_name="Tremblay"),
            PersonMention(full_name="Marie-Ève Gagnon"),
            PersonMention(full_name="Sophie Leblanc"),
        ],
    )
    def test_other_people(self, mention: PersonMention) -> None:
        """A sibling, a bare family name, another family name, a stranger: no match."""
        assert name_score(mention, PRINCIPAL) < RULES.name_match_min

    def test_one_ocr_slip_is_tolerated(self) -> None:
        assert name_score(PersonMention(full_name="Tremblai Marie-Eve"), PRINCIPAL) >= 85

    def test_mrz_fillers_read_as_k(self) -> None:
        """GIVEN a zone whose fillers OCR read as K and X WHEN compared THEN its letters match."""
        mrz = parse_td3(
            (
                "P<CANTREMBLAY<<MARIEKEVEK<X<<<K<K<< KKK KKK KK",
                "AB1234567<CAN8804121F3001012<<<<<<<<<<<<<<00",
            )
        )
        assert name_score(mrz_mention(mrz), PRINCIPAL) >= 95


class TestAssignDocuments:
    def test_document_goes_to_the_person_it_names(self) -> None:
        docs = [
            _doc(T.BIRTH_CERTIFICATE, PersonMention(full_name="Luc Tremblay")),
            _doc(T.IDENTITY_DOCUMENT, PersonMention(family_name="OKAFOR", given_names="CHIDI")),
        ]
        out = assign_documents(docs, PEOPLE, cfg=RULES)
        assert [d.person for d in out] == ["member2", "member1"]
        assert all(d.match_score >= 85 for d in out)
        assert docs[0].person is None  # inputs unchanged

    def test_nobody_matches(self) -> None:
        """GIVEN a lease naming a stranger WHEN assigned THEN it is nobody's."""
        (doc,) = assign_documents(
            [_doc(T.RESIDENCE_PROOF, PersonMention(full_name="Jean Roy"))], PEOPLE, cfg=RULES
        )
        assert doc.person is None

    def test_no_readable_name_is_nobodys(self) -> None:
        (doc,) = assign_documents([_doc(T.RESIDENCE_PROOF)], PEOPLE, cfg=RULES)
        assert (doc.person, doc.match_score) == (None, 0.0)

    def test_mrz_counts_over_the_printed_labels(self) -> None:
        """GIVEN a passport whose labels were misread as a stranger's name but whose zone names
        the spouse WHEN assigned THEN it is the spouse's."""
        mrz = parse_td3(
            (
                "P<NGAOKAFOR<<CHIDI<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
                "A12345678<NGA8601309M3001012<<<<<<<<<<<<<<00",
            )
        )
        doc = _doc(T.IDENTITY_DOCUMENT, PersonMention(full_name="Ckafar Chldl Xyz"), mrz=mrz)
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member1"

    def test_marriage_naming_both_goes_to_the_spouse(self) -> None:
        doc = _doc(
            T.MARRIAGE_CERTIFICATE,
            PersonMention(full_name="Marie-Ève Tremblay"),
            PersonMention(full_name="Chidi Okafor"),
        )
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member1"

    def test_union_proof_naming_only_the_principal_goes_to_the_spouse(self) -> None:
        doc = _doc(T.UNION_PROOF, PersonMention(full_name="Marie-Ève Tremblay"))
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member1"

    def test_marriage_without_a_spouse_on_the_form_goes_to_whom_it_names(self) -> None:
        doc = _doc(T.MARRIAGE_CERTIFICATE, PersonMention(full_name="Marie-Ève Tremblay"))
        assert assign_documents([doc], (PRINCIPAL, CHILD), cfg=RULES)[0].person == "principal"

    def test_near_miss_with_the_same_birth_date_is_theirs(self) -> None:
        """GIVEN a birth certificate under a maiden name with the principal's exact birth date
        WHEN assigned THEN it is the principal's, with a score under the threshold (so checks
        report the name difference)."""
        doc = _doc(
            T.BIRTH_CERTIFICATE,
            PersonMention(full_name="Marie-Ève Gagnon", date_of_birth=D(1988, 4, 12)),
        )
        (out,) = assign_documents([doc], PEOPLE, cfg=RULES)
        assert out.person == "principal" and out.match_score < RULES.name_match_min

    def test_childs_birth_certificate_naming_the_mother(self) -> None:
        """GIVEN the child's birth certificate naming the principal as mother WHEN assigned
        THEN it is the child's: a birth certificate belongs to the youngest person it names."""
        doc = _doc(
            T.BIRTH_CERTIFICATE,
            PersonMention(full_name="Marie-Ève Tremblay"),
            PersonMention(full_name="Luc Tremblay"),
        )
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member2"

    def test_a_person_is_born_once(self) -> None:
        """GIVEN the child's labelled birth certificate and the principal's, whose labels OCR
        lost, naming her and her father Luc Tremblay WHEN assigned THEN the second is hers:
        the child has one already, she has none."""
        childs = _doc(T.BIRTH_CERTIFICATE, PersonMention(full_name="Luc Tremblay"),
                      name_words=("luc", "tremblay"))  # fmt: skip
        hers = DocumentFacts(doc_type=T.BIRTH_CERTIFICATE, pages=(6,),
                             name_words=("marie", "eve", "tremblay", "pere", "luc", "tremblay"))
        out = assign_documents([childs, hers], PEOPLE, cfg=RULES)
        assert [d.person for d in out] == ["member2", "principal"]

    def test_namesakes_get_one_identity_paper_each(self) -> None:
        """GIVEN two children both named MERVEILLE KASONGO and two passports labelled so, no
        dates on either WHEN assigned THEN one passport each, not both to the first child."""
        first = Person(id="member1", family_name="KASONGO", given_names="MERVEILLE",
                       relationship=2, date_of_birth=D(2012, 12, 7))
        second = first.model_copy(update={"id": "member4", "relationship": 4,
                                          "date_of_birth": D(2026, 2, 11)})
        passports = [_passport("KASONGO", "MERVEILLE", n) for n in (5, 13)]
        out = assign_documents(passports, (first, second), cfg=RULES)
        assert sorted(d.person for d in out) == ["member1", "member4"]

    def test_of_namesakes_the_one_read_with_the_papers_date_keeps_that_paper(self) -> None:
        """GIVEN two sons named MOUSSA DIOP, the younger's birth date misread on the form, and
        their two passports, the first giving the elder's date WHEN assigned THEN the elder
        keeps the passport with his date; the other goes to his brother."""
        elder = Person(id="member1", family_name="DIOP", given_names="MOUSSA",
                       relationship=2, date_of_birth=D(2004, 5, 12))
        younger = elder.model_copy(update={"id": "member3", "relationship": 4,
                                           "date_of_birth": D(2025, 2, 16)})
        passports = [_passport("DIOP", "MOUSSA", n, born)
                     for n, born in ((5, D(2004, 5, 12)), (8, D(2026, 2, 16)))]
        out = assign_documents(passports, (elder, younger), cfg=RULES)
        assert [d.person for d in out] == ["member1", "member3"]

    def test_a_certificate_naming_nobody_spells_out_given_names(self) -> None:
        """GIVEN a birth certificate whose family name OCR lost, naming 'Marie Eve' only WHEN
        assigned THEN it is the principal's: nobody else has those given names, and she has
        no certificate."""
        doc = DocumentFacts(doc_type=T.BIRTH_CERTIFICATE, pages=(5,),
                            name_words=("certificat", "marie", "eve", "feminin"))
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "principal"

    def test_dependency_proof_naming_the_paying_parent(self) -> None:
        doc = _doc(
            T.FINANCIAL_DEPENDENCY_PROOF,
            PersonMention(full_name="Marie-Ève Tremblay"),
            PersonMention(full_name="Luc Tremblay"),
        )
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member2"

    def test_residence_proof_naming_the_couple_is_the_principals(self) -> None:
        doc = _doc(
            T.RESIDENCE_PROOF,
            PersonMention(full_name="Chidi Okafor"),
            PersonMention(full_name="Marie-Ève Tremblay"),
        )
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "principal"

    def test_residence_proof_cut_through_the_name_is_the_principals(self) -> None:
        """GIVEN a bill cut at the left, DIEUDONNÉ DESROSIERS read INÉ DESROSIERS, whose
        fragments of words resemble the daughter's given names more than the father's WHEN
        assigned THEN it is the principal's (a proof of residence is asked of him alone); a
        bill spelling out the daughter's given names stays hers."""
        father = Person(id="principal", family_name="DESROSIERS", given_names="DIEUDONNÉ")
        daughter = Person(id="member1", family_name="DESROSIERS",
                          given_names="MARIE MICHELLE", relationship=2)
        text = ("ergie Boréale ution d'électricité FACTURE D'ÉLECTRICITÉ No de compte 238 294 921 "
                "INÉ DESROSIERS Montant à payer IE SAINT-MARTIN QC) H7T 9T6 DESROSIERS")
        doc = _doc(T.RESIDENCE_PROOF, name_words=_words(text))
        assert assign_documents([doc], (father, daughter), cfg=RULES)[0].person == "principal"
        hers = _doc(T.RESIDENCE_PROOF, name_words=_words(f"{text} MARIE MICHELLE DESROSIERS"))
        assert assign_documents([hers], (father, daughter), cfg=RULES)[0].person == "member1"

    def test_marriage_with_garbled_names_still_goes_to_the_spouse(self) -> None:
        """GIVEN a marriage certificate whose names OCR garbled ('Chldi 0kafar') WHEN assigned
        THEN it is still the spouse's proof (a near match is enough for a couple document)."""
        doc = _doc(T.MARRIAGE_CERTIFICATE, PersonMention(full_name="Chldi 0kafar"))
        (out,) = assign_documents([doc], PEOPLE, cfg=RULES)
        assert out.person == "member1"

    def test_marriage_when_the_relationship_code_was_unreadable(self) -> None:
        """GIVEN a spouse whose relationship code could not be read WHEN a marriage certificate
        names the principal and that member THEN it is that member's."""
        unknown = SPOUSE.model_copy(update={"relationship": None})
        doc = _doc(
            T.MARRIAGE_CERTIFICATE,
            PersonMention(full_name="Marie-Ève Tremblay"),
            PersonMention(full_name="Chidi Okafor"),
        )
        assert assign_documents([doc], (PRINCIPAL, unknown, CHILD), cfg=RULES)[0].person == (
            "member1"
        )

    def test_given_names_alone_when_only_one_person_has_them(self) -> None:
        """GIVEN a certificate where only 'Prénoms LUC' could be read WHEN assigned THEN it is
        Luc's: no one else in the family is called Luc (a family name alone never decides)."""
        doc = _doc(T.BIRTH_CERTIFICATE, PersonMention(given_names="Luc"))
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person == "member2"
        doc = _doc(T.BIRTH_CERTIFICATE, PersonMention(family_name="Tremblay"))
        assert assign_documents([doc], PEOPLE, cfg=RULES)[0].person is None

    def test_birth_date_separates_namesakes(self) -> None:
        """GIVEN a mother and daughter both 'Marie Tremblay' WHEN a document gives the
        daughter's birth date THEN it is the daughter's."""
        mother = Person(
            id="principal", family_name="TREMBLAY", given_names="MARIE", date_of_birth=D(1970, 1, 1)
        )
        daughter = Person(
            id="member2",
            family_name="TREMBLAY",
            given_names="MARIE",
            relationship=2,
            date_of_birth=D(2010, 2, 2),
        )
        doc = _doc(
            T.BIRTH_CERTIFICATE,
            PersonMention(full_name="Marie Tremblay", date_of_birth=D(2010, 2, 2)),
        )
        assert assign_documents([doc], (mother, daughter), cfg=RULES)[0].person == "member2"


def _words(text: str) -> tuple[str, ...]:
    from extractors.people import tokens

    return tuple(tokens(text))


class TestNamesTypedAnywhere:
    """A document whose layout hides its labels still names its holder in its text."""

    PROSE = ("ACTE DE NAISSANCE Acte no 3/223/0699/1998 TREMBLAY Luc. Le 31 decembre, "
             "par-devant nous, a comparu Paul Morel, pere de l'enfant Luc, ne le 1er juin 2012")

    def test_the_whole_name_in_running_text_finds_its_person(self) -> None:
        from extractors.people import text_score

        words = _words(self.PROSE)
        assert text_score(words, CHILD) >= RULES.name_match_min
        # Same family name, another given name: a relative, not the holder.
        assert text_score(words, PRINCIPAL) < RULES.name_match_min
        assert text_score(words, SPOUSE) < 50

    def test_a_form_reading_with_a_wrong_letter_or_a_lost_space_still_matches(self) -> None:
        from extractors.people import text_score

        words = _words("Name MARTINEZ ORTIZ Given names ANDRES FELIPE Born on 14 FEBRUARY 2017")
        misread = Person(id="member2", family_name="MARTÏNEZ O HIZ", given_names="ANDRÉS FELIPE")
        assert text_score(words, misread) >= RULES.name_match_min
        initials = Person(id="member3", family_name="MARTINEZ", given_names="A B")
        assert text_score(words, initials) < RULES.name_match_min

    def test_a_document_with_no_labelled_name_goes_to_whom_its_text_names(self) -> None:
        doc = _doc(T.BIRTH_CERTIFICATE, name_words=_words(self.PROSE))
        (out,) = assign_documents([doc], PEOPLE, cfg=RULES)
        assert out.person == "member2"
        stranger = _doc(T.BIRTH_CERTIFICATE, name_words=_words("Acte de naissance de Sara DIOP"))
        (out,) = assign_documents([stranger], PEOPLE, cfg=RULES)
        assert out.person is None


class TestBirthDateAsEvidence:
    """A birth date on a document says whose it is when the names were read badly."""

    def test_a_date_read_with_one_unsure_digit_still_agrees(self) -> None:
        unsure = Person(id="member3", family_name="DIOP", date_of_birth_read="2019-02-0?")
        assert unsure.born_on(D(2019, 2, 2)) and not unsure.born_on(D(2019, 3, 2))
        vague = Person(id="member3", family_name="DIOP", date_of_birth_read="2019-?2-0?")
        assert not vague.born_on(D(2019, 2, 2))
        assert not unsure.born_on(None)

    def test_garbled_names_with_the_birth_date_in_the_text_are_theirs(self) -> None:
        """GIVEN a birth certificate whose labelled name OCR garbled and a form reading of the
        child's names with wrong letters WHEN assigned THEN the child's birth date written on
        it, with a name near enough in its text, makes it the child's."""
        child = Person(id="member2", family_name="CHLRIF", given_names="K RIM",
                       relationship=2, date_of_birth=D(2024, 10, 13))
        mother = Person(id="principal", family_name="CHERIF", given_names="KHADIJA",
                        date_of_birth=D(2000, 1, 25))
        words = _words("ACTE DE NAISSANCE Nom een EPRRNE SOR Prenoms Karim ne le 13 octobre "
                       "2024 mere Khadija Cherif")
        doc = _doc(T.BIRTH_CERTIFICATE,
                   PersonMention(family_name="een EPRRNE SOR", given_names="Karim",
                                 date_of_birth=D(2024, 10, 13)),
                   name_words=words, dates=(D(2024, 10, 13),))
        (out,) = assign_documents([doc], (mother, child), cfg=RULES)
        assert out.person == "member2"
        # Without the date, the child's garbled name alone names nobody for sure.
        undated = _doc(T.BIRTH_CERTIFICATE, name_words=_words("Nom een EPRRNE SOR Prenoms Karim"))
        (out,) = assign_documents([undated], (mother, child), cfg=RULES)
        assert out.person is None


class TestSplitBySubject:
    def _pages(self, *texts: str) -> tuple[DocumentFacts, dict, dict]:
        words = {i + 5: _words(t) for i, t in enumerate(texts)}
        dates = {n: () for n in words}
        doc = DocumentFacts(doc_type=T.BIRTH_CERTIFICATE, pages=tuple(words),
                            name_words=tuple(w for ws in words.values() for w in ws))
        return doc, words, dates

    def test_two_birth_certificates_in_a_row_are_two_documents(self) -> None:
        from extractors.doc_split import split_by_subject

        doc, words, dates = self._pages("BIRTH RECORD Name TREMBLAY Given names LUC",
                                        "BIRTH RECORD Name OKAFOR Given names CHIDI")
        parts = split_by_subject([doc], PEOPLE, cfg=RULES, page_words=words, page_dates=dates)
        assert [p.pages for p in parts] == [(5,), (6,)]
        owners = [d.person for d in assign_documents(parts, PEOPLE, cfg=RULES)]
        assert owners == ["member2", "member1"]

    def test_a_page_that_says_it_continues_stays_with_its_document(self) -> None:
        from extractors.doc_split import split_by_subject

        doc, words, dates = self._pages("BIRTH RECORD Name TREMBLAY Given names LUC",
                                        "page 2 of 2 witness CHIDI OKAFOR")
        parts = split_by_subject([doc], PEOPLE, cfg=RULES, page_words=words, page_dates=dates,
                                 continued=frozenset({6}))
        assert [p.pages for p in parts] == [(5, 6)]

    def test_a_page_naming_nobody_stays_with_its_document(self) -> None:
        from extractors.doc_split import split_by_subject

        doc, words, dates = self._pages("BIRTH RECORD Name TREMBLAY Given names LUC",
                                        "Marginal notes: none. Registrar of civil status")
        parts = split_by_subject([doc], PEOPLE, cfg=RULES, page_words=words, page_dates=dates)
        assert [p.pages for p in parts] == [(5, 6)]


def test_the_childs_birth_date_outranks_the_parent_named_in_full() -> None:
    """A dependency proof signed by the principal, naming the child by given names and birth
    date: the child's."""
    child = CHILD.model_copy(update={"date_of_birth": D(2003, 12, 10)})
    doc = _doc(T.FINANCIAL_DEPENDENCY_PROOF,
               PersonMention(full_name="Marie-Eve Tremblay"),
               PersonMention(full_name="Luc", date_of_birth=D(2003, 12, 10)),
               dates=(D(2003, 12, 10), D(2021, 12, 10)))
    (out,) = assign_documents([doc], (PRINCIPAL, SPOUSE, child), cfg=RULES)
    assert out.person == "member2"


class TestSettleFromPapers:
    """An unsure date of birth on the form, and the one the person's own papers state."""

    @staticmethod
    def _zone(born: str) -> MrzRead:
        from extractors.mrz import check_digit

        number, expiry, personal = "AB1234567", "300101", "<" * 14
        body = (f"{number}{check_digit(number)}CAN{born}{check_digit(born)}M{expiry}"
                f"{check_digit(expiry)}{personal}{check_digit(personal)}")  # fmt: skip
        composite = body[0:10] + body[13:20] + body[21:43]
        return parse_td3(["P<CANTREMBLAY<<LUC".ljust(44, "<"), body + check_digit(composite)])

    ZONE = _zone("060601")

    def test_unsure_form_date_takes_the_papers(self) -> None:
        """GIVEN the child's birth date read unsure as 2004 (a 6 read as 4) and his passport's
        zone, check digits holding, saying 2006-06-01 THEN he is taken as born in 2006; the
        form's field stays as read for the reviewer."""
        from extractors.people import settle_from_papers

        assert self.ZONE.checks_ok
        child = CHILD.model_copy(update={"date_of_birth": D(2004, 6, 1)})
        fields = {"member2_date_of_birth": _field("member2_date_of_birth", "2004-06-01",
                                                   status=FieldStatus.UNREADABLE)}  # fmt: skip
        passport = _doc(T.IDENTITY_DOCUMENT, mrz=self.ZONE, person="member2")
        settled = settle_from_papers((PRINCIPAL, SPOUSE, child), [passport], fields)
        assert settled[2].date_of_birth == D(2006, 6, 1)
        assert settled[:2] == (PRINCIPAL, SPOUSE)

    def test_a_sure_reading_or_papers_that_disagree_change_nothing(self) -> None:
        from extractors.people import settle_from_papers

        child = CHILD.model_copy(update={"date_of_birth": D(2004, 6, 1)})
        passport = _doc(T.IDENTITY_DOCUMENT, mrz=self.ZONE, person="member2")
        sure = {"member2_date_of_birth": _field("member2_date_of_birth", "2004-06-01")}
        assert settle_from_papers((child,), [passport], sure) == (child,)
        unsure = {"member2_date_of_birth": _field("member2_date_of_birth", "2004-06-01",
                                                   status=FieldStatus.UNREADABLE)}  # fmt: skip
        other = _doc(T.BIRTH_CERTIFICATE, PersonMention(full_name="Luc Tremblay",
                                                        date_of_birth=D(2006, 1, 6)),
                     person="member2")  # fmt: skip
        assert settle_from_papers((child,), [passport, other], unsure) == (child,)


class TestUnsureFormReading:
    """A paper's labelled name one letter off a family member the form read unsure."""

    FATHER = Person(id="principal", family_name="KARIMI", given_names="FARID")
    DAUGHTER = Person(id="member1", family_name="KAKIMI", given_names="MAKYAM", relationship=2,
                      date_of_birth=D(2004, 5, 28), name_sure=False)  # fmt: skip
    TRANSFERS = DocumentFacts(
        doc_type=T.FINANCIAL_DEPENDENCY_PROOF, pages=(10,),
        mentions=(PersonMention(full_name="MARYAM KARIMI"),),  # "Bénéficiaire : MARYAM KARIMI"
        name_words=("expediteur", "farid", "karimi", "beneficiaire", "maryam", "karimi"),
    )  # fmt: skip

    def test_the_beneficiary_is_the_member_read_unsure(self) -> None:
        """GIVEN a money transfer history naming its sender FARID KARIMI and, labelled, its
        beneficiary MARYAM KARIMI, and a daughter the form read MAKYAM KAKIMI unsure THEN the
        proof is hers, not her father's (whose whole name the text also carries)."""
        out = assign_documents([self.TRANSFERS], (self.FATHER, self.DAUGHTER), cfg=RULES)
        assert out[0].person == "member1"

    def test_a_sure_reading_one_letter_off_is_someone_else(self) -> None:
        sure = self.DAUGHTER.model_copy(update={"name_sure": True})
        assert assign_documents([self.TRANSFERS], (self.FATHER, sure), cfg=RULES)[0].person \
            == "principal"

    def test_a_label_with_other_given_names_is_a_sibling_s(self) -> None:
        """GIVEN a birth certificate labelled DELVA / WIDLINE and a son the form read DIEUDON
        NÉ DELVA unsure (the labelled name scores 75 against him) WHEN assigned THEN it is
        nobody's: the family name does not make it his when the label gives another given
        name; a label one letter off his given name still does (AWA for DWA)."""
        father = Person(id="principal", family_name="DELVA", given_names="JEAN WESLY")
        son = Person(id="member4", family_name="DELVA", given_names="DIEUDON NÉ",
                     relationship=2, name_sure=False)
        sibling = DocumentFacts(doc_type=T.BIRTH_CERTIFICATE, pages=(4,), mentions=(
            PersonMention(family_name="DELVA", given_names="WIDLINE", source="label"),))
        assert assign_documents([sibling], (father, son), cfg=RULES)[0].person is None
        daughter = Person(id="member1", family_name="FALL", given_names="DWA", relationship=2,
                          name_sure=False)
        proof = DocumentFacts(doc_type=T.FINANCIAL_DEPENDENCY_PROOF, pages=(9,), mentions=(
            PersonMention(full_name="AWA FALL", source="label"),))
        dad = Person(id="principal", family_name="FALL", given_names="ABDOULAYE")
        assert assign_documents([proof], (dad, daughter), cfg=RULES)[0].person == "member1"

    def test_a_paper_naming_its_holder_keeps_them(self) -> None:
        """GIVEN a bill naming the principal (no label) THEN it stays the principal's, though a
        member read unsure shares the family name."""
        bill = DocumentFacts(doc_type=T.RESIDENCE_PROOF, pages=(6,),
                             mentions=(PersonMention(full_name="Farid Karimi", source="ner"),),
                             name_words=("farid", "karimi", "montreal"))  # fmt: skip
        out = assign_documents([bill], (self.FATHER, self.DAUGHTER), cfg=RULES)
        assert out[0].person == "principal"

    def test_people_from_form_mark_unsure_names(self) -> None:
        fields = _fields(family_name="KARIMI", given_names="FARID", member1_given_names="MAKYAM",
                         member1_relationship="2")  # fmt: skip
        fields["member1_family_name"] = _field("member1_family_name", "KAKIMI",
                                               status=FieldStatus.UNREADABLE)  # fmt: skip
        principal, member = people_from_form(fields)
        assert principal.name_sure and not member.name_sure


class TestProofsAtTheAddress:
    LEASE = DocumentFacts(doc_type=T.RESIDENCE_PROOF, pages=(8,))
    WORDS = {8: ("bail", "locateur", "emmanuel", "diallo", "773", "boulevard", "rome", "app",
                 "182", "brossard", "qc", "j4w", "0k1")}

    def test_a_lease_naming_nobody_at_the_forms_address_is_the_principals(self) -> None:
        """GIVEN a lease whose tenant's name the copy lost, printing 773 boulevard Rome, the
        street the form gives WHEN matched THEN it is the principal's proof of residence."""
        fields = {"street": _field("street", "773 BOULEVARD ROME")}
        (out,) = proofs_at_the_address([self.LEASE], fields, self.WORDS)
        assert out.person == "principal"

    @pytest.mark.parametrize(
        ("street", "status"),
        [("773 BOULEVARD ROME", FieldStatus.UNREADABLE), ("775 BOULEVARD ROME", FieldStatus.READ),
         ("BOULEVARD ROME", FieldStatus.READ)],
    )
    def test_another_or_an_unsure_address_says_nothing(self, street, status) -> None:
        fields = {"street": _field("street", street, status=status)}
        (out,) = proofs_at_the_address([self.LEASE], fields, self.WORDS)
        assert out.person is None
