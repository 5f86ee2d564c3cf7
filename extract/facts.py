"""Facts stage: what a report states about each indicator, one row per indicator, measure, period and unit.

Takes one document's figure rows (with indicator, measure, period), its check rows and its documents row;
gives facts rows (extract.schema.FACTS): the value normalised to the indicator's unit (rules/facts.yaml),
the figures it comes from, and every value the report states for it, flagged when they disagree.
"""
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pandas as pd
import regex

from . import rulebook as rules
from .indicators import indicator_rules

PARTS_CHECKS = {"parts_sum", "percent_sum"}      # checks that tie parts to the whole they split


@dataclass(frozen=True)
class Stated:
    """One figure's statement of a fact: its value in the fact's unit and the half-width of its rounding."""
    figure_id: str
    value: float
    spread: float
    whole: float | None = None      # a ratio's denominator, in the same unit: X of X/Y is a part of Y


class FactRules:
    """rules/facts.yaml and the indicators' units of rules/indicators.yaml."""

    def __init__(self):
        spec = rules.load("facts")
        self.units = {i["id"]: i["unit"] for i in rules.load("indicators")["indicators"] if "unit" in i}
        self.conversions = {to: {unit_key(k): v for k, v in table.items()} for to, table in spec["conversions"].items()}
        self.relative = set(spec["relative_measures"])
        self.rise = regex.compile(spec["change"]["rise"], regex.I)
        self.fall = regex.compile(spec["change"]["fall"], regex.I)
        self.periods = [(regex.compile(p["pattern"], regex.I), p["span"]) for p in spec["periods"]]

    def factor(self, to: str, unit: str | None) -> float | None:
        """What a quantity in UNIT is multiplied by to be in TO; None when it cannot be."""
        if unit is None:
            return None
        if unit_key(unit) == unit_key(to):
            return 1.0
        return self.conversions.get(to, {}).get(unit_key(unit))

    def period(self, period: str | None) -> tuple[int | None, str | None]:
        """A period as the year it ends in and its span: "6 tháng đầu năm 2025" -> (2025, "6 months")."""
        text = " ".join((period or "").split()).lower()
        for pattern, span in self.periods:
            m = pattern.fullmatch(text)
            if m:
                return int(m.group("year")), span.format(**m.groupdict())
        return None, None


def unit_key(unit: str) -> str:
    return regex.sub(r"\s+", "", unit.lower())


@cache
def fact_rules() -> FactRules:
    return FactRules()


def document_facts(figures: list[dict], checks: list[dict], document: dict) -> list[dict]:
    """The facts of one document, in the order their first figure comes (the text's figures, then table
    cells). A figure that is a part of a whole the checks tie together (the parts of a sum, shares of one
    whole) states no fact of its own: its indicator is the whole's; nor does one whose words name a part of its
    indicator's whole (graduates among pupils: rules/indicators.yaml `parts`)."""
    r = fact_rules()
    named_part = indicator_rules().states_part
    figures = [{k: blank(v) for k, v in fig.items()} for fig in figures]     # a ratio's value is NaN
    written_before: dict[tuple, int] = {}
    for fig in figures:     # the same words stated earlier in the sentence ('xảy ra 01 vụ, giảm 01 vụ')
        key = (fig.get("sentence"), " ".join((fig.get("raw") or "").split()))
        fig["same_raw_before"] = written_before.get(key, 0)
        written_before[key] = fig["same_raw_before"] + 1
    parts = parts_of_wholes(checks, {f["figure_id"]: f["kind"] for f in figures})
    indicator_of = {f["figure_id"]: f.get("indicator") for f in figures}
    groups: dict[tuple, list[tuple[dict, Stated]]] = {}
    for fig in figures:
        if not fig.get("indicator") or not fig.get("measure") or not fig.get("period") or fig.get("indicator_part") \
                or part_of_its_whole(fig, parts, indicator_of) \
                or named_part(fig["indicator"], fig["kind"], fig.get("indicator_phrase")):
            continue
        found = normalised(r, fig)
        if found is None:
            continue
        unit, stated = found
        groups.setdefault((fig["indicator"], fig["measure"], fig["period"], unit), []).append((fig, stated))
    rows = []
    for (indicator, measure, period, unit), statements in groups.items():
        statements = [(fig, s) for fig, s in statements if not part_of_another(s, statements)] or statements
        first, picked = statements[0]
        year, span = r.period(period)
        rows.append({
            "doc_id": document.get("doc_id"), "source": document.get("source"),
            "indicator": indicator, "measure": measure, "period": period, "period_year": year, "period_span": span,
            "value": picked.value, "unit": unit, "approx": blank(first.get("approx")),
            "values": [s.value for _, s in statements], "figure_ids": [s.figure_id for _, s in statements],
            "conflict": not all(agree(picked, s) for _, s in statements),
            "raw": first.get("raw"), "sentence": first.get("sentence"), "page": blank(first.get("page")),
        })
    return rows


def part_of_another(stated: Stated, statements: list) -> bool:
    """Whether a ratio's numerator is a part of a whole the report states as this fact too (12/14 vụ after
    14 vụ): then the ratio speaks of a part, and the whole is the fact. The whole is stated on its own: the
    numerator of another ratio that happens to equal the denominator (06/08 tổ dân phố beside 3/6 khu dân
    cư) is a value of its own, not this ratio's whole."""
    return stated.whole is not None and any(
        other is not stated and other.whole is None and agree(Stated("", stated.whole, 0.0), other)
        for _, other in statements)


