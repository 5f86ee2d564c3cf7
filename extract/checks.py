"""Checks stage: where the text ties figures together, recompute one from the others and judge it.

Takes the figures of one document (with their ids, in cleaned-text order) and the cleaned text;
gives check records (ratio_percent, implied_denominator, parts_sum, percent_sum, words_digits), each
judged by extract.verdicts as a rounding interval and explained in one sentence. The words that tie
figures together are in rules/checks.yaml.
"""
import functools
from dataclasses import dataclass, field, replace
from fractions import Fraction

import regex

from . import rulebook as rules
from . import verdicts
from .figures import Figure, unit_head


@dataclass
class Placed:
    """A figure with its id and the block of the cleaned text it sits in."""
    figure_id: str
    fig: Figure
    block: int


@dataclass
class CellRef:
    """A figure read from a table cell: it sits in no block of the cleaned text."""
    figure_id: str
    block: int = -1


@dataclass
class Check:
    check: str
    stated: float | None
    computed: float | None
    consistent: bool | None
    verdict: str
    explanation: str
    figures: list[Placed] = field(default_factory=list)


def _number(x: float) -> Fraction:
    return Fraction(str(x))


class CheckRules:
    def __init__(self):
        spec = rules.load("checks")
        self.ratio_percent = regex.compile(spec["ratio_percent"]["pattern"], regex.I)
        self.implied = regex.compile(spec["implied_denominator"]["pattern"], regex.I)
        self.base_cues = regex.compile(spec["implied_denominator"]["base_cues"], regex.I)
        self.base_cue_window = spec["implied_denominator"]["base_cue_window"]
        self.not_of_a_base = regex.compile(spec["implied_denominator"]["not_of_a_base"], regex.I)
        self.currency = {w.lower() for w in rules.load("units")["currency"]["words"]}
        self.base_phrase = regex.compile(spec["implied_denominator"]["base_phrase"], regex.I)
        self.base_named = regex.compile(spec["implied_denominator"]["base_named"], regex.I)
        share = spec["share_list"]
        self.share_gap = regex.compile(share["gap"], regex.I)
        self.share_intro = regex.compile(share["intro"])
        self.share_min = share["min_items"]
        self.share_sum = share["sum_range"]
        self.parts_opener = regex.compile(spec["parts_opener"]["pattern"], regex.I)
        self.remainder = regex.compile(spec["remainder"]["pattern"], regex.I)
        self.split_tolerance = spec["split_tolerance"]
        self.count_after_share = regex.compile(spec["implied_denominator"]["count_after_share"], regex.I)
        self.ratio_after_share = regex.compile(spec["ratio_percent"]["after_share"], regex.I)
        self.total_cue = regex.compile(spec["trailing_total"]["cue"], regex.I)
        self.cue_window = spec["trailing_total"]["cue_window"]
        self.list_tolerance = spec["trailing_total"]["tolerance"]
        self.parts_tolerance = spec["parts_opener"]["tolerance"]
        self.parts_excess = spec["parts_opener"]["excess"]
        self.bracket_list = regex.compile(spec["parts_opener"]["bracket_list"], regex.I)
        self.parts_sentence = regex.compile(spec["parts_opener"]["sentence"])
        self.sentence_stop = regex.compile(spec["parts_opener"]["sentence_stop"])
        self.factor_before = regex.compile(spec["trailing_total"]["factor_before"])
        self.factor_after = regex.compile(spec["trailing_total"]["factor_after"])
        self.implicit_link = regex.compile(spec["implicit_ratio"]["link"], regex.I)
        self.plan_in_brackets = regex.compile(spec["implicit_ratio"]["plan_in_brackets"], regex.I)
        rate = spec["per_mille_rate"]
        self.rate_label = regex.compile(rate["label"], regex.I)
        self.rate_event_after = {k: regex.compile(rate["event_after"].replace("{event}", v), regex.I)
                                 for k, v in rate["events"].items()}
        self.rate_event_before = {k: regex.compile(rate["event_before"].replace("{event}", v), regex.I)
                                  for k, v in rate["events"].items()}
        self.rate_window = rate["window"]
        self.population_units = rate["population_units"]
        self.people_units = rate["people_units"]
        self.people_cue = regex.compile(rate["people_cue"], regex.I)
        self.rate_cue_window = rate["cue_window"]
        prior = spec["change_against_prior"]
        self.rise_fall = regex.compile(prior["rise_fall"], regex.I)
        self.prior_cue = regex.compile(prior["prior"], regex.I)
        self.prior_window = prior["window"]
        self.clause_end = regex.compile(prior["clause_end"])
        self.sentence_end = regex.compile(prior["sentence_end"])
        self.percent_of_change = regex.compile(prior["percent_of_change"], regex.I)
        self.now_after_change = regex.compile(prior["now_after_change"], regex.I)
        self.change_amount = regex.compile(spec["change"]["before_amount"], regex.I)


