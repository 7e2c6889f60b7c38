"""Machine-readable zones: ICAO 9303 specimens, their corruptions and OCR noise."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from extractors.mrz import check_digit, find_mrz, parse_td1, parse_td3, reread_zone
from sample_scans.sheet import OCRB
from schemas.ocr import OcrWord, PageOcr

# ICAO Doc 9303 specimens (fictitious state Utopia).
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def _replace(line: str, pos: int, ch: str) -> str:
    return line[:pos] + ch + line[pos + 1 :]


def _page(lines: list[str], *, page_no: int = 4) -> PageOcr:
    """A page whose OCR lines are ``lines``, split into words on spaces, 60 px apart."""
    words = []
    for i, text in enumerate(lines):
        x = 100
        for token in text.split():
            box = (x, 100 + 60 * i, x + 20 * len(token), 140 + 60 * i)
            words.append(OcrWord(text=token, conf=90, bbox=box, block=1, line=i))
            x += 20 * len(token) + 15
    return PageOcr(page_no=page_no, words=tuple(words))


class TestCheckDigit:
    @pytest.mark.parametrize(
        ("field", "digit"),
        [
            ("L898902C3", "6"),
            ("740812", "2"),
            ("120415", "9"),
            ("ZE184226B<<<<<", "1"),
            ("D23145890", "7"),
        ],
    )
    def test_specimen_fields(self, field: str, digit: str) -> None:
        assert check_digit(field) == digit


class TestParseTd3:
    def test_specimen_verifies_and_names_the_holder(self) -> None:
        """GIVEN the ICAO TD3 specimen WHEN parsed THEN every check passes and the fields read."""
        mrz = parse_td3(TD3)
        assert mrz.checks_ok and mrz.failed_checks == ()
        assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
        assert mrz.date_of_birth == dt.date(1974, 8, 12)
        assert (mrz.sex, mrz.nationality, mrz.document_number) == ("F", "UTO", "L898902C3")

    @pytest.mark.parametrize(
        ("pos", "ch", "failed"),
        [
            (9, "7", {"document_number", "composite"}),
            (15, "9", {"date_of_birth", "composite"}),
            (19, "3", {"date_of_birth", "composite"}),
            (25, "6", {"expiry_date", "composite"}),
            (30, "9", {"personal_number", "composite"}),
            (43, "1", {"composite"}),
            (2, "X", {"document_number", "composite"}),
        ],
    )
    def test_each_corruption_is_named(self, pos: int, ch: str, failed: set[str]) -> None:
        """GIVEN one character of line 2 changed WHEN parsed THEN exactly the checks that cover
        it fail and the zone is not ok."""
        mrz = parse_td3((TD3[0], _replace(TD3[1], pos, ch)))
        assert set(mrz.failed_checks) == failed
        assert not mrz.checks_ok

    @pytest.mark.parametrize(
        ("pos", "ch", "unread"),
        [
            (43, "<", {"composite"}),  # a line read a character short: the last one lost
            (9, "K", {"document_number"}),
            (42, "K", {"personal_number"}),
            (43, "7", set()),  # a digit: the zone may really be wrong
        ],
    )
    def test_a_check_character_that_is_no_digit_is_unread(self, pos: int, ch: str,
                                                            unread: set[str]) -> None:
        """GIVEN a check character read as a filler or a letter WHEN parsed THEN its check
        fails and is named unread too (no printed zone has anything but a digit there)."""
        mrz = parse_td3((TD3[0], _replace(TD3[1], pos, ch)))
        assert not mrz.checks_ok
        assert set(mrz.unread_checks) == unread <= set(mrz.failed_checks)

    def test_the_issuing_state_is_put_back_in_its_place(self) -> None:
        """GIVEN line 1 read with the filler after P as two letters (the issuing state one
        place late, the names a letter too long), or lost (one place early, the names a
        letter short) WHEN parsed THEN the names read as printed; a state other than the
        holder's, where it stands, moves nothing."""
        for misread in ("PSK" + TD3[0][2:-1], "P" + TD3[0][2:] + "<"):
            assert parse_td3((misread, TD3[1])).family_name == "ERIKSSON", misread
        other = "P<XXAERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
        assert parse_td3((other, TD3[1])).family_name == "ERIKSSON"

    def test_empty_personal_number_may_carry_a_filler_check_digit(self) -> None:
        line2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<4"
        line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        assert parse_td3((TD3[0], line2)).failed_checks == ()

    def test_ocr_noise_is_mended(self) -> None:
        """GIVEN spaces, guillemets for fillers, O for 0 and a short filler run WHEN parsed THEN
        it reads as the specimen."""
        noisy = (
            "P«UTOERIKSSON«ANNA<MARIA««««««««« ",
            "L898902C36UTO74O8122F12O4l59ZE184226B <<<<10",
        )
        mrz = parse_td3(noisy)
        assert mrz.lines == TD3
        assert mrz.checks_ok

    def test_fillers_read_as_k_after_the_names_are_dropped(self) -> None:
        """GIVEN Tesseract's typical K and X for trailing fillers WHEN parsed THEN the names are
        clean, and a given name that really ends in K is kept."""
        mrz = parse_td3(("P<UTOERIKSSON<<ANNA<MARIA<X<<<K<K<< KKK KKK KKK KK", TD3[1]))
        assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
        erik = parse_td3(("P<UTOSMITH<<ERIK<<<<<<<<<<<<<<<<<<<<<<<<<<<<", TD3[1]))
        assert erik.given_names == "ERIK"

    def test_digits_read_in_names_become_letters(self) -> None:
        mrz = parse_td3(("P<UT0ER1KSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", TD3[1]))
        assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")

    def test_a_character_ocr_inserted_in_line_2_is_dropped(self) -> None:
        noisy = (TD3[0], "L898902C36UTO74081222F1204159ZE184226B<<<<<10")
        assert parse_td3(noisy).checks_ok

    def test_wrong_line_count_is_refused(self) -> None:
        with pytest.raises(ValueError):
            parse_td3(TD3[:1])


