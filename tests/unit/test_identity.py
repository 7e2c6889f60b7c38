"""People named on documents: labels, columns, courtesy titles and spaCy entities."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from extractors.identity import extract_mentions
from schemas.codes import DocType
from schemas.extraction import PersonMention
from schemas.ocr import OcrWord, PageOcr

T = DocType


def _ocr(text: str) -> PageOcr:
    """OCR words of ``text``: one Tesseract line per text line, 12 px per character."""
    words = []
    for i, line in enumerate(text.splitlines()):
        x = 10
        for w in line.split():
            words.append(
                OcrWord(text=w, conf=90, bbox=(x, 40 * i, x + 12 * len(w), 40 * i + 30), line=i)
            )
            x += 12 * len(w) + 12
    return PageOcr(page_no=5, words=tuple(words))


def _names(mentions: tuple[PersonMention, ...]) -> list[tuple[str | None, ...]]:
    return [(m.family_name, m.given_names, m.full_name) for m in mentions]


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer"])


class TestLabels:
    def test_family_name_comma_given_names_then_born(self) -> None:
        text = ("ATTESTATION DE DÉPENDANCE FINANCIÈRE\nJe, soussignée, Khadija Benyoucef, déclare "
                "subvenir aux besoins de mon enfant\nBENYOUCEF, Mohamed Amine, né(e) le 10 "
                "décembre 2003, depuis le 10 décembre 2021.")
        mentions = extract_mentions(_ocr(text), doc_type=T.FINANCIAL_DEPENDENCY_PROOF, nlp=None)
        dated = [m for m in mentions if m.date_of_birth == dt.date(2003, 12, 10)]
        assert dated and "BENYOUCEF" in (dated[0].full_name or "")

    def test_a_labelled_value_ends_with_its_sentence(self) -> None:
        """A civil record in prose: the name after its label ends at the full stop, not with
        the words of the next sentence; an initial's period does not end it."""
        text = ("ACTE DE NAISSANCE\nNom de l'enfant : KASONGO. Lecture faite, le comparant a "
                "signé avec nous le présent acte.\nOfficier : J. Kanga")
        mentions = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert any("KASONGO" in (m.family_name, m.full_name) for m in mentions)
        assert not any("Lecture" in " ".join(filter(None, n)) for n in _names(mentions))

    def test_passport_labels_with_values_on_the_next_line(self) -> None:
        """GIVEN a bilingual passport page whose labels stand alone WHEN read THEN the names
        are the following lines and the birth date comes from the bilingual date."""
        text = (
            "PASSEPORT PASSPORT\nNom/Surname\nLEBLANC\nPrénoms/Given names\nSOPHIE ANNE\n"
            "Nationalité/Nationality\nCANADIENNE\nDate de naissance/Date of birth 03 MAR/MAR 91\n"
            "Sexe/Sex F Lieu de naissance/Place of birth SHERBROOKE"
        )
        (m,) = extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names) == ("LEBLANC", "SOPHIE ANNE")
        assert m.date_of_birth == dt.date(1991, 3, 3)
        assert m.source == "label"
        assert "LEBLANC" in (m.text or "") and m.bbox is not None

    def test_labels_and_values_on_one_line(self) -> None:
        text = "CARTE NATIONALE D'IDENTITÉ\nNom : DIOP\nPrénoms : AMINATA\nNé(e) le : 21/07/1985"
        (m,) = extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "DIOP",
            "AMINATA",
            dt.date(1985, 7, 21),
        )

    def test_two_columns_of_labels_interleaved_by_height(self) -> None:
        """GIVEN 'Nom' in the left column and 'Prénoms' in the right one, each value under its
        label, so that lines ordered by height interleave WHEN read THEN each value is the one
        under its own label."""
        words = (
            OcrWord(text="Nom", conf=90, bbox=(100, 100, 160, 130), block=1, line=1),
            OcrWord(text="Prénoms", conf=90, bbox=(600, 102, 720, 132), block=2, line=1),
            OcrWord(text="AMINATA", conf=90, bbox=(600, 150, 740, 180), block=2, line=2),
            OcrWord(text="DIOP", conf=90, bbox=(100, 152, 180, 182), block=1, line=2),
        )
        (m,) = extract_mentions(PageOcr(page_no=1, words=words), doc_type=T.OTHER, nlp=None)
        assert (m.family_name, m.given_names) == ("DIOP", "AMINATA")

    def test_labels_heading_columns(self) -> None:
        """GIVEN a row of labels with the values in the row below WHEN read THEN each value is
        the one under its label."""
        text = "Nom        Prénoms        Date de naissance\nDIOP       AMINATA        21.07.1985"
        (m,) = extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names) == ("DIOP", "AMINATA")
        assert m.date_of_birth == dt.date(1985, 7, 21)

    def test_birth_certificate_parents_are_not_the_subject(self) -> None:
        """GIVEN a birth certificate naming the child and both parents WHEN read THEN only the
        child is a mention, with the birth date from 'Née le'."""
        text = (
            "COPIE D'ACTE DE NAISSANCE\nNom : LEBLANC   Prénoms : Sophie Anne\n"
            "Née le 3 mars 1991 à Sherbrooke\nNom du père : LEBLANC Marc\n"
            "Nom de la mère : CÔTÉ Julie"
        )
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "LEBLANC",
            "Sophie Anne",
            dt.date(1991, 3, 3),
        )

    def test_parents_birth_dates_are_not_the_subjects(self) -> None:
        """GIVEN a certificate giving the father's birth date before the child's WHEN read THEN
        the child's birth date is the one kept."""
        text = (
            "Nom : LEBLANC   Prénoms : Sophie\nDate de naissance du père : 12/03/1960\n"
            "Née le 3 mars 1991\nFather's date of birth: 1960-01-01"
        )
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert m.date_of_birth == dt.date(1991, 3, 3)

    def test_labels_misread_by_ocr(self) -> None:
        """GIVEN 'Non: de familie', 'Sumame' and 'Lieu de narssance' as OCR read them WHEN read
        THEN the labels are still recognised."""
        text = "Non: de familie\nBOUZID\nLieu de narssance\nTizi Ouzou\nPrenoms\nYoussef"
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names) == ("BOUZID", "Youssef")
        (m,) = extract_mentions(_ocr("Nom / Sumame\nNDJOCK"), doc_type=T.OTHER, nlp=None)
        assert m.family_name == "NDJOCK"

    def test_dot_leaders_read_as_letters(self) -> None:
        """GIVEN labels joined to their values by dot leaders, which OCR reads as small letters
        and dots ('oo. cc cecccsecs') WHEN read THEN the values are the names after them; a
        particle opening a name stays."""
        text = ("EXTRAIT D'ACTE DE NAISSANCE\n"
                "Nom / Name oo. cc cecccsecscsseesessessesessessesseneeneens AUGUSNIN\n"
                "Prénoms / Given names oo... cece eeeeeeeeees Réginald\n"
                "Date de naissance / Date of birth 0.0... 10.09.1996")
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "AUGUSNIN", "Réginald", dt.date(1996, 9, 10))
        (m,) = extract_mentions(_ocr("Nom : de la Cruz\nPrénoms : Ana"),
                                doc_type=T.BIRTH_CERTIFICATE, nlp=None)  # fmt: skip
        assert m.family_name == "de la Cruz"

    def test_a_birth_date_carries_the_ocr_confidence_of_its_year(self) -> None:
        """The lowest confidence among the page's words that hold the year: a record in prose
        states the date lines away from the name."""
        ocr = _ocr("Nom : FALL\nPrénoms : Awa\nDate de naissance : 15.01.1994\nRéf. 3/1994")
        words = tuple(w.model_copy(update={"conf": 12.0}) if w.text == "15.01.1994" else w
                      for w in ocr.words)  # fmt: skip
        (m,) = extract_mentions(ocr.model_copy(update={"words": words}),
                                doc_type=T.BIRTH_CERTIFICATE, nlp=None)  # fmt: skip
        assert (m.date_of_birth, m.date_confidence) == (dt.date(1994, 1, 15), 12.0)
        (m,) = extract_mentions(_ocr("Nom : FALL\nPrénoms : Awa"), doc_type=T.BIRTH_CERTIFICATE,
                                nlp=None)  # fmt: skip
        assert m.date_confidence is None

    def test_english_birth_certificate(self) -> None:
        text = (
            "Certificate of Birth\nName of child: Kwame Mensah\n"
            "Date of birth: 14 June 2004   Place of birth: Kumasi\n"
            "Father's name: Kofi Mensah\nMother's name: Ama Owusu"
        )
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.full_name, m.date_of_birth) == ("Kwame Mensah", dt.date(2004, 6, 14))

    def test_marriage_names_both_spouses_with_their_birth_dates(self) -> None:
        text = (
            "CERTIFICAT DE MARIAGE\nÉpoux : Karim Haddad, né le 9 janvier 1984\n"
            "Épouse : Leïla Mansour, née le 30 août 1987\nDate du mariage : 5 juillet 2012"
        )
        mentions = extract_mentions(_ocr(text), doc_type=T.MARRIAGE_CERTIFICATE, nlp=None)
        assert [(m.full_name, m.date_of_birth) for m in mentions] == [
            ("Karim Haddad", dt.date(1984, 1, 9)),
            ("Leïla Mansour", dt.date(1987, 8, 30)),
        ]

    def test_joint_lease_names_every_tenant_but_not_the_landlord(self) -> None:
        text = "BAIL\nLocataires : Daniel Ortiz et Rosa Lima\nLocateur : Jean Roy"
        mentions = extract_mentions(_ocr(text), doc_type=T.RESIDENCE_PROOF, nlp=None)
        assert [m.full_name for m in mentions] == ["Daniel Ortiz", "Rosa Lima"]

    def test_a_money_transfer_names_its_beneficiary_not_the_sender(self) -> None:
        """The dependant lives on the money; the sender (often the principal) pays it."""
        text = ("HISTORIQUE DES TRANSFERTS\nExpéditeur : ABDOULAYE FALL\n"
                "Bénéficiaire : AWA FALL\nSender: Moussa Diop\nBeneficiary: Khady Diop")
        mentions = extract_mentions(_ocr(text), doc_type=T.FINANCIAL_DEPENDENCY_PROOF, nlp=None)
        assert [m.full_name for m in mentions] == ["AWA FALL", "Khady Diop"]

    def test_a_mention_carries_the_ocr_confidence_of_its_name_words(self) -> None:
        words = (
            OcrWord(text="Nom", conf=96, bbox=(10, 0, 46, 30), line=0),
            OcrWord(text=":", conf=90, bbox=(58, 0, 70, 30), line=0),
            OcrWord(text="MUROZ", conf=67, bbox=(82, 0, 142, 30), line=0),
            OcrWord(text="Prénoms", conf=95, bbox=(10, 40, 94, 70), line=1),
            OcrWord(text=":", conf=90, bbox=(106, 40, 118, 70), line=1),
            OcrWord(text="SEBASTIÁN", conf=95, bbox=(130, 40, 238, 70), line=1),
        )
        (m,) = extract_mentions(PageOcr(page_no=5, words=words), doc_type=T.IDENTITY_DOCUMENT,
                                nlp=None)  # fmt: skip
        assert (m.family_name, m.ocr_confidence) == ("MUROZ", 67.0)

    def test_english_labels(self) -> None:
        text = "Surname: OKAFOR\nGiven names: CHIDI EMEKA\nDate of birth: 1990-05-12"
        (m,) = extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "OKAFOR",
            "CHIDI EMEKA",
            dt.date(1990, 5, 12),
        )

    def test_family_comma_given(self) -> None:
        text = "Patient : TREMBLAY, Luc\nDate de naissance : 2 février 1999"
        (m,) = extract_mentions(_ocr(text), doc_type=T.MEDICAL_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names) == ("TREMBLAY", "Luc")

    def test_box_is_the_union_of_the_words(self) -> None:
        (m,) = extract_mentions(_ocr("Titulaire : Sophie Leblanc"), doc_type=T.OTHER, nlp=None)
        assert m.bbox == (10, 0, 10 + 12 * 23 + 12 * 3, 30)

    def test_prose_is_not_a_label(self) -> None:
        """GIVEN 'mon patient, Luc ...' in running text WHEN read without a model THEN no label
        value swallows the sentence; the name is still found in the prose."""
        text = "Je certifie que mon patient, Luc Tremblay, présente une condition médicale."
        mentions = extract_mentions(_ocr(text), doc_type=T.MEDICAL_CERTIFICATE, nlp=None)
        assert [(m.full_name, m.source) for m in mentions] == [("Luc Tremblay", "ner")]

    def test_two_column_table_without_separators(self) -> None:
        """GIVEN 'Nom DIOP' / 'Prénoms CHEIKH' / 'Né(e) le 1982-04-25' rows WHEN read THEN one
        person; a prose line opening with a label word is not a label."""
        text = "Rubrique Mention\nNom DIOP\nPrénoms CHEIKH\nNé(e) le 1982-04-25\nPatient stable"
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "DIOP",
            "CHEIKH",
            dt.date(1982, 4, 25),
        )

    def test_a_ruled_table_s_bars_around_its_rows(self) -> None:
        """GIVEN the rows of a ruled table read with its rules as bars ('| Nom BA-DIALLO |')
        WHEN read THEN the labelled person, bars left out."""
        text = ("Rubrique a ba eee = fe\n| Nom BA-DIALLO |\n| Prénoms MAMADOU LAMINE |\n"
                "Né(e) le 5 juillet 2008 |\n| Sexe Masculin |")
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "BA-DIALLO", "MAMADOU LAMINE", dt.date(2008, 7, 5))

    def test_inclusive_endings_and_comma_order(self) -> None:
        text = "Patient(e) MARTINEZ ORTIZ, Valentina\nNé(e) le 14 février 1981"
        (m,) = extract_mentions(_ocr(text), doc_type=T.MEDICAL_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "MARTINEZ ORTIZ",
            "Valentina",
            dt.date(1981, 2, 14),
        )

    def test_name_label_then_given_names_label_is_one_person(self) -> None:
        text = "Name / Nom KOVALENKO\nGiven names / Prénoms Yuliia\nFather / Père Ahmad Kovalenko"
        (m,) = extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names) == ("KOVALENKO", "Yuliia")


