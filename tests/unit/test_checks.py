"""The intake rules, one scenario each, on typed inputs built by hand (no OCR)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pytest

from extractors.checks import run_checks
from extractors.consistency import _plausible
from extractors.mrz import check_digit, parse_td3
from extractors.people import people_from_form
from schemas.codes import DocType, FieldStatus, FlagCode, Severity
from schemas.config import PipelineConfig, load_config
from schemas.extraction import (
    ClassifiedPage,
    DocumentFacts,
    FieldRead,
    FormPageRead,
    MrzRead,
    PersonMention,
)
from schemas.flags import Flag
from schemas.form import load_form_layout
from schemas.quality import PageQuality
from schemas.registry import Registry, RegistryEntry

T, F, D = DocType, FlagCode, dt.date
CFG: PipelineConfig = load_config()
LAYOUT = load_form_layout()
RECEIVED = D(2026, 11, 2)
DOSSIER = "PCH-2026-004512"

#: A complete application: principal, spouse (member1) and a 10-year-old child (member2).
FORM: dict[str, str] = {
    "family_name": "TREMBLAY",
    "given_names": "MARIE-ÈVE",
    "date_of_birth": "1988-04-12",
    "sex": "F",
    "country_of_birth": "HAITI",
    "citizenship": "HAITI",
    "uci": "1234567890",
    "marital_status": "married",
    "street": "4410 RUE FABRE",
    "municipality": "MONTREAL",
    "postal_code": "H2J3V2",
    "telephone": "5145550123",
    "french_level": "advanced",
    "english_level": "basic",
    "member1_family_name": "OKAFOR",
    "member1_given_names": "CHIDI",
    "member1_relationship": "1",
    "member1_date_of_birth": "1986-01-30",
    "member1_residence": "quebec",
    "member1_included": "yes",
    "member1_has_spouse": "yes",
    "member2_family_name": "TREMBLAY",
    "member2_given_names": "LUC",
    "member2_relationship": "2",
    "member2_date_of_birth": "2016-06-01",
    "member2_residence": "quebec",
    "member2_included": "yes",
    "member2_has_spouse": "no",
    "enclosed_identity": "yes",
    "enclosed_birth": "yes",
    "enclosed_union": "yes",
    "enclosed_residence": "yes",
    "signature": "true",
    "date_signed": "2026-10-28",
    "place_signed": "MONTREAL",
}
#: Supporting documents from packet page 4 on: (type, person, mention).
DOCS: list[tuple[DocType, str, PersonMention]] = [
    (
        T.IDENTITY_DOCUMENT,
        "principal",
        PersonMention(
            family_name="TREMBLAY",
            given_names="MARIE EVE",
            date_of_birth=D(1988, 4, 12),
            bbox=(100, 200, 600, 260),
            text="Nom/Surname TREMBLAY",
        ),
    ),
    (
        T.BIRTH_CERTIFICATE,
        "principal",
        PersonMention(full_name="Marie-Ève Tremblay", date_of_birth=D(1988, 4, 12)),
    ),
    (T.RESIDENCE_PROOF, "principal", PersonMention(full_name="MARIE-EVE TREMBLAY")),
    (
        T.IDENTITY_DOCUMENT,
        "member1",
        PersonMention(family_name="OKAFOR", given_names="CHIDI", date_of_birth=D(1986, 1, 30)),
    ),
    (T.BIRTH_CERTIFICATE, "member1", PersonMention(full_name="Chidi Okafor")),
    (T.MARRIAGE_CERTIFICATE, "member1", PersonMention(full_name="Chidi Okafor")),
    (
        T.IDENTITY_DOCUMENT,
        "member2",
        PersonMention(full_name="Luc Tremblay", date_of_birth=D(2016, 6, 1)),
    ),
    (
        T.BIRTH_CERTIFICATE,
        "member2",
        PersonMention(full_name="Luc Tremblay", date_of_birth=D(2016, 6, 1)),
    ),
]


def _field(name: str, value: str | None, status: FieldStatus | None = None) -> FieldRead:
    spec = LAYOUT.field(name)
    status = status or (FieldStatus.READ if value else FieldStatus.EMPTY)
    return FieldRead(
        name=name,
        kind=spec.kind,
        form_page=spec.page,
        page_no=spec.page,
        value=value if status is not FieldStatus.EMPTY else None,
        confidence=0.95 if status is FieldStatus.READ else 0.3,
        status=status,
        bbox=(10, 10, 200, 40),
        raw=value,
    )


@dataclass
class Packet:
    """A packet's typed inputs; each scenario changes what it needs, then runs the checks."""

    form: dict[str, str | None] = field(default_factory=lambda: dict(FORM))
    unreadable: set[str] = field(default_factory=set)
    form_pages: tuple[int, ...] = (1, 2, 3)
    docs: list[tuple[DocType, str | None, PersonMention | tuple[PersonMention, ...]]] = field(
        default_factory=lambda: list(DOCS)
    )
    match_scores: dict[int, float] = field(default_factory=dict)
    mrz: dict[int, object] = field(default_factory=dict)
    words: dict[int, tuple[str, ...]] = field(default_factory=dict)
    illegible: set[int] = field(default_factory=set)
    cut: set[int] = field(default_factory=set)
    blank: set[int] = field(default_factory=set)
    printed: dict[int, str] = field(default_factory=dict)
    qr: dict[int, str] = field(default_factory=dict)
    preprinted_name: str = "TREMBLAY, Marie-Ève"
    preprinted_by_page: dict[int, str] = field(default_factory=dict)
    registry: Registry | None = None
    received: dt.date = RECEIVED

    def fields(self) -> dict[str, FieldRead]:
        out = {}
        for spec in LAYOUT.answer_fields():
            if spec.page not in self.form_pages:
                continue
            status = FieldStatus.UNREADABLE if spec.name in self.unreadable else None
            out[spec.name] = _field(spec.name, self.form.get(spec.name), status)
        return out

    def read_pages(self) -> list[FormPageRead]:
        return [
            FormPageRead(
                page_no=k,
                form_page=k,
                aligned=True,
                alignment_quality=0.9,
                dossier_number=self.printed.get(k, DOSSIER),
                qr_text=f"PCH|{self.qr.get(k, DOSSIER)}|{k}/3",
                preprinted_name=self.preprinted_by_page.get(k, self.preprinted_name),
            )
            for k in self.form_pages
        ]

    def documents(self) -> list[DocumentFacts]:
        return [
            DocumentFacts(
                doc_type=t,
                pages=(4 + i,),
                mentions=m if isinstance(m, tuple) else (m,),
                person=person,
                match_score=self.match_scores.get(4 + i, 100.0 if person else 0.0),
                mrz=self.mrz.get(4 + i),
                name_words=self.words.get(4 + i, ()),
            )  # type: ignore[arg-type]
            for i, (t, person, m) in enumerate(self.docs)
        ]

    def classified(self) -> list[ClassifiedPage]:
        form = [
            ClassifiedPage(page_no=k, doc_type=T.APPLICATION_FORM, confidence=1.0, form_page=k)
            for k in self.form_pages
        ]
        docs = [
            ClassifiedPage(
                page_no=4 + i,
                doc_type=t,
                confidence=0.9,
                evidence=("machine-readable zone",) if 4 + i in self.mrz else (),
            )
            for i, (t, _, _) in enumerate(self.docs)
        ]
        return form + docs

    def quality(self) -> list[PageQuality]:
        return [
            PageQuality(
                page_no=p.page_no,
                legibility=0.2 if p.page_no in self.illegible else 0.9,
                legible=p.page_no not in self.illegible,
                complete=p.page_no not in self.cut,
                blank=p.page_no in self.blank,
                cut_edges=("bottom",) if p.page_no in self.cut else (),
            )
            for p in self.classified()
        ]

    def run(self, *, confirmed: frozenset[str] = frozenset()) -> list[Flag]:
        fields = self.fields()
        return run_checks(
            people=people_from_form(fields),
            fields=fields,
            form_pages=self.read_pages(),
            documents=self.documents(),
            pages=self.classified(),
            quality=self.quality(),
            received_date=self.received,
            registry=self.registry,
            cfg=CFG,
            confirmed=confirmed,
        )


