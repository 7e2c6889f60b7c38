"""Page classification and grouping, on hand-written French and English samples."""

from __future__ import annotations

import pytest
import spacy

from extractors.classify import DocTypeMatcher, build_matcher, classify_page, group_documents
from schemas.codes import DocType
from schemas.config import ClassifyConfig
from schemas.extraction import ClassifiedPage
from schemas.ocr import OcrWord, PageOcr
from schemas.quality import PageQuality

T = DocType

SAMPLES: dict[str, tuple[DocType, str]] = {
    "passport_fr_en": (
        T.IDENTITY_DOCUMENT,
        """CANADA
PASSEPORT PASSPORT
Type/Type P   Code du pays/Issuing country CAN
Nom/Surname
LEBLANC
Prénoms/Given names
SOPHIE ANNE
Nationalité/Nationality CANADIENNE/CANADIAN
Date de naissance/Date of birth 03 MAR/MAR 91
Sexe/Sex F   Lieu de naissance/Place of birth SHERBROOKE CAN
Date d'expiration/Date of expiry 14 JUIN/JUN 31""",
    ),
    "id_card_fr": (
        T.IDENTITY_DOCUMENT,
        """RÉPUBLIQUE DU SÉNÉGAL
CARTE NATIONALE D'IDENTITÉ
Nom : DIOP
Prénoms : AMINATA
Né(e) le : 21/07/1985 à DAKAR
Date de délivrance : 02/02/2019
Date d'expiration : 01/02/2029""",
    ),
    "birth_fr": (
        T.BIRTH_CERTIFICATE,
        """Directeur de l'état civil
COPIE D'ACTE DE NAISSANCE
Nom : LEBLANC   Prénoms : Sophie Anne
Née le 3 mars 1991 à Sherbrooke
Nom du père : LEBLANC Marc
Nom de la mère : CÔTÉ Julie""",
    ),
    "birth_en": (
        T.BIRTH_CERTIFICATE,
        """REPUBLIC OF GHANA
Certificate of Birth
Name of child: Kwame Mensah
Date of birth: 14 June 2004   Place of birth: Kumasi
Father's name: Kofi Mensah
Mother's name: Ama Owusu
Registrar of Births and Deaths""",
    ),
    "marriage_fr": (
        T.MARRIAGE_CERTIFICATE,
        """ÉTAT CIVIL
CERTIFICAT DE MARIAGE
Époux : Karim Haddad, né le 9 janvier 1984
Épouse : Leïla Mansour, née le 30 août 1987
Date du mariage : 5 juillet 2012   Lieu du mariage : Beyrouth""",
    ),
    "marriage_en": (
        T.MARRIAGE_CERTIFICATE,
        """Certificate of Marriage
This is to certify that Daniel Ortiz and Rosa Lima were married on May 2, 2015 in Bogotá.
Officiant: Rev. P. Gomez
Witnesses: A. Ruiz, M. Torres""",
    ),
    "union_fr": (
        T.UNION_PROOF,
        """DÉCLARATION SOLENNELLE D'UNION DE FAIT
Nous, soussignés, Daniel Ortiz et Rosa Lima, déclarons faire vie commune en union de fait
depuis le 1er mai 2016 et cohabitons à la même adresse.
Assermenté devant moi, commissaire à l'assermentation""",
    ),
    "union_en": (
        T.UNION_PROOF,
        """Statutory Declaration of Common-Law Union
We, Daniel Ortiz and Rosa Lima, declare that we have lived together in a conjugal
relationship since May 1, 2016.
Declared before me, Commissioner of Oaths""",
    ),
    "lease_fr": (
        T.RESIDENCE_PROOF,
        """BAIL DE LOGEMENT
Entre le locateur : Immeubles Rivard inc.
et le locataire : Sophie Leblanc
Logement situé au 4410, rue Fabre, Montréal (Québec) H2J 3V2
Loyer mensuel : 1 050 $, payable le 1er de chaque mois""",
    ),
    "bill_fr": (
        T.RESIDENCE_PROOF,
        """Hydro-Québec
Votre facture
SOPHIE LEBLANC
4410 RUE FABRE MONTREAL QC H2J 3V2
Période de facturation : du 2 août au 1er oct.
Montant dû : 142,18 $   Date d'échéance : 22 octobre""",
    ),
    "bank_en": (
        T.RESIDENCE_PROOF,
        """National Bank
Account statement
Ms. Sophie Leblanc, 4410 Fabre St, Montreal QC H2J 3V2
Account number 0012-345   Period: Sept 1 - Sept 30
Opening balance 812.40  Deposit 2,100.00  Withdrawal 1,050.00""",
    ),
    "medical_fr": (
        T.MEDICAL_CERTIFICATE,
        """Clinique médicale du Plateau
CERTIFICAT MÉDICAL
Je soussigné, Dr Paul Gagné, médecin, certifie que mon patient Kwame Mensah présente
une condition médicale qui l'empêche de subvenir à ses besoins. Diagnostic : …
No de permis : 98765""",
    ),
    "medical_en": (
        T.MEDICAL_CERTIFICATE,
        """Medical Report
Patient: Kwame Mensah
Diagnosis: chronic condition requiring daily treatment at our clinic.
Prognosis: permanent disability.
Dr. A. Patel, physician, licence number 5512""",
    ),
    "financial_fr": (
        T.FINANCIAL_DEPENDENCY_PROOF,
        """Attestation de dépendance financière
Je soussignée Ama Mensah déclare que mon fils Kwame dépend financièrement de moi depuis
l'âge de 22 ans. Relevé des virements mensuels joint.""",
    ),
    "financial_en": (
        T.FINANCIAL_DEPENDENCY_PROOF,
        """Affidavit of Support
I declare that my son has depended financially on me since the age of 22 and that I meet
his financial needs through monthly payments.""",
    ),
    "letter_fr": (
        T.SUPPORTING_LETTER,
        """Montréal, le 4 octobre
Objet : lettre d'appui
Madame, Monsieur,
Je connais Mme Leblanc depuis six ans ; elle est bénévole et suit des cours de français.
Veuillez agréer, Madame, Monsieur, mes salutations distinguées.
Hélène Roy""",
    ),
    "letter_en": (
        T.SUPPORTING_LETTER,
        """Re: Sophie Leblanc
Dear Sir or Madam,
I have known Ms. Leblanc for six years as a volunteer at our food bank.
Yours sincerely,
Mark Stone""",
    ),
}