class Checker:
    """The checks of one document: its text, and the rules compiled once for all documents."""

    def __init__(self, text: str, check_rules: CheckRules):
        self.rules, self.text = check_rules, text

    def find(self, placed: list[Placed]) -> list[Check]:
        text = self.text
        # the figures by their unit's head noun, in text order: an implied base is looked for among them only
        self.same_head: dict[str | None, list[Placed]] = {}
        for x in placed:
            self.same_head.setdefault(unit_head(x.fig.unit), []).append(x)
        # each block's figures in text order, and each figure's place among them: what is looked for in a
        # figure's block goes through that block's figures, not the whole report's (linear in the report)
        self.in_block: dict[int, list[Placed]] = {}
        for x in placed:
            self.in_block.setdefault(x.block, []).append(x)
        self.place_in_block = {id(x): k for group in self.in_block.values() for k, x in enumerate(group)}
        self.by_id = {x.figure_id: x for x in placed}
        self.base_cue_at: dict[str, bool] = {}      # whether a count has a base's cue before it, looked up once
        self.bases_of_head: dict[str | None, list[tuple[float, Placed]]] = {}
        checks: list[Check] = []
        linked_percent: dict[str, Placed] = {}
        bases = set()           # the base count of an implicit ratio, whose percentage is not its own share
        for a, b, c in zip(placed, placed[1:], placed[2:]):
            if a.block == b.block == c.block and a.fig.kind == b.fig.kind == "count" and c.fig.kind == "percent" \
                    and self.rules.implicit_link.fullmatch(text, a.fig.end, b.fig.start) \
                    and self.rules.ratio_percent.fullmatch(text, b.fig.end, c.fig.start) and b.fig.value:
                checks.append(self.implicit_ratio(a, b, c))
                bases.add(b.figure_id)
        for a, b, c in zip(placed, placed[1:], placed[2:]):
            # "312 cặp, đạt 104% kế hoạch (300 cặp)": a result, its share of the plan, the plan in brackets
            if a.block == b.block == c.block and a.fig.kind in ("count", "quantity", "money") \
                    and b.fig.kind == "percent" and c.fig.value and _same_measure(a.fig, c.fig) \
                    and self.rules.ratio_percent.fullmatch(text, a.fig.end, b.fig.start) \
                    and self.rules.plan_in_brackets.fullmatch(text, b.fig.end, c.fig.start):
                checks.append(self.implicit_ratio(a, c, b))
                bases.add(a.figure_id)
        for a, b in zip(placed, placed[1:]):
            if a.block != b.block or a.figure_id in bases:
                continue
            gap = text[a.fig.end:b.fig.start]
            if a.fig.kind == "ratio" and b.fig.kind == "percent" and self.rules.ratio_percent.fullmatch(gap):
                checks.append(self.ratio_percent(a, b))
                linked_percent[a.figure_id] = b
            elif a.fig.kind == "count" and b.fig.kind == "percent" and self.rules.implied.fullmatch(gap) \
                    and not self.rules.not_of_a_base.match(text, b.fig.end):
                check = self.implied_denominator(a, b, placed)
                if check:
                    checks.append(check)
            elif a.fig.kind == "money" and b.fig.kind == "percent" and self.rules.implied.fullmatch(gap):
                base = self._base_in_text(a, b, placed)     # "96 triệu đồng, chiếm 0,2% tổng dư nợ"
                if base is not None:
                    checks.append(self.implicit_ratio(a, base, b))
            elif a.fig.kind == "percent" and b.fig.kind == "ratio" and self.rules.ratio_after_share.fullmatch(gap) \
                    and b.figure_id not in linked_percent:
                checks.append(self.ratio_percent(b, a))         # "đạt 92,4% dân số (48.342/52.318 người)"
                linked_percent[b.figure_id] = a
            elif a.fig.kind == "percent" and b.fig.kind == "count" and self.rules.count_after_share.fullmatch(gap):
                check = self.implied_denominator(b, a, placed)       # "chiếm 2,40%(37 hộ)"
                if check:
                    checks.append(check)
            elif a.fig.kind == "ratio" and b.fig.kind == "count" and self.rules.remainder.fullmatch(gap) \
                    and unit_head(a.fig.unit) in (None, unit_head(b.fig.unit)):
                checks.append(self.remainder(a, b))
        checks.extend(self.per_mille_rates(placed))
        checks.extend(self.changes(placed))
        checks.extend(self.splits(placed, linked_percent))
        checks.extend(self.share_lists(placed))
        checks.extend(self.totals(placed))
        checks.extend(self.sentence_totals(placed))
        checks.extend(self.trailing_totals(placed))
        checks.extend(self.words_digits(placed))
        return checks

    # --- one check per kind of tie --------------------------------------------------------------
    def ratio_percent(self, ratio: Placed, percent: Placed) -> Check:
        r, p = ratio.fig, percent.fig
        v = verdicts.judge_ratio_percent(_decimal(r.numerator), _decimal(r.denominator), _decimal(p.value),
                                         p.decimals or 0)
        return Check("ratio_percent", p.value, float(100 * _number(r.numerator) / _number(r.denominator))
                     if r.denominator else None, v.consistent, v.verdict, v.explanation, [ratio, percent])

    def implicit_ratio(self, part: Placed, base: Placed, percent: Placed) -> Check:
        """"12 ca suy dinh dưỡng / 420 trẻ, chiếm 2,86%": a part of a base named with another noun."""
        p = percent.fig
        v = verdicts.judge_ratio_percent(_decimal(part.fig.value), _decimal(_base_value(base.fig)), _decimal(p.value),
                                         p.decimals or 0)
        return Check("ratio_percent", p.value, v.computed, v.consistent, v.verdict, v.explanation, [part, base, percent])

    def per_mille_rates(self, placed: list[Placed]) -> list[Check]:
        """A birth or death rate per 1000 after its count, over the population the report states."""
        r, text = self.rules, self.text
        checks = []
        populations = [x for x in placed if x.fig.kind == "count" and x.fig.unit and self._is_population(x)]
        for i, rate in enumerate(placed):
            if rate.fig.kind != "per_mille":
                continue
            label = r.rate_label.search(text, max(0, rate.fig.start - 40), rate.fig.start)
            if not label:
                continue
            event = " ".join(label.group("event").lower().split())
            count = None
            for x in reversed(placed[:i]):
                if x.block != rate.block or x.fig.start < rate.fig.start - r.rate_window:
                    break
                if x.fig.kind == "count" and (
                        r.rate_event_after[event].match(text, x.fig.end)
                        or r.rate_event_before[event].search(text, max(0, x.fig.start - 20), x.fig.start)):
                    count = x
                    break
            if count is None or not populations:
                continue
            fitting = None
            for base in populations:
                v = verdicts.judge_per_mille(_decimal(count.fig.value), _decimal(base.fig.value),
                                             _decimal(rate.fig.value), rate.fig.decimals or 0)
                if fitting is None or v.consistent:
                    fitting = (base, v)
                if v.consistent:
                    break
            base, v = fitting
            if not v.consistent and not (v.computed and 1 / FAR_BASE <= rate.fig.value / v.computed <= FAR_BASE):
                continue        # so far off that the rate is over another population
            checks.append(Check("ratio_percent", rate.fig.value, v.computed, v.consistent, v.verdict,
                                f"a rate per 1000 over the population stated: {v.explanation}", [count, base, rate]))
        return checks

    def _is_population(self, x: Placed) -> bool:
        unit = " ".join(x.fig.unit.lower().split())
        if any(unit == u or unit.startswith(u + " ") for u in self.rules.population_units):
            return True
        return any(unit == u for u in self.rules.people_units) and bool(self.rules.people_cue.search(
            self.text, max(0, x.fig.start - self.rules.rate_cue_window), x.fig.start))

    def implied_denominator(self, count: Placed, percent: Placed, placed: list[Placed]) -> Check | None:
        c, p = count.fig, percent.fig
        stated_base = self._base_in_text(count, percent, placed)
        if stated_base is not None:
            return self.implicit_ratio(count, stated_base, percent)
        head = unit_head(c.unit)
        candidates = {f"{_plain(value)} ({other.figure_id})": value for value, other in self._bases_of(head)
                      if value > c.value and other is not count}
        v, best, _ = verdicts.judge_implied_denominator(_decimal(c.value), _decimal(p.value), p.decimals or 0,
                                                         candidates)
        used = [count, percent]
        if best is None:
            return Check("implied_denominator", p.value, None, None, "unverifiable", v.explanation, used)
        base_id = best.rsplit("(", 1)[1].rstrip(")")
        if not v.consistent and not (1 / FAR_BASE <= p.value / v.computed <= FAR_BASE):
            # a base that far off is another population, not a slip in this share
            base = best.split(" (")[0]
            return Check("implied_denominator", p.value, None, None, "unverifiable",
                         f"{_plain(c.value)} is {_plain(p.value)}% of a base between {low_high(c, p)}; the nearest base "
                         f"stated elsewhere, {base}, gives {v.computed:.2f}%, too far off to be the same base.", used)
        used.append(self.by_id[base_id])
        return Check("implied_denominator", p.value, v.computed, v.consistent, v.verdict, v.explanation, used)

    def _bases_of(self, head: str | None) -> list[tuple[float, Placed]]:
        """The values a share of a count of HEAD's noun may be taken of: the denominators of ratios and the counts
        with a base's cue before them, in that noun, each value once at its first statement, in text order (one
        candidate per value: the best fit is the same). Made once per noun, not once per share."""
        if head not in self.bases_of_head:
            seen, bases = set(), []
            for other in self.same_head.get(head, ()):
                o = other.fig
                if o.kind == "ratio" and o.denominator and head and unit_head(o.unit) == head:
                    value = o.denominator
                elif o.kind == "count" and unit_head(o.unit) == head and self._has_base_cue(other):
                    value = o.value
                else:
                    continue
                if value not in seen:
                    seen.add(value)
                    bases.append((value, other))
            self.bases_of_head[head] = bases
        return self.bases_of_head[head]

    def _has_base_cue(self, x: Placed) -> bool:
        if x.figure_id not in self.base_cue_at:
            self.base_cue_at[x.figure_id] = bool(self.rules.base_cues.search(
                self.text, max(0, x.fig.start - self.rules.base_cue_window), x.fig.start))
        return self.base_cue_at[x.figure_id]

    def _base_in_text(self, count: Placed, percent: Placed, placed: list[Placed]) -> Placed | None:
        """The base of a share that the text itself states: named after the percentage ("chiếm 13,3% số cơ sở
        được kiểm tra", the last count of that noun before it), or counted earlier in the same sentence with
        the same noun ("tiếp nhận 41 vụ việc, hòa giải thành 35 vụ việc, chiếm 85,37%"). An earlier count
        of the sentence is taken when it fits the share, or when it is near enough to be a slip and the
        report states no other base."""
        c, p = count.fig, percent.fig
        phrase = self.rules.base_phrase.match(self.text, p.end)
        if phrase:          # "chiếm 0,2% tổng dư nợ": the figure that phrase stood before
            words = " ".join(phrase.group("phrase").lower().split())
            bases = [x for x in placed if x.fig.start < c.start and x.fig.kind == c.kind and _base_value(x.fig)
                     and words in " ".join(self.text[max(0, x.fig.start - 40):x.fig.start].lower().split())]
            return bases[-1] if bases and self._near(c, bases[-1], p) else None
        if c.kind != "count":
            return None
        named = self.rules.base_named.match(self.text, p.end)
        before = [x for x in self.in_block[count.block] if x.fig.kind in ("count", "ratio")
                  and x.fig.start < c.start and _base_value(x.fig) and _base_value(x.fig) >= c.value]
        if named:
            noun = named.group("noun").lower().split()[0]
            bases = [x for x in before if unit_head(x.fig.unit) == noun]
            return bases[-1] if bases and self._near(c, bases[-1], p) else None
        sentence_start = _last_end(self.rules.sentence_end, self.text, c.start)
        bases = [x for x in before if x.fig.start >= sentence_start and unit_head(x.fig.unit) == unit_head(c.unit)
                 and _base_value(x.fig) > c.value]
        if not bases:
            return None
        for base in reversed(bases):
            if verdicts.judge_ratio_percent(_decimal(c.value), _decimal(_base_value(base.fig)), _decimal(p.value),
                                            p.decimals or 0).consistent:
                return base
        base = bases[-1]
        v = verdicts.judge_ratio_percent(_decimal(c.value), _decimal(_base_value(base.fig)), _decimal(p.value),
                                         p.decimals or 0)
        others = [x for x in placed if x is not base and x.fig.kind in ("count", "ratio")
                  and unit_head(x.fig.unit) == unit_head(c.unit) and (x.fig.denominator or x.fig.value or 0) > c.value
                  and self.rules.base_cues.search(self.text, max(0, x.fig.start - self.rules.base_cue_window), x.fig.start)]
        if not others and v.computed and 1 / FAR_BASE <= p.value / v.computed <= FAR_BASE:
            return base
        return None

    @staticmethod
    def _near(part: Figure, base: Placed, percent: Figure) -> bool:
        """Whether PART over BASE comes near enough to the stated share to be the share it states."""
        v = verdicts.judge_ratio_percent(_decimal(part.value), _decimal(_base_value(base.fig)), _decimal(percent.value),
                                         percent.decimals or 0)
        return bool(v.computed) and 1 / FAR_BASE <= percent.value / v.computed <= FAR_BASE

    def remainder(self, ratio: Placed, rest: Placed) -> Check:
        r = ratio.fig
        parts = [_decimal(r.numerator), _decimal(rest.fig.value)]
        v = verdicts.judge_sum(_decimal(r.denominator), parts, label="handled and remaining")
        return Check("parts_sum", r.denominator, v.computed, v.consistent, v.verdict, v.explanation,
                     [ratio, rest])

    def splits(self, placed: list[Placed], linked_percent: dict[str, Placed]) -> list[Check]:
        """Ratios over one denominator in one block whose numerators split it: parts, and their shares."""
        checks = []
        groups: list[list[Placed]] = []
        for x in placed:
            if x.fig.kind != "ratio":
                continue
            last = groups[-1][-1] if groups else None
            if last and last.block == x.block and last.fig.denominator == x.fig.denominator:
                groups[-1].append(x)
            else:
                groups.append([x])
        for group in groups:
            if len(group) < 2:
                continue
            den = _number(group[0].fig.denominator)
            total = sum(_number(x.fig.numerator) for x in group)
            if abs(total - den) > self.rules.split_tolerance * den:
                continue
            v = verdicts.judge_sum(_decimal(group[0].fig.denominator), [_decimal(x.fig.numerator) for x in group])
            checks.append(Check("parts_sum", group[0].fig.denominator, float(total), v.consistent, v.verdict,
                                v.explanation, list(group)))
            shares = [linked_percent.get(x.figure_id) for x in group]
            if all(shares):
                v = verdicts.judge_percent_sum([_decimal(s.fig.value) for s in shares],
                                               [s.fig.decimals or 0 for s in shares])
                checks.append(Check("percent_sum", 100.0, v.computed, v.consistent, v.verdict, v.explanation,
                                    list(shares)))
        return checks

    def changes(self, placed: list[Placed]) -> list[Check]:
        """A percentage after a rise or fall, recomputed in its clause from the change in units and the
        earlier value ("giảm 3 vụ so với cùng kỳ (15 vụ), giảm 20%"), or from the value now and the earlier
        one ("1.330 tấn, so với năm 2023 (1.250 tấn) tăng 6,4%"), or from the value now and the change
    ("74,5 ha, tăng 7,04% hay tăng 4,9 ha")."""
        r, text = self.rules, self.text
        checks = []
        for k, pct in enumerate(placed):
            if pct.fig.kind != "percent":
                continue
            direction = r.rise_fall.search(text, max(0, pct.fig.start - 12), pct.fig.start)
            linked = direction is None and r.percent_of_change.search(text, max(0, pct.fig.start - 20), pct.fig.start)
            if not (direction or linked):
                continue
            start = _last_end(r.clause_end, text, pct.fig.start)
            stop = r.clause_end.search(text, pct.fig.end)
            stop = stop.start() if stop else len(text)
            clause = [x for x in self.in_block[pct.block] if start <= x.fig.start and x.fig.end <= stop
                      and x.fig.kind in ("count", "quantity", "money")]
            now = delta = prior = None
            values = []         # figures with no cue before the percentage: the value now is one of them
            for x in clause:
                before = text[max(start, x.fig.start - r.prior_window):x.fig.start]
                cue = r.rise_fall.search(text, max(start, x.fig.start - 12), x.fig.start)
                if cue or (x.fig.start > pct.fig.end and r.change_amount.fullmatch(text, pct.fig.end, x.fig.start)):
                    if x.fig.start < pct.fig.start or delta is None:
                        delta = x
                        direction = direction or cue
                elif r.prior_cue.search(before):
                    prior = prior or x
                elif delta is not None and r.now_after_change.fullmatch(text, delta.fig.end, x.fig.start):
                    now = x         # "giảm 3 vụ (còn 12 vụ)": the value now, in brackets after the change
                elif x.fig.start < pct.fig.start and delta is None and not _in_brackets(text, start, x.fig.start):
                    values.append(x)    # not in brackets: "(32,5 tỷ đồng)" after "dự toán" is the plan
            if direction is None:
                continue        # "tương đương 20%" with no rise or fall stated
            known = delta or prior
            if now is None and known is not None:
                # the last value of the same thing: "05 vụ, làm chết 01 người, ..., giảm 02 vụ" is 05 vụ
                same = [x for x in values if _same_measure(x.fig, known.fig)]
                now = same[-1] if same else None
            if now is None and (prior is None) != (delta is None):
                # "xảy ra 05 vụ, làm chết 02 người; so với cùng kỳ tăng 01 vụ, tăng 20%": the value now stands
                # earlier in the sentence
                now = self._value_before_clause(placed, prior or delta, start)
            used = [x for x in (now, delta, prior) if x is not None]
            if len(used) < 2 or not all(_same_measure(x.fig, used[0].fig) for x in used[1:]):
                continue
            rise = direction.group("rise") is not None
            if prior is not None and delta is not None:
                change, base = _number(delta.fig.value), _number(prior.fig.value)
                how = f"a change of {_plain(delta.fig.value)} on the earlier {_plain(prior.fig.value)}"
            elif prior is not None:
                change = (_number(now.fig.value) - _number(prior.fig.value)) * (1 if rise else -1)
                base = _number(prior.fig.value)
                how = f"{_plain(now.fig.value)} now against {_plain(prior.fig.value)} before"
            else:       # "12 vụ, giảm 3 vụ (giảm 20%)": the earlier value is the value now less the change
                change = _number(delta.fig.value)
                base = _number(now.fig.value) - change if rise else _number(now.fig.value) + change
                how = (f"a change of {_plain(delta.fig.value)} on the earlier {_plain(float(base))} "
                       f"({_plain(now.fig.value)} now)")
            if base <= 0:
                continue
            v = verdicts.judge_ratio_percent(str(float(change)), str(float(base)), _decimal(pct.fig.value),
                                             pct.fig.decimals or 0)
            checks.append(Check("change", pct.fig.value, v.computed, v.consistent, v.verdict,
                                f"{how}: {v.explanation}", sorted(used + [pct], key=lambda x: x.fig.start)))
        return checks

    def _value_before_clause(self, placed: list[Placed], prior: Placed, clause_start: int) -> Placed | None:
        """"7.845,6 tấn (trong đó: ...), đạt 98,1 KH; so với năm 2023 (8.120 tấn) giảm 3,4%": the value now
        stands earlier in the sentence, outside the brackets that list its parts (PRIOR: the earlier value or
        the change, whose kind and unit it has)."""
        sentence_start = _last_end(self.rules.sentence_end, self.text, clause_start)
        candidates = [x for x in placed if x.block == prior.block and sentence_start <= x.fig.start < clause_start
                      and x.fig.kind == prior.fig.kind and unit_head(x.fig.unit) == unit_head(prior.fig.unit)
                      and not _in_brackets(self.text, sentence_start, x.fig.start)]
        return candidates[-1] if candidates else None

    def share_lists(self, placed: list[Placed]) -> list[Check]:
        """Runs of labelled percentages after a colon that should add up to 100."""
        checks, run = [], []

        def close():
            if len(run) >= self.rules.share_min:
                before = self.text[self.text.rfind("\n", 0, run[0].fig.start) + 1:run[0].fig.start]
                total = sum(x.fig.value for x in run)
                low, high = self.rules.share_sum
                if self.rules.share_intro.search(before) and low <= total <= high:
                    v = verdicts.judge_percent_sum([_decimal(x.fig.value) for x in run],
                                                   [x.fig.decimals or 0 for x in run])
                    checks.append(Check("percent_sum", 100.0, v.computed, v.consistent, v.verdict, v.explanation,
                                        list(run)))
            run.clear()

        for x in placed:
            if x.fig.kind != "percent":
                close()
                continue
            if run and not (run[-1].block == x.block and
                            self.rules.share_gap.fullmatch(self.text, run[-1].fig.end, x.fig.start)):
                close()
            run.append(x)
        close()
        return checks

    def totals(self, placed: list[Placed]) -> list[Check]:
        """A money amount or count followed by "trong đó" and its parts of the same kind and unit."""
        checks = []
        for total in placed:
            t = total.fig
            kind, value = self._amount(t)
            if kind == "ratio" and t.numerator:
                kind, value = "count", t.numerator      # "giao 45/45 công dân": the 45 handed over are the total
            if kind not in ("money", "count", "quantity"):
                continue
            opener = self.rules.parts_opener.match(self.text, t.end) or self.rules.bracket_list.match(self.text, t.end)
            if not opener:
                continue
            # in brackets the parts end at the closing one; a list after a colon runs to the sentence's end, and
            # so does one whose first clause holds a single part ("trong đó chi đầu tư 1.315.000.000 đồng; chi
            # thường xuyên 7.602.250.000 đồng.")
            in_brackets = opener.group("bracket") is not None
            listed = not in_brackets and opener.group().rstrip().endswith(":")
            after = self.in_block[total.block][self.place_in_block[id(total)] + 1:]
            if any(x.fig.start < opener.end() and self._amount(x.fig)[0] == kind for x in after):
                continue        # another total between this one and "trong đó" (a share of the plan may stand there)
            for to_sentence_end in ((False, True) if not (in_brackets or listed) else (listed,)):
                same, parts = self._parts(total, kind, after, opener.end(),
                                          _clause_end(self.text, opener.end(), in_brackets, to_sentence_end))
                if len(same) != 1:
                    break
            every_part = opener.groupdict().get("every") and kind in ("count", "quantity")
            # parts gathered past their first clause are parts only if they come as close to the total from
            # above as from below ("21 người, trong đó đại học 19 người; không chuyên trách 12 người" is no list)
            excess = self.rules.parts_tolerance if to_sentence_end and not listed else self.rules.parts_excess
            check = self._parts_sum(total, value, kind, same, parts, None if every_part else excess)
            if check:
                checks.append(check)
        return checks

    def _parts_sum(self, total: Placed, value, kind: str, same: list[Placed], parts: list[Placed],
                   excess: float | None) -> Check | None:
        """The parts_sum of TOTAL (worth VALUE) and its parts SAME, when they are all the figures of its KIND
        among PARTS, at least two, and their sum falls short of VALUE by no more than the parts' tolerance and
        passes it by no more than EXCESS (a share of VALUE; None: any sum)."""
        if len(same) < 2 or len(same) != len([x for x in parts if self._amount(x.fig)[0] == kind]):
            return None
        values = [self._amount(x.fig)[1] for x in same]
        parts_sum = sum(_number(x) for x in values)
        over = parts_sum - _number(value)
        if excess is not None and (over > excess * _number(value)
                                   or -over > self.rules.parts_tolerance * _number(value)):
            return None
        v = verdicts.judge_sum(_decimal(value), [_decimal(x) for x in values])
        return Check("parts_sum", value, float(parts_sum), v.consistent, v.verdict, v.explanation, [total, *same])

    def _parts(self, total: Placed, kind: str, after: list[Placed], start: int, end: int) -> tuple[list[Placed], list[Placed]]:
        """The figures between START and END that may be parts of TOTAL (not in brackets of their own, no
        rates), and those of them of the KIND it adds up to and its unit."""
        parts = [x for x in after if start <= x.fig.start < end and not _in_brackets(self.text, start, x.fig.start)]
        parts = [x for x in parts if "/" not in (x.fig.unit or "")]   # a rate ("60 triệu đồng/hộ") is no part
        same = [x for x in parts if self._amount(x.fig)[0] == kind
                and (kind == "money" or unit_head(x.fig.unit) == unit_head(total.fig.unit))]
        return same, parts

    def _amount(self, fig: Figure) -> tuple[str, float]:
        """Kind and value a figure adds to a sum: a money ratio ("3.412/2.950 triệu đồng") adds its numerator."""
        if fig.kind == "ratio" and fig.unit and fig.unit.split()[-1].lower() in self.rules.currency:
            return "money", fig.numerator
        return fig.kind, fig.value

    def sentence_totals(self, placed: list[Placed]) -> list[Check]:
        """The parts listed in a sentence of their own that opens with "Trong đó:" ("... ước đạt 1.286,5 ha, đạt
        101,3% kế hoạch (1.270 ha), tăng 24,5 ha so với cùng kỳ. Trong đó: lúa 742 ha; ngô 318,5 ha; ..."): the
        total is the first amount of the sentence before, outside brackets; kept only when the parts come within
        a fifth of it from either side."""
        checks, text = [], self.text
        for block, figures in self.in_block.items():
            if not figures:
                continue
            lo, hi = figures[0].fig.start, figures[-1].fig.end
            for opener in self.rules.parts_sentence.finditer(text, max(0, lo - 200), hi):
                # the sentence before: from the stop before the one that ends it
                before_start = _last_end(self.rules.sentence_stop, text,
                                         max(0, _last_end(self.rules.sentence_stop, text, opener.start()) - 1))
                stop = self.rules.sentence_stop.search(text, opener.end())
                after_end = stop.start() if stop else len(text)
                earlier = [x for x in figures if before_start <= x.fig.start < opener.start()
                           and x.fig.kind in ("money", "count", "quantity")
                           and not _in_brackets(text, before_start, x.fig.start)]
                if not earlier:
                    continue
                total = earlier[0]
                kind, value = self._amount(total.fig)
                same, parts = self._parts(total, kind, [x for x in figures if x.fig.start >= opener.end()],
                                          opener.end(), after_end)
                check = self._parts_sum(total, value, kind, same, parts, self.rules.parts_tolerance)
                if check:
                    checks.append(check)
        return checks

    def trailing_totals(self, placed: list[Placed]) -> list[Check]:
        """Items listed first and their total after "tổng cộng": "quà của tỉnh: 150 suất, trị giá 90.000.000
        đồng; ... Tổng cộng 407 suất, trị giá 204.700.000 đồng". Kept only when the items come close to the
        total, so that figures that merely precede a total are not taken for its parts."""
        checks = []
        for total in placed:
            t = total.fig
            if t.kind not in ("money", "count", "quantity"):
                continue
            cue = self.rules.total_cue.search(self.text, max(0, t.start - self.rules.cue_window), t.start)
            if not cue:
                continue
            earlier = [x for x in self.in_block[total.block][:self.place_in_block[id(total)]] if x.fig.start < cue.start()]
            previous_total = max((x.fig.end for x in earlier if self.rules.total_cue.search(
                self.text, max(0, x.fig.start - self.rules.cue_window), x.fig.start)), default=-1)
            parts = [x for x in earlier if x.fig.start > previous_total and _same_measure(x.fig, t)
                     and "/" not in (x.fig.unit or "")
                     and not self._is_factor(x)]
            if len(parts) < 2:
                continue
            total_value = _number(t.value)
            parts_sum = sum(_number(x.fig.value) for x in parts)
            if abs(parts_sum - total_value) > self.rules.list_tolerance * total_value:
                continue
            v = verdicts.judge_sum(_decimal(t.value), [_decimal(x.fig.value) for x in parts])
            checks.append(Check("parts_sum", t.value, float(parts_sum), v.consistent, v.verdict, v.explanation,
                                [total, *parts]))
        return checks

    def _is_factor(self, x: Placed) -> bool:
        before = self.text[max(0, x.fig.start - 5):x.fig.start]
        return bool(self.rules.factor_before.search(before) or self.rules.factor_after.match(self.text, x.fig.end))

    def words_digits(self, placed: list[Placed]) -> list[Check]:
        checks = []
        for x in placed:
            if x.fig.kind == "money" and x.fig.in_words is not None:
                words = self.text[x.fig.end:x.fig.end + 120].split(")")[0].strip(" (")
                v = verdicts.judge_equal(_decimal(x.fig.value), _decimal(x.fig.in_words), words)
                checks.append(Check("words_digits", x.fig.value, x.fig.in_words, v.consistent, v.verdict,
                                    v.explanation, [x]))
        return checks


