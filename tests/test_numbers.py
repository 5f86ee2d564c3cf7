from decimal import Decimal
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import rulebook as rules
from extract.numbers import (
    SCALE_WORDS,
    decimals_written,
    format_vi,
    parse_digits,
    read_amount,
    read_words,
    to_words,
)

# --- parse_digits: (text, hint, expected value, decimals written) ---------

PLAIN_INTEGERS = [
    ("0", "any", Decimal("0"), 0),
    ("07", "any", Decimal("7"), 0),
    ("24", "any", Decimal("24"), 0),
    ("854", "any", Decimal("854"), 0),
    ("2948", "any", Decimal("2948"), 0),
    (" 2948 ", "any", Decimal("2948"), 0),
]

# Households, population, budget lines: dots group thousands.
DOT_THOUSANDS = [
    ("9.488.000.000", "any", Decimal("9488000000"), 0),
    ("7.710", "any", Decimal("7710"), 0),
    ("2.600", "any", Decimal("2600"), 0),
    ("5.813", "any", Decimal("5813"), 0),
    ("5.190", "any", Decimal("5190"), 0),
    ("6.500", "any", Decimal("6500"), 0),
    ("1.897", "any", Decimal("1897"), 0),
    ("1.490", "any", Decimal("1490"), 0),
    ("1.234.567", "percent", Decimal("1234567"), 0),
    ("1.897", "integer", Decimal("1897"), 0),
]

# Rates and percentages typed with an English decimal point.
DOT_DECIMALS = [
    ("11.6", "any", Decimal("11.6"), 1),
    ("0.67", "any", Decimal("0.67"), 2),
    ("89.82", "any", Decimal("89.82"), 2),
    ("38.5", "any", Decimal("38.5"), 1),
    ("0.675", "any", Decimal("0.675"), 3),
    ("12.345", "percent", Decimal("12.345"), 3),
    ("100.25", "percent", Decimal("100.25"), 2),
    ("1234.567", "any", Decimal("1234.567"), 3),
]

# The Vietnamese decimal comma: completion rates, growth, areas in ha.
COMMA_DECIMALS = [
    ("63,7", "any", Decimal("63.7"), 1),
    ("41,795", "any", Decimal("41.795"), 3),
    ("99,60", "any", Decimal("99.6"), 2),
    ("102,44", "any", Decimal("102.44"), 2),
    ("13,41", "any", Decimal("13.41"), 2),
    ("10,45", "any", Decimal("10.45"), 2),
    ("0,36", "any", Decimal("0.36"), 2),
    ("890,6", "any", Decimal("890.6"), 1),
    ("12,500", "percent", Decimal("12.5"), 3),
    ("0,500", "integer", Decimal("0.5"), 3),
    ("12,50", "integer", Decimal("12.5"), 2),
]

# English thousands commas in columns known to hold whole numbers.
COMMA_THOUSANDS = [
    ("12,500", "integer", Decimal("12500"), 0),
    ("1,234,567", "any", Decimal("1234567"), 0),
    ("1,234,567", "integer", Decimal("1234567"), 0),
]

BOTH_SEPARATORS = [
    ("1.234,5", "any", Decimal("1234.5"), 1),
    ("1,234.5", "any", Decimal("1234.5"), 1),
    ("1.234.567,89", "any", Decimal("1234567.89"), 2),
    ("1,234,567.89", "percent", Decimal("1234567.89"), 2),
    ("12.345,678", "integer", Decimal("12345.678"), 3),
]

DIGIT_CASES = (
    PLAIN_INTEGERS
    + DOT_THOUSANDS
    + DOT_DECIMALS
    + COMMA_DECIMALS
    + COMMA_THOUSANDS
    + BOTH_SEPARATORS
)


@pytest.mark.parametrize(("text", "hint", "expected", "places"), DIGIT_CASES)
def test_parse_digits(text, hint, expected, places):
    assert parse_digits(text, hint) == expected
    assert decimals_written(text, hint) == places


def test_parse_digits_keeps_written_zeros():
    assert str(parse_digits("99,60")) == "99.60"


