import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import decimals_written, parse_digits
from extract.verdicts import (
    Verdict,
    implied_denominators,
    interval,
    judge_equal,
    judge_implied_denominator,
    judge_percent_sum,
    judge_ratio_percent,
    judge_sum,
)


def written(text: str) -> tuple[Decimal, int]:
    """A stated percentage as the report prints it: its value and its decimals."""
    return parse_digits(text), decimals_written(text)


def half_up(value: Fraction, places: int) -> Decimal:
    return Decimal(math.floor(value * 10**places + Fraction(1, 2))).scaleb(-places)


# --- interval ----------------------------------------------------------------

INTERVALS = [
    ("24", 0, Decimal("23.5"), Decimal("24.5")),
    ("63.7", 1, Decimal("63.65"), Decimal("63.75")),
    ("99.60", 2, Decimal("99.595"), Decimal("99.605")),
    (Decimal("99.6"), 2, Decimal("99.595"), Decimal("99.605")),
    (63.7, 1, Decimal("63.65"), Decimal("63.75")),
    (157, 0, Decimal("156.5"), Decimal("157.5")),
    ("0.1", 1, Decimal("0.05"), Decimal("0.15")),
]


@pytest.mark.parametrize(("stated", "decimals", "low", "high"), INTERVALS)
def test_interval(stated, decimals, low, high):
    assert interval(stated, decimals) == (low, high)


# --- judge_ratio_percent -------------------------------------------------------

# (numerator, denominator, stated as printed, verdict, recomputed percent)
RATIOS = [
    # ok: the recomputed share rounds to what the report printed
    ("9.488.000.000", "6.057.000.000", "157", "ok", 156.6452),
    ("27.385.776.000", "5.355.000.000", "511", "ok", 511.4057),
    ("107", "448", "24", "ok", 23.8839),
    ("72", "80", "90", "ok", 90.0),
    ("112", "120", "93,3", "ok", 93.3333),
    ("171", "181", "94,5", "ok", 94.4751),
    ("2724", "2810", "96,94", "ok", 96.9395),
    ("2524", "2810", "89.82", "ok", 89.8221),
    ("7", "8", "87,5", "ok", 87.5),
    ("58", "50", "116", "ok", 116.0),  # over-fulfilled plans are legitimate
    ("2323", "2948", "79", "ok", 78.7992),
    ("534", "838", "63,7", "ok", 63.7232),
    ("15", "2810", "0,53", "ok", 0.5338),
    ("0", "448", "0", "ok", 0.0),
    # truncated: cut at the last written place instead of rounded
    ("142", "448", "31", "truncated", 31.6964),
    ("2", "3", "66", "truncated", 66.6667),
    ("19", "2810", "0,67", "truncated", 0.6762),
    # padded: a trailing zero the figure does not support
    ("7676", "7710", "99,60", "padded", 99.559),
    ("7365", "7710", "95,50", "padded", 95.5253),
    ("1", "3", "33,30", "padded", 33.3333),
    # swapped: the report divided the other way round
    ("623", "582", "93", "swapped", 107.0447),
    ("120", "112", "93,3", "swapped", 107.1429),
    # digits_transposed: two neighbouring digits exchanged
    ("534", "838", "67,3", "digits_transposed", 63.7232),
    ("2724", "2810", "69,94", "digits_transposed", 96.9395),
    ("13", "2000", "0,56", "digits_transposed", 0.65),
    # impossible: no whole count over this base rounds to the stated share
    ("7", "448", "0,1", "impossible", 1.5625),
    ("3", "7", "50,0", "impossible", 42.8571),
    ("1", "7", "50", "impossible", 14.2857),
    # mismatch: wrong, and none of the slips above explains it
    ("192", "448", "44", "mismatch", 42.8571),
    ("1", "100", "10", "mismatch", 1.0),  # "01" is no way to write 1, so not transposed
    ("9.488.000.000", "6.057.000.000", "150", "mismatch", 156.6452),  # base too large for GRIM
]


@pytest.mark.parametrize(("numerator", "denominator", "stated", "verdict", "computed"), RATIOS)
def test_judge_ratio_percent(numerator, denominator, stated, verdict, computed):
    value, decimals = written(stated)
    result = judge_ratio_percent(parse_digits(numerator), parse_digits(denominator), value, decimals)
    assert (result.verdict, result.computed, result.consistent) == (verdict, computed, verdict == "ok")