class TestParseTd1:
    def test_specimen_verifies(self) -> None:
        """GIVEN the ICAO TD1 specimen WHEN parsed THEN every check passes."""
        mrz = parse_td1(TD1)
        assert mrz.checks_ok
        assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
        assert mrz.document_number == "D23145890"
        assert mrz.date_of_birth == dt.date(1974, 8, 12)

    @pytest.mark.parametrize(
        ("line", "pos", "ch", "failed"),
        [
            (0, 7, "4", {"document_number", "composite"}),
            (1, 3, "9", {"date_of_birth", "composite"}),
            (1, 12, "0", {"expiry_date", "composite"}),
            (1, 29, "5", {"composite"}),
            (0, 20, "Z", {"composite"}),
        ],
    )
    def test_each_corruption_is_named(self, line: int, pos: int, ch: str, failed: set[str]) -> None:
        lines = list(TD1)
        lines[line] = _replace(lines[line], pos, ch)
        assert set(parse_td1(lines).failed_checks) == failed

    def test_a_character_ocr_inserted_is_dropped(self) -> None:
        """GIVEN line 1 read with an extra 'S' inside the document number (31 characters)
        WHEN parsed THEN the reading whose check digits hold is kept."""
        noisy = ("I<UTOD23S1458907<<<<<<<<<<<<<<<", TD1[1], TD1[2])
        mrz = parse_td1(noisy)
        assert mrz.checks_ok and mrz.document_number == "D23145890"

    def test_a_digit_read_as_a_letter_in_the_number_is_mended(self) -> None:
        """GIVEN the number's 5 read as S between digits WHEN parsed THEN the reading whose
        checks all hold is kept; a letter among letters is never changed."""
        assert parse_td1(("I<UTOD2314S8907<<<<<<<<<<<<<<<", TD1[1], TD1[2])).checks_ok
        line1 = "I<UTOD231458907<<<<<<<<<<<<<<<".replace("D2", "S2")
        assert not parse_td1((line1, TD1[1], TD1[2])).checks_ok

    def test_long_document_number_runs_into_optional_data(self) -> None:
        """GIVEN a 12-character number (ICAO note j: '<' at 15, rest and check digit in the
        optional data) WHEN parsed THEN the whole number is read and verified."""
        number = "D23145890123"
        line1 = f"I<UTO{number[:9]}<{number[9:]}{check_digit(number)}".ljust(30, "<")
        line2 = TD1[1][:29]
        line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        mrz = parse_td1((line1, line2, TD1[2]))
        assert mrz.document_number == number
        assert mrz.checks_ok


