"""Typed numbers read with the separators of the language in force (review of issue 20).

``parse_number("1,250")`` was 1.25 whatever the language: an English reader typing 1,250 MDH,
or an Arabic reader typing 1.250 (one thousand two hundred fifty in Morocco), saved a value
1,000 times too small, and "1,234.5" or "1.234,5" were refused. An int beyond any float
(10**400) crashed the reading and the bounds (OverflowError).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.bounds import check_amount, check_target, check_value
from dashboard.domain.numbers import input_number, parse_number
from dashboard.i18n import use_lang
from dashboard.i18n.formats import format_fixed

LANGS = ("fr", "en", "ar")


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("1,250", "en", 1250.0),  # the English reader's thousands
        ("1.250", "ar", 1250.0),  # the Arabic (ar_MA) reader's thousands
        ("1,234.5", "en", 1234.5),
        ("1.234,5", "ar", 1234.5),
        ("1,234.5", "fr", 1234.5),  # both marks: the last is the decimal one, in any language
        ("1.234,5", "en", 1234.5),
        ("1 234,5", "fr", 1234.5),
        ("1\u202f234,5", "fr", 1234.5),
        ("1,234,567", "en", 1234567.0),
        ("1.234.567", "ar", 1234567.0),
        ("12,5", "fr", 12.5),  # a bare decimal comma or point, where it cannot be thousands
        ("12.5", "fr", 12.5),
        ("12,5", "en", 12.5),
        ("12.5", "ar", 12.5),
        ("0,250", "fr", 0.25),  # "0" cannot start a group of thousands
        ("1234,567", "en", 1234.567),  # nor can four digits
        ("-1,250", "en", -1250.0),
        ("\u200e-5", "ar", -5.0),  # the minus sign as Arabic pages write it
        ("\u22125,5", "fr", -5.5),
        (",5", "fr", 0.5),
        ("1e3", "en", 1000.0),
        (7, "en", 7.0),
    ],
)
def test_numbers_are_read_with_the_language_separators(
    raw: object, lang: str, expected: float
) -> None:
    assert parse_number(raw, lang=lang) == expected
    with use_lang(lang):  # the language in force, as in a request
        assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "lang", "decimal_mark", "whole", "fraction"),
    [
        ("1,250", "fr", "la virgule marque les décimales", "1250", "1,25"),
        ("1.250", "fr", "la virgule marque les décimales", "1250", "1,25"),
        ("1.250", "en", "the point marks the decimals", "1250", "1.25"),
        ("1,250", "ar", "تسبق الفاصلة الكسور العشرية", "1250", "1,25"),
        ("12,345", "fr", "la virgule", "12345", "12,3450"),
    ],
)
def test_an_ambiguous_number_is_refused_saying_how_to_write_it(
    raw: str, lang: str, decimal_mark: str, whole: str, fraction: str
) -> None:
    with use_lang(lang), pytest.raises(ValueError) as refused:
        parse_number(raw)
    message = str(refused.value)
    assert decimal_mark in message and raw in message
    assert f" {whole} " in message and f" {fraction} " in message
    # Each way of writing it that the message proposes is read as meant.
    assert parse_number(whole, lang=lang) == float(whole)
    assert parse_number(fraction, lang=lang) == float(raw.replace(",", "."))


@pytest.mark.parametrize("raw", ["douze", "12,5,3", "1,23,456", "12,", "1.234.5,6", "1e99999"])
@pytest.mark.parametrize("lang", LANGS)
def test_what_is_not_a_number_is_refused_in_every_language(raw: str, lang: str) -> None:
    with pytest.raises(ValueError, match=r"12"):
        parse_number(raw, lang=lang)


def test_an_integer_beyond_any_float_is_refused_not_a_crash() -> None:
    huge = 10**400
    with pytest.raises(ValueError, match="n'est pas un nombre fini"):
        parse_number(huge)
    with pytest.raises(ValueError, match="n'est pas un nombre fini"):
        parse_number(str(huge))
    assert "n'est pas un nombre fini" in check_value(huge, "entreprises").summary()
    assert "n'est pas un nombre fini" in check_value(-huge, "tonnes").summary()
    assert "n'est pas un nombre fini" in check_target(huge, "%").summary()
    assert "n'est pas un nombre fini" in check_amount(huge).summary()
    assert not check_value(10**20, "tonnes").ok  # a big int that fits a float: out of bounds
    assert check_value(12, "entreprises").ok and check_amount(3).ok


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.sampled_from(LANGS),
    st.integers(min_value=0, max_value=4),
)
def test_a_number_formatted_in_a_language_reads_back_or_is_refused(
    value: float, lang: str, decimals: int
) -> None:
    """Never silently another number: what the pages write reads back, within rounding.

    Only a number written with exactly three decimals and at most three whole digits
    ("1,125" in French) may be refused as ambiguous, with the message saying how to write it.
    """
    shown = format_fixed(value, decimals, lang)
    try:
        read = parse_number(shown, lang=lang)
    except ValueError as refused:
        assert decimals == 3 and shown in str(refused)  # the ambiguity, named
        return
    assert math.isclose(read, value, abs_tol=0.5 * 10**-decimals + 1e-9)


@given(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False) | st.floats(allow_nan=False),
    st.sampled_from(LANGS),
)
def test_a_number_written_in_a_form_reads_back_exactly(value: float, lang: str) -> None:
    if not math.isfinite(value):
        return
    assert parse_number(input_number(value, lang), lang=lang) == value


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234.5, "fr", "1234,5"),
        (1234.5, "en", "1234.5"),
        (1234.5, "ar", "1234,5"),
        (1.125, "fr", "1,1250"),  # "1,125" would be refused as ambiguous
        (1.125, "en", "1.1250"),
        (1250.0, "en", "1250"),
        (0.125, "fr", "0,125"),
    ],
)
def test_a_form_writes_numbers_it_can_read_again(value: float, lang: str, expected: str) -> None:
    assert input_number(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1e20, "en", "100000000000000000000"),  # was "1e+20"
        (1e20, "fr", "100000000000000000000"),
        (2.5e-7, "fr", "0,00000025"),
        (1e15, "ar", "1000000000000000"),  # was "1000000000000000,0"
        (-0.0, "en", "0"),
    ],
)
def test_a_form_never_writes_an_exponent(value: float, lang: str, expected: str) -> None:
    assert input_number(value, lang) == expected
    assert parse_number(input_number(value, lang), lang=lang) == value