RATIO_EXPLANATIONS = [
    ("534", "838", "63,7", "534/838 = 63.72%, stated 63.7%: consistent."),
    (
        "9.488.000.000",
        "6.057.000.000",
        "157",
        "9,488,000,000/6,057,000,000 = 156.65%, stated 157%: consistent.",
    ),
    ("142", "448", "31", "142/448 = 31.70%, stated 31%: the value was cut to 31 instead of rounded to 32."),
    (
        "7676",
        "7710",
        "99,60",
        "7676/7710 = 99.56%, stated 99.60%: right to one decimal (99.6%)"
        " but the trailing zero claims a precision the figure does not have.",
    ),
    (
        "623",
        "582",
        "93",
        "623/582 = 107.04%, stated 93%: numerator and denominator look swapped (582/623 = 93.42% fits).",
    ),
    ("534", "838", "67,3", "534/838 = 63.72%, stated 67.3%: two digits look swapped (63.7% fits)."),
    ("7", "448", "0,1", "7/448 = 1.56%, stated 0.1%: no count out of 448 gives 0.1%."),
    ("192", "448", "44", "192/448 = 42.86%, stated 44%: does not match."),
]


@pytest.mark.parametrize(("numerator", "denominator", "stated", "explanation"), RATIO_EXPLANATIONS)
def test_judge_ratio_percent_explains(numerator, denominator, stated, explanation):
    value, decimals = written(stated)
    result = judge_ratio_percent(parse_digits(numerator), parse_digits(denominator), value, decimals)
    assert result.explanation == explanation


# The same figures may reach the judge as int, float, Decimal or str.
SAME_FIGURES = [
    (534, 838, 63.7, 1),
    (534.0, 838.0, "63.7", 1),
    (Decimal("534"), Decimal("838"), Decimal("63.7"), 1),
    ("534", "838", "63.70", 1),
]


@pytest.mark.parametrize(("numerator", "denominator", "stated", "decimals"), SAME_FIGURES)
def test_judge_ratio_percent_reads_any_number_type(numerator, denominator, stated, decimals):
    assert judge_ratio_percent(numerator, denominator, stated, decimals) == Verdict(
        True, "ok", 63.7232, "534/838 = 63.72%, stated 63.7%: consistent."
    )


def test_judge_ratio_percent_zero_denominator():
    result = judge_ratio_percent(534, 0, "63.7", 1)
    assert (result.consistent, result.verdict) == (False, "mismatch")
    assert math.isnan(result.computed)
    assert result.explanation == "534/0 cannot be computed: the denominator is zero."


@given(
    numerator=st.integers(0, 1000),
    denominator=st.integers(1, 1000),
    places=st.integers(0, 2),
)
def test_a_correctly_rounded_share_is_always_ok(numerator, denominator, places):
    stated = half_up(Fraction(100 * numerator, denominator), places)
    result = judge_ratio_percent(numerator, denominator, stated, places)
    assert (result.verdict, result.consistent) == ("ok", True)


@given(
    numerator=st.integers(0, 1000),
    denominator=st.integers(1, 1000),
    stated=st.integers(0, 20000),
    places=st.integers(0, 2),
)
def test_only_ok_is_consistent(numerator, denominator, stated, places):
    result = judge_ratio_percent(numerator, denominator, Decimal(stated).scaleb(-places), places)
    assert result.consistent == (result.verdict == "ok")


# --- implied_denominators -----------------------------------------------------

# (count, stated as printed, whole bases it allows)
IMPLIED = [
    ("19", "0,67", (2815, 2857)),  # 19 hộ nghèo
    ("15", "0,53", (2804, 2857)),  # 15 hộ cận nghèo
    ("7", "1,56", (448, 450)),
    ("1", "60", None),  # 1/1 = 100%, 1/2 = 50%: nothing in between
    ("0", "5", None),
    ("19", "0", None),  # any base from 3800 up: no range to give
]