class TestFindMrz:
    def test_finds_a_passport_zone_below_other_text(self) -> None:
        """GIVEN a passport page: title, labels, then the two MRZ lines split by OCR into words
        WHEN searched THEN the zone is found, verified, and boxed."""
        page = _page(
            [
                "PASSEPORT PASSPORT",
                "Nom / Surname",
                "ERIKSSON",
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<< <<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ]
        )
        mrz = find_mrz(page)
        assert mrz is not None and mrz.kind == "TD3" and mrz.checks_ok
        assert mrz.bbox is not None and mrz.bbox[1] == 100 + 60 * 3

    def test_finds_an_identity_card_zone(self) -> None:
        mrz = find_mrz(_page(["CARTE D'IDENTITÉ", *TD1]))
        assert mrz is not None and mrz.kind == "TD1" and mrz.checks_ok

    def test_a_tilted_card_keeps_its_lines_in_reading_order(self) -> None:
        """GIVEN a card's zone on a tilted page, its names line's top higher than the others'
        WHEN searched THEN its lines are taken in Tesseract's reading order, and they check."""
        words = []
        for i, text in enumerate(TD1):
            top = 700 - 5 * i  # tilted: each lower line starts higher on the left
            words.append(OcrWord(text=text, conf=90, bbox=(100, top, 700, top + 40), block=3,
                                 line=i))  # fmt: skip
        mrz = find_mrz(PageOcr(page_no=9, words=tuple(words)))
        assert mrz is not None and mrz.kind == "TD1" and mrz.checks_ok

    def test_reports_a_corrupted_zone_rather_than_hiding_it(self) -> None:
        """GIVEN a zone whose birth date was altered WHEN searched THEN it is returned with the
        failed check, so the reviewer is told."""
        mrz = find_mrz(_page(list((TD3[0], _replace(TD3[1], 15, "9")))))
        assert mrz is not None and "date_of_birth" in mrz.failed_checks

    def test_ordinary_text_has_no_zone(self) -> None:
        page = _page(
            [
                "BAIL DE LOGEMENT RÉSIDENTIEL",
                "Locataire : JEAN TREMBLAY",
                "ENTRE LES SOUSSIGNÉS LE LOCATEUR ET LE LOCATAIRE DU LOGEMENT SITUÉ AU",
                "1234 RUE SAINT-DENIS MONTRÉAL QUÉBEC H2X 3K8 POUR LA DURÉE DE DOUZE MOIS",
            ]
        )
        assert find_mrz(page) is None

    def test_names_line_with_junk_around_it(self) -> None:
        """GIVEN a names line with a stray '|' before it and fillers read as L and K after it
        (50 characters) WHEN searched THEN the zone is found and the names are clean."""
        mrz = find_mrz(_page(["| P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<L<<K<L<LL<<<<", TD3[1]]))
        assert mrz is not None and mrz.checks_ok
        assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")

    def test_text_layer_page(self) -> None:
        page = PageOcr(page_no=2, source="text_layer", text_layer="Passport\n" + "\n".join(TD3))
        mrz = find_mrz(page)
        assert mrz is not None and mrz.checks_ok and mrz.bbox is None