def subjects(flags: list[Flag]) -> set[tuple[tuple[str, object], ...]]:
    return {f.subject for f in flags}


def S(code: FlagCode, **keys: object) -> tuple[tuple[str, object], ...]:  # noqa: N802
    order = ("page", "person", "document", "field", "form_page", "of", "file")
    return (("code", code.value),) + tuple((k, keys[k]) for k in order if k in keys)


def _without(docs: list, doc_type: DocType, person: str) -> list:
    return [d for d in docs if not (d[0] is doc_type and d[1] == person)]


class TestCompletePacket:
    def test_no_flags(self) -> None:
        """GIVEN a complete, consistent packet WHEN checked THEN nothing is flagged."""
        assert Packet().run() == []

    def test_names_never_reach_the_log(self, caplog: pytest.LogCaptureFixture) -> None:
        """GIVEN a packet with flags naming people WHEN checked THEN the log holds counts only."""
        packet = Packet(docs=_without(DOCS, T.RESIDENCE_PROOF, "principal"))
        with caplog.at_level(logging.DEBUG):
            flags = packet.run()
        assert any("Tremblay" in f.message or "TREMBLAY" in f.message for f in flags)
        assert "TREMBLAY" not in caplog.text.upper() and "1988" not in caplog.text


class TestPages:
    def test_illegible_incomplete_blank(self) -> None:
        packet = Packet(illegible={5}, cut={6}, blank={11})
        packet.docs.append((T.OTHER, None, PersonMention()))
        flags = packet.run()
        assert subjects(flags) >= {
            S(F.ILLEGIBLE_PAGE, page=5),
            S(F.INCOMPLETE_PAGE, page=6),
            S(F.BLANK_PAGE, page=11),
        }
        blank = next(f for f in flags if f.code is F.BLANK_PAGE)
        assert blank.severity is Severity.INFO

    def test_illegible_document_counts_for_nobody_and_is_not_unmatched(self) -> None:
        """GIVEN the spouse's passport illegible, so matched to nobody WHEN checked THEN the page
        is illegible and the spouse's identity document missing, but no page is 'unmatched'
        (a reviewer could not have read the name either)."""
        packet = Packet(illegible={7})
        packet.docs[3] = (T.IDENTITY_DOCUMENT, None, PersonMention())
        assert subjects(packet.run()) == {
            S(F.ILLEGIBLE_PAGE, page=7),
            S(F.MISSING_DOCUMENT, person="member1", document="identity_document"),
        }

    def test_illegible_optional_letter(self) -> None:
        packet = Packet(illegible={12})
        packet.docs.append((T.SUPPORTING_LETTER, None, PersonMention()))
        assert subjects(packet.run()) == {S(F.ILLEGIBLE_PAGE, page=12)}


class TestForm:
    def test_form_missing(self) -> None:
        """GIVEN an envelope with documents but no form WHEN checked THEN form_missing, and
        documents present are not reported missing although no name can match them."""
        packet = Packet(form_pages=(), form={})
        packet.docs = [(t, None, m) for t, _, m in DOCS]
        assert subjects(packet.run()) == {S(F.FORM_MISSING)}

    def test_form_page_missing(self) -> None:
        """GIVEN form pages 1 and 3 only WHEN checked THEN page 2 is missing, and its fields are
        not reported one by one."""
        flags = Packet(form_pages=(1, 3)).run()
        assert S(F.FORM_PAGE_MISSING, form_page=2) in subjects(flags)
        assert not any(f.code is F.FIELD_MISSING for f in flags)

    def test_form_missing_reports_nothing_else_about_the_family(self) -> None:
        """GIVEN no form and no residence proof WHEN checked THEN only form_missing: nothing
        declares who needs which document."""
        packet = Packet(form_pages=(), form={})
        packet.docs = [(t, None, m) for t, _, m in DOCS if t is not T.RESIDENCE_PROOF]
        assert subjects(packet.run()) == {S(F.FORM_MISSING)}

    def test_page_3_missing_means_unsigned_and_undated(self) -> None:
        flags = Packet(form_pages=(1, 2)).run()
        assert subjects(flags) == {
            S(F.FORM_PAGE_MISSING, form_page=3),
            S(F.FORM_UNSIGNED),
            S(F.FORM_UNDATED),
        }

    def test_unsigned(self) -> None:
        packet = Packet()
        packet.form["signature"] = "false"
        flags = packet.run()
        assert subjects(flags) == {S(F.FORM_UNSIGNED)}
        assert flags[0].evidence[0].page == 3

    def test_undated(self) -> None:
        packet = Packet()
        packet.form["date_signed"] = None
        assert subjects(packet.run()) == {S(F.FORM_UNDATED)}

    def test_unreadable_signature_date_is_not_undated(self) -> None:
        packet = Packet(unreadable={"date_signed"})
        assert subjects(packet.run()) == {S(F.FIELD_UNREADABLE, field="date_signed")}

    def test_signed_after_received(self) -> None:
        packet = Packet()
        packet.form["date_signed"] = "2026-11-03"
        assert subjects(packet.run()) == {S(F.DATE_SIGNED_INVALID)}

    def test_signed_before_age_18(self) -> None:
        """GIVEN an applicant born 2008-11-01 who signed on 2026-10-31 WHEN checked THEN the date
        signed is invalid (17 that day); signed on the 18th birthday it is valid."""
        packet = Packet()
        packet.form.update(date_of_birth="2008-11-01", date_signed="2026-10-31")
        packet.docs = [(t, p, m.model_copy(update={"date_of_birth": None})) for t, p, m in DOCS]
        assert S(F.DATE_SIGNED_INVALID) in subjects(packet.run())
        packet.form["date_signed"] = "2026-11-01"
        assert S(F.DATE_SIGNED_INVALID) not in subjects(packet.run())

    def test_registry_birth_date_when_the_form_one_is_unreadable(self) -> None:
        """GIVEN the form's birth date unreadable, a form signed at 17 by the registry's date of
        birth, and a passport disagreeing with the registry WHEN checked THEN both are seen."""
        packet = Packet(
            unreadable={"date_of_birth"},
            registry=Registry(
                entries=(
                    RegistryEntry(
                        dossier_number=DOSSIER,
                        family_name="TREMBLAY",
                        given_names="MARIE-EVE",
                        date_of_birth=D(2008, 11, 1),
                    ),
                )
            ),
        )
        packet.form["date_signed"] = "2026-10-31"
        assert subjects(packet.run()) >= {
            S(F.FIELD_UNREADABLE, field="date_of_birth"),
            S(F.DATE_SIGNED_INVALID),
            S(F.IDENTITY_MISMATCH, page=4, person="principal", field="date_of_birth"),
        }

    def test_a_file_issued_to_someone_else_says_nothing_of_the_birth_date(self) -> None:
        """GIVEN the form's birth date unreadable and a file number the registry gives to
        someone else, born 2002 WHEN checked THEN dossier_mismatch, and the passport is not
        held to that other person's birth date."""
        packet = Packet(
            unreadable={"date_of_birth"},
            registry=Registry(entries=(RegistryEntry(
                dossier_number=DOSSIER, family_name="NOËL", given_names="RÉGINALD",
                date_of_birth=D(2002, 3, 5)),)),
        )  # fmt: skip
        flags = packet.run()
        assert S(F.DOSSIER_MISMATCH) in subjects(flags)
        assert not any(f.code is F.IDENTITY_MISMATCH for f in flags)

    def test_address_outside_quebec(self) -> None:
        packet = Packet()
        packet.form["postal_code"] = "K1A0B1"
        flags = packet.run()
        assert subjects(flags) == {S(F.ADDRESS_OUTSIDE_QUEBEC)}
        assert flags[0].evidence[0].text_read == "K1A0B1"

    def test_a_speck_in_an_empty_row_names_nobody(self) -> None:
        """GIVEN page 2's third row empty but for one box of its family name read 'L' unsure (a
        speck) WHEN checked THEN nothing is flagged: no field of the row is missing, the speck
        is no answer, nobody new needs papers; with a birth date written in the row too, it
        names someone whose name could not be read."""
        packet = Packet(unreadable={"member3_family_name"})
        packet.form["member3_family_name"] = "L"
        assert packet.run() == []
        packet.form["member3_date_of_birth"] = "2015-01-01"
        assert S(F.FIELD_UNREADABLE, field="member3_family_name") in subjects(packet.run())

    def test_an_unsure_postal_code_a_proof_of_residence_prints_is_judged(self) -> None:
        """GIVEN the postal code K1Y6M9 read unsure WHEN checked THEN only field_unreadable;
        when a proof of residence prints it alike (confirmed) THEN it is outside Québec."""
        packet = Packet(unreadable={"postal_code"})
        packet.form["postal_code"] = "K1Y6M9"
        assert subjects(packet.run()) == {S(F.FIELD_UNREADABLE, field="postal_code")}
        assert subjects(packet.run(confirmed=frozenset({"postal_code"}))) == {
            S(F.ADDRESS_OUTSIDE_QUEBEC)}

    @pytest.mark.parametrize("code", ["G1R4S9", "H2J 3V2", "J8Y6T3"])
    def test_quebec_postal_codes(self, code: str) -> None:
        packet = Packet()
        packet.form["postal_code"] = code
        assert packet.run() == []

    def test_unsure_spouse_code_on_a_childs_row_asks_for_no_couple_proof(self) -> None:
        """GIVEN the 10-year-old's relationship box read as 1 (spouse) without confidence WHEN
        checked THEN the unsure box is reported, and no marriage proof is asked for on its
        strength; read as 1 for sure, the proof is asked for (a reviewer sees why)."""
        packet = Packet()
        packet.form["member2_relationship"] = "1"
        packet.unreadable = {"member2_relationship"}
        flags = subjects(packet.run())
        assert S(F.FIELD_UNREADABLE, field="member2_relationship") in flags
        assert not any(("person", "member2") in f and ("code", "missing_document") in f
                       for f in flags)
        packet.unreadable = set()
        assert S(F.MISSING_DOCUMENT, person="member2",
                 document="marriage_certificate") in subjects(packet.run())

    def test_enclosed_box_without_the_document(self) -> None:
        """GIVEN the union box ticked but no marriage or union document WHEN checked THEN
        enclosed_not_found names marriage_certificate (and the spouse misses it)."""
        packet = Packet(docs=_without(DOCS, T.MARRIAGE_CERTIFICATE, "member1"))
        assert subjects(packet.run()) == {
            S(F.ENCLOSED_NOT_FOUND, document="marriage_certificate"),
            S(F.MISSING_DOCUMENT, person="member1", document="marriage_certificate"),
        }