# OCR-noisy copies: letters read as digits, i as l, m as rn, a missing accent or letter.
NOISY: dict[str, tuple[DocType, str]] = {
    "passport": (T.IDENTITY_DOCUMENT, "PASSEP0RT / PASSP0RT\nNorn/Surnarne LEBLANC\nNatlonallte"),
    "birth": (
        T.BIRTH_CERTIFICATE,
        "ACTE DE NAlSSANCE\nExtralt du reglstre de l'etat clvil\nNée le",
    ),
    "marriage": (T.MARRIAGE_CERTIFICATE, "CERTlFICAT DE MARlAGE\nEp0ux : K. Haddad\nEpouse : L."),
    "lease": (T.RESIDENCE_PROOF, "BAlL DE L0GEMENT\nLocatalre : S. Leblanc\nLoyer rnensuel"),
    "medical": (T.MEDICAL_CERTIFICATE, "CERTlFICAT MEDlCAL\nMedecln traltant : Dr Gagne"),
    "letter": (T.SUPPORTING_LETTER, "Madarne, Monsleur,\nJe connais Mme Leblanc.\nCordlalement"),
}


@pytest.fixture(scope="module")
def matcher() -> DocTypeMatcher:
    from schemas.config import DATA_DIR

    return build_matcher(spacy.blank("fr"), DATA_DIR / "doc_types.toml")


CFG = ClassifyConfig()