FAR_BASE = 1.5


def _in_brackets(text: str, start: int, at: int) -> bool:
    """Whether position AT is inside brackets opened after START (a closing bracket with none open, as in
    "a)", is no bracket)."""
    depth = 0
    for ch in text[start:at]:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return depth > 0


def _same_measure(a: Figure, b: Figure) -> bool:
    """Two figures of one kind that measure the same thing: money in any unit, else the same counted noun."""
    return a.kind == b.kind and (a.kind == "money" or unit_head(a.unit) == unit_head(b.unit))


def _base_value(fig: Figure) -> float | None:
    """What a figure gives as the base of a share: a ratio its denominator ("534/838 học sinh")."""
    return fig.denominator if fig.kind == "ratio" else fig.value


def low_high(count: Figure, percent: Figure) -> str:
    bases = verdicts.implied_denominators(_decimal(count.value), _decimal(percent.value), percent.decimals or 0)
    return f"{bases[0]} and {bases[1]}" if bases else "none"


def _decimal(x: float) -> str:
    """A float read back as the shortest decimal string ("0.67", not 0.67000000000000004)."""
    return repr(float(x)) if x is not None else None


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _last_end(pattern, text: str, end: int) -> int:
    """Where the last match of PATTERN before END ends (0 if none), as a scan of text[:end] from its start
    finds it, but looked for in a window before END that widens until it holds a match: a scan from the
    text's start for every figure made long reports quadratic. The same answer for the single-character
    clause and sentence ends of rules/checks.yaml, whose matches cannot run across the window's start."""
    window = 256
    while True:
        start = max(0, end - window)
        last = max((m.end() for m in pattern.finditer(text, start, end)), default=0)
        if last or start == 0:
            return last
        window *= 4