class TestFields:
    def test_required_field_empty(self) -> None:
        packet = Packet()
        packet.form["telephone"] = None
        packet.form["apartment"] = None
        assert subjects(packet.run()) == {S(F.FIELD_MISSING, field="telephone")}

    def test_unreadable_field(self) -> None:
        flags = Packet(unreadable={"uci"}).run()
        assert subjects(flags) == {S(F.FIELD_UNREADABLE, field="uci")}
        assert flags[0].severity is Severity.WARNING and flags[0].evidence[0].bbox

    def test_a_field_a_paper_confirmed_is_not_unreadable(self) -> None:
        """GIVEN the child's family name and the UCI read unsure, the name confirmed by his
        papers (``confirm_from_papers``) WHEN checked THEN only the UCI is flagged."""
        packet = Packet(unreadable={"uci", "member2_family_name"})
        fields = packet.fields()
        flags = run_checks(
            people=people_from_form(fields), fields=fields, form_pages=packet.read_pages(),
            documents=packet.documents(), pages=packet.classified(), quality=packet.quality(),
            received_date=RECEIVED, registry=None, cfg=CFG,
            confirmed=frozenset({"member2_family_name"}),
        )  # fmt: skip
        assert subjects(flags) == {S(F.FIELD_UNREADABLE, field="uci")}

    def test_member_fields_required_only_in_a_used_row(self) -> None:
        """GIVEN row 3 empty and row 2 missing its relationship WHEN checked THEN only row 2's
        relationship is missing."""
        packet = Packet()
        packet.form["member2_relationship"] = None
        flags = subjects(packet.run())
        assert S(F.FIELD_MISSING, field="member2_relationship") in flags
        assert not any(dict(s).get("field", "").startswith("member3") for s in flags)

    def test_a_stray_tick_does_not_make_a_row_used(self) -> None:
        packet = Packet()
        packet.form["member4_included"] = "no"
        assert packet.run() == []

    def test_married_box_required_for_a_child_not_for_the_spouse(self) -> None:
        packet = Packet()
        packet.form["member1_has_spouse"] = None
        packet.form["member2_has_spouse"] = None
        assert subjects(packet.run()) == {S(F.FIELD_MISSING, field="member2_has_spouse")}


