"""Cross-check figures a report states against the figures they derive from.

Takes counts, ratios, totals and shares, with stated values read as the rounding
interval their written decimals cover; gives a Verdict naming the likeliest slip.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# Past this, a count/base pair is a budget line rather than a head count, and
# every stated percentage has some whole numerator, so GRIM proves nothing.
GRIM_MAX_DENOMINATOR = 100_000
# The verdicts, worst first: the order in which an auditor wants to read them.
SEVERITY = ["impossible", "swapped", "mismatch", "digits_transposed", "truncated", "padded", "ocr_unsure",
            "unverifiable", "ok"]
# A longer sum reads better as "the 12 wards add up to ..." than written out.
MAX_LISTED_PARTS = 6
# Rounding alone can move a set of shares by the sum of their half-units, but a
# gap beyond half a point means some share is itself wrong, however coarse.
MAX_SHARE_GAP = Fraction(1, 2)


@dataclass(frozen=True)
class Verdict:
    consistent: bool
    verdict: str  # ok | truncated | padded | swapped | digits_transposed | impossible | mismatch
    computed: float  # the recomputed value (percent for percent checks), rounded to 4 decimals
    explanation: str  # one plain English sentence with the numbers


def _decimal(x) -> Decimal:
    # Through str so a float gives the digits it prints, not its binary expansion.
    return Decimal(str(x))


def _unit(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _written(stated, decimals: int) -> Decimal:
    """The stated value with exactly `decimals` places, as the report wrote it."""
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    value = _decimal(stated)
    written = value.quantize(_unit(decimals))
    if written != value:
        raise ValueError(f"{stated!r} has more than {decimals} decimals")
    return written


def interval(stated: Decimal | float | str, decimals: int) -> tuple[Decimal, Decimal]:
    """Every value that rounds to `stated` at `decimals` places, ends included."""
    value = _written(stated, decimals)
    half = Decimal(5).scaleb(-decimals - 1)
    return value - half, value + half


def _fits(value: Fraction, stated: Decimal, decimals: int) -> bool:
    low, high = interval(stated, decimals)
    return Fraction(low) <= value <= Fraction(high)


def _round(value: Fraction, places: int) -> Decimal:
    # Half away from zero, the way reports round by hand.
    whole = math.floor(abs(value) * 10**places + Fraction(1, 2))
    return Decimal(whole if value >= 0 else -whole).scaleb(-places)


def _truncate(value: Fraction, places: int) -> Decimal:
    return Decimal(math.trunc(value * 10**places)).scaleb(-places)


def _show(value: Decimal, places: int | None = None) -> str:
    """A number for an English sentence: `places` decimals, or as few as it needs."""
    if places is None:
        places = 0 if value == value.to_integral_value() else -value.normalize().as_tuple().exponent
    fixed = value.quantize(_unit(places))
    # Four-digit figures such as 2810 households read better ungrouped.
    return format(fixed, ",f" if abs(fixed) >= 10_000 else "f")


def _percent(value: Fraction) -> str:
    return f"{_show(_round(value, 2), 2)}%"


def _four(value: Fraction) -> float:
    return float(_round(value, 4))


def _precision(places: int) -> str:
    if places == 0:
        return "as a whole number"
    if places == 1:
        return "to one decimal"
    return f"to {places} decimals"


def _adjacent_swaps(stated: Decimal) -> list[Decimal]:
    """Values the stated digits give with two neighbours exchanged, decimal point kept."""
    text = format(abs(stated), "f")
    whole_width = len(text.split(".")[0])
    digits = text.replace(".", "")
    swaps = []
    for i in range(len(digits) - 1):
        if digits[i] == digits[i + 1]:
            continue
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        whole, fraction = swapped[:whole_width], swapped[whole_width:]
        # "01" is not a way anyone writes one, so it cannot be what was meant.
        if len(whole) > 1 and whole.startswith("0"):
            continue
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
        swaps.append(value if stated >= 0 else -value)
    return swaps


def _no_count_fits(numerator: Fraction, denominator: Fraction, stated: Decimal, decimals: int) -> bool:
    if numerator.denominator != 1 or denominator.denominator != 1:
        return False
    if not 0 < denominator <= GRIM_MAX_DENOMINATOR:
        return False
    low, high = (Fraction(edge) for edge in interval(stated, decimals))
    first = max(math.ceil(low * denominator / 100), 0)
    last = min(math.floor(high * denominator / 100), 2 * max(denominator, numerator))
    return first > last


def _diagnose(numerator: Decimal, denominator: Decimal, stated: Decimal, decimals: int) -> tuple[str, str]:
    """The verdict for a non-zero denominator, and the clause that explains it."""
    num, den = Fraction(numerator), Fraction(denominator)
    percent = 100 * num / den
    if _fits(percent, stated, decimals):
        return "ok", "consistent."
    if _truncate(percent, decimals) == stated:
        rounded = _show(_round(percent, decimals), decimals)
        return "truncated", f"the value was cut to {_show(stated, decimals)} instead of rounded to {rounded}."
    if decimals >= 1:
        coarser = stated.quantize(_unit(decimals - 1))
        if coarser == stated and _fits(percent, coarser, decimals - 1):
            return "padded", (
                f"right {_precision(decimals - 1)} ({_show(coarser, decimals - 1)}%) "
                "but the trailing zero claims a precision the figure does not have."
            )
    if num != 0 and _fits(100 * den / num, stated, decimals):
        inverted = f"{_show(denominator)}/{_show(numerator)} = {_percent(100 * den / num)}"
        return "swapped", f"numerator and denominator look swapped ({inverted} fits)."
    for candidate in _adjacent_swaps(stated):
        if _fits(percent, candidate, decimals):
            return "digits_transposed", f"two digits look swapped ({_show(candidate, decimals)}% fits)."
    if _no_count_fits(num, den, stated, decimals):
        return "impossible", f"no count out of {_show(denominator)} gives {_show(stated, decimals)}%."
    return "mismatch", "does not match."


def judge_ratio_percent(numerator, denominator, stated, decimals: int) -> Verdict:
    """Whether numerator/denominator is the stated percentage, and if not, the likeliest slip."""
    num, den, written = _decimal(numerator), _decimal(denominator), _written(stated, decimals)
    ratio = f"{_show(num)}/{_show(den)}"
    if den == 0:
        return Verdict(False, "mismatch", math.nan, f"{ratio} cannot be computed: the denominator is zero.")
    percent = 100 * Fraction(num) / Fraction(den)
    verdict, why = _diagnose(num, den, written, decimals)
    explanation = f"{ratio} = {_percent(percent)}, stated {_show(written, decimals)}%: {why}"
    return Verdict(verdict == "ok", verdict, _four(percent), explanation)


def judge_per_mille(numerator, denominator, stated, decimals: int) -> Verdict:
    """Whether numerator/denominator is the stated rate per 1000 (a birth rate over a population)."""
    num, den, written = _decimal(numerator), _decimal(denominator), _written(stated, decimals)
    ratio = f"{_show(num)}/{_show(den)}"
    if den == 0:
        return Verdict(False, "mismatch", math.nan, f"{ratio} cannot be computed: the denominator is zero.")
    rate = 1000 * Fraction(num) / Fraction(den)
    if _fits(rate, written, decimals):
        verdict, why = "ok", "consistent."
    elif _truncate(rate, decimals) == written:
        verdict, why = "truncated", f"the value was cut to {_show(written, decimals)} instead of rounded to " \
                                    f"{_show(_round(rate, decimals), decimals)}."
    else:
        verdict, why = "mismatch", "does not match."
    explanation = f"{ratio} = {_show(_round(rate, 2), 2)}‰, stated {_show(written, decimals)}‰: {why}"
    return Verdict(verdict == "ok", verdict, _four(rate), explanation)


def implied_denominators(count, stated, decimals: int) -> tuple[int, int] | None:
    """The whole bases of which `count` is the stated percentage, lowest and highest."""
    share, written = Fraction(_decimal(count)), _written(stated, decimals)
    if share < 0:
        raise ValueError(f"a count cannot be negative, got {count!r}")
    low, high = (Fraction(edge) for edge in interval(written, decimals))
    # With the interval reaching zero, every large enough base fits: no range.
    if written <= 0 or low <= 0:
        return None
    first = max(math.ceil(100 * share / high), 1)
    last = math.floor(100 * share / low)
    return (first, last) if first <= last else None


def _base_phrase(count: Decimal, stated: Decimal, decimals: int, allowed: tuple[int, int] | None) -> tuple[str, bool]:
    """What the stated share says about its base, and whether any base can give it."""
    share = f"{_show(stated, decimals)}%"
    if allowed is not None:
        first, last = allowed
        if first == last:
            return f"{_show(count)} is {share} of a base of {_show(Decimal(first))}", True
        return f"{_show(count)} is {share} of a base between {_show(Decimal(first))} and {_show(Decimal(last))}", True
    low, high = interval(stated, decimals)
    if low <= 0 < high:
        return f"{_show(count)} at {share} fits any large enough base", True
    return f"{_show(count)} is not {share} of any whole base", False


def judge_implied_denominator(
    count, stated, decimals: int, candidates: dict[str, float]
) -> tuple[Verdict, str | None, tuple[int, int] | None]:
    """Check a bare "count at stated%" against the bases the report states elsewhere.

    Gives the verdict for the best-fitting base, that base's label, and the range
    of whole bases the stated share allows.
    """
    number, written = _decimal(count), _written(stated, decimals)
    allowed = implied_denominators(number, written, decimals)
    subject, possible = _base_phrase(number, written, decimals, allowed)
    stated_bases = {label: _decimal(base) for label, base in candidates.items()}
    # A base counts people, households or money; zero or less cannot be one.
    usable = {label: base for label, base in stated_bases.items() if base > 0}
    if not usable:
        if possible:
            return Verdict(True, "ok", float(written), f"{subject}; no such base is stated in the report."), None, allowed
        return Verdict(False, "impossible", float(written), f"{subject}."), None, allowed

    def misfit(label: str) -> tuple[int, Fraction]:
        base = Fraction(usable[label])
        percent = 100 * Fraction(number) / base
        inside = _fits(percent, written, decimals)
        if inside and allowed is not None:
            return 0, abs(base - Fraction(sum(allowed), 2))
        return (0 if inside else 1), abs(percent - Fraction(written))

    best = min(usable, key=misfit)
    base = usable[best]
    percent = 100 * Fraction(number) / Fraction(base)
    verdict, why = _diagnose(number, base, written, decimals)
    explanation = f"{subject}; the base stated elsewhere, {_show(base)}, gives {_percent(percent)}: {why}"
    return Verdict(verdict == "ok", verdict, _four(percent), explanation), best, allowed


def judge_sum(total, parts: list, label: str = "parts") -> Verdict:
    """Whether the parts add up to the stated total, exactly."""
    stated = _decimal(total)
    values = [_decimal(part) for part in parts]
    added = sum(values, Decimal(0))
    if 1 <= len(values) <= MAX_LISTED_PARTS:
        addition = f"{' + '.join(_show(value) for value in values)} = {_show(added)}"
    else:
        addition = f"The {len(values)} {label} add up to {_show(added)}"
    head = f"{addition}, stated {_show(stated)}"
    if added == stated:
        return Verdict(True, "ok", _four(Fraction(added)), f"{head}: consistent.")
    gap = _show(abs(added - stated))
    why = f"the {label} fall {gap} short" if added < stated else f"the {label} exceed it by {gap}"
    return Verdict(False, "mismatch", _four(Fraction(added)), f"{head}: does not match, {why}.")


def judge_percent_sum(percents: list, decimals: list[int]) -> Verdict:
    """Whether shares of one whole, each as written, add up to 100 within rounding."""
    if len(percents) != len(decimals):
        raise ValueError(f"{len(percents)} shares but {len(decimals)} decimal counts")
    if not percents:
        raise ValueError("no shares to add up")
    shares = [_written(share, places) for share, places in zip(percents, decimals)]
    total = sum(shares, Decimal(0))
    slack = sum(Fraction(5, 10 ** (places + 1)) for places in decimals)
    gap = abs(Fraction(total) - 100)
    consistent = gap <= slack and gap <= MAX_SHARE_GAP
    written = " + ".join(f"{_show(share, places)}%" for share, places in zip(shares, decimals))
    addition = f"{written} = {_show(total, max(decimals))}%"
    if consistent:
        return Verdict(True, "ok", _four(Fraction(total)), f"{addition}: consistent.")
    return Verdict(False, "mismatch", _four(Fraction(total)), f"{addition}, not 100%: the shares do not add up.")


def judge_equal(stated, computed, what: str) -> Verdict:
    """Whether a figure in digits and the same figure in words (`what`, read as `computed`) agree."""
    digits, words = _decimal(stated), _decimal(computed)
    if digits == words:
        return Verdict(True, "ok", _four(Fraction(words)), f"{_show(digits)} in digits and '{what}' in words agree.")
    explanation = f"{_show(digits)} in digits but '{what}' in words is {_show(words)}."
    return Verdict(False, "mismatch", _four(Fraction(words)), explanation)