def _quality(page_no: int = 1, *, blank: bool = False) -> PageQuality:
    return PageQuality(page_no=page_no, legibility=0.9, legible=True, complete=True, blank=blank)


def _ocr(text: str, page_no: int = 1) -> PageOcr:
    """OCR words of ``text``, one Tesseract line per text line."""
    words = [
        OcrWord(text=w, conf=90, bbox=(10 * j, 40 * i, 10 * j + 9, 40 * i + 30), line=i)
        for i, line in enumerate(text.splitlines())
        for j, w in enumerate(line.split())
    ]
    return PageOcr(page_no=page_no, words=tuple(words))


def _classify(text: str, matcher: DocTypeMatcher, **kw: object) -> ClassifiedPage:
    page_no = int(kw.pop("page_no", 1))  # type: ignore[call-overload]
    return classify_page(
        _ocr(text, page_no), quality=_quality(page_no), matcher=matcher, cfg=CFG, **kw
    )


class TestClassifyPage:
    @pytest.mark.parametrize("name", sorted(SAMPLES))
    def test_each_kind_in_both_languages(self, name: str, matcher: DocTypeMatcher) -> None:
        expected, text = SAMPLES[name]
        page = _classify(text, matcher)
        assert page.doc_type is expected, page.evidence
        assert 0.0 < page.confidence <= 1.0

    @pytest.mark.parametrize("name", sorted(NOISY))
    def test_ocr_noise(self, name: str, matcher: DocTypeMatcher) -> None:
        """GIVEN a copy where OCR read 0 for O, l for i, rn for m WHEN classified THEN the type
        is still found."""
        expected, text = NOISY[name]
        assert _classify(text, matcher).doc_type is expected

    def test_weak_evidence_is_other_not_a_guess(self, matcher: DocTypeMatcher) -> None:
        """GIVEN a recipe that mentions an address WHEN classified THEN it is other."""
        page = _classify(
            "Recette de pâté chinois\n2 tasses de maïs\nadresse : chez grand-maman", matcher
        )
        assert page.doc_type is T.OTHER
        assert "weak evidence" in page.evidence

    def test_a_birth_registration_record(self, matcher: DocTypeMatcher) -> None:
        text = ("ISLAMIC REPUBLIC OF AFGHANISTAN\nMunicipal Registry Office\n"
                "BIRTH REGISTRATION RECORD\nName AHMADI\nGiven names FARZANA\nSex Female")
        assert _classify(text, matcher).doc_type is T.BIRTH_CERTIFICATE

    def test_tie_is_other(self, matcher: DocTypeMatcher) -> None:
        """GIVEN a page naming two kinds of document equally WHEN classified THEN other."""
        page = _classify("Passport\nBirth certificate", matcher)
        assert page.doc_type is T.OTHER
        assert any(e.startswith("best guess: ") for e in page.evidence)

    def test_a_phrase_wrapped_across_lines_counts(self, matcher: DocTypeMatcher) -> None:
        """GIVEN a city's address confirmation, worded as a letter, whose "preuve de résidence"
        wraps across two lines WHEN classified THEN it is a proof of residence, not a tie
        with a letter's greeting and closing."""
        page = _classify(
            "Ville de Toronto\nBureau des taxes\nToronto, 1er avril 2026\nANA GONZALEZ\n"
            "9443 DUNDAS STREET\nTORONTO (ON)\nAVIS DE CONFIRMATION D'ADRESSE\nMadame, Monsieur,\n"
            "Nous confirmons que la personne est inscrite à l'adresse ci-dessus. Le présent "
            "avis peut servir de preuve de\nrésidence.\nVeuillez agréer nos salutations "
            "distinguées.", matcher)
        assert page.doc_type is T.RESIDENCE_PROOF, page.evidence

    def test_mrz_alone_makes_an_identity_document(self, matcher: DocTypeMatcher) -> None:
        """GIVEN a page whose only readable part is a machine-readable zone WHEN classified with
        has_mrz THEN it is an identity document, and says why."""
        page = _classify("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", matcher, has_mrz=True)
        assert page.doc_type is T.IDENTITY_DOCUMENT
        assert "machine-readable zone" in page.evidence
        assert _classify("P<UTOERIKSSON<<ANNA<MARIA", matcher).doc_type is T.OTHER

    def test_letter_quoting_a_document_title_stays_a_letter(self, matcher: DocTypeMatcher) -> None:
        text = SAMPLES["letter_fr"][1] + "\nVous trouverez ci-joint son acte de naissance."
        assert _classify(text, matcher).doc_type is T.SUPPORTING_LETTER

    def test_joint_lease_of_spouses_is_a_union_proof(self, matcher: DocTypeMatcher) -> None:
        """GIVEN a lease whose tenants are 'locataires conjoints' WHEN classified THEN it is a
        proof of union (a decisive phrase), though it has every word of a lease."""
        text = (
            "BAIL DE LOGEMENT\nLocataires conjoints, solidairement responsables\n"
            "Entre le locateur : Gestion ABC\net les locataires : Daniel Ortiz, Rosa Lima\n"
            "Loyer mensuel : 1 050 $\nDescription du logement : 4410 rue Fabre"
        )
        assert _classify(text, matcher).doc_type is T.UNION_PROOF

    def test_blank_page(self, matcher: DocTypeMatcher) -> None:
        page = classify_page(_ocr(". ,"), quality=_quality(blank=True), matcher=matcher, cfg=CFG)
        assert page.doc_type is T.BLANK

    def test_recognised_form_page(self, matcher: DocTypeMatcher) -> None:
        page = classify_page(
            PageOcr(page_no=2, source="none"),
            quality=_quality(2),
            matcher=matcher,
            cfg=CFG,
            is_form_page=2,
        )
        assert (page.doc_type, page.form_page, page.confidence) == (T.APPLICATION_FORM, 2, 1.0)

    def test_form_page_the_reader_missed_is_still_the_form(self, matcher: DocTypeMatcher) -> None:
        """GIVEN the text of form page 3 (the reader could not register it) WHEN classified THEN
        it is the form's page 3, although it lists other documents' names."""
        text = (
            "DEMANDE DE SÉLECTION PERMANENTE\nAPPLICATION FOR PERMANENT SELECTION\n"
            "SECTION 5 — DOCUMENTS JOINTS / ENCLOSED DOCUMENTS\nPasseport ou pièce d'identité\n"
            "Acte de naissance\nActe de mariage ou preuve d'union de fait\n"
            "PCH-DSP (facsimilé d'essai / test facsimile) Page 3 / 3"
        )
        page = _classify(text, matcher)
        assert (page.doc_type, page.form_page) == (T.APPLICATION_FORM, 3)

    @pytest.mark.parametrize(
        ("name", "language"),
        [("letter_fr", "fr"), ("letter_en", "en"), ("union_en", "en"), ("financial_fr", "fr")],
    )
    def test_language(self, name: str, language: str, matcher: DocTypeMatcher) -> None:
        assert _classify(SAMPLES[name][1], matcher).language == language