class TestRequiredDocuments:
    def test_principal_without_residence_proof(self) -> None:
        packet = Packet(docs=_without(DOCS, T.RESIDENCE_PROOF, "principal"))
        packet.form["enclosed_residence"] = None
        flags = packet.run()
        assert subjects(flags) == {
            S(F.MISSING_DOCUMENT, person="principal", document="residence_proof")
        }
        assert flags[0].severity is Severity.ERROR

    def test_spouse_with_union_proof_instead_of_marriage(self) -> None:
        """GIVEN the spouse's de facto union declaration, no marriage certificate WHEN checked
        THEN the requirement is met."""
        docs = _without(DOCS, T.MARRIAGE_CERTIFICATE, "member1")
        docs.append((T.UNION_PROOF, "member1", PersonMention(full_name="Chidi Okafor")))
        assert Packet(docs=docs).run() == []

    def test_de_facto_couple_misses_a_union_proof(self) -> None:
        """GIVEN a de facto couple without any union document WHEN checked THEN the missing
        document is named union_proof, as the declared status calls for."""
        packet = Packet(docs=_without(DOCS, T.MARRIAGE_CERTIFICATE, "member1"))
        packet.form.update(marital_status="de_facto", enclosed_union=None)
        assert subjects(packet.run()) == {
            S(F.MISSING_DOCUMENT, person="member1", document="union_proof")
        }

    def test_joint_lease_proves_the_union(self) -> None:
        """GIVEN no union document but a lease naming both partners WHEN checked THEN the
        spouse's union requirement is met (a joint lease is a proof of union)."""
        packet = Packet(docs=_without(DOCS, T.MARRIAGE_CERTIFICATE, "member1"))
        packet.form.update(marital_status="de_facto")
        packet.docs[2] = (
            T.RESIDENCE_PROOF,
            "principal",
            PersonMention(full_name="Marie-Ève Tremblay et Chidi Okafor"),
        )
        assert packet.run() == []

    def test_child_turning_22_on_the_received_date(self) -> None:
        """GIVEN a child whose 22nd birthday is the received date, without proofs WHEN checked
        THEN both proofs are missing and the child is not dependent."""
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2004-11-02"
        packet.docs = [
            (t, p, m.model_copy(update={"date_of_birth": None})) if p == "member2" else (t, p, m)
            for t, p, m in DOCS
        ]
        assert subjects(packet.run()) == {
            S(F.MISSING_DOCUMENT, person="member2", document="medical_certificate"),
            S(F.MISSING_DOCUMENT, person="member2", document="financial_dependency_proof"),
            S(F.NOT_DEPENDENT_CHILD, person="member2"),
        }

    def test_child_aged_21_the_day_before(self) -> None:
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2004-11-03"
        packet.docs = [
            (t, p, m.model_copy(update={"date_of_birth": None})) if p == "member2" else (t, p, m)
            for t, p, m in DOCS
        ]
        assert packet.run() == []

    def test_child_22_with_both_proofs_is_dependent(self) -> None:
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2000-01-01"
        packet.docs = [
            (t, p, m.model_copy(update={"date_of_birth": None})) if p == "member2" else (t, p, m)
            for t, p, m in DOCS
        ]
        packet.docs += [
            (T.MEDICAL_CERTIFICATE, "member2", PersonMention(full_name="Luc")),
            (T.FINANCIAL_DEPENDENCY_PROOF, "member2", PersonMention(full_name="Luc")),
        ]
        assert packet.run() == []

    def test_member_not_included_needs_no_document(self) -> None:
        packet = Packet(docs=[d for d in DOCS if d[1] != "member2"])
        packet.form["member2_included"] = "no"
        assert packet.run() == []

    def test_document_naming_nobody(self) -> None:
        """GIVEN a lease naming a stranger WHEN checked THEN it is unmatched (its first page) and
        the principal's residence proof is missing."""
        packet = Packet()
        packet.docs[2] = (
            T.RESIDENCE_PROOF,
            None,
            PersonMention(full_name="Jean Roy", bbox=(5, 5, 50, 20)),
        )
        flags = packet.run()
        assert subjects(flags) == {
            S(F.UNMATCHED_DOCUMENT, page=6),
            S(F.MISSING_DOCUMENT, person="principal", document="residence_proof"),
        }
        unmatched = next(f for f in flags if f.code is F.UNMATCHED_DOCUMENT)
        assert unmatched.evidence[0].text_read == "Jean Roy"

    def test_a_cut_bill_whose_name_was_lost_stands_in_for_the_principal_s(self) -> None:
        """GIVEN the principal's bill copied without its left third, its name lost (ASSA left
        of NGO BASSA), so it matched nobody WHEN checked THEN only the cut page is flagged:
        not unmatched, no proof of residence missing; whole, the same bill is both."""
        packet = Packet(cut={6})
        packet.docs[2] = (T.RESIDENCE_PROOF, None, PersonMention(full_name="ASSA"))
        assert subjects(packet.run()) == {S(F.INCOMPLETE_PAGE, page=6)}
        packet.cut = set()
        assert subjects(packet.run()) == {
            S(F.UNMATCHED_DOCUMENT, page=6),
            S(F.MISSING_DOCUMENT, person="principal", document="residence_proof"),
        }

    def test_unread_name_on_the_form_makes_no_document_unmatched(self) -> None:
        """GIVEN the principal's family name unreadable, so the birth certificate matched
        nobody WHEN checked THEN only field_unreadable: the certificate may well be theirs."""
        packet = Packet(unreadable={"family_name"})
        packet.docs[1] = (T.BIRTH_CERTIFICATE, None, PersonMention(full_name="Marie-Eve Tremblay"))
        assert subjects(packet.run()) == {S(F.FIELD_UNREADABLE, field="family_name")}

    def test_an_unread_name_does_not_excuse_a_kind_its_person_already_has(self) -> None:
        """GIVEN the spouse's name unreadable, and a second birth certificate naming a stranger
        while everyone has theirs WHEN checked THEN it is unmatched: it cannot be anyone's
        missing paper."""
        packet = Packet(unreadable={"member1_family_name"})
        packet.docs.append((T.BIRTH_CERTIFICATE, None, PersonMention(full_name="Jean Roy")))
        assert S(F.UNMATCHED_DOCUMENT, page=4 + len(DOCS)) in subjects(packet.run())

    def test_letter_naming_nobody_is_not_flagged(self) -> None:
        packet = Packet()
        packet.docs.append((T.SUPPORTING_LETTER, None, PersonMention(full_name="Jean Roy")))
        assert packet.run() == []


class TestMembers:
    def test_member_abroad_included(self) -> None:
        packet = Packet()
        packet.form["member2_residence"] = "abroad"
        assert subjects(packet.run()) == {S(F.MEMBER_ABROAD_INCLUDED, person="member2")}

    def test_member_abroad_not_included_is_fine(self) -> None:
        packet = Packet(docs=[d for d in DOCS if d[1] != "member2"])
        packet.form.update(member2_residence="abroad", member2_included="no")
        assert packet.run() == []

    def test_an_unsure_child_code_on_the_principal_s_contemporary(self) -> None:
        """GIVEN the spouse (born two years before the principal, married) whose relationship
        box was read 4 unsure WHEN checked THEN only that field is flagged unreadable: nobody
        is their parent's age, so no dependent-child rule runs on the misread code; read 4
        surely, the rules apply."""
        packet = Packet(unreadable={"member1_relationship"})
        packet.form.update(member1_relationship="4", member1_has_spouse="yes")
        assert subjects(packet.run()) == {S(F.FIELD_UNREADABLE, field="member1_relationship")}
        packet.unreadable = set()
        assert S(F.NOT_DEPENDENT_CHILD, person="member1") in subjects(packet.run())

    def test_married_child_is_not_dependent(self) -> None:
        packet = Packet()
        packet.form["member2_has_spouse"] = "yes"
        assert subjects(packet.run()) == {S(F.NOT_DEPENDENT_CHILD, person="member2")}