class TestMisreadFillersAndLetterO:
    """Tesseract has no OCR-B model: runs of fillers come out as K, E, L… and O and 0 are one
    glyph. Such readings are mended only where every check digit then holds."""

    EMPTY_PN = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<"

    def _empty_personal_number(self) -> str:
        line = self.EMPTY_PN
        return line + check_digit(line[0:10] + line[13:20] + line[21:43])

    def test_an_empty_personal_number_read_as_letters_is_mended(self) -> None:
        line2 = self._empty_personal_number()
        misread = line2[:28] + "KK<<KEKKKKKKKK" + "K" + line2[43]
        mrz = parse_td3((TD3[0], misread))
        assert mrz.checks_ok and mrz.lines[1] == line2

    def test_fillers_read_as_s_are_mended_too(self) -> None:
        line2 = self._empty_personal_number()
        misread = line2[:28] + "<<<<K<K<<<SSS<" + "<" + line2[43]
        mrz = parse_td3((TD3[0], misread))
        assert mrz.checks_ok and mrz.lines[1] == line2

    def test_letters_that_cannot_be_fillers_are_left_failing(self) -> None:
        line2 = self._empty_personal_number()
        misread = line2[:28] + "KK<<KAKKKKKKKK" + "K" + line2[43]
        assert "personal_number" in parse_td3((TD3[0], misread)).failed_checks

    def test_the_letter_o_in_a_passport_number_is_mended_by_its_check_digits(self) -> None:
        line2 = "AB0123456" + check_digit("AB0123456") + TD3[1][10:]
        line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        mrz = parse_td3((TD3[0], line2.replace("AB0", "ABO", 1)))
        assert mrz.checks_ok and mrz.document_number == "AB0123456"

    def test_a_letter_before_the_check_digit_is_mended_too(self) -> None:
        """GIVEN a passport number ending in 5 read as S, the check digit after it WHEN
        parsed THEN the number is mended: its check digits and the composite hold."""
        line2 = "AB0123455" + check_digit("AB0123455") + TD3[1][10:]
        line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        mrz = parse_td3((TD3[0], line2[:8] + "S" + line2[9:]))
        assert mrz.checks_ok and mrz.document_number == "AB0123455"

    def test_a_seven_read_as_t_in_a_date_is_a_seven(self) -> None:
        line2 = TD3[1][:13] + TD3[1][13:19].replace("7", "T") + TD3[1][19:]
        mrz = parse_td3((TD3[0], line2))
        assert mrz.checks_ok and mrz.date_of_birth == dt.date(1974, 8, 12)

    def test_a_number_changed_otherwise_still_fails(self) -> None:
        line2 = "AB0123456" + check_digit("AB0123456") + TD3[1][10:]
        line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        assert not parse_td3((TD3[0], line2.replace("AB0", "AB8", 1))).checks_ok

    def test_card_optional_data_read_as_letters_is_mended(self) -> None:
        mrz = parse_td1((TD1[0][:20] + "KK<KE" + TD1[0][25:], TD1[1], TD1[2]))
        assert mrz.checks_ok and mrz.lines[0] == TD1[0]

    def test_a_tail_of_misread_fillers_with_e_and_r_leaves_the_names(self) -> None:
        line1 = "P<UTOERIKSSON<<ANNA<<<<KEKKKEKEREEKKKEKKKKKK"
        assert parse_td3((line1, TD3[1])).given_names == "ANNA"
        line1 = "P<UTOERIKSSON<<ANNA<ELLE<<<<<<<<<<<<<<<<<<<<"
        assert parse_td3((line1, TD3[1])).given_names == "ANNA ELLE"


class TestZoneReadAgain:
    """``reread_zone`` on a real image, with the real Tesseract."""

    @staticmethod
    def _zone_image(lines: tuple[str, ...]) -> tuple[np.ndarray, tuple[int, int, int, int]]:
        """``lines`` printed in OCR-B at 200 dpi (10 pt), and the box of the print."""
        font = ImageFont.truetype(str(OCRB), round(10 / 72 * 200))
        page = Image.new("L", (1400, 300), 245)
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines):
            draw.text((60, 80 + i * 40), line, font=font, fill=20)
        box = ImageOps.invert(page).point(lambda v: 255 if v > 60 else 0).getbbox()
        return np.asarray(page), box

    def test_a_zone_the_page_misread_is_read_right_alone(self) -> None:
        """GIVEN a zone whose page reading fails (a personal-number letter misread) WHEN it
        is read again alone THEN every check holds and the page's names line is kept."""
        image, box = self._zone_image(TD3)
        misread = parse_td3((TD3[0], _replace(TD3[1], 30, "9"))).model_copy(update={"bbox": box})
        assert not misread.checks_ok
        again = reread_zone(image, misread, page_no=3)
        assert again.checks_ok and again.bbox == box
        assert (again.document_number, again.nationality) == ("L898902C3", "UTO")
        assert again.lines[0] == TD3[0] and again.given_names == "ANNA MARIA"

    def test_a_zone_printed_wrong_still_fails(self) -> None:
        """GIVEN a zone printed with a wrong document-number check digit WHEN read again
        alone THEN it fails as before: nothing is mended that the checks do not prove."""
        altered = (TD3[0], _replace(TD3[1], 9, "7"))
        image, box = self._zone_image(altered)
        zone = parse_td3(altered).model_copy(update={"bbox": box})
        assert "document_number" in zone.failed_checks
        again = reread_zone(image, zone, page_no=3)
        assert not again.checks_ok and "document_number" in again.failed_checks

    def test_a_line_read_short_proves_nothing(self) -> None:
        """GIVEN a failing zone whose second line, alone, reads only its first ten characters
        (the rest gone: empty fields pass their checks) WHEN read again THEN the first
        reading stays."""
        image, box = self._zone_image((TD3[0], TD3[1][:10]))
        misread = parse_td3((TD3[0], _replace(TD3[1], 30, "9")))
        zone = misread.model_copy(update={"bbox": (box[0], box[1], box[0] + 884, box[3])})
        assert reread_zone(image, zone, page_no=3) is zone