@pytest.mark.parametrize(("count", "stated", "bases"), IMPLIED)
def test_implied_denominators(count, stated, bases):
    value, decimals = written(stated)
    assert implied_denominators(parse_digits(count), value, decimals) == bases


@given(count=st.integers(1, 300), base=st.integers(1, 5000), places=st.integers(0, 2))
def test_implied_range_is_exactly_the_bases_that_fit(count, base, places):
    stated = half_up(Fraction(100 * count, base), places)
    bases = implied_denominators(count, stated, places)
    if stated == 0:
        assert bases is None
        return
    first, last = bases
    assert first <= base <= last
    assert judge_ratio_percent(count, first, stated, places).consistent
    assert judge_ratio_percent(count, last, stated, places).consistent
    assert first == 1 or not judge_ratio_percent(count, first - 1, stated, places).consistent
    assert not judge_ratio_percent(count, last + 1, stated, places).consistent


# --- judge_implied_denominator ------------------------------------------------

HOUSEHOLD_BASES = {"2810 hộ (line 370)": 2810, "2948 hộ gia đình (line 680)": 2948}

# (count, stated as printed, bases stated elsewhere, expected verdict, best label, range)
IMPLIED_VERDICTS = [
    (
        "19",
        "0,67",
        HOUSEHOLD_BASES,
        Verdict(
            False,
            "truncated",
            0.6762,
            "19 is 0.67% of a base between 2815 and 2857; the base stated elsewhere, 2810, gives 0.68%:"
            " the value was cut to 0.67 instead of rounded to 0.68.",
        ),
        "2810 hộ (line 370)",
        (2815, 2857),
    ),
    (
        "15",
        "0,53",
        HOUSEHOLD_BASES,
        Verdict(
            True,
            "ok",
            0.5338,
            "15 is 0.53% of a base between 2804 and 2857; the base stated elsewhere, 2810, gives 0.53%: consistent.",
        ),
        "2810 hộ (line 370)",
        (2804, 2857),
    ),
    (
        "19",
        "0,67",
        {"2820 hộ (line 12)": 2820, "2840 hộ (line 40)": 2840},
        Verdict(
            True,
            "ok",
            0.669,
            "19 is 0.67% of a base between 2815 and 2857; the base stated elsewhere, 2840, gives 0.67%: consistent.",
        ),
        "2840 hộ (line 40)",  # nearer the middle of 2815-2857
        (2815, 2857),
    ),
    (
        "19",
        "0,67",
        {},
        Verdict(True, "ok", 0.67, "19 is 0.67% of a base between 2815 and 2857; no such base is stated in the report."),
        None,
        (2815, 2857),
    ),
    (
        "19",
        "0,67",
        {"0 hộ (line 5)": 0},
        Verdict(True, "ok", 0.67, "19 is 0.67% of a base between 2815 and 2857; no such base is stated in the report."),
        None,
        (2815, 2857),
    ),
    (
        "1",
        "60",
        {},
        Verdict(False, "impossible", 60.0, "1 is not 60% of any whole base."),
        None,
        None,
    ),
    (
        "19",
        "0",
        {},
        Verdict(True, "ok", 0.0, "19 at 0% fits any large enough base; no such base is stated in the report."),
        None,
        None,
    ),
]


@pytest.mark.parametrize(("count", "stated", "candidates", "verdict", "label", "bases"), IMPLIED_VERDICTS)
def test_judge_implied_denominator(count, stated, candidates, verdict, label, bases):
    value, decimals = written(stated)
    assert judge_implied_denominator(parse_digits(count), value, decimals, candidates) == (verdict, label, bases)


# --- judge_sum ----------------------------------------------------------------