class TestIdentity:
    def test_birth_date_on_passport_differs(self) -> None:
        """GIVEN the principal's passport giving 1988-04-21 WHEN checked THEN identity_mismatch
        on date_of_birth at the passport's page, with what was read and expected."""
        packet = Packet()
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={"date_of_birth": D(1988, 4, 21)}))
        flags = packet.run()
        assert subjects(flags) == {
            S(F.IDENTITY_MISMATCH, page=4, person="principal", field="date_of_birth")
        }
        ev = flags[0].evidence[0]
        assert (ev.text_read, ev.expected, ev.bbox) == (
            "1988-04-21",
            "1988-04-12",
            (100, 200, 600, 260),
        )

    def test_a_birth_date_ocr_doubted_is_not_a_mismatch(self) -> None:
        """GIVEN the passport's birth date one digit off, its year read at confidence 39 (a
        typewriter face's 1 read 4) WHEN checked THEN no flag; read at 96 THEN the flag."""
        packet = Packet()
        t, p, m = DOCS[0]
        doubted = m.model_copy(update={"date_of_birth": D(1988, 4, 21), "date_confidence": 39.0})
        packet.docs[0] = (t, p, doubted)
        assert subjects(packet.run()) == set()
        packet.docs[0] = (t, p, doubted.model_copy(update={"date_confidence": 96.0}))
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=4, person="principal", field="date_of_birth")
        }

    def test_unreadable_birth_date_is_not_a_mismatch(self) -> None:
        packet = Packet(unreadable={"date_of_birth"})
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={"date_of_birth": D(1988, 4, 21)}))
        assert subjects(packet.run()) == {S(F.FIELD_UNREADABLE, field="date_of_birth")}

    def test_name_near_miss(self) -> None:
        """GIVEN a birth certificate matched on birth date only (maiden name) WHEN checked THEN
        identity_mismatch on name."""
        packet = Packet(match_scores={5: 57.0})
        packet.docs[1] = (
            T.BIRTH_CERTIFICATE,
            "principal",
            PersonMention(full_name="Marie-Ève Gagnon", date_of_birth=D(1988, 4, 12)),
        )
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=5, person="principal", field="name")
        }

    def test_family_name_misspelled_on_the_birth_certificate(self) -> None:
        """GIVEN a birth certificate reading 'Tremmblay' (close enough to be matched) WHEN
        checked THEN identity_mismatch on name, with what was read."""
        packet = Packet()
        packet.docs[1] = (
            T.BIRTH_CERTIFICATE,
            "principal",
            PersonMention(full_name="Marie-Ève Tremmblay"),
        )
        flags = packet.run()
        assert subjects(flags) == {S(F.IDENTITY_MISMATCH, page=5, person="principal", field="name")}
        assert flags[0].evidence[0].text_read == "Marie-Ève Tremmblay"

    def test_someone_else_sharing_a_given_name_is_not_the_subject(self) -> None:
        """GIVEN a child's birth certificate that prints the family name (Nom de l'enfant :
        TREMBLAY) and names the declarant Luc GAGNON WHEN checked THEN no name mismatch: a
        name six letters from the family's is another person sharing the given name. The
        child's own name misspelt (Luc Tremmblay) beside it still differs."""
        label = PersonMention(full_name="TREMBLAY", text="Nom de l'enfant : TREMBLAY")
        for other, flagged in (("Luc Gagnon", False), ("Luc Tremmblay", True)):
            packet = Packet()
            packet.docs[7] = (T.BIRTH_CERTIFICATE, "member2",
                              (label, PersonMention(full_name=other, source="ner")))
            mismatch = S(F.IDENTITY_MISMATCH, page=11, person="member2", field="name")
            assert (mismatch in subjects(packet.run())) is flagged, other

    def test_given_names_alone_cannot_disagree_on_the_family_name(self) -> None:
        """GIVEN a child's certificate where only the given name and the officer's name could
        be read WHEN checked THEN no name mismatch: the officer is not the subject."""
        packet = Packet()
        packet.docs[7] = (T.BIRTH_CERTIFICATE, "member2", PersonMention(given_names="LUC"))
        packet.docs.append((T.BIRTH_CERTIFICATE, "member2", PersonMention(given_names="LUC")))
        documents = packet.documents()
        documents[-1] = documents[-1].model_copy(
            update={
                "mentions": (PersonMention(given_names="LUC"), PersonMention(full_name="Nadia Roy"))
            }
        )
        fields = packet.fields()
        flags = run_checks(
            people=people_from_form(fields),
            fields=fields,
            form_pages=packet.read_pages(),
            documents=documents,
            pages=packet.classified(),
            quality=packet.quality(),
            received_date=RECEIVED,
            registry=None,
            cfg=CFG,
        )
        assert flags == []

    def test_a_family_name_ocr_cut_in_two_agrees(self) -> None:
        """GIVEN a birth certificate whose OCR read TREMBLAY as TREM BLAY WHEN checked THEN
        nothing; TREMBLAYE, a letter added, still differs."""
        packet = Packet()
        packet.docs[1] = (T.BIRTH_CERTIFICATE, "principal",
                          PersonMention(full_name="Marie-Ève TREM BLAY"))  # fmt: skip
        assert packet.run() == []
        packet.docs[1] = (T.BIRTH_CERTIFICATE, "principal",
                          PersonMention(full_name="Marie-Ève TREMBLAYE"))  # fmt: skip
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=5, person="principal", field="name")
        }

    def test_given_names_read_with_one_letter_off_cannot_disagree(self) -> None:
        """GIVEN the child's given names misread LUC ANDRF on the form, and his certificate
        naming him 'Luc André' only WHEN checked THEN no name mismatch: the paper gives no
        family name, only given names the form reader got one letter wrong."""
        packet = Packet(unreadable={"member2_given_names"})
        packet.form["member2_given_names"] = "LUC ANDRF"
        packet.docs[7] = (T.BIRTH_CERTIFICATE, "member2", PersonMention(full_name="Luc André"))
        assert not any(f.code is F.IDENTITY_MISMATCH for f in packet.run())

    def test_a_members_unsure_name_spelling_the_printed_one_is_held_to_the_papers(self) -> None:
        """GIVEN the child's family name read TREMBLAY but unsure, the ministry's printed
        TREMBLAY, and his passport saying Trembley WHEN checked THEN identity_mismatch on his
        name: the form's two readings agree, the paper differs."""
        packet = Packet(unreadable={"member2_family_name"})
        packet.docs[6] = (T.IDENTITY_DOCUMENT, "member2",
                          PersonMention(full_name="Luc Trembley", date_of_birth=D(2016, 6, 1)))
        assert any(f.code is F.IDENTITY_MISMATCH and f.person == "member2" and f.field == "name"
                   for f in packet.run())  # fmt: skip

    def test_a_members_unsure_name_one_letter_off_the_printed_one_is_the_familys(self) -> None:
        """GIVEN the child's family name read TREMBIAY, unsure, one letter off the printed
        TREMBLAY, and his card saying Trembley WHEN checked THEN identity_mismatch."""
        packet = Packet(unreadable={"member2_family_name"})
        packet.form["member2_family_name"] = "TREMBIAY"
        packet.docs[6] = (T.IDENTITY_DOCUMENT, "member2",
                          PersonMention(full_name="Luc Trembley", date_of_birth=D(2016, 6, 1)))
        assert any(f.code is F.IDENTITY_MISMATCH and f.person == "member2" and f.field == "name"
                   for f in packet.run())  # fmt: skip

    def test_another_familys_birth_certificate_stands_in_for_nobody(self) -> None:
        """GIVEN the child's family name read TREMBIAY, unsure (one letter off the printed
        TREMBLAY), and instead of his birth certificate one naming MWAMBA that nobody matched
        WHEN checked THEN his birth certificate is missing and that one names nobody. One
        whose name OCR lost stands in for his."""
        packet = Packet(unreadable={"member2_family_name"})
        packet.form["member2_family_name"] = "TREMBIAY"
        packet.docs[7] = (T.BIRTH_CERTIFICATE, None, PersonMention(full_name="MWAMBA"))
        assert {S(F.MISSING_DOCUMENT, person="member2", document="birth_certificate"),
                S(F.UNMATCHED_DOCUMENT, page=11)} <= subjects(packet.run())  # fmt: skip
        packet.docs[7] = (T.BIRTH_CERTIFICATE, None, ())
        assert not {f.code for f in packet.run()} & {F.MISSING_DOCUMENT, F.UNMATCHED_DOCUMENT}

    def test_a_zone_filler_read_as_s_between_two_family_names(self) -> None:
        from extractors.consistency import _zone_starts_with

        zone = PersonMention(text="ABOUSCHAAR<<SAMIR<<<<", source="mrz")
        assert _zone_starts_with(zone, ["abou", "chaar"])
        assert not _zone_starts_with(zone, ["abous", "chaars"])

    def test_a_zone_separator_read_as_s_after_the_family_name(self) -> None:
        """GIVEN a zone whose name field holds no double filler, the one after the family name
        read S< WHEN compared THEN it opens with that family name; with the double filler
        read right, an S after the name is a letter of it."""
        from extractors.consistency import _zone_starts_with

        misread = PersonMention(text="BONDARENKOS<IRYNAS<K<KKKKKKKKKKKK", source="mrz")
        assert _zone_starts_with(misread, ["bondarenko"])
        assert not _zone_starts_with(PersonMention(text="BONDARENKOS<<IRYNA<<<<", source="mrz"),
                                     ["bondarenko"])

    def test_a_name_word_the_ocr_doubted_does_not_disagree(self) -> None:
        """GIVEN the birth certificate's name read 'Tremblny', Tesseract 67 % sure of that word
        WHEN checked THEN no name mismatch: a letter it doubted is no different name. Read
        92 % sure, the same reading is flagged."""
        packet = Packet()
        doubted = PersonMention(full_name="Marie-Ève Tremblny", ocr_confidence=67.0)
        packet.docs[1] = (T.BIRTH_CERTIFICATE, "principal", doubted)
        assert not any(f.code is F.IDENTITY_MISMATCH for f in packet.run())
        packet.docs[1] = (T.BIRTH_CERTIFICATE, "principal",
                          doubted.model_copy(update={"ocr_confidence": 92.0}))  # fmt: skip
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=5, person="principal", field="name")
        }

    def test_zone_agreeing_outweighs_a_misread_label(self) -> None:
        """GIVEN a passport whose label was misread 'TREMBIAY' but whose zone reads TREMBLAY
        WHEN checked THEN nothing."""
        packet = Packet(mrz={4: _passport("880412")})
        packet.docs[0] = (
            T.IDENTITY_DOCUMENT,
            "principal",
            PersonMention(family_name="TREMBIAY", given_names="MARIE EVE"),
        )
        assert packet.run() == []

    def test_zone_misread_on_a_paper_printing_the_forms_name(self) -> None:
        """GIVEN a passport whose labels OCR garbled (no labelled name) and whose zone reads
        TREMBLAV<<MARIE<EVES, its fillers read as K, WHEN its page prints MARIE EVE TREMBLAY
        word for word THEN nothing: the zone was misread. On a page that does not, the zone
        differs."""
        zone = _passport("880412", names="TREMBLAV<<MARIE<EVES<<<<KKKKKKKK")
        packet = Packet(mrz={4: zone})
        packet.docs[0] = (T.IDENTITY_DOCUMENT, "principal", ())
        packet.words = {4: ("passeport", "tremblay", "marie", "eve", "canada")}
        assert packet.run() == []
        packet.words = {4: ("passeport", "tremblav", "marie", "eve", "canada")}
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=4, person="principal", field="name")
        }

    def test_name_matching_the_preprinted_name_when_the_form_was_misread(self) -> None:
        packet = Packet()
        packet.form["family_name"] = "TREMBIAY"
        packet.docs = [d for d in DOCS if d[1] != "principal"] + [
            (T.IDENTITY_DOCUMENT, "principal", PersonMention(full_name="Marie-Eve Tremblay")),
            (T.BIRTH_CERTIFICATE, "principal", PersonMention(full_name="Marie-Eve Tremblay")),
            (T.RESIDENCE_PROOF, "principal", PersonMention(full_name="Marie-Eve Tremblay")),
        ]
        assert not any(f.field == "name" and f.page and f.page > 3 for f in packet.run())

    def test_preprinted_name_differs(self) -> None:
        flags = Packet(preprinted_name="GAGNON, Sophie").run()
        assert subjects(flags) == {S(F.IDENTITY_MISMATCH, page=1, person="principal", field="name")}

    def test_mrz_birth_date_differs(self) -> None:
        """GIVEN a valid zone giving 1988-04-21 while the visual zone is unreadable WHEN
        checked THEN identity_mismatch on date_of_birth; the same zone with the form's date
        raises nothing."""
        assert Packet(mrz={4: _passport("880412")}).run() == []
        packet = Packet(mrz={4: _passport("880421")})
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={"date_of_birth": None}))
        assert subjects(packet.run()) == {
            S(F.IDENTITY_MISMATCH, page=4, person="principal", field="date_of_birth")
        }

    @staticmethod
    def _zone_line2(number_check: str, composite: str | None = None) -> str:
        """Line 2 of a passport zone, every check digit right but the number's (given) and,
        if given, the composite one."""
        line = "AB1234567" + number_check + "CAN880412" + check_digit("880412") + "F300101"
        line += check_digit("300101") + "<" * 15
        return line + (composite or check_digit(line[0:10] + line[13:20] + line[21:43]))

    def test_invalid_mrz(self) -> None:
        """GIVEN a passport zone whose document-number check digit is wrong WHEN checked THEN
        mrz_invalid at the page that holds the zone."""
        wrong = str((int(check_digit("AB1234567")) + 3) % 10)
        mrz = parse_td3(("P<CANTREMBLAY<<MARIE<EVE<<<<<<<<<<<<<<<<<<<<<", self._zone_line2(wrong)))
        assert not mrz.checks_ok
        flags = Packet(mrz={4: mrz}).run()
        assert subjects(flags) == {S(F.MRZ_INVALID, page=4)}
        assert "document_number" in (flags[0].evidence[0].note or "")

    def test_a_check_character_read_as_no_digit_proves_nothing(self) -> None:
        """GIVEN a passport zone whose composite check digit was read as a filler (a line read
        a character short) WHEN checked THEN no mrz_invalid: the zone is not verified, and
        nothing says it is wrong."""
        right = check_digit("AB1234567")
        mrz = parse_td3(("P<CANTREMBLAY<<MARIE<EVE<<<<<<<<<<<<<<<<<<<<<",
                         self._zone_line2(right, composite="<")))
        assert mrz.failed_checks == ("composite",) and mrz.unread_checks == ("composite",)
        assert Packet(mrz={4: mrz}).run() == []