def parts_of_wholes(checks: list[dict], kinds: dict[str, str]) -> dict[str, str | None]:
    """Figures the checks show to be parts of a whole, each with its whole's figure (None when no figure states
    the whole): every share of a percent_sum, every addend of a parts_sum (its first figure is the total, unless
    it is itself a ratio that splits a denominator)."""
    parts = {}
    for check in checks:
        if check.get("check") not in PARTS_CHECKS:
            continue
        ids = [] if check.get("figure_ids") is None else list(check["figure_ids"])
        whole_named = check["check"] == "parts_sum" and ids and kinds.get(ids[0]) != "ratio"
        parts.update(dict.fromkeys(ids[1:], ids[0]) if whole_named else dict.fromkeys(ids))
    return parts


def part_of_its_whole(fig: dict, parts: dict[str, str | None], indicator_of: dict[str, str | None]) -> bool:
    """Whether a part of a whole states no fact of its own: it does when it names an indicator of its own that
    the whole's figure does not carry (the fees among the budget's revenue: 'thu phí, lệ phí 20.000.000 VNĐ')."""
    if fig["figure_id"] not in parts:
        return False
    whole = indicator_of.get(parts[fig["figure_id"]])
    return whole is None or whole == fig["indicator"]


def normalised(r: FactRules, fig: dict) -> tuple[str, Stated] | None:
    """The fact's unit and what FIG states in it; None when its value cannot be put in the indicator's unit
    (a share of students is no count of students)."""
    to = r.units.get(fig["indicator"])
    kind, measure = fig["kind"], fig["measure"]
    value, numerator, denominator = (number(fig.get(k)) for k in ("value", "numerator", "denominator"))
    decimals = number(fig.get("decimals"))
    written = 0.5 * 10 ** -(decimals or 0)
    if kind == "percent" and (measure in r.relative or to == "%"):
        if value is None:
            return None
        stated = Stated(fig["figure_id"], value, written)
        if measure == "change":
            stated = signed_change(r, fig, stated, level=True)
        return ("%", stated) if stated else None
    if measure in r.relative and kind == "ratio":
        return None             # a ratio is no percentage of the plan or change
    if kind == "per_mille" and to in ("‰", "%") and value is not None:
        scale = 1.0 if to == "‰" else 0.1
        return to, Stated(fig["figure_id"], value * scale, written * scale)
    kind_was_ratio, whole = kind == "ratio", None
    if kind == "ratio" and numerator is not None:
        if to == "%":
            if not denominator:
                return None
            return to, Stated(fig["figure_id"], 100 * numerator / denominator, 0.0)
        value = numerator           # money ratios are in đồng, both terms
        kind = "money" if to and "đồng" in to else "count" if r.factor(to, fig.get("unit")) is None else "quantity"
        whole = denominator * (r.factor(to, fig.get("unit")) or 1.0) if denominator is not None else None
    if value is None or to is None or to == "%":
        return None
    if kind == "money":
        if "đồng" not in to:
            return None
        stated = Stated(fig["figure_id"], value, money_spread(value))
    elif kind == "count":
        stated = Stated(fig["figure_id"], value, 0.0)      # a count is exact
    elif kind == "quantity":
        factor = r.factor(to, fig.get("unit"))
        if factor is None:
            return None
        stated = Stated(fig["figure_id"], value * factor, written * factor)
    else:
        return None
    if measure == "change":
        stated = signed_change(r, fig, stated, level=False)
    elif kind_was_ratio:
        stated = Stated(stated.figure_id, stated.value, stated.spread, whole)
    return (to, stated) if stated else None


def signed_change(r: FactRules, fig: dict, stated: Stated, level: bool) -> Stated | None:
    """A change with its sign from the word before it; a percentage with neither word is a level against the
    earlier value (125% is a rise of 25) when LEVEL, else no fact."""
    before = words_before(fig)
    if before is not None and r.fall.search(before):
        return Stated(stated.figure_id, -stated.value, stated.spread)
    if before is not None and r.rise.search(before):
        return stated
    if level:
        return Stated(stated.figure_id, stated.value - 100, stated.spread)
    return None


def words_before(fig: dict) -> str | None:
    """The sentence up to the figure (its place in the sentence that is no tail of a longer number or word:
    '2 vụ' in 'xảy ra 12 vụ, tăng 2 vụ' is the second; after as many places as figures of the same words came
    before it in the sentence: '01 vụ' in 'xảy ra 01 vụ, giảm 01 vụ' is the second for the change; spaces made
    single)."""
    sentence = " ".join((fig.get("sentence") or "").split())
    raw = " ".join((fig.get("raw") or "").split())
    places = list(regex.finditer(r"(?<![\w.,])" + regex.escape(raw), sentence)) if raw else []
    nth = fig.get("same_raw_before") or 0
    return sentence[:places[nth].start()] if len(places) > nth else None


def money_spread(value: float) -> float:
    """Half the last place an amount of money is stated to (its trailing zeros claim no precision), at most
    5% of it: 12.746.000.000 is ± 500.000, 10 tỷ ± 0,5 tỷ."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(0.5 * 10 ** max(exponent, 0), 0.05 * abs(value))


def agree(a: Stated, b: Stated) -> bool:
    """Whether two statements can be one value: their rounding intervals meet."""
    return abs(a.value - b.value) <= a.spread + b.spread + 1e-9 * max(abs(a.value), abs(b.value), 1.0)


def number(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def blank(value):
    """None for pandas' missing values."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return None if value is pd.NA else value