SUMS = [
    (
        "40.000.000",
        ["10.000.000", "30.000.000"],
        "parts",
        Verdict(True, "ok", 40000000.0, "10,000,000 + 30,000,000 = 40,000,000, stated 40,000,000: consistent."),
    ),
    (
        "45.000.000",
        ["10.000.000", "30.000.000"],
        "budget lines",
        Verdict(
            False,
            "mismatch",
            40000000.0,
            "10,000,000 + 30,000,000 = 40,000,000, stated 45,000,000:"
            " does not match, the budget lines fall 5,000,000 short.",
        ),
    ),
    (
        "2948",
        ["2810", "150"],
        "households",
        Verdict(
            False,
            "mismatch",
            2960.0,
            "2810 + 150 = 2960, stated 2948: does not match, the households exceed it by 12.",
        ),
    ),
    (
        "54,295",
        ["41,795", "12,50"],
        "parts",
        Verdict(True, "ok", 54.295, "41.795 + 12.5 = 54.295, stated 54.295: consistent."),
    ),
    (
        "28",
        ["1", "2", "3", "4", "5", "6", "7"],
        "wards",
        Verdict(True, "ok", 28.0, "The 7 wards add up to 28, stated 28: consistent."),
    ),
]


@pytest.mark.parametrize(("total", "parts", "label", "verdict"), SUMS)
def test_judge_sum(total, parts, label, verdict):
    assert judge_sum(parse_digits(total), [parse_digits(part) for part in parts], label) == verdict


# --- judge_percent_sum --------------------------------------------------------

PERCENT_SUMS = [
    (["63,7", "24,7", "11.6"], Verdict(True, "ok", 100.0, "63.7% + 24.7% + 11.6% = 100.0%: consistent.")),
    (["33,3", "33,3", "33,3"], Verdict(True, "ok", 99.9, "33.3% + 33.3% + 33.3% = 99.9%: consistent.")),
    (["50,02", "49,98"], Verdict(True, "ok", 100.0, "50.02% + 49.98% = 100.00%: consistent.")),
    (  # two shares to two decimals can be off by 0.01 at most
        ["50,02", "49,95"],
        Verdict(False, "mismatch", 99.97, "50.02% + 49.95% = 99.97%, not 100%: the shares do not add up."),
    ),
    (
        ["24", "44", "31", "0,1"],
        Verdict(False, "mismatch", 99.1, "24% + 44% + 31% + 0.1% = 99.1%, not 100%: the shares do not add up."),
    ),
    (
        ["33", "33", "33"],  # within the 1.5 of rounding slack, but a whole point off
        Verdict(False, "mismatch", 99.0, "33% + 33% + 33% = 99%, not 100%: the shares do not add up."),
    ),
    (
        ["60", "40,6"],
        Verdict(False, "mismatch", 100.6, "60% + 40.6% = 100.6%, not 100%: the shares do not add up."),
    ),
]


@pytest.mark.parametrize(("shares", "verdict"), PERCENT_SUMS)
def test_judge_percent_sum(shares, verdict):
    values, decimals = zip(*(written(share) for share in shares))
    assert judge_percent_sum(list(values), list(decimals)) == verdict


# --- judge_equal --------------------------------------------------------------

EQUALS = [
    (
        2800000,
        2800000,
        "Hai triệu tám trăm nghìn",
        Verdict(True, "ok", 2800000.0, "2,800,000 in digits and 'Hai triệu tám trăm nghìn' in words agree."),
    ),
    (
        Decimal("3500000"),
        "3500000",
        "Ba triệu năm trăm nghìn",
        Verdict(True, "ok", 3500000.0, "3,500,000 in digits and 'Ba triệu năm trăm nghìn' in words agree."),
    ),
    (
        2800000,
        2000800,
        "Hai triệu tám trăm",
        Verdict(False, "mismatch", 2000800.0, "2,800,000 in digits but 'Hai triệu tám trăm' in words is 2,000,800."),
    ),
]


@pytest.mark.parametrize(("stated", "computed", "what", "verdict"), EQUALS)
def test_judge_equal(stated, computed, what, verdict):
    assert judge_equal(stated, computed, what) == verdict


# --- inputs no check can make sense of ----------------------------------------

BAD_CALLS = [
    (interval, ("63.7", -1)),
    (interval, ("63.75", 1)),  # more decimals than the report wrote
    (judge_ratio_percent, (534, 838, "63.72", 1)),
    (implied_denominators, (-19, "0.67", 2)),
    (judge_percent_sum, (["63.7", "36.3"], [1])),
    (judge_percent_sum, ([], [])),
]


@pytest.mark.parametrize(("check", "arguments"), BAD_CALLS)
def test_rejects_inputs_it_cannot_judge(check, arguments):
    with pytest.raises(ValueError):
        check(*arguments)