class TestIdentityAgainstWhatWasReadWell:
    """Names held to the parts of the form read with confidence, the ministry's typed name,
    and the person's other papers: a recogniser's slip on the form is not the applicant's."""

    @staticmethod
    def _run(packet: Packet, *, confidence: dict[str, float]) -> list[Flag]:
        fields = {
            k: f.model_copy(update={"confidence": confidence.get(k, f.confidence)})
            for k, f in packet.fields().items()
        }
        return run_checks(
            people=people_from_form(fields), fields=fields, form_pages=packet.read_pages(),
            documents=packet.documents(), pages=packet.classified(), quality=packet.quality(),
            received_date=RECEIVED, registry=None, cfg=CFG,
        )

    def test_misspelled_family_name_found_when_the_given_names_could_not_be_read(self) -> None:
        packet = Packet(unreadable={"given_names"})
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={"family_name": "TREMMBLAY"}))
        flags = packet.run()
        assert S(F.IDENTITY_MISMATCH, page=4, person="principal", field="name") in subjects(flags)

    def test_two_papers_outvote_an_unsure_reading_of_the_form(self) -> None:
        """GIVEN a form reading 'OKAFDR' at confidence 0.75 and two papers of the spouse that
        both say OKAFOR WHEN checked THEN no name mismatch; read at 0.97 THEN both papers
        disagree with the form."""
        packet = Packet()
        packet.form["member1_family_name"] = "OKAFDR"
        packet.docs[3] = (T.IDENTITY_DOCUMENT, "member1",
                          PersonMention(family_name="OKAFOR", given_names="CHIDI",
                                        date_of_birth=D(1986, 1, 30)))
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(family_name="OKAFOR", given_names="CHIDI"))
        unsure = self._run(packet, confidence={"member1_family_name": 0.75})
        assert not [f for f in unsure if f.code is F.IDENTITY_MISMATCH]
        sure = self._run(packet, confidence={"member1_family_name": 0.97})
        assert {f.page for f in sure if f.code is F.IDENTITY_MISMATCH} == {7, 8}

    def test_two_papers_outvote_an_unsure_birth_date(self) -> None:
        """GIVEN the child's birth date read 2010-08-01 at 0.75 and his two papers both saying
        2016-06-01 WHEN checked THEN no date mismatch, the form's date reported unreadable;
        read at 0.97 THEN both papers disagree with the form."""
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2010-08-01"
        unsure = self._run(packet, confidence={"member2_date_of_birth": 0.75})
        assert not [f for f in unsure if f.code is F.IDENTITY_MISMATCH]
        assert S(F.FIELD_UNREADABLE, field="member2_date_of_birth") in subjects(unsure)
        sure = self._run(packet, confidence={"member2_date_of_birth": 0.97})
        assert {f.page for f in sure if f.code is F.IDENTITY_MISMATCH} == {10, 11}
        assert S(F.FIELD_UNREADABLE, field="member2_date_of_birth") not in subjects(sure)

    def test_a_doubted_paper_date_still_outvotes_with_another(self) -> None:
        """GIVEN the same, the birth certificate's year read at confidence 30 WHEN checked
        THEN the two papers agreeing still outvote the unsure form reading: alone, a doubted
        date cannot differ from the form, but two readers agreeing are evidence."""
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2010-08-01"
        t, p, m = packet.docs[7]
        packet.docs[7] = (t, p, m.model_copy(update={"date_confidence": 30.0}))
        unsure = self._run(packet, confidence={"member2_date_of_birth": 0.75})
        assert not [f for f in unsure if f.code is F.IDENTITY_MISMATCH]
        assert S(F.FIELD_UNREADABLE, field="member2_date_of_birth") in subjects(unsure)

    def test_two_papers_outvote_a_sure_birth_date_one_digit_away(self) -> None:
        """GIVEN the child's birth date read 2010-06-01 (a 6 read as 0) at 0.97 and his two
        papers both saying 2016-06-01 WHEN checked THEN no date mismatch: the form's date is
        reported unreadable, with the papers' date as evidence."""
        packet = Packet()
        packet.form["member2_date_of_birth"] = "2010-06-01"
        flags = self._run(packet, confidence={"member2_date_of_birth": 0.97})
        assert not [f for f in flags if f.code is F.IDENTITY_MISMATCH]
        unreadable = [f for f in flags if f.subject == S(F.FIELD_UNREADABLE,
                                                         field="member2_date_of_birth")]
        assert unreadable and "2016-06-01" in unreadable[0].evidence[0].note

    def test_the_household_name_and_one_paper_outvote_an_unsure_reading(self) -> None:
        """GIVEN the child's family name read 'TREMBIAY' at 0.8 and one paper of the child's
        saying TREMBLAY, the family name the ministry printed for the principal WHEN checked
        THEN no name mismatch; a paper saying another name, or a sure reading, is flagged."""
        packet = Packet(docs=_without(DOCS, T.IDENTITY_DOCUMENT, "member2"))
        packet.form["member2_family_name"] = "TREMBIAY"
        unsure = {"member2_family_name": 0.8}
        assert not [f for f in self._run(packet, confidence=unsure)
                    if f.code is F.IDENTITY_MISMATCH]
        assert [f for f in self._run(packet, confidence={"member2_family_name": 0.97})
                if f.code is F.IDENTITY_MISMATCH]
        k = next(i for i, (t, p, _) in enumerate(packet.docs) if p == "member2")
        packet.docs[k] = (T.BIRTH_CERTIFICATE, "member2",
                          PersonMention(family_name="TREMBLEY", given_names="Luc"))
        assert [f for f in self._run(packet, confidence=unsure) if f.code is F.IDENTITY_MISMATCH]

    def test_one_paper_differing_from_the_other_and_the_form_is_flagged(self) -> None:
        packet = Packet()
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(family_name="OKKAFOR", given_names="CHIDI"))
        flags = self._run(packet, confidence={"member1_family_name": 0.75})
        assert {f.subject for f in flags if f.code is F.IDENTITY_MISMATCH} == {
            S(F.IDENTITY_MISMATCH, page=8, person="member1", field="name")}

    def test_a_line_the_ocr_was_unsure_of_is_no_reference(self) -> None:
        """GIVEN the spouse's family name read OKAFOR but unsure (0.2), her birth certificate's
        line read 'OO OKAFOR' at OCR confidence 5 and her passport's label line garbled
        ('NON'), its zone saying OKAFOR WHEN checked THEN no name mismatch: the garbled
        line is no reference the zone could differ from."""
        packet = Packet(unreadable={"member1_family_name"})
        packet.docs[3] = (T.IDENTITY_DOCUMENT, "member1", PersonMention(
            source="label", family_name="NON", given_names="CHIDI", ocr_confidence=70.0))
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1", PersonMention(
            source="label", family_name="OO OKAFOR", given_names="CHIDI", ocr_confidence=5.0))
        packet.mrz = {7: _passport("860130", "OKAFOR<<CHIDI")}
        flags = self._run(packet, confidence={"member1_family_name": 0.2})
        assert not [f for f in flags if f.code is F.IDENTITY_MISMATCH]

    def test_papers_disagreeing_the_one_nearer_the_unsure_form_reading_is_right(self) -> None:
        """GIVEN the spouse's family name read OKAFUR, unreadable (0.3), her passport labelled
        OKAFOR and her birth certificate OKAFFOR WHEN checked THEN the birth certificate
        differs (the form's reading spells OKAFOR nearer); with the form read OKAFFUR, the
        passport does."""
        for form, page in (("OKAFUR", 8), ("OKAFFUR", 7)):
            packet = Packet(unreadable={"member1_family_name"})
            packet.form["member1_family_name"] = form
            packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                              PersonMention(family_name="OKAFFOR", given_names="CHIDI"))
            flags = self._run(packet, confidence={"member1_family_name": 0.3})
            assert {f.subject for f in flags if f.code is F.IDENTITY_MISMATCH} == {
                S(F.IDENTITY_MISMATCH, page=page, person="member1", field="name")}, form

    def test_a_line_misreading_the_given_name_too_says_nothing_of_the_family_name(
            self) -> None:
        """GIVEN the spouse's birth certificate read 'Chidl OKAFFOR' (CHIDI misread too) WHEN
        checked THEN no name mismatch: OCR garbled the line; read 'Chidi OKAFFOR', it differs."""
        packet = Packet()
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(full_name="Chidl OKAFFOR", source="ner"))
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(full_name="Chidi OKAFFOR", source="ner"))
        assert S(F.IDENTITY_MISMATCH, page=8, person="member1", field="name") in subjects(
            packet.run())

    def test_ocr_noise_around_a_given_name_is_not_a_different_name(self) -> None:
        """GIVEN a passport whose only labelled reading is noise around the given name WHEN
        checked THEN no name mismatch; a short name without vowels (NG) is still a name."""
        packet = Packet()
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={
            "family_name": "ooo", "given_names": "cece eeeeeeeeeeeees Marie Eve"}))
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        assert _plausible(PersonMention(family_name="NG", given_names="Van Thanh"))
        assert not _plausible(PersonMention(family_name="ooo", given_names="Karim"))

    def test_a_letter_doubled_into_a_run_of_three_is_a_misspelt_name(self) -> None:
        """GIVEN the spouse OKAFFOR on the form and OKAFFFOR on her birth certificate (a letter
        doubled) WHEN checked THEN a name mismatch: a word one letter from the family name is
        that name misspelt, not OCR noise."""
        packet = Packet()
        packet.form["member1_family_name"] = "OKAFFOR"
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(full_name="Chidi Okafffor"))
        assert S(F.IDENTITY_MISMATCH, page=8, person="member1", field="name") in subjects(
            packet.run())
        assert not _plausible(PersonMention(full_name="Chidi Okafffor"))

    def test_given_names_alone_say_nothing_of_the_family_name(self) -> None:
        """GIVEN a passport whose only reading is the holder's two given names WHEN checked
        THEN no name mismatch; the same given names with another family name still differ."""
        packet = Packet()
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, PersonMention(full_name="Marie Eve"))
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        packet.docs[0] = (t, p, PersonMention(full_name="Marie Eve Gagnon",
                                              date_of_birth=D(1988, 4, 12)))
        assert S(F.IDENTITY_MISMATCH, page=4, person="principal", field="name") in subjects(
            packet.run())

    def test_a_form_birth_date_after_the_envelope_arrived_is_no_reference(self) -> None:
        """GIVEN the spouse's date of birth read as a day after the received date WHEN the
        papers give another THEN no date-of-birth mismatch: the form was misread."""
        packet = Packet()
        packet.form["member1_date_of_birth"] = "2027-01-30"
        flags = self._run(packet, confidence={})
        assert not [f for f in flags if f.code is F.IDENTITY_MISMATCH]

    def test_a_birth_date_read_unsure_that_a_paper_confirms_is_a_reference(self) -> None:
        """GIVEN the spouse's birth date read unsure, her passport stating it alike (confirmed)
        and her birth certificate another day WHEN checked THEN the certificate differs; not
        confirmed, the unsure reading is held to nothing."""
        packet = Packet(unreadable={"member1_date_of_birth"})
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1", PersonMention(
            full_name="Chidi Okafor", date_of_birth=D(1986, 3, 30)))
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        flags = packet.run(confirmed=frozenset({"member1_date_of_birth"}))
        assert {f.subject for f in flags if f.code is F.IDENTITY_MISMATCH} == {
            S(F.IDENTITY_MISMATCH, page=8, person="member1", field="date_of_birth")}

    def test_a_family_name_read_unsure_that_a_paper_confirms_is_a_reference(self) -> None:
        """GIVEN the spouse's family name read unsure, her passport labelling it alike
        (confirmed) and her birth certificate naming 'Chidi OKAFFOR' WHEN checked THEN the
        certificate differs; not confirmed, the unsure reading is held to nothing."""
        packet = Packet(unreadable={"member1_family_name"})
        packet.docs[4] = (T.BIRTH_CERTIFICATE, "member1",
                          PersonMention(full_name="Chidi OKAFFOR"))
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        flags = packet.run(confirmed=frozenset({"member1_family_name"}))
        assert {f.subject for f in flags if f.code is F.IDENTITY_MISMATCH} == {
            S(F.IDENTITY_MISMATCH, page=8, person="member1", field="name")}

    def test_a_misread_zone_separator_is_not_a_different_name(self) -> None:
        """GIVEN a zone whose '<<' after the family name was read '<X<' WHEN checked THEN its
        name agrees; a letter doubled in the zone still disagrees."""
        packet = Packet()
        t, p, m = DOCS[0]
        packet.docs[0] = (t, p, m.model_copy(update={"family_name": "TREMBLAY X MARIE"}))
        packet.mrz = {4: _passport("880412").model_copy(update={
            "lines": ("P<CANTREMBLAY<X<MARIE<EVE<<<<<<<<<<<<<<<<<<<",
                      _passport("880412").lines[1]),
            "family_name": "TREMBLAY X MARIE", "given_names": "EVE"})}
        assert not [f for f in packet.run() if f.code is F.IDENTITY_MISMATCH]
        packet.mrz = {4: packet.mrz[4].model_copy(update={
            "lines": ("P<CANTREMMBLAY<<MARIE<EVE<<<<<<<<<<<<<<<<<<<<", packet.mrz[4].lines[1]),
            "family_name": "TREMMBLAY", "given_names": "MARIE EVE"})}
        packet.docs[0] = (t, p, m.model_copy(update={"family_name": "TREMMBLAY"}))
        assert S(F.IDENTITY_MISMATCH, page=4, person="principal", field="name") in subjects(
            packet.run())


