"""Machine-readable zones (ICAO Doc 9303): TD3 passports and TD1 identity cards.

Check digits use weights 7, 3, 1 repeating over character values: digits as themselves,
``A``…``Z`` as 10…35, the filler ``<`` as 0.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

FILLER = "<"
_WEIGHTS = (7, 3, 1)


def char_value(ch: str) -> int:
    """The value ICAO 9303 gives a character of the MRZ."""
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(field: str) -> str:
    """The check digit of a field: weighted sum of values (7, 3, 1, …) modulo 10."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def mrz_text(text: str) -> str:
    """Transliterate to the MRZ alphabet: accents dropped, apostrophes removed, rest ``<``."""
    plain = unicodedata.normalize("NFKD", text.upper()).encode("ascii", "ignore").decode()
    plain = plain.replace("'", "")
    return "".join(c if c.isalnum() else FILLER for c in plain)


def mrz_name(family_name: str, given_names: str, width: int) -> str:
    """``FAMILY<<GIVEN<NAMES`` padded (or truncated) to ``width``."""
    name = f"{mrz_text(family_name)}{FILLER * 2}{mrz_text(given_names)}"
    return name[:width].ljust(width, FILLER)


def _pad(text: str, width: int) -> str:
    return mrz_text(text)[:width].ljust(width, FILLER)


def _yymmdd(date: dt.date) -> str:
    return date.strftime("%y%m%d")


def _sex(sex: str) -> str:
    return sex if sex in ("F", "M") else FILLER


def mrz_td3(
    *,
    issuing_state: str,
    family_name: str,
    given_names: str,
    document_number: str,
    nationality: str,
    date_of_birth: dt.date,
    sex: str,
    expiry: dt.date,
    personal_number: str = "",
    doc_code: str = "P",
) -> tuple[str, str]:
    """The two 44-character lines of a passport's MRZ (TD3)."""
    line1 = f"{_pad(doc_code, 2)}{_pad(issuing_state, 3)}{mrz_name(family_name, given_names, 39)}"
    number, personal = _pad(document_number, 9), _pad(personal_number, 14)
    birth, exp = _yymmdd(date_of_birth), _yymmdd(expiry)
    # an all-filler personal number may carry '<' as its check digit (9303-4 §4.2.2.2)
    personal_check = check_digit(personal) if personal.strip(FILLER) else FILLER
    body = (
        f"{number}{check_digit(number)}{_pad(nationality, 3)}{birth}{check_digit(birth)}"
        f"{_sex(sex)}{exp}{check_digit(exp)}{personal}{personal_check}"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def mrz_td1(
    *,
    issuing_state: str,
    family_name: str,
    given_names: str,
    document_number: str,
    nationality: str,
    date_of_birth: dt.date,
    sex: str,
    expiry: dt.date,
    optional1: str = "",
    optional2: str = "",
    doc_code: str = "ID",
) -> tuple[str, str, str]:
    """The three 30-character lines of an identity card's MRZ (TD1)."""
    number = _pad(document_number, 9)
    line1 = f"{_pad(doc_code, 2)}{_pad(issuing_state, 3)}{number}{check_digit(number)}"
    line1 += _pad(optional1, 15)
    birth, exp = _yymmdd(date_of_birth), _yymmdd(expiry)
    line2 = (
        f"{birth}{check_digit(birth)}{_sex(sex)}{exp}{check_digit(exp)}"
        f"{_pad(nationality, 3)}{_pad(optional2, 11)}"
    )
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return line1, line2 + check_digit(composite), mrz_name(family_name, given_names, 30)


def check_positions(lines: tuple[str, ...]) -> list[tuple[int, int]]:
    """(line, column) of every check digit, for TD3 (2 lines) or TD1 (3 lines)."""
    if len(lines) == 2:
        return [(1, 9), (1, 19), (1, 27), (1, 42), (1, 43)]
    return [(0, 14), (1, 6), (1, 14), (1, 29)]


def corrupt_mrz(lines: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Break one check digit, as a misprint or a forged page would."""
    positions = [(r, c) for r, c in check_positions(lines) if lines[r][c].isdigit()]
    row, col = rng.choice(positions)
    wrong = rng.choice([d for d in "0123456789" if d != lines[row][col]])
    out = list(lines)
    out[row] = out[row][:col] + wrong + out[row][col + 1 :]
    return tuple(out)


def verify_mrz(lines: tuple[str, ...]) -> bool:
    """Whether every check digit of a TD3 or TD1 MRZ holds."""
    if len(lines) == 2:
        l2 = lines[1]
        fields = [(l2[0:9], l2[9]), (l2[13:19], l2[19]), (l2[21:27], l2[27])]
        if l2[42] != FILLER or l2[28:42].strip(FILLER):
            fields.append((l2[28:42], l2[42]))
        fields.append((l2[0:10] + l2[13:20] + l2[21:43], l2[43]))
    else:
        l1, l2 = lines[0], lines[1]
        fields = [(l1[5:14], l1[14]), (l2[0:6], l2[6]), (l2[8:14], l2[14])]
        fields.append((l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]))
    return all(check_digit(field) == digit for field, digit in fields)