NOT_DIGITS = [
    "19.12.2017",  # date
    "27/7/2023",  # date
    "abc",
    "",
    "   ",
    "1.23.4",
    "1,23,4",
    "0.123.456",
    "01.234.567",
    "1.234,5,6",
    "1,234.5.6",
    "1,5.234",
    "1234.567,8",
    ",5",
    "5,",
    ".5",
    "5.",
    "1..2",
    "-5",
    "+5",
    "1 234",
    "12a",
    "12%",
    "١٢",  # non-ASCII digits
    "²",
]


@pytest.mark.parametrize("text", NOT_DIGITS)
def test_parse_digits_rejects(text):
    with pytest.raises(ValueError):
        parse_digits(text)
    with pytest.raises(ValueError):
        decimals_written(text)


def test_parse_digits_rejects_unknown_hint():
    with pytest.raises(ValueError):
        parse_digits("5", "money")


# --- read_amount -----------------------------------------------------------

SCALE_AMOUNTS = [
    ("41,795 tỷ", Decimal("41795000000")),
    ("74,705 tỷ", Decimal("74705000000")),
    ("38.5 triệu", Decimal("38500000")),
    ("30 triệu", Decimal("30000000")),
    ("1,2 triệu", Decimal("1200000")),
    ("5.813 tỷ", Decimal("5813000000000")),
    ("890,6 triệu", Decimal("890600000")),
    ("0,5 nghìn", Decimal("500")),
    ("12 ngàn", Decimal("12000")),
    ("3 tỉ", Decimal("3000000000")),
    ("30triệu", Decimal("30000000")),
    ("41,795 Tỷ", Decimal("41795000000")),
    ("41,795 TỶ", Decimal("41795000000")),
    ("1,2345 nghìn", Decimal("1234.5")),
]

COMPOUND_AMOUNTS = [
    ("23,4 ngàn tỷ", Decimal("23400000000000")),
    ("1,5 nghìn tỷ", Decimal("1500000000000")),
    ("2 triệu tỷ", Decimal("2000000000000000")),
]

CHAINED_AMOUNTS = [
    ("350 tỷ 500 triệu", Decimal("350500000000")),
    ("2 triệu 800 nghìn", Decimal("2800000")),
    ("1 nghìn tỷ 250 tỷ", Decimal("1250000000000")),
    ("  2   triệu   800   nghìn ", Decimal("2800000")),
]

BARE_AMOUNTS = [
    ("9.488.000.000", Decimal("9488000000")),
    ("2948", Decimal("2948")),
    ("99,60", Decimal("99.6")),
]

WORD_AMOUNTS = [
    ("hai triệu tám trăm nghìn", Decimal("2800000")),
    ("Ba triệu năm trăm nghìn", Decimal("3500000")),
    ("một tỷ hai trăm triệu", Decimal("1200000000")),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    SCALE_AMOUNTS + COMPOUND_AMOUNTS + CHAINED_AMOUNTS + BARE_AMOUNTS + WORD_AMOUNTS,
)
def test_read_amount(text, expected):
    assert read_amount(text) == expected


def test_read_amount_whole_results_are_plain_integers():
    assert str(read_amount("41,795 tỷ")) == "41795000000"