class TestProse:
    def test_civil_record_in_prose(self) -> None:
        """GIVEN an act naming both spouses with 'né(e) le' across a line break WHEN read THEN
        both, with their birth dates."""
        text = (
            "Le 10 novembre 1997, à Homs, ont comparu publiquement NASSER Tarek, né(e) le\n"
            "1970-05-03, et NOUR HAMWI, né(e) le 2 mai 1972, lesquels ont déclaré"
        )
        mentions = extract_mentions(_ocr(text), doc_type=T.MARRIAGE_CERTIFICATE, nlp=None)
        assert [(m.full_name, m.date_of_birth) for m in mentions[:2]] == [
            ("NASSER Tarek", dt.date(1970, 5, 3)),
            ("NOUR HAMWI", dt.date(1972, 5, 2)),
        ]

    def test_named_in_prose_and_document_words_are_not_names(self) -> None:
        text = "CERTIFICATE OF BIRTH\nwas born at Kyiv a boy, named Serhii SHEVCHENKO, child of"
        mentions = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert [m.full_name for m in mentions] == ["Serhii SHEVCHENKO"]

    @pytest.mark.parametrize(("text", "name", "born"), [
        ("ACTE DE NAISSANCE\nLe 8 mars 1967, par-devant nous, officier de l'état civil, a "
         "comparu Pierre Nzuzi, lequel nous a\ndéclaré que le 28 décembre 1966 est né à Goma "
         "un enfant de sexe masculin, prénommé(e) Trésor, de son\nunion avec Amina Laguerre.",
         (None, "Trésor", None), dt.date(1966, 12, 28)),
        ("CERTIFICATE OF BIRTH\nOn October 24, 2014, before us, registrar of civil status, "
         "appeared Pierre Noori,\nwho declared that on October 1, 2014 was born at Herat a "
         "girl, named Zahra\nNOORI, child of the declarant and of Marie Morel.",
         (None, None, "Zahra NOORI"), dt.date(2014, 10, 1)),
        # "prénommé(e)" names given names, however many; the family name comes apart, later.
        ("ACTE DE NAISSANCE\nLe 18 janvier 1999, par-devant nous, officier de l'état civil, a "
         "comparu Emmanuel\nNgo Bassa, lequel nous a déclaré que le 13 janvier 1999 est né à "
         "Yaoundé un enfant\nde sexe masculin, prénommé(e) Boris Junior, de son union avec "
         "Josette Lucia\nMbala. Nom de l'enfant : NGO BASSA. lecture faite, le comparant a "
         "signé avec\nnous le présent acte.",
         ("NGO BASSA", "Boris Junior", None), dt.date(1999, 1, 13)),
        ("ACTE DE NAISSANCE\nque le 2 mai 1980 est née à Jacmel une enfant de sexe féminin,\n"
         "prénommée Rose, ayant pour nom Étienne.",
         ("Étienne", "Rose", None), dt.date(1980, 5, 2)),
    ])
    def test_a_record_in_prose_gives_the_birth_before_the_name(
        self, text: str, name: tuple, born: dt.date
    ) -> None:
        """The registrar's date of declaration opens the record; the birth date is the one
        the verb follows, and the child is named after it."""
        mentions = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert [(*n, m.date_of_birth) for n, m in zip(_names(mentions), mentions, strict=True)
                if m.date_of_birth] == [(*name, born)]

    def test_names_stacked_in_capitals_without_labels(self) -> None:
        """GIVEN a certificate whose label column OCR lost: family name, given names and birth
        date on three lines WHEN read THEN one person with the date."""
        text = "COPIE D'ACTE DE NAISSANCE\nÉTIENNE\nJEAN-ROBERT\n4 janvier 1965\nFait à Jacmel"
        (m,) = extract_mentions(_ocr(text), doc_type=T.BIRTH_CERTIFICATE, nlp=None)
        assert (m.family_name, m.given_names, m.date_of_birth) == (
            "ÉTIENNE",
            "JEAN-ROBERT",
            dt.date(1965, 1, 4),
        )

    def test_courtesy_title(self) -> None:
        text = "Je connais Mme Sophie Leblanc depuis six ans."
        mentions = extract_mentions(_ocr(text), doc_type=T.SUPPORTING_LETTER, nlp=None)
        assert [(m.full_name, m.source) for m in mentions] == [("Sophie Leblanc", "heading")]

    def test_addressee_above_a_postal_code(self) -> None:
        text = (
            "Hydro-Québec\nVotre facture\nSOPHIE LEBLANC Montant à payer\n4410 RUE FABRE\n"
            "MONTREAL QC H2J 3V2"
        )
        mentions = extract_mentions(_ocr(text), doc_type=T.RESIDENCE_PROOF, nlp=None)
        assert [(m.full_name, m.source) for m in mentions] == [("SOPHIE LEBLANC", "heading")]

    def test_person_entities_of_a_letter_in_capitals(self, nlp: spacy.Language) -> None:
        """GIVEN a letter typed in capitals WHEN read with the French model THEN the names are
        found (the text is title-cased first, as the model mislabels capitals)."""
        text = (
            "OBJET : APPUI À LA DEMANDE DE SOPHIE LEBLANC\n"
            "JE CONNAIS SOPHIE LEBLANC DEPUIS SIX ANS.\nHÉLÈNE ROY"
        )
        mentions = extract_mentions(_ocr(text), doc_type=T.SUPPORTING_LETTER, nlp=nlp)
        names = [m.full_name for m in mentions]
        assert "Sophie Leblanc" in names
        assert all(m.source == "ner" and m.bbox for m in mentions)

    def test_union_declaration_names_both_partners(self, nlp: spacy.Language) -> None:
        text = (
            "DÉCLARATION SOLENNELLE D'UNION DE FAIT\nNous, soussignés, Daniel Ortiz et Rosa "
            "Lima, déclarons vivre en union de fait depuis le 1er mai 2016."
        )
        mentions = extract_mentions(_ocr(text), doc_type=T.UNION_PROOF, nlp=nlp)
        assert {m.full_name for m in mentions} >= {"Daniel Ortiz", "Rosa Lima"}

    def test_identity_documents_are_read_from_labels_only(self, nlp: spacy.Language) -> None:
        text = "PASSEPORT\nAutorité : Jean Roy, agent"
        assert extract_mentions(_ocr(text), doc_type=T.IDENTITY_DOCUMENT, nlp=nlp) == ()

    def test_text_layer_page(self) -> None:
        page = PageOcr(page_no=2, source="text_layer", text_layer="Nom : DIOP\nPrénoms : AWA")
        (m,) = extract_mentions(page, doc_type=T.IDENTITY_DOCUMENT, nlp=None)
        assert (m.family_name, m.given_names, m.bbox) == ("DIOP", "AWA", None)