def _clause_end(text: str, start: int, in_brackets: bool, listed: bool = False) -> int:
    if in_brackets:
        depth = 0
        for k in range(start, len(text)):
            if text[k] == "(":
                depth += 1
            elif text[k] == ")":
                if depth == 0:
                    return k
                depth -= 1
        return len(text)
    stop = regex.compile(r"\.(?!\d)|\n" if listed else r"[.;](?!\d)|\n").search(text, start)
    return stop.start() if stop else len(text)


def table_row_checks(groups: list[dict]) -> list[Check]:
    """For each table row that gives a plan, an actual value and a percentage: the percentage against
    actual/plan (groups come from extract.table_figures)."""
    checks = []
    for group in groups:
        plan, actual, percent = group["plan"], group["actual"], group["percent"]
        v = verdicts.judge_ratio_percent(repr(actual["value"]), repr(plan["value"]), repr(percent["value"]),
                                         percent["decimals"] or 0)
        checks.append(Check("table_row", percent["value"], v.computed, v.consistent, v.verdict,
                            f"{actual['row_label']}: {v.explanation}",
                            [CellRef(f["figure_id"]) for f in (plan, actual, percent)]))
    return checks


def ocr_unsure(check: Check, unsure: dict[str, tuple[str, float]]) -> Check:
    """A failing check that uses a figure OCR was unsure of (UNSURE: figure id -> its text and confidence)
    is not called inconsistent: the figure may be misread. Its verdict says so, naming the figure."""
    doubtful = [(fid, *unsure[fid]) for fid in (p.figure_id for p in check.figures) if fid in unsure]
    if check.consistent is not False or not doubtful:
        return check
    which = ", ".join(f"{raw!r} ({fid}, confidence {confidence:.0f})" for fid, raw, confidence in doubtful)
    return replace(check, consistent=None, verdict="ocr_unsure",
                   explanation=f"OCR was unsure of {which}: read the figure on the page. {check.explanation}")


def unsure_figures(figure_rows: list[dict]) -> dict[str, tuple[str, float]]:
    """The figures whose lowest OCR confidence is under rules/checks.yaml's threshold: id -> (raw, confidence)."""
    threshold = rules.load("checks")["ocr_unsure"]["min_confidence"]
    return {row["figure_id"]: (row["raw"], row["ocr_confidence"]) for row in figure_rows
            if row.get("ocr_confidence") is not None and row["ocr_confidence"] < threshold}


@functools.cache
def check_rules() -> CheckRules:
    return CheckRules()


def find_checks(text: str, placed: list[Placed]) -> list[Check]:
    """The checks the text ties its figures into; each call carries its own document."""
    return Checker(text, check_rules()).find(placed)