def _page(no: int, doc_type: DocType, *evidence: str) -> ClassifiedPage:
    return ClassifiedPage(page_no=no, doc_type=doc_type, confidence=0.8, evidence=evidence)


class TestGroupDocuments:
    def test_consecutive_pages_of_one_type_without_a_new_title(self) -> None:
        """GIVEN a lease on pages 4-5 whose page 5 has no title WHEN grouped THEN one document."""
        pages = [
            _page(4, T.RESIDENCE_PROOF, "title: residence_proof"),
            _page(5, T.RESIDENCE_PROOF, "residence_proof: loyer"),
        ]
        assert group_documents(pages) == [(T.RESIDENCE_PROOF, (4, 5))]

    def test_a_new_title_starts_a_new_document(self) -> None:
        """GIVEN two birth certificates in a row, each titled WHEN grouped THEN two documents."""
        pages = [
            _page(4, T.BIRTH_CERTIFICATE, "title: birth_certificate"),
            _page(5, T.BIRTH_CERTIFICATE, "title: birth_certificate"),
        ]
        assert group_documents(pages) == [(T.BIRTH_CERTIFICATE, (4,)), (T.BIRTH_CERTIFICATE, (5,))]

    def test_page_k_of_n_continues_even_with_its_header(self) -> None:
        pages = [
            _page(4, T.RESIDENCE_PROOF, "title: residence_proof", "first page: page 1/2"),
            _page(5, T.RESIDENCE_PROOF, "title: residence_proof", "continued: page 2/2"),
        ]
        assert group_documents(pages) == [(T.RESIDENCE_PROOF, (4, 5))]

    def test_a_title_of_another_kind_outweighs_a_continued_cue(self) -> None:
        """GIVEN a birth certificate, then a passport whose garbled OCR holds the word "suite"
        WHEN grouped THEN two documents: the passport's title and zone start its own."""
        pages = [
            _page(7, T.BIRTH_CERTIFICATE, "title: birth_certificate"),
            _page(8, T.IDENTITY_DOCUMENT, "machine-readable zone", "title: identity_document",
                  "continued: suite"),
        ]
        assert group_documents(pages) == [(T.BIRTH_CERTIFICATE, (7,)), (T.IDENTITY_DOCUMENT, (8,))]

    def test_weak_page_after_a_typed_page_joins_it(self) -> None:
        """GIVEN a medical certificate then a page with weak evidence WHEN grouped THEN the
        weak page is the certificate's second page."""
        pages = [
            _page(6, T.MEDICAL_CERTIFICATE, "title: medical_certificate"),
            _page(7, T.OTHER, "weak evidence"),
        ]
        assert group_documents(pages) == [(T.MEDICAL_CERTIFICATE, (6, 7))]

    def test_ambiguous_page_does_not_join(self) -> None:
        pages = [
            _page(6, T.MEDICAL_CERTIFICATE, "title: medical_certificate"),
            _page(7, T.OTHER, "best guess: birth_certificate (tied)", "title: identity_document"),
        ]
        assert group_documents(pages) == [(T.MEDICAL_CERTIFICATE, (6,)), (T.OTHER, (7,))]

    def test_second_mrz_is_a_second_identity_document(self) -> None:
        pages = [
            _page(4, T.IDENTITY_DOCUMENT, "machine-readable zone"),
            _page(5, T.IDENTITY_DOCUMENT, "machine-readable zone"),
        ]
        assert group_documents(pages) == [(T.IDENTITY_DOCUMENT, (4,)), (T.IDENTITY_DOCUMENT, (5,))]

    def test_blank_pages_belong_to_no_document_and_do_not_split_one(self) -> None:
        pages = [
            _page(1, T.APPLICATION_FORM),
            _page(2, T.APPLICATION_FORM),
            _page(3, T.APPLICATION_FORM),
            _page(4, T.RESIDENCE_PROOF, "title: residence_proof"),
            _page(5, T.BLANK),
            _page(6, T.RESIDENCE_PROOF, "continued: page 2/2"),
        ]
        assert group_documents(pages) == [
            (T.APPLICATION_FORM, (1, 2, 3)),
            (T.RESIDENCE_PROOF, (4, 6)),
        ]

    def test_type_change_starts_a_new_document(self) -> None:
        pages = [
            _page(4, T.IDENTITY_DOCUMENT, "title: identity_document"),
            _page(5, T.BIRTH_CERTIFICATE, "birth_certificate: ne le"),
        ]
        assert group_documents(pages) == [(T.IDENTITY_DOCUMENT, (4,)), (T.BIRTH_CERTIFICATE, (5,))]

    def test_pages_are_taken_in_packet_order(self) -> None:
        pages = [_page(5, T.RESIDENCE_PROOF), _page(4, T.RESIDENCE_PROOF, "title: residence_proof")]
        assert group_documents(pages) == [(T.RESIDENCE_PROOF, (4, 5))]