NOT_AMOUNTS = [
    "",
    "tỷ",
    "1 tỷ 2 trăm triệu",  # digits must pair with scale words only
    "500 triệu 350 tỷ",  # scales must go down
    "2 triệu 3 triệu",
    "30 triệu 5",
    "5 5 triệu",
    "1 tỷ tỷ",
    "1 tỷ nghìn",
    "30 đồng",
    "19.12.2017 triệu",
    "27/7/2023",
    "30 triệu.",
    "2 triệu tám trăm nghìn",
    "abc",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_read_amount_rejects(text):
    with pytest.raises(ValueError):
        read_amount(text)


# --- read_words / to_words -------------------------------------------------

# Written both ways: standard forms that to_words produces.
STANDARD_WORDS = [
    ("không", 0),
    ("năm", 5),
    ("mười", 10),
    ("mười một", 11),
    ("mười bốn", 14),
    ("mười lăm", 15),
    ("hai mươi", 20),
    ("hai mươi mốt", 21),
    ("hai mươi tư", 24),
    ("hai mươi lăm", 25),
    ("năm mươi", 50),
    ("một trăm", 100),
    ("một trăm linh năm", 105),
    ("một trăm mười", 110),
    ("một nghìn", 1000),
    ("một nghìn không trăm linh năm", 1005),
    ("một nghìn không trăm mười", 1010),
    ("hai nghìn chín trăm bốn mươi tám", 2948),
    ("năm nghìn một trăm chín mươi", 5190),
    ("hai mươi mốt nghìn không trăm mười một", 21011),
    ("một trăm nghìn", 100000),
    ("một triệu không trăm linh năm", 1000005),
    ("một triệu không trăm linh năm nghìn", 1005000),
    ("hai triệu tám trăm nghìn", 2800000),
    ("ba triệu năm trăm nghìn", 3500000),
    ("một tỷ", 10**9),
    ("một tỷ hai trăm triệu", 1200000000),
    ("một tỷ không trăm linh năm", 1000000005),
    ("một nghìn tỷ", 10**12),
    ("một nghìn không trăm linh năm tỷ", 1005 * 10**9),
    (
        "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu"
        " tám trăm chín mươi nghìn một trăm hai mươi ba",
        1234567890123,
    ),
    ("một triệu tỷ", 10**15),
    (
        "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu"
        " chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        10**15 - 1,
    ),
]

# Read only: regional spellings, synonyms and looser phrasing in real reports.
VARIANT_WORDS = [
    ("Hai triệu tám trăm nghìn", 2800000),
    ("Ba triệu năm trăm nghìn", 3500000),
    ("HAI MƯƠI TƯ", 24),
    ("tư", 4),
    ("bẩy", 7),
    ("bảy mươi bẩy", 77),
    ("mười nhăm", 15),
    ("hai mươi nhăm", 25),
    ("mười năm", 15),
    ("hai mươi năm", 25),
    ("hai mươi một", 21),
    ("hai mươi bốn", 24),
    ("một trăm lẻ năm", 105),
    ("một trăm linh tư", 104),
    ("một nghìn lẻ một", 1001),
    ("hai chục", 20),
    ("ba chục nghìn", 30000),
    ("năm ngàn", 5000),
    ("một tỉ", 10**9),
    ("một ngàn tỷ", 10**12),
    ("một triệu hai mươi nghìn", 1020000),
    ("hai triệu năm nghìn", 2005000),
    ("Hai triệu, tám trăm nghìn", 2800000),
    ("  hai   mươi  ", 20),
    (unicodedata.normalize("NFD", "hai mươi mốt nghìn không trăm mười một"), 21011),
]


@pytest.mark.parametrize(("text", "expected"), STANDARD_WORDS + VARIANT_WORDS)
def test_read_words(text, expected):
    assert read_words(text) == expected


@pytest.mark.parametrize(("text", "n"), STANDARD_WORDS)
def test_to_words(text, n):
    assert to_words(n) == text


NOT_WORDS = [
    "",
    "   ",
    ",",
    "mốt",  # only after mươi
    "lăm",  # only after mười/mươi
    "mười mốt",
    "một mươi",
    "trăm",
    "mươi",
    "không không",
    "không trăm",
    "không nghìn",
    "hai triệu tám",  # spoken shorthand for 2.8 million
    "một trăm năm",  # spoken shorthand for 150
    "hai trăm năm nghìn",
    "một tỷ hai",
    "năm mươi năm mươi",
    "hai nghìn hai nghìn",
    "một triệu nghìn",
    "một nghìn triệu",
    "một tỷ hai tỷ",
    "một tỷ hai trăm triệu tỷ",
    "hai triệu đồng",  # callers strip the currency
    "linh năm",
    "một trăm linh",
    "12",
    "hai mươi 1",
]


@pytest.mark.parametrize("text", NOT_WORDS)
def test_read_words_rejects(text):
    with pytest.raises(ValueError):
        read_words(text)


@pytest.mark.parametrize("n", [-1, 10**15 + 1])
def test_to_words_rejects_out_of_range(n):
    with pytest.raises(ValueError):
        to_words(n)


def test_scale_words_are_lower_case_powers_of_ten():
    assert all(word == word.lower() and str(value).rstrip("0") == "1" for word, value in SCALE_WORDS.items())


@pytest.mark.parametrize("text,value", rules.load("numbers")["examples"])
def test_number_word_examples(text, value):
    assert read_amount(text) == value


# --- format_vi -------------------------------------------------------------

FORMATTED = [
    (9488000000, 0, "9.488.000.000"),
    (Decimal("63.7"), 1, "63,7"),
    (Decimal("99.6"), 2, "99,60"),
    (1234.5, 1, "1.234,5"),
    (7, 0, "7"),
    (0, 2, "0,00"),
    (854, 0, "854"),
    (Decimal("102.44"), 2, "102,44"),
    (Decimal("2.45"), 1, "2,5"),  # half-up, not banker's
    (Decimal("0.125"), 2, "0,13"),
    (2.675, 2, "2,68"),  # the float as written, not its binary value
    (Decimal("1234.5"), 0, "1.235"),
    (Decimal("999.96"), 1, "1.000,0"),
    (-1234.5, 1, "-1.234,5"),
    (Decimal("-0.04"), 1, "0,0"),
    (10**30, 0, "1" + ".000" * 10),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), FORMATTED)
