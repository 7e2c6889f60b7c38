"""Field-level decoding of per-box character candidates."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.form_decode import (
    CORRECTION_COST,
    decode_date,
    decode_digits,
    decode_postal,
    decode_text,
    decode_with_lexicon,
    decode_words_with_lexicon,
    fill_lost_dots,
    lexicon_entries,
)
from extractors.form_fields import CHARSETS
from extractors.form_reader import printed_name_entries


def boxes(text: str, p: float = 0.99) -> list:
    """One sure candidate per character; ``_`` is an empty box."""
    return [None if c == "_" else [(c, p)] for c in text]


def unsure_ones(text: str) -> list:
    """Like ``boxes``, but every I or 1 also seen as the other at a third of its probability."""
    alt = {"I": "1", "1": "I"}
    sure = boxes(text)
    return [[(c, 0.7), (alt[c], 0.25)] if c in alt else b for c, b in zip(text, sure, strict=True)]


class TestDecodeText:
    def test_blank_box_between_words_is_one_space_and_trailing_blanks_go(self) -> None:
        d = decode_text(boxes("JEAN__PAUL_____"), allowed=CHARSETS["alpha"])
        assert (d.value, d.valid) == ("JEAN PAUL", True)

    def test_all_empty_is_no_value(self) -> None:
        assert decode_text(boxes("_____"), allowed=CHARSETS["alpha"]).value is None

    def test_confidence_is_the_chance_all_characters_are_right(self) -> None:
        b = boxes("ROY") + [None]
        b[1] = [("O", 0.4)]
        d = decode_text(b, allowed=CHARSETS["alpha"])
        assert d.confidence == pytest.approx(0.99 * 0.4 * 0.99)

    def test_box_with_no_candidate_makes_it_invalid(self) -> None:
        b = boxes("ROY")
        b[2] = []
        d = decode_text(b, allowed=CHARSETS["alpha"])
        assert d.value == "RO?" and not d.valid


class TestDecodeDate:
    def test_valid_date(self) -> None:
        d = decode_date(boxes("19880412"))
        assert (d.value, d.valid) == ("1988-04-12", True)

    def test_second_candidate_rescues_an_impossible_month(self) -> None:
        """GIVEN a month box read 4 at 0.5 and 0 at 0.45 (month 44 is impossible) THEN the
        month is 04, as sure as the share of the boxes' probability their candidates hold
        (0.99 ** 7 * 0.95) leaves it, less a correction."""
        b = boxes("19884412")
        b[4] = [("4", 0.5), ("0", 0.45)]
        d = decode_date(b)
        assert d.value == "1988-04-12"
        mass, unseen = 0.99**7 * 0.45, 1 - 0.99**7 * 0.95
        assert d.confidence == pytest.approx(mass / (mass + unseen) * CORRECTION_COST)

    def test_a_digit_no_date_can_hold_takes_no_confidence_from_its_rival(self) -> None:
        """GIVEN a date signed read as the glyph model read one (its month's first box 1 at
        0.635, 2 at 0.155, 0 at 0.045: months 20 and 00 do not exist) THEN it is read surely
        enough to pass (the candidates' product alone was 0.57); with 0 nearly as likely as 1
        there and the next box unsure between 0 and 1 (October, or January written 01?), it
        is not."""
        b = [[("2", 0.98), ("1", 0.008), ("3", 0.003)], [("0", 0.989), ("6", 0.002)],
             [("2", 0.98), ("1", 0.01), ("3", 0.004)], [("6", 0.994), ("5", 0.002)],
             [("1", 0.635), ("2", 0.155), ("0", 0.045)], [("0", 0.972), ("3", 0.006)],
             [("2", 0.984), ("1", 0.008)], [("8", 0.975), ("6", 0.013), ("9", 0.003)]]
        window = (dt.date(2025, 11, 8), dt.date(2027, 2, 7))
        d = decode_date(b, window=window)
        assert d.value == "2026-10-28" and d.confidence >= 0.7
        b[4] = [("1", 0.4), ("2", 0.16), ("0", 0.35)]
        b[5] = [("0", 0.5), ("1", 0.45)]
        assert decode_date(b, window=window).confidence < 0.7

    def test_letter_read_in_a_digit_box_is_mapped(self) -> None:
        d = decode_date(boxes("I988O412"))
        assert d.value == "1988-04-12" and d.valid
        assert d.confidence == pytest.approx(0.99**8 * CORRECTION_COST**2)

    def test_implausible_year_is_invalid(self) -> None:
        d = decode_date(boxes("18880412"))
        assert not d.valid and d.value == "1888-04-12"

    def test_partly_empty_date_is_invalid(self) -> None:
        d = decode_date(boxes("1988__12"))
        assert not d.valid and d.confidence == 0.0

    def test_empty_date_is_no_value(self) -> None:
        assert decode_date(boxes("________")).value is None

    RECENT = (dt.date(2025, 11, 1), dt.date(2027, 1, 31))

    def test_the_window_settles_a_digit_read_two_ways(self) -> None:
        """GIVEN a date signed whose 6 was read as 0 first and 6 second THEN with the window
        of a form mailed in 2026 it is 2026, and surer than the plain reading was of 2020."""
        b = boxes("20201022")
        b[3] = [("0", 0.7), ("6", 0.25)]
        assert decode_date(b).value == "2020-10-22"
        d = decode_date(b, window=self.RECENT)
        assert d.value == "2026-10-22" and d.confidence > 0.25 * 0.99**7

    def test_a_clear_date_outside_the_window_stays_as_sure(self) -> None:
        """Readable is readable: a form dated 2020 is for the rules to judge."""
        d = decode_date(boxes("20201022"), window=self.RECENT)
        assert d.value == "2020-10-22" and d.confidence == pytest.approx(0.99**8)


class TestDecodePostal:
    def test_letters_and_digits_fixed_by_position_each_fix_costs(self) -> None:
        d = decode_postal(boxes("HTN284"))
        assert d.value == "H7N2B4" and d.valid
        assert d.confidence == pytest.approx(0.99**6 * CORRECTION_COST**2)

    def test_short_code_is_invalid(self) -> None:
        assert not decode_postal(boxes("H7N2B_")).valid

    def test_a_letter_canada_post_never_uses_is_a_misreading(self) -> None:
        """No postal code holds D, F, I, O, Q or U: an O read is the next letter seen."""
        b = boxes("H2X9O6")
        b[4] = [("O", 0.9), ("C", 0.05)]
        assert decode_postal(b).value == "H2X9C6"

    def test_the_home_region_settles_a_first_letter_read_two_ways(self) -> None:
        """GIVEN a Québec J read as T at 0.6, J second at 0.3 THEN with the home letters GHJ
        it is J; a T read clearly stays T (an address outside Québec is for the rules)."""
        b = boxes("T8T9G2")
        b[0] = [("T", 0.6), ("J", 0.3), ("Y", 0.05)]
        assert decode_postal(b).value == "T8T9G2"
        assert decode_postal(b, home="GHJ").value == "J8T9G2"
        clear = boxes("T2B6B0")
        clear[0] = [("T", 0.97), ("J", 0.02)]
        assert decode_postal(clear, home="GHJ").value == "T2B6B0"


class TestDecodeDigits:
    @pytest.mark.parametrize(
        ("name", "text", "valid"),
        [
            ("uci", "12345678__", True),
            ("uci", "1234567890", True),
            ("uci", "123456789_", False),
            ("telephone", "4505551234", True),
            ("telephone", "450555123_", False),
            ("member1_relationship", "3", True),
            ("member1_relationship", "7", False),
            ("telephone", "450_551234", False),
        ],
    )
    def test_lengths_and_codes(self, name: str, text: str, valid: bool) -> None:
        d = decode_digits(boxes(text), name=name)
        assert d.valid is valid
        assert (d.confidence >= 0.9) is valid  # 0.99 ** 10 > 0.9


class TestZeroOrO:
    @pytest.mark.parametrize(
        ("seen", "value"),
        [
            ("443_M0NTEE", "443 MONTEE"),
            ("1O2_RUE_OAK", "102 RUE OAK"),
            ("0LENA.TKACHENK094@MAIL.C0M", "OLENA.TKACHENKO94@MAIL.COM"),
        ],
    )
    def test_the_word_decides_and_costs_nothing(self, seen: str, value: str) -> None:
        d = decode_text(boxes(seen), allowed=CHARSETS["email" if "@" in seen else "text"])
        assert (d.value, d.raw) == (value, seen)
        assert d.confidence == pytest.approx(0.99 ** len(seen.replace("_", "")))

    @pytest.mark.parametrize(
        ("seen", "value"),
        [
            ("I69_RUE_JEAN-TALON", "169 RUE JEAN-TALON"),
            ("5I5", "515"),
            ("AHMADI9O@MAIL.COM", "AHMADI90@MAIL.COM"),
            ("D1ALLO3O@MAIL.COM", "DIALLO30@MAIL.COM"),
            ("4345_3E_AVENUE", "4345 3E AVENUE"),
        ],
    )
    def test_one_and_i_by_their_neighbours(self, seen: str, value: str) -> None:
        """GIVEN a recogniser unsure between I and 1 THEN the neighbours decide."""
        d = decode_text(unsure_ones(seen), allowed=CHARSETS["email" if "@" in seen else "text"])
        assert d.value == value

    def test_sure_ones_stay_as_read(self) -> None:
        seen = "KOVALENKO11@MAIL.COM"
        assert decode_text(boxes(seen), allowed=CHARSETS["email"]).value == seen

    @pytest.mark.parametrize(
        ("seen", "value"),
        [("I84_RUE_DES_FORGES", "184 RUE DES FORGES"), ("6I89_RUE", "6189 RUE"),
         ("MEHDI.EL6I@MAIL.COM", "MEHDI.EL61@MAIL.COM")],
    )
    def test_a_sure_i_inside_a_number_is_a_one_and_pays_for_it(self, seen: str, value: str) -> None:
        """GIVEN a bare stroke read I, the recogniser seeing no 1 in it, between digits
        THEN it is a 1, the switch charged as a correction."""
        d = decode_text(boxes(seen), allowed=CHARSETS["email" if "@" in seen else "text"])
        assert d.value == value
        assert d.confidence == pytest.approx(0.99 ** len(seen.replace("_", "")) * CORRECTION_COST)

    def test_a_sure_i_among_letters_stays(self) -> None:
        for seen in ("MEHDI.CHERIF@MAIL.COM", "VALCOURTI6@MAIL.COM"):
            assert decode_text(boxes(seen), allowed=CHARSETS["email"]).value == seen

    def test_lone_look_alike_is_a_number_only_where_numbers_are_expected(self) -> None:
        alnum = decode_text(unsure_ones("I"), allowed=CHARSETS["alnum"], digits_alone=True)
        assert alnum.value == "1"
        assert decode_text(unsure_ones("I"), allowed=CHARSETS["text"]).value == "I"

    def test_look_alike_switches_only_if_the_other_reading_was_seen(self) -> None:
        seen = [[("2", 0.9)], [("S", 0.7), ("5", 0.2)], [("4", 0.9)]]
        assert decode_text(seen, allowed=CHARSETS["text"]).value == "254"
        seen = [[("2", 0.9)], [("B", 0.9), ("R", 0.05)], [("4", 0.9)]]  # no 8 seen in the B
        assert decode_text(seen, allowed=CHARSETS["text"]).value == "2B4"

    def test_names_are_left_alone(self) -> None:
        assert decode_text(boxes("R0Y"), allowed=CHARSETS["alpha"]).value == "R?Y"

    @pytest.mark.parametrize(
        ("seen", "value"),
        [("5013_RUE_L/NDSAY", "5013 RUE LINDSAY"), ("50/3_RUE_OAK", "5013 RUE OAK")],
    )
    def test_a_slash_inside_a_word_is_a_stroke(self, seen: str, value: str) -> None:
        """GIVEN a plain stroke read as / between two letters (or two digits)
        THEN it is an I (or a 1), and the field is less sure for it."""
        bx = boxes(seen.replace("/", "_"))
        bx[seen.index("/")] = [("/", 0.95), ("I", 0.03)]
        d = decode_text(bx, allowed=CHARSETS["text"])
        assert d.value == value
        assert d.confidence < 0.99 ** len(seen.replace("_", ""))

    def test_a_slash_between_words_stays(self) -> None:
        assert decode_text(boxes("12_/_B"), allowed=CHARSETS["text"]).value == "12 / B"

    def test_a_blank_inside_an_email_is_a_lost_full_stop(self) -> None:
        """GIVEN an address whose dots were too faint to be kept THEN they are read back as
        full stops, not as spaces, and the field is no longer sure; blanks after it stay."""
        seen = boxes("OLENA_MELNYK@YAHOO_FR___")
        d = decode_text(fill_lost_dots(seen), allowed=CHARSETS["email"])
        assert d.value == "OLENA.MELNYK@YAHOO.FR"
        assert d.confidence < 0.9
        whole = boxes("OLENA.MELNYK@YAHOO.FR___")
        assert decode_text(fill_lost_dots(whole), allowed=CHARSETS["email"]).confidence > 0.8


class TestLexicon:
    """Word lists as evidence: an unsure reading near an entry becomes it, a clear one stays."""

    TOWNS = lexicon_entries(
        ["# comment", "Québec", "Montréal", "Saguenay", "Trois-Rivières"], allowed=CHARSETS["alpha"]
    )

    def decode(self, bx: list) -> tuple[str | None, float]:
        read = decode_text(bx, allowed=CHARSETS["alpha"])
        d = decode_with_lexicon(bx, read, self.TOWNS)
        return d.value, d.confidence

    def test_an_unsure_box_is_settled_by_the_entry(self) -> None:
        bx = boxes("QUÉB_C")
        bx[4] = [("E", 0.49), ("Ë", 0.22), ("É", 0.09)]
        plain = decode_text(bx, allowed=CHARSETS["alpha"])
        value, conf = self.decode(bx)
        assert value == "QUÉBEC" and conf > plain.confidence and conf >= 0.9

    def test_an_accent_the_ink_did_not_show_is_restored(self) -> None:
        assert self.decode(boxes("MONTREAL", 0.97))[0] == "MONTRÉAL"

    def test_a_bar_lost_on_the_box_line_is_forgiven(self) -> None:
        bx = boxes("QUFBEC", 0.97)
        bx[2] = [("F", 0.73), ("É", 0.11)]
        assert self.decode(bx)[0] == "QUÉBEC"

    def test_a_clearly_written_town_outside_the_list_stays_as_written(self) -> None:
        assert self.decode(boxes("SAGUENEY", 0.99))[0] == "SAGUENEY"
        assert self.decode(boxes("BAIE-COMEAU", 0.97))[0] == "BAIE-COMEAU"

    def test_a_near_miss_read_unsure_is_the_entry(self) -> None:
        """GIVEN SAGUENAY with its A read as E at 0.84 and A a distant second (as the glyph
        CNN reads one hand's A) THEN it is SAGUENAY: a real town one letter off an entry is
        far rarer than a misread entry. The same letter read at 0.95 stays as written."""
        unsure = boxes("SAGUENAY", 0.97)
        unsure[6] = [("E", 0.84), ("A", 0.02)]
        assert self.decode(unsure)[0] == "SAGUENAY"
        clear = boxes("SAGUENAY", 0.97)
        clear[6] = [("E", 0.95), ("A", 0.02)]
        assert self.decode(clear)[0] == "SAGUENEY"

    def test_a_letter_lost_to_a_blank_box_is_a_near_miss(self) -> None:
        bx = boxes("TROIS-RIV_ÈRES", 0.9)
        assert self.decode(bx)[0] == "TROIS-RIVIÈRES"

    def test_one_spelling_per_name_with_its_accents(self) -> None:
        entries = lexicon_entries(["Senegal", "Sénégal", "Iran"], allowed=CHARSETS["alpha"])
        assert entries == {7: ["SÉNÉGAL"], 4: ["IRAN"]}

    def test_entries_the_field_cannot_hold_are_left_out(self) -> None:
        assert lexicon_entries(["Côte d'Ivoire", "Saint-Lin–Laurentides", "A&B"],
                               allowed=CHARSETS["alpha"]) == {  # fmt: skip
            13: ["CÔTE D'IVOIRE"], 21: ["SAINT-LIN-LAURENTIDES"]
        }

    def test_the_default_lexicons_are_installed_with_the_package(self) -> None:
        from schemas.config import load_config

        lex = load_config().form.lexicons
        assert {"municipality", "place_signed", "country_of_birth", "citizenship"} <= set(lex)
        assert all(p.is_file() for p in lex.values())


class TestWordLexicon:
    """Word lists read word by word: a street's RUE and OUEST, an e-mail address's domain."""

    @staticmethod
    def decode(bx: list, lexicon: str, charset: str = "text"):
        from schemas.config import FormConfig

        allowed = CHARSETS[charset]
        path = FormConfig().word_lexicons[lexicon]
        entries = lexicon_entries(path.read_text(encoding="utf-8").splitlines(), allowed=allowed)
        return decode_words_with_lexicon(bx, decode_text(bx, allowed=allowed), entries,
                                         allowed=allowed)  # fmt: skip

    def test_an_unsure_word_of_the_list_is_mended_and_the_rest_read_as_written(self) -> None:
        bx = boxes("982_RUE_DEJ_FORGFS", 0.97)
        bx[10] = [("J", 0.6), ("S", 0.3)]
        bx[16] = [("F", 0.6), ("E", 0.3)]  # FORGES is the street's own name: not in the list
        d = self.decode(bx, "street")
        plain = decode_text(bx, allowed=CHARSETS["text"])
        assert d.value == "982 RUE DES FORGFS" and d.confidence > plain.confidence

    def test_civic_numbers_and_clear_words_are_left_alone(self) -> None:
        bx = boxes("I72_BOULEVARD_OUESF", 0.97)
        bx[0] = [("I", 0.6), ("1", 0.3)]
        assert self.decode(bx, "street").value == "172 BOULEVARD OUESF"  # F read at 0.97

    def test_the_domain_of_an_e_mail_address(self) -> None:
        bx = boxes("LINA.KHOURY2@YAHOO.FK", 0.97)
        bx[-1] = [("K", 0.7), ("R", 0.2)]
        assert self.decode(bx, "email", "email").value == "LINA.KHOURY2@YAHOO.FR"


class TestNamesInAddress:
    """An e-mail address's local part weighed against its owner's printed name."""

    @staticmethod
    def decode(bx: list, printed: str | None):
        from extractors.form_reader import _decode_answer
        from schemas.config import FormConfig
        from schemas.form import AnswerContext, load_form_layout

        cfg = FormConfig()
        return _decode_answer(load_form_layout().field("email"), bx, context=AnswerContext(),
                              lexicons=cfg.lexicons, word_lexicons=cfg.word_lexicons,
                              printed=printed_name_entries(printed))  # fmt: skip

    @staticmethod
    def address(text: str, unsure: dict[int, list]) -> list:
        bx = boxes(text, 0.97)
        for i, cands in unsure.items():
            bx[i] = cands
        return bx

    def test_a_name_settles_an_unsure_letter_and_the_domain_its_own(self) -> None:
        """GIVEN KAKIM.BOUZID78@VIDEOTRON.CK, the R read K at 0.6 and the A K at 0.6, and the
        printed name BOUZID, Karim THEN both are mended and the reading is surer."""
        bx = self.address("KAKIM.BOUZID78@VIDEOTRON.CK", {
            2: [("K", 0.6), ("R", 0.3)], 26: [("K", 0.6), ("A", 0.3)]})
        plain = self.decode(bx, None)
        d = self.decode(bx, "BOUZID, Karim")
        assert plain.value == "KAKIM.BOUZID78@VIDEOTRON.CA"
        assert d.value == "KARIM.BOUZID78@VIDEOTRON.CA" and d.confidence > plain.confidence

    def test_an_address_of_other_words_is_read_as_written(self) -> None:
        bx = self.address("MOON.STAR7@GMAIL.COM", {1: [("O", 0.6), ("D", 0.3)]})
        assert self.decode(bx, "BOUZID, Karim").value == "MOON.STAR7@GMAIL.COM"

    def test_the_domain_is_no_place_for_a_name(self) -> None:
        """A run of letters after the @ is the domain's: KARIM.B@KARIN.CA keeps KARIN."""
        bx = self.address("KARIM.B@KARIN.CA", {12: [("N", 0.6), ("M", 0.3)]})
        assert self.decode(bx, "BOUZID, Karim").value == "KARIM.B@KARIN.CA"


class TestPrintedName:
    """The ministry's typed ``FAMILY, Given names`` as evidence for the written name."""

    @staticmethod
    def decoded(field: str, bx: list, printed: str):
        names, prior = printed_name_entries(printed)[field]
        entries = lexicon_entries(names, allowed=CHARSETS["alpha"])
        return decode_with_lexicon(bx, decode_text(bx, allowed=CHARSETS["alpha"]), entries,
                                   prior=prior, vouch=False)  # fmt: skip

    def decode(self, field: str, bx: list, printed: str) -> str | None:
        return self.decoded(field, bx, printed).value

    def test_agreeing_passes_a_reading_but_never_as_sure(self) -> None:
        """GIVEN a name the hand and the typed header both read MUNOZ THEN it passes the field
        threshold, but is not reported sure: Tesseract and the CNN are blind to the same
        accents (MUÑOZ read MUNOZ by both). A reading already sure stays as sure."""
        bx = boxes("MUNOZ", p=0.85)
        plain = decode_text(bx, allowed=CHARSETS["alpha"])
        d = self.decoded("family_name", bx, "MUNOZ, Ana")
        assert plain.confidence < 0.7 <= d.confidence < 0.9
        sure = boxes("MUNOZ", p=0.99)
        assert self.decoded("family_name", sure, "MUNOZ, Ana").confidence == pytest.approx(
            decode_text(sure, allowed=CHARSETS["alpha"]).confidence)

    @pytest.mark.parametrize(
        ("seen", "printed", "value"),
        [
            ("GÓMEZ", "GÔMEZ, Ana", "GÓMEZ"),  # Tesseract has no Ó: the writer's accent stays
            ("HERNÁNDEZ", "HERNANDEZ, Ana", "HERNÁNDEZ"),
            ("GÓMFZ", "GÔMEZ, Ana", "GÓMEZ"),  # the printed letters still correct
        ],
    )
    def test_printed_name_is_no_evidence_of_accents(
        self, seen: str, printed: str, value: str
    ) -> None:
        bx = [[(c, 0.97)] if c != "F" else [("F", 0.5), ("E", 0.4)] for c in seen]
        assert self.decode("family_name", bx, printed) == value

    def test_a_corrected_reading_is_never_reported_sure(self) -> None:
        """GIVEN AIT OLALI, its U read as L, and the printed AIT OUALI (Tesseract has no Ï)
        THEN the letters are corrected, but the value may still lack the writer's accent
        (AÏT): it passes as read without being reported sure."""
        bx = boxes("AIT_OLALI", 0.97)
        bx[5] = [("L", 0.8), ("U", 0.05)]
        d = self.decoded("family_name", bx, "AIT OUALI, Nour")
        assert d.value == "AIT OUALI" and 0.7 <= d.confidence < 0.9

    def test_fields_it_speaks_for(self) -> None:
        entries = printed_name_entries("BENALI, Khadija")
        assert entries["family_name"][0] == ["BENALI"]
        assert entries["given_names"][0] == ["KHADIJA"]
        assert entries["member3_family_name"][0] == ["BENALI"]
        assert entries["member3_family_name"][1] < entries["family_name"][1]
        assert printed_name_entries(None) == {} and printed_name_entries("BENALI") == {}

    def test_a_letter_that_lost_a_stroke_is_the_printed_one(self) -> None:
        bx = boxes("BFNALI")  # the E's bottom bar lost on the box line
        assert self.decode("family_name", bx, "BENALI, Khadija") == "BENALI"

    def test_a_clearly_written_other_name_stays(self) -> None:
        bx = boxes("MARTIN")
        assert self.decode("family_name", bx, "MARTINEZ, Ana") == "MARTIN"
        assert self.decode("member1_family_name", boxes("OKAFOR"), "BENALI, Khadija") == "OKAFOR"
