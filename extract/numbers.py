"""Read and write numbers as Vietnamese ward and commune reports print them.

Takes digit strings ("1.234,5"), amounts ("41,795 tỷ") and number words
("hai triệu tám trăm nghìn"); gives exact Decimal/int values, and back again.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal

from . import rulebook as rules

_WORDS = rules.load("numbers")
SCALE_WORDS: dict[str, int] = _WORDS["scales"]
NOT_SCALE_BEFORE: list[str] = _WORDS["not_scale_before"]

_HINTS = ("any", "integer", "percent")
_NUMBER_SHAPE = re.compile(r"[0-9]+(?:[.,][0-9]+)*", re.ASCII)
_AMOUNT_TOKEN = re.compile(r"\s*(?:([0-9][0-9.,]*)|([^\W\d_]+))")
_BILLION = 10**9
_MAX_WORDS = 10**15

_DIGIT_WORDS = tuple(_WORDS["digits"])
_UNITS = {word: value for value, word in enumerate(_DIGIT_WORDS)} | _WORDS["digit_variants"]
_NONZERO_UNITS = {word: value for word, value in _UNITS.items() if value}
# Units change shape after a tens word; "năm" is the bookish form and still
# shows up in typed reports, so it is read but never written there.
_AFTER_MUOI_TEN = _NONZERO_UNITS | _WORDS["after_ten"]
_AFTER_MUOI_TENS = _AFTER_MUOI_TEN | _WORDS["after_tens"]
_TENS_SUFFIX = {int(k): v for k, v in _WORDS["written_after_tens"].items()}
_TEN, _TENS, _TENS_SPOKEN, _HUNDRED = _WORDS["ten"], _WORDS["tens"], _WORDS["tens_spoken"], _WORDS["hundred"]
_ZERO_TENS = tuple(_WORDS["zero_tens"])
_WRITTEN_SCALES = {SCALE_WORDS[name]: name for name in _WORDS["written_scales"]}
NUMBER_WORDS: tuple[str, ...] = (*_UNITS, *_WORDS["after_ten"], *_WORDS["after_tens"], _TEN, _TENS, _TENS_SPOKEN,
                                 _HUNDRED, *_ZERO_TENS, *SCALE_WORDS)


def _grouped(parts: list[str]) -> bool:
    # A group starting with 0 cannot lead a thousands-grouped number, which is
    # what tells "0.675" (a fraction) apart from "5.813" (five thousand...).
    head, *rest = parts
    return (
        bool(rest)
        and 1 <= len(head) <= 3
        and not head.startswith("0")
        and all(len(group) == 3 for group in rest)
    )


def _split(text: str, hint: str) -> tuple[str, str]:
    """Whole and fractional digits of a written number, separators resolved."""
    if hint not in _HINTS:
        raise ValueError(f"unknown hint {hint!r}, expected one of {_HINTS}")
    s = text.strip()
    if not _NUMBER_SHAPE.fullmatch(s):
        raise ValueError(f"not a number: {text!r}")
    has_dot, has_comma = "." in s, "," in s
    if not (has_dot or has_comma):
        return s, ""
    if has_dot and has_comma:
        mark = s[max(s.rfind("."), s.rfind(","))]
        group = "," if mark == "." else "."
        whole, frac = s.rsplit(mark, 1)
        if mark in whole or not _grouped(whole.split(group)):
            raise ValueError(f"bad digit grouping: {text!r}")
        return whole.replace(group, ""), frac
    sep = "." if has_dot else ","
    parts = s.split(sep)
    if len(parts) > 2:
        # Several identical separators can only be grouping; otherwise it is
        # a date such as 19.12.2017.
        if _grouped(parts):
            return "".join(parts), ""
        raise ValueError(f"not a number: {text!r}")
    # Reports use "." for thousands and "," for decimals, but percentages are
    # often typed with an English decimal point, and integer columns sometimes
    # carry English thousands commas.
    thousands = _grouped(parts) and (hint != "percent" if sep == "." else hint == "integer")
    whole, frac = parts
    return (whole + frac, "") if thousands else (whole, frac)


def parse_digits(text: str, hint: str = "any") -> Decimal:
    """Exact value of a digit string such as "1.234,5", "63,7" or "9.488.000.000"."""
    whole, frac = _split(text, hint)
    return Decimal(f"{whole}.{frac}" if frac else whole)


def decimals_written(text: str, hint: str = "any") -> int:
    """Decimal places as written, under the same reading as parse_digits."""
    return len(_split(text, hint)[1])


def _normal_words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).lower().replace(",", " ").split()


def _compound_scale(words: list[str]) -> int:
    # "nghìn tỷ" and "triệu tỷ" multiply; the reverse order is not Vietnamese.
    scale = 1
    previous = 0
    for word in words:
        factor = SCALE_WORDS[word]
        if factor <= previous:
            raise ValueError(f"scale words out of order: {' '.join(words)!r}")
        scale *= factor
        previous = factor
    return scale


def read_amount(text: str) -> Decimal:
    """Value of "41,795 tỷ", "350 tỷ 500 triệu" or "hai triệu tám trăm nghìn"."""
    s = unicodedata.normalize("NFC", text).strip()
    if not any(ch in "0123456789" for ch in s):
        return Decimal(read_words(s))
    tokens: list[tuple[str | None, str | None]] = []
    pos = 0
    while pos < len(s):
        match = _AMOUNT_TOKEN.match(s, pos)
        if not match:
            raise ValueError(f"not an amount: {text!r}")
        tokens.append(match.groups())
        pos = match.end()
    # Summed as integer coefficients over a common exponent so the result is
    # exact whatever the Decimal context precision.
    terms: list[tuple[int, int]] = []
    previous_scale = None
    i = 0
    while i < len(tokens):
        digits, _ = tokens[i]
        if digits is None:
            raise ValueError(f"expected digits in amount: {text!r}")
        scale_words = []
        i += 1
        while i < len(tokens) and tokens[i][1] is not None:
            word = tokens[i][1].lower()
            if word not in SCALE_WORDS:
                raise ValueError(f"unknown word {word!r} in amount: {text!r}")
            scale_words.append(word)
            i += 1
        if not scale_words and len(tokens) > 1:
            raise ValueError(f"number without scale word in amount: {text!r}")
        scale = _compound_scale(scale_words)
        if previous_scale is not None and scale >= previous_scale:
            raise ValueError(f"scales must decrease in amount: {text!r}")
        previous_scale = scale
        whole, frac = _split(digits, "any")
        exponent = len(str(scale)) - 1 - len(frac)
        terms.append((int(whole + frac), exponent))
    lowest = min(exponent for _, exponent in terms)
    total = sum(coefficient * 10 ** (exponent - lowest) for coefficient, exponent in terms)
    return Decimal(f"{total}E{lowest}") if lowest < 0 else Decimal(total * 10**lowest)


def _read_triple(words: list[str], i: int, after_scale: bool) -> tuple[int, int, bool]:
    """Read a group below one thousand: (value, next index, is a bare unit)."""

    def at(k: int) -> str | None:
        return words[k] if k < len(words) else None

    value = 0
    start = i
    has_hundreds = False
    if at(i) in _UNITS and at(i + 1) == _HUNDRED:
        value = 100 * _UNITS[words[i]]
        has_hundreds = True
        i += 2
    word = at(i)
    if word == _TEN:
        value += 10
        i += 1
        if at(i) in _AFTER_MUOI_TEN:
            value += _AFTER_MUOI_TEN[words[i]]
            i += 1
    elif word in _NONZERO_UNITS and at(i + 1) == _TENS and _NONZERO_UNITS[word] > 1:
        value += 10 * _NONZERO_UNITS[word]
        i += 2
        if at(i) in _AFTER_MUOI_TENS:
            value += _AFTER_MUOI_TENS[words[i]]
            i += 1
    elif word in _NONZERO_UNITS and at(i + 1) == _TENS_SPOKEN:
        value += 10 * _NONZERO_UNITS[word]
        i += 2
    elif word in _ZERO_TENS and (has_hundreds or after_scale):
        if at(i + 1) not in _NONZERO_UNITS:
            raise ValueError(f"expected a unit after {word!r}")
        value += _NONZERO_UNITS[words[i + 1]]
        i += 2
    elif word in _NONZERO_UNITS and not has_hundreds:
        return _NONZERO_UNITS[word], i + 1, True
    if i == start or value == 0:
        raise ValueError(f"expected a number at {' '.join(words[start:]) or 'end'!r}")
    return value, i, False


def _read_below_billion(words: list[str], i: int, after_scale: bool) -> tuple[int, int]:
    value = 0
    last_scale = _BILLION
    while True:
        group, i, bare = _read_triple(words, i, after_scale)
        scale = SCALE_WORDS.get(words[i]) if i < len(words) else None
        if scale is not None and scale < last_scale:
            value += group * scale
            last_scale = scale
            after_scale = True
            i += 1
            if i < len(words) and words[i] not in SCALE_WORDS:
                continue
            return value, i
        # "hai triệu tám" is spoken shorthand for 2.8 million, so a lone unit
        # after a scale word is ambiguous rather than 2 000 008.
        if bare and after_scale:
            raise ValueError(f"ambiguous trailing unit {words[i - 1]!r}")
        return value + group, i


def _read_number(words: list[str], i: int, after_scale: bool) -> tuple[int, int]:
    # Vietnamese counts in tỷ above a billion, with any smaller number as the
    # multiplier: "một nghìn tỷ", "một triệu tỷ", "hai trăm ba mươi tỷ".
    value, i = _read_below_billion(words, i, after_scale)
    scale = 1
    while i < len(words) and SCALE_WORDS.get(words[i]) == _BILLION:
        scale *= _BILLION
        i += 1
    if scale == 1 or i == len(words):
        return value * scale, i
    rest, i = _read_number(words, i, True)
    if rest >= scale:
        raise ValueError("a group after tỷ must be smaller than the tỷ scale")
    return value * scale + rest, i


def read_words(text: str) -> int:
    """Value of Vietnamese number words, e.g. "hai mươi mốt nghìn không trăm mười một"."""
    words = _normal_words(text)
    if words == [_DIGIT_WORDS[0]]:
        return 0
    if not words:
        raise ValueError("no number words")
    value, i = _read_number(words, 0, False)
    if i != len(words):
        raise ValueError(f"unexpected words {' '.join(words[i:])!r} in {text!r}")
    return value


def _triple_words(n: int, preceded: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    # Under a higher group the hundreds are always said, "không trăm" included,
    # so "một nghìn không trăm linh năm" cannot be heard as 1500.
    words = [_DIGIT_WORDS[hundreds], _HUNDRED] if hundreds or preceded else []
    if tens == 0:
        if units:
            words += [_ZERO_TENS[0], _DIGIT_WORDS[units]] if words else [_DIGIT_WORDS[units]]
    elif tens == 1:
        words += [_TEN] + ([(_TENS_SUFFIX[5] if units == 5 else _DIGIT_WORDS[units])] if units else [])
    else:
        words += [_DIGIT_WORDS[tens], _TENS]
        if units:
            words.append(_TENS_SUFFIX.get(units, _DIGIT_WORDS[units]))
    return words


def _words(n: int, preceded: bool) -> list[str]:
    billions, rest = divmod(n, _BILLION)
    words = _words(billions, preceded) + [_WRITTEN_SCALES[_BILLION]] if billions else []
    for scale, name in ((10**6, _WRITTEN_SCALES[10**6]), (10**3, _WRITTEN_SCALES[10**3]), (1, "")):
        group = rest // scale % 1000
        if group:
            words += _triple_words(group, preceded or bool(words))
            words += [name] if name else []
    return words


def to_words(n: int) -> str:
    """0..10**15 in standard lower-case Vietnamese words."""
    if not 0 <= n <= _MAX_WORDS:
        raise ValueError(f"can only write 0..10**15 in words, got {n}")
    return " ".join(_words(n, False)) if n else _DIGIT_WORDS[0]


def format_vi(value: Decimal | int | float, decimals: int = 0) -> str:
    """Vietnamese digits ("1.234,5") rounded half-up to exactly `decimals` places."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    # str() first so a float prints as typed (2.675) instead of its binary value.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}")
    precision = max(28, number.adjusted() + decimals + 2)
    rounded = number.quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if rounded < 0 else ""
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"