def _passport(dob: str, names: str = "TREMBLAY<<MARIE<EVE") -> MrzRead:
    """A valid passport zone for the principal, born on ``dob`` (YYMMDD)."""
    number, personal = "AB1234567", "<" * 14
    line2 = f"{number}{check_digit(number)}CAN{dob}{check_digit(dob)}F300101{check_digit('300101')}"
    line2 += f"{personal}<"
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return parse_td3((f"P<CAN{names}".ljust(44, "<"), line2))


class TestDossier:
    def test_number_differs_between_pages(self) -> None:
        flags = Packet(printed={2: "PCH-2025-118273"}).run()
        assert subjects(flags) == {S(F.DOSSIER_MISMATCH)}
        assert {e.page for e in flags[0].evidence} == {1, 2, 3}

    def test_qr_differs(self) -> None:
        assert subjects(Packet(qr={3: "PCH-2025-000001"}).run()) == {S(F.DOSSIER_MISMATCH)}

    def test_ocr_confusions_in_the_printed_number_are_not_a_mismatch(self) -> None:
        """GIVEN printed numbers misread by a digit or two (the QR codes agree) WHEN checked
        THEN nothing: the QR codes are decoded exactly, the print only read."""
        assert Packet(printed={1: "PCH-2026-0O45l2", 3: "PCH-2026-004519"}).run() == []

    def test_printed_number_misread_still_found_in_the_registry(self) -> None:
        packet = Packet(printed={1: "PCH-2026-004519"}, qr={1: "", 2: "", 3: ""})
        packet.registry = Registry(
            entries=(
                RegistryEntry(
                    dossier_number=DOSSIER, family_name="TREMBLAY", given_names="MARIE-EVE"
                ),
            )
        )
        assert packet.run() == []

    def test_one_garbled_preprinted_reading_is_not_a_mismatch(self) -> None:
        """GIVEN page 1's printed name OCR-garbled but pages 2-3 read WHEN checked with the
        registry THEN nothing."""
        packet = Packet(
            registry=Registry(
                entries=(
                    RegistryEntry(
                        dossier_number=DOSSIER, family_name="TREMBLAY", given_names="MARIE-EVE"
                    ),
                )
            )
        )
        packet.preprinted_by_page = {1: "FEH Ste 5,540 HOIDIC,- Yivaust"}
        assert packet.run() == []

    def test_debris_before_the_printed_name_is_no_part_of_it(self) -> None:
        """GIVEN page 1's printed name garbled, page 2's read with a speck before it
        ('ë TREMBLAY') and page 3's with a comma ('. , TREMBLAY') and the form's written name
        unreadable WHEN checked with the registry THEN nothing: the file is the applicant's."""
        packet = Packet(
            registry=Registry(entries=(RegistryEntry(
                dossier_number=DOSSIER, family_name="TREMBLAY", given_names="Marie-Ève"),)),
            unreadable={"family_name", "given_names"},
        )
        packet.preprinted_by_page = {1: "Tkenbiav, Marie-Ève", 2: "ë TREMBLAY, Marie-Ève",
                                     3: ". , TREMBLAY, Marie-Ève"}
        assert not [f for f in packet.run() if f.code in (F.DOSSIER_MISMATCH,
                                                          F.IDENTITY_MISMATCH)]

    def test_registry(self) -> None:
        """GIVEN the list of invited files WHEN the number is there with the same name THEN
        nothing; absent, or issued to someone else THEN dossier_mismatch."""
        same = RegistryEntry(
            dossier_number=DOSSIER, family_name="TREMBLAY", given_names="MARIE-EVE"
        )
        other = replace_entry(same, family_name="GAGNON", given_names="SOPHIE")
        assert Packet(registry=Registry(entries=(same,))).run() == []
        absent = Registry(entries=(replace_entry(same, dossier_number="PCH-2026-000001"),))
        assert subjects(Packet(registry=absent).run()) == {S(F.DOSSIER_MISMATCH)}
        assert subjects(Packet(registry=Registry(entries=(other,))).run()) == {
            S(F.DOSSIER_MISMATCH)
        }


def replace_entry(entry: RegistryEntry, **changes: str) -> RegistryEntry:
    return entry.model_copy(update=changes)


class TestEvidence:
    def test_every_flag_has_evidence_a_message_and_its_policy_severity(self) -> None:
        packet = Packet(illegible={5}, printed={2: "PCH-2026-004513"}, unreadable={"uci"})
        packet.form.update(signature="false", postal_code="K1A0B1", member2_residence="abroad")
        flags = packet.run()
        assert len(flags) >= 5
        for f in flags:
            assert f.evidence and f.message
            assert f.severity is CFG.policy(f.code).severity
