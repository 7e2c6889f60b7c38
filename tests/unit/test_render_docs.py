"""The synthetic document renderer: ICAO check digits, page sizes, and titles Tesseract can read."""

from __future__ import annotations

import datetime as dt
import os
import random
import unicodedata

import pytesseract
import pytest
from PIL import Image, ImageOps

from sample_scans.mrz import check_digit, corrupt_mrz, mrz_td1, mrz_td3, mrz_text, verify_mrz
from sample_scans.render_docs import DOC_VARIANTS, render_document

SUBJECT = {
    "family_name": "TREMBLAY-CÔTÉ",
    "given_names": "MARIE-ÈVE",
    "date_of_birth": dt.date(1988, 4, 12),
    "sex": "F",
    "country_of_birth": "HAÏTI",
    "nationality": "HTI",
    "document_number": "RD4512337",
}
SPOUSE = {
    "family_name": "Okafor",
    "given_names": "Chidi",
    "date_of_birth": dt.date(1985, 11, 3),
    "sex": "M",
    "country_of_birth": "NIGERIA",
    "nationality": "NGA",
    "document_number": "A07731245",
}
ADDRESS = {
    "street": "4521 rue Saint-Denis",
    "apartment": "3B",
    "municipality": "Montréal",
    "postal_code": "H2X 0C9",
    "province": "QC",
}
ANNA = {
    "issuing_state": "UTO",
    "family_name": "ERIKSSON",
    "given_names": "ANNA MARIA",
    "nationality": "UTO",
    "date_of_birth": dt.date(1974, 8, 12),
    "sex": "F",
    "expiry": dt.date(2012, 4, 15),
}


def _render(
    doc_type: str, *, dpi: int, lang: str = "fr", seed: int = 3, **kw: object
) -> list[Image.Image]:
    return render_document(
        doc_type,
        subject=SUBJECT,
        other=SPOUSE,
        address=ADDRESS,
        lang=lang,
        rng=random.Random(seed),
        dpi=dpi,
        **kw,  # type: ignore[arg-type]
    )


class TestMrz:
    def test_check_digits_of_the_icao_specimen(self) -> None:
        assert [check_digit(f) for f in ("L898902C3", "740812", "120415")] == ["6", "2", "9"]

    def test_td3_matches_the_icao_specimen(self) -> None:
        lines = mrz_td3(document_number="L898902C3", personal_number="ZE184226B", **ANNA)  # type: ignore[arg-type]
        assert lines == (
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        )
        assert verify_mrz(lines)

    def test_td1_matches_the_icao_specimen(self) -> None:
        lines = mrz_td1(document_number="D23145890", doc_code="I", **ANNA)  # type: ignore[arg-type]
        assert lines == (
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        )
        assert verify_mrz(lines)

    @pytest.mark.parametrize("seed", range(6))
    def test_corruption_breaks_a_check(self, seed: int) -> None:
        td3 = mrz_td3(document_number="L898902C3", **ANNA)  # type: ignore[arg-type]
        td1 = mrz_td1(document_number="D23145890", **ANNA)  # type: ignore[arg-type]
        assert not verify_mrz(corrupt_mrz(td3, random.Random(seed)))
        assert not verify_mrz(corrupt_mrz(td1, random.Random(seed)))

    def test_names_are_transliterated(self) -> None:
        assert mrz_text("TREMBLAY-CÔTÉ") == "TREMBLAY<COTE"
        assert mrz_text("N'Diaye") == "NDIAYE"


class TestPages:
    @pytest.mark.parametrize("doc_type", sorted(DOC_VARIANTS))
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_every_variant_is_a_gray_letter_page(self, doc_type: str, lang: str) -> None:
        for variant in DOC_VARIANTS[doc_type]:
            pages = _render(doc_type, dpi=36, lang=lang, variant=variant)
            assert 1 <= len(pages) <= 2
            assert all(p.mode == "L" and p.size == (306, 396) for p in pages), variant
            assert all(ImageOps.invert(p).getbbox() for p in pages), f"{variant}: blank page"

    def test_letter_size_at_300_dpi(self) -> None:
        assert _render("birth_certificate", dpi=300)[0].size == (2550, 3300)

    def test_unknown_type_or_variant_is_refused(self) -> None:
        with pytest.raises(ValueError):
            _render("blank", dpi=36)
        with pytest.raises(ValueError):
            _render("birth_certificate", dpi=36, variant="passport")

    def test_same_seed_same_document(self) -> None:
        a, b = (_render("residence_proof", dpi=72, seed=11)[0] for _ in range(2))
        assert a.tobytes() == b.tobytes()


#: doc_type -> (layout variant, language, a title word Tesseract must read).
TITLES = {
    "identity_document": ("card", "fr", "IDENTITE"),
    "birth_certificate": ("extract", "fr", "NAISSANCE"),
    "marriage_certificate": ("prose", "en", "MARRIAGE"),
    "union_proof": ("declaration", "fr", "UNION"),
    "residence_proof": ("electricity", "en", "ELECTRICITY"),
    "medical_certificate": ("letter", "fr", "MEDICAL"),
    "financial_dependency_proof": ("attestation", "fr", "DEPENDANCE"),
    "supporting_letter": ("employment", "en", "SUBJECT"),
    "other": ("receipt", "en", "RECEIPT"),
}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


class TestTitlesAreReadable:
    @pytest.mark.parametrize("doc_type", sorted(TITLES))
    def test_tesseract_reads_title_and_name(self, doc_type: str) -> None:
        variant, lang, word = TITLES[doc_type]
        page = _render(doc_type, dpi=200, lang=lang, variant=variant)[0]
        x0, y0, x1, y1 = ImageOps.invert(page).getbbox()
        top = page.crop((x0, y0, x1, min(y1, y0 + int(page.height * 0.3))))
        os.environ["OMP_THREAD_LIMIT"] = "1"
        text = _plain(pytesseract.image_to_string(top, lang="fra+eng"))
        assert word in text
        assert "TREMBLAY" in text
