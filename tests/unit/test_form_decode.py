"""Field-level decoding of per-box character candidates."""

from __future__ import annotations

import pytest

from extractors.form_decode import (
    CORRECTION_COST,
    decode_date,
    decode_digits,
    decode_postal,
    decode_text,
)
from extractors.form_fields import CHARSETS


def boxes(text: str, p: float = 0.99) -> list:
    """One sure candidate per character; ``_`` is an empty box."""
    return [None if c == "_" else [(c, p)] for c in text]


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
        b = boxes("19884412")
        b[4] = [("4", 0.5), ("0", 0.45)]  # month 44 is impossible; 04 is the runner-up
        d = decode_date(b)
        assert d.value == "1988-04-12"
        assert d.confidence == pytest.approx(0.99**7 * 0.45 * CORRECTION_COST)

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


class TestDecodePostal:
    def test_letters_and_digits_fixed_by_position_each_fix_costs(self) -> None:
        d = decode_postal(boxes("HTN284"))
        assert d.value == "H7N2B4" and d.valid
        assert d.confidence == pytest.approx(0.99**6 * CORRECTION_COST**2)

    def test_short_code_is_invalid(self) -> None:
        assert not decode_postal(boxes("H7N2B_")).valid


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

    def test_names_are_left_alone(self) -> None:
        assert decode_text(boxes("R0Y"), allowed=CHARSETS["alpha"]).value == "R?Y"