def test_format_vi(value, decimals, expected):
    assert format_vi(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals"), [(1, -1), (Decimal("NaN"), 0), (float("inf"), 0)]
)
def test_format_vi_rejects(value, decimals):
    with pytest.raises(ValueError):
        format_vi(value, decimals)


# --- properties ------------------------------------------------------------


@settings(max_examples=200)
@given(st.integers(0, 10**15))
def test_words_round_trip(n):
    assert read_words(to_words(n)) == n


def _from_groups(groups):
    value = 0
    for group in groups:
        value = value * 1000 + group
    return value


# Groups of 0, 1..9, 10..19 and x0 are where "không trăm", "linh", "mười",
# "mốt", "tư" and "lăm" come into play.
_TRICKY_GROUP = st.sampled_from(
    [0, 0, 0, 1, 4, 5, 10, 11, 14, 15, 20, 21, 24, 25, 100, 105, 110, 999]
)
_ZERO_GROUPED = st.lists(_TRICKY_GROUP, min_size=1, max_size=5).map(_from_groups)


@settings(max_examples=200)
@given(st.one_of(st.integers(0, 10**6), _ZERO_GROUPED))
def test_words_round_trip_small_and_zero_groups(n):
    words = to_words(n)
    assert read_words(words) == n
    assert read_amount(words) == n


@settings(max_examples=200)
@given(st.integers(1, 10**15))
def test_read_words_ignores_case(n):
    words = to_words(n)
    assert read_words(words.capitalize()) == n
    assert read_words(words.upper()) == n


@settings(max_examples=200)
@given(st.integers(0, 10**15))
def test_format_round_trip_integers(n):
    text = format_vi(n)
    assert parse_digits(text, "integer") == n
    assert read_amount(text) == n


@settings(max_examples=200)
@given(
    st.integers(1, 3).flatmap(
        lambda places: st.tuples(
            st.decimals(min_value=0, max_value=10**12, places=places),
            st.just(places),
        )
    )
)
def test_format_round_trip_decimals(case):
    value, places = case
    text = format_vi(value, places)
    assert "," in text
    assert parse_digits(text, "any") == value
    assert decimals_written(text, "any") == places


@settings(max_examples=200)
@given(
    st.text(alphabet="0123456789.,", max_size=12),
    st.sampled_from(["any", "integer", "percent"]),
)
def test_parse_digits_only_raises_value_error(text, hint):
    try:
        value = parse_digits(text, hint)
    except ValueError:
        return
    assert value >= 0


_WORD_SOUP = st.sampled_from(
    "một mốt hai tư năm lăm mười mươi trăm linh không chục nghìn triệu tỷ ,".split()
)


@settings(max_examples=200)
@given(st.lists(_WORD_SOUP, max_size=8))
def test_read_words_only_raises_value_error(words):
    try:
        value = read_words(" ".join(words))
    except ValueError:
        return
    assert value >= 0
