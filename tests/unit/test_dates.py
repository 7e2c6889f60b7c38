"""Dates in French and English as OCR reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.dates import find_dates, parse_date

D = dt.date


class TestParseDate:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("12 avril 1988", D(1988, 4, 12)),
            ("1er mai 1990", D(1990, 5, 1)),
            ("April 12, 1988", D(1988, 4, 12)),
            ("12 April 1988", D(1988, 4, 12)),
            ("12/04/1988", D(1988, 4, 12)),
            ("1988-04-12", D(1988, 4, 12)),
            ("12.04.1988", D(1988, 4, 12)),
            ("12 AVR 1988", D(1988, 4, 12)),
            ("12 APR/AVR 1988", D(1988, 4, 12)),
            ("12 APR /AVR 88", D(1988, 4, 12)),
            ("3 févr. 2001", D(2001, 2, 3)),
            ("le 15 août 1975", D(1975, 8, 15)),
            ("le 15 aout 1975", D(1975, 8, 15)),
            ("Dec. 3, 2001", D(2001, 12, 3)),
            ("31 DÉCEMBRE 1999", D(1999, 12, 31)),
            ("12-APR-1988", D(1988, 4, 12)),
        ],
    )
    def test_formats(self, text: str, expected: dt.date) -> None:
        assert parse_date(text) == expected

    def test_day_first_by_default(self) -> None:
        """GIVEN 03/04/1990, ambiguous WHEN parsed THEN it is 3 April (Canadian/French usage)."""
        assert parse_date("03/04/1990") == D(1990, 4, 3)

    def test_month_first_only_when_forced(self) -> None:
        """GIVEN 04/25/1988 WHEN parsed THEN 25 cannot be a month, so it is 25 April."""
        assert parse_date("04/25/1988") == D(1988, 4, 25)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("l2 avril l988", D(1988, 4, 12)),
            ("O1/O4/2OO1", D(2001, 4, 1)),
            ("ler mai 1990", D(1990, 5, 1)),
            ("12/O4/l988", D(1988, 4, 12)),
            ("I2.O4.I988", D(1988, 4, 12)),
        ],
    )
    def test_ocr_confusions(self, text: str, expected: dt.date) -> None:
        assert parse_date(text) == expected

    @pytest.mark.parametrize(
        "text",
        ["31/02/2000", "Page 2/3", "Il est né à Lyon", "1234567", "12 foo 1988", "1850-01-01"],
    )
    def test_not_dates(self, text: str) -> None:
        assert parse_date(text) is None


class TestFindDates:
    def test_several_dates_in_reading_order_with_their_text(self) -> None:
        """GIVEN a sentence with two dates WHEN searched THEN both come back with the text read."""
        found = find_dates("Marié le 3 février 2001 ; né le 4 août 1999.")
        assert found == [(D(2001, 2, 3), "3 février 2001"), (D(1999, 8, 4), "4 août 1999")]

    def test_matched_text_is_the_original_not_the_corrected(self) -> None:
        assert find_dates("Né le l2 avril l988 à Lyon") == [(D(1988, 4, 12), "l2 avril l988")]

    def test_words_with_l_and_o_are_not_turned_into_digits(self) -> None:
        """GIVEN 'Il' and 'Oslo' next to a date WHEN searched THEN only the date is found."""
        assert find_dates("Il vit à Oslo depuis le 2 mai 2010") == [(D(2010, 5, 2), "2 mai 2010")]
